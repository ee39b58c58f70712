"""ldexport: United Nations resolutions as linked data.

The pipeline, one module per stage (DESIGN.md):
`sources` (read a file into a SourceDocument) -> `parse` (normalise, structure, citations:
model.Resolution) -> `mapping` (rdflib.Graph) -> `validate` (SHACL) -> `publish` (files).
"""

from __future__ import annotations

__version__ = "0.1.0"
