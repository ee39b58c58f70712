"""`python -m ldexport.serve` runs the serve command on its own."""

from ldexport.serve.cli import serve

serve()
