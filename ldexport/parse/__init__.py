"""Parsing: normalise (clean blocks), structure (the model), citations (cited symbols)."""
