"""provenance.ttl, written a few hundred subjects at a time from the manifest's table: the
same bytes as one pyoxigraph serialisation of all its triples in Turtle's order, whether a
subject's Turtle came from a template (`_Template`) or from pyoxigraph."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from typing import Any

import pyoxigraph as ox
import pytest

from ldexport.dataset import _PM, _VERBATIM, _Template, provenance_turtle
from ldexport.iris import Iris
from ldexport.manifest import DocumentEntry, VotesEntry
from ldexport.serialize import strip_prefix_lines
from ldexport.symbols import file_name

PROV = "http://www.w3.org/ns/prov#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def entries_of(iris: Iris, path_of: dict[str, str]) -> list[DocumentEntry]:
    """24 x 29 documents from 50 shared sources, two conversion times, two versions;
    `path_of`: a source's path by its sha256, in place of "/in/{i}-{j % 3}.txt" (several
    names for most sources)."""
    entries = []
    for i in range(1, 30):
        for j in range(1, 25):  # A/RES/1/1 sorts after A/RES/1/10 in Turtle: "1>" > "10>"
            symbol = f"A/RES/{i}/{j}"
            digest = f"{(i * j) % 50:064x}"  # 50 sources, shared
            entries.append(
                DocumentEntry(
                    symbol=symbol,
                    name=file_name(symbol),
                    graph=iris.graph(symbol),
                    shard=f"ga-{i}",
                    source_sha256=digest,
                    source_path=path_of.get(digest, f"/in/{i}-{j % 3}.txt"),
                    converted_at="2026-11-28T10:00:00Z" if i % 2 else "2026-11-28T11:00:00Z",
                    ldexport_version="0.1.0" if i < 20 else "0.2.0",
                    triples=1,
                )
            )
    return entries


def votes_of(iris: Iris) -> list[VotesEntry]:
    return [
        VotesEntry(
            symbol="A/RES/1/1",
            name="A_RES_1_1",
            graph=f"{iris.graph('A/RES/1/1')}/votes",
            shard="ga-1",
            triples=1,
            sources=["votes.csv (1)"],
            source_sha256=[f"{1:064x}", f"{99:064x}"],  # one a document's source too
            imported_at="2026-11-28T12:00:00Z",
            ldexport_version="0.2.0",
        )
    ]


def one_serialisation(data: bytes) -> bytes:
    """`data`'s triples serialised at once by pyoxigraph, in Turtle's order."""

    def key(t: ox.Triple) -> tuple[str, str, str]:
        return (f"<{t.subject.value}>", t.predicate.value, str(t.object))

    triples = sorted(ox.parse(data, format=ox.RdfFormat.TURTLE), key=key)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PM) or b""


def written_both_ways(
    monkeypatch: pytest.MonkeyPatch,
    entries: list[DocumentEntry],
    iris: Iris,
    votes: list[VotesEntry],
) -> tuple[bytes, int]:
    """provenance.ttl, and how many subjects a template wrote; with every template
    declining (pyoxigraph writing every subject, as before the templates) it is the same."""
    filled = 0
    fill = _Template.fill

    def counted(self: _Template, *values: str) -> str | None:
        nonlocal filled
        text = fill(self, *values)
        filled += text is not None
        return text

    with monkeypatch.context() as m:
        m.setattr(_Template, "fill", counted)
        data = provenance_turtle(entries, iris, votes)
    with monkeypatch.context() as m:
        m.setattr(_Template, "fill", lambda self, *values: None)
        assert provenance_turtle(entries, iris, votes) == data
    return data, filled


def one_name(entries: list[DocumentEntry]) -> int:
    """How many of the entries' sources go by one file name."""
    names: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        names[e.source_sha256].add(os.path.basename(e.source_path))
    return sum(1 for n in names.values() if len(n) == 1)


def test_provenance_is_one_serialisation_of_its_sorted_triples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    iris = Iris()
    entries = entries_of(iris, {f"{k:064x}": f"/in/only-{k}.txt" for k in (3, 11, 20)})
    votes = votes_of(iris)
    data, filled = written_both_ways(monkeypatch, entries, iris, votes)
    assert one_name(entries) == 3  # the other sources go by several names: pyoxigraph's
    assert filled == len(entries) + 3  # every graph
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    sources = {e.source_sha256 for e in entries} | set(votes[0].source_sha256)
    runs = {e.converted_at for e in entries} | {votes[0].imported_at}
    assert len(sources) == 51 and len(runs) == 3
    assert len(subjects) == len(entries) + 1 + len(sources) + len(runs) + 2  # and 2 agents
    used = {(stamp, e.source_sha256) for stamp in runs for e in entries if e.converted_at == stamp}
    assert sum(1 for t in triples if t.predicate.value == PROV + "used") == len(used) + 2
    one = f"urn:sha256:{1:064x}"
    labels = {t.object.value for t in triples if t.subject.value == one and "label" in str(t)}
    assert labels == {e.source_path[4:] for e in entries if e.source_sha256 == f"{1:064x}"}
    assert data == one_serialisation(data)


ODD_NAMES = ['say "no".txt', "back\\slash.txt", "new\nline.txt", "tab\t.txt", "x\ufffe.txt"]


@pytest.mark.parametrize("odd", ODD_NAMES)
def test_a_source_name_pyoxigraph_escapes(monkeypatch: pytest.MonkeyPatch, odd: str) -> None:
    """A source named with a character Turtle escapes: its template declines.  The others
    are written by theirs (one name) or by pyoxigraph (several)."""
    iris = Iris()
    plain, escaped = f"{7:064x}", f"{9:064x}"
    entries = entries_of(iris, {plain: "/in/plain.txt", escaped: f"/in/{odd}"})
    data, filled = written_both_ways(monkeypatch, entries, iris, votes_of(iris))
    assert filled == len(entries) + one_name(entries) - 1
    assert data == one_serialisation(data)
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    labels = {t.subject.value: t.object for t in triples if t.predicate == RDFS_LABEL}
    assert labels[f"urn:sha256:{escaped}"] == ox.Literal(odd)
    assert labels[f"urn:sha256:{plain}"] == ox.Literal("plain.txt")


