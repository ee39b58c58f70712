"""`python -m ldexport.serve` runs the serve command on its own."""

from __future__ import annotations

from ldexport.serve.cli import serve

serve()
