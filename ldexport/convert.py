"""The pipeline for one file: read -> normalise -> structure (+ citations) -> map -> validate.

Converting one document is a pure function of its source bytes (and the settings), so a
batch is a loop over files that keeps nothing of one document when it moves to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ldexport import sources
from ldexport.iris import Iris
from ldexport.mapping import to_graph
from ldexport.model import Resolution
from ldexport.parse import normalise, structure
from ldexport.sources import akn as akn_source
from ldexport.validate import ValidationReport, validate


@dataclass(frozen=True)
class Converted:
    """One resolution of a source file, mapped and validated."""

    resolution: Resolution
    graph: Graph
    report: ValidationReport
    #: The per-document files (`ldexport.publish.render_document`) when a worker process
    #: rendered them already, or the error that rendering raised.
    rendered: dict[str, bytes] | None = None
    render_error: str | None = None


def parse_file(path: str | Path) -> list[Resolution]:
    """The resolutions a file holds; raises LdexportError (SourceError, ParseError).

    Akoma Ntoso XML already states its structure, so it is read straight into the model.
    """
    if akn_source.detect_file(path):
        return akn_source.read_resolutions(path)
    doc = sources.read(path)
    return structure.parse(doc, normalise.normalise(doc))


def convert_file(path: str | Path, iris: Iris) -> list[Converted]:
    """Parse, map and validate every resolution of one file."""
    out = []
    for res in parse_file(path):
        graph = to_graph(res, iris)
        out.append(Converted(res, graph, validate(graph, res.symbol)))
    return out