def test_graphs_under_a_prefix_of_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A base IRI in the dcterms namespace: pyoxigraph may abbreviate the graphs' IRIs, which
    the template (made with an IRI under no prefix) would not."""
    iris = Iris("http://purl.org/dc/terms/")
    entries = entries_of(iris, {})
    data, filled = written_both_ways(monkeypatch, entries, iris, votes_of(iris))
    assert filled == one_name(entries)  # the sources only
    assert data == one_serialisation(data)


def test_no_documents_no_votes_is_an_empty_file() -> None:
    assert provenance_turtle([], Iris(), []) == b""


@pytest.mark.parametrize(
    ("graph", "digest", "symbol", "filled"),
    [
        ("http://localhost/graph/A_RES_1_1", "ab" * 32, "A/RES/1/1", True),
        ("http://localhost/graph/ü", "ab" * 32, "A/RES/1/1 ü", True),
        ("http://localhost/graph/A_RES_1_1", "AB" * 32, "A/RES/1/1", False),  # not a digest
        ("http://localhost/graph/A_RES_1_1", "ab" * 32, 'A/RES/"1"', False),
        ("http://localhost/graph/A{1}", "ab" * 32, "A/RES/1/1", False),
        ("http://www.w3.org/ns/prov#x", "ab" * 32, "A/RES/1/1", False),
        ("http://localhost/graph/%zz", "ab" * 32, "A/RES/1/1", False),  # pyoxigraph refuses
        ("http://localhost/a#b#c", "ab" * 32, "A/RES/1/1", False),
    ],
)
def test_template_fills_what_pyoxigraph_writes_as_it_is(
    graph: str, digest: str, symbol: str, filled: bool
) -> None:
    def triples(g: str, d: str, s: str) -> set[tuple[str, str, ox.NamedNode | ox.Literal]]:
        return {
            (g, PROV + "wasDerivedFrom", ox.NamedNode(f"urn:sha256:{d}")),
            (g, "http://purl.org/dc/terms/identifier", ox.Literal(s)),
            (g, PROV + "value", ox.Literal("{0} {x} }{", language="en")),  # braces: not format's
        }

    template = _Template.of(triples, iris=1, hashes=1, literals=1)
    assert template is not None
    text = template.fill(graph, digest, symbol)
    assert (text is not None) == filled
    if text is not None:
        made = sorted(triples(graph, digest, symbol), key=lambda t: t[1])
        data = ox.serialize(
            [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o) for s, p, o in made],
            format=ox.RdfFormat.TURTLE,
            prefixes=_PM,
        )
        assert strip_prefix_lines(data or b"", _PM) == text.encode()


def test_a_shape_whose_predicate_repeats_has_no_template() -> None:
    def triples(g: str, s: str) -> set[tuple[str, str, ox.NamedNode | ox.Literal]]:
        return {(g, PROV + "value", ox.Literal(s)), (g, PROV + "value", ox.Literal("b"))}

    assert _Template.of(triples, iris=1, hashes=0, literals=1) is None


@pytest.mark.parametrize("fixed", ["ldexport1sentinelxxxxxxxx", "ldexport1sentinelyyyyyyyy"])
def test_a_fixed_value_that_looks_like_a_sentinel_gets_no_template(fixed: str) -> None:
    """A run's time or version is fixed text of the template: were it a sentinel, its
    place would be filled with a value."""

    def triples(g: str, s: str) -> set[tuple[str, str, Any]]:
        return {(g, PROV + "value", ox.Literal(s)), (g, PROV + "label", ox.Literal(fixed))}

    assert _Template.of(triples, iris=1, hashes=0, literals=1) is None


def code_points() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


def test_verbatim_is_what_pyoxigraph_writes_as_it_is_in_a_literal() -> None:
    """Every code point: `_VERBATIM` passes it exactly when pyoxigraph's Turtle writes it
    unescaped."""
    p = ox.NamedNode("http://e/p")
    chars = code_points()
    literals = [
        ox.Triple(ox.NamedNode(f"http://e/{i}"), p, ox.Literal(c)) for i, c in enumerate(chars)
    ]
    data = (ox.serialize(literals, format=ox.RdfFormat.TURTLE) or b"").decode()
    lines = data.split(" .\n")[:-1]  # the escaped text holds no line break
    assert len(lines) == len(chars)
    escaped = []
    for i, c in enumerate(chars):
        assert lines[i].startswith(f"<http://e/{i}> <http://e/p> ")
        if lines[i] != f'<http://e/{i}> <http://e/p> "{c}"':
            escaped.append(c)
    assert escaped == [c for c in chars if not _VERBATIM.fullmatch(c)]
    assert len(escaped) == 37


def test_an_iri_pyoxigraph_accepts_is_written_as_it_is() -> None:
    """Every code point, in an IRI pyoxigraph accepts, is written as it is (the templates
    check an IRI by pyoxigraph's own test)."""
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    accepted = 0
    for c in code_points():
        iri = f"http://e/x{c}"
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            continue
        accepted += 1
        data = ox.serialize([ox.Triple(s, p, node)], format=ox.RdfFormat.TURTLE) or b""
        assert data == f"<http://e/s> <http://e/p> <{iri}> .\n".encode(), repr(c)
    assert accepted > 1000
