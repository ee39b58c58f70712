"""`python -m ldexport` runs the command line."""

from ldexport.cli import main

main()
