"""Shared fixtures and helpers: where the test documents are, and graph comparison."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = CORPUS / "A_RES_58_136.txt"
EXAMPLES = ROOT / "examples"

# The folders' own documentation, and fixtures that are not one document on purpose: an
# encrypted PDF and a bulk file of 30 draft bodies (tests/sources checks the errors they give;
# tests/test_citations.py reads the bulk file's sentences).
NOT_DOCUMENTS = {
    "README.md",
    "SOURCES.md",
    "encrypted_user_password.pdf",
    "UNBench_task3_drafts_bulk.json",
}
#: Every document the pipeline converts: the test corpus and the bundled examples.
DOCUMENTS = sorted(
    p
    for p in [*CORPUS.rglob("*"), *EXAMPLES.iterdir()]
    if p.is_file() and p.name not in NOT_DOCUMENTS
)


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """Fail with the triples only one side has, in N-Triples, when the graphs differ."""
    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected == iso_actual:
        return
    _, only_expected, only_actual = graph_diff(iso_expected, iso_actual)
    lines = ["graphs differ", "only in expected:"]
    lines += sorted(f"  {' '.join(t.n3() for t in triple)}" for triple in only_expected)
    lines += ["only in actual:"]
    lines += sorted(f"  {' '.join(t.n3() for t in triple)}" for triple in only_actual)
    raise AssertionError("\n".join(lines[:200]))


@pytest.fixture
def seed() -> Path:
    return SEED


def read_by_pyoxigraph(data: bytes | Path, fmt: pyoxigraph.RdfFormat) -> Graph:
    """A file's triples as read by pyoxigraph, a parser independent of rdflib, in an rdflib
    Graph to compare (ldexport writes no blank nodes)."""
    if isinstance(data, Path):
        triples = pyoxigraph.parse(path=str(data), format=fmt)
    else:
        triples = pyoxigraph.parse(data, format=fmt)
    graph = Graph()
    for t in triples:
        graph.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return graph


def _to_rdflib(term: object) -> URIRef | Literal:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):  # RDF 1.1: a simple literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise AssertionError(f"unexpected term (blank node?) {term!r}")
