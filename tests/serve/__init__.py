"""Tests of `ldexport serve` (a package, so that its conftest stands apart)."""
