"""The per-document writers (ldexport.serialize): the same graph as rdflib holds it, in Turtle
and JSON-LD, read back by rdflib and by pyoxigraph; byte-identical whatever order the triples
were added in."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ldexport import serialize
from ldexport.convert import parse_file
from ldexport.dataset import nquads_stats, stats_of, terms_bytes
from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.mapping import graph_of, new_graph, to_graph, to_triples
from ldexport.namespaces import ELI, ELI_DL, LDX

from conftest import DOCUMENTS, assert_isomorphic, read_by_pyoxigraph


def graphs_of(path: Path) -> list[Graph]:
    try:
        return [to_graph(res, Iris()) for res in parse_file(path)]
    except LdexportError:  # bad input on purpose (tests/test_bad_input.py)
        return []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_document_reads_back_the_same(path: Path) -> None:
    for graph in graphs_of(path):
        rows = serialize.sorted_rows(graph)
        ttl, jsonld = serialize.turtle(rows), serialize.jsonld(rows)
        assert_isomorphic(graph, Graph().parse(data=ttl, format="turtle"))
        assert_isomorphic(graph, Graph().parse(data=jsonld, format="json-ld"))
        assert_isomorphic(graph, read_by_pyoxigraph(ttl, ox.RdfFormat.TURTLE))
        assert_isomorphic(graph, read_by_pyoxigraph(jsonld, ox.RdfFormat.JSON_LD))
        # the rows' N-Triples, which the Turtle and the dumps are written from, are exactly
        # what pyoxigraph writes for the same triples in the same order
        nt = serialize.ntriples(rows)
        triples = [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
        assert ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) == nt
        assert len(triples) == len(graph)


def test_bytes_do_not_depend_on_insertion_order() -> None:
    [res] = parse_file(DOCUMENTS[0])
    triples = list(to_triples(res, Iris()))
    outputs = set()
    for seed in range(3):
        random.Random(seed).shuffle(triples)
        ordered = serialize.sorted_rows(graph_of(triples))
        outputs.add((serialize.turtle(ordered), serialize.jsonld(ordered)))
    assert len(outputs) == 1


def test_to_triples_is_to_graph() -> None:
    for path in DOCUMENTS[:5]:
        for res in parse_file(path):
            assert set(to_graph(res, Iris())) == to_triples(res, Iris())


def test_literals_survive_exactly() -> None:
    w = URIRef("http://localhost:8000/doc/A/RES/1/1")
    graph = new_graph()
    texts = ['He said "no"\nand left\\', "Résolution 1 (١٩٤٦) — 安理会", "  spaced  "]
    for text in texts:
        graph.add((w, LDX.matchedText, Literal(text, lang="en")))
    graph.add((w, ELI.number, Literal("007")))  # a string, not a number
    graph.add((w, ELI.date_document, Literal("1946-01-24", datatype=XSD.date)))
    graph.add((w, LDX.weight, Literal("0.950", datatype=XSD.decimal)))  # lexical form kept
    graph.add((w, RDF.type, ELI.LegalResource))
    rows = serialize.sorted_rows(graph)
    for data, fmt in (
        (serialize.turtle(rows), ox.RdfFormat.TURTLE),
        (serialize.jsonld(rows), ox.RdfFormat.JSON_LD),
    ):
        again = read_by_pyoxigraph(data, fmt)
        assert set(again) == set(graph)
    node = json.loads(serialize.jsonld(rows))["@graph"][0]
    assert node["eli:number"] == [{"@value": "007"}]
    assert node["ldx:weight"] == [{"@value": "0.950", "@type": "xsd:decimal"}]
    assert node["@type"] == ["eli:LegalResource"]


def test_jsonld_lines_are_json_compact_text() -> None:
    """A node line is what json writes without spaces, keys sorted, for the dev documents
    and for literals that need every kind of escape."""
    graphs = [g for path in DOCUMENTS for g in graphs_of(path)]
    odd = new_graph()
    w = URIRef("http://localhost:8000/doc/A/RES/1/1")
    for text in ['q"b\\', "\x00\x01\x08\t\n\x0c\r\x1f\x7f", "\u2028\u2029 é 😀 \ufeff"]:
        odd.add((w, LDX.matchedText, Literal(text)))
    odd.add((URIRef("http://example.org/ä"), URIRef("http://example.org/ü"), Literal("x")))
    lines = 0
    for graph in [*graphs, odd]:
        rows = serialize.sorted_rows(graph)
        nodes = serialize.jsonld_nodes(rows, serialize.Compactor(serialize.prefix_map()))
        for node, line in zip(nodes, serialize.jsonld_lines(rows), strict=True):
            text = json.dumps(node, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            assert line == text.encode()
            lines += 1
    assert len(graphs) > 10 and lines > 1000


def ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as pyoxigraph's, the plain way (what the rows must write)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def test_rows_write_what_pyoxigraph_writes_for_every_kind_of_term() -> None:
    s, b1, b2 = URIRef("http://localhost:8000/doc/A/RES/1/1"), BNode("b1"), BNode("x2")
    texts = [
        'q"uote',
        "back\\slash",
        "new\nline",
        "cr\rtab\t",
        "nul\x00del\x7f",
        "ls\u2028",
        "\U0001f600",
    ]
    triples = [(s, LDX.matchedText, Literal(text, lang="EN-us")) for text in texts]
    triples += [(s, ELI.title, Literal(text, datatype=XSD.string)) for text in texts[:2]]
    triples += [
        (s, LDX.weight, Literal("0.950", datatype=XSD.decimal)),
        (s, ELI.number, Literal("7", datatype=URIRef("http://example.org/datatype"))),
        (s, RDF.type, ELI.LegalResource),
        (s, RDF.type, Literal("a type")),
        (s, ELI.is_about, b1),
        (b1, RDF.type, b2),
        (b2, LDX.matchedText, Literal("plain")),
        (s, LDX.matchedText, Literal("new\nline", lang="EN-us")),  # a repeated triple
    ]
    random.Random(1).shuffle(triples)
    rows = serialize.sorted_rows(triples)
    expected = sorted(
        (ox.Triple(*map(ox_term, t)) for t in triples),  # type: ignore[arg-type]
        key=lambda t: (t.subject.value, t.predicate.value, str(t.object)),
    )
    nt = serialize.ntriples(rows)
    assert nt == ox.serialize(expected, format=ox.RdfFormat.N_TRIPLES)
    # blank subjects, classes that are blank nodes or literals (not counted), a repeat
    assert stats_of(terms_bytes(serialize.terms_of(rows))) == nquads_stats(nt)
    assert serialize.terms_of(rows).classes == {str(ELI.LegalResource)}
    prefixes = serialize.prefix_map()
    turtle = ox.serialize(expected, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    assert serialize.turtle_body(nt) == serialize.strip_prefix_lines(turtle, prefixes)
    nodes = {n["@id"]: n for n in json.loads(serialize.jsonld(rows))["@graph"]}
    work = nodes["http://localhost:8000/doc/A/RES/1/1"]
    assert work["@type"] == ["eli:LegalResource"]
    assert work[str(RDF.type)] == [{"@value": "a type"}]  # no rdf: prefix in the context
    assert {"@value": 'q"uote', "@language": "en-us"} in work["ldx:matchedText"]
    assert work["eli:is_about"] == [{"@id": "_:b1"}]
    assert work["eli:number"] == [{"@value": "7", "@type": "http://example.org/datatype"}]
    assert nodes["_:b1"] == {"@id": "_:b1", str(RDF.type): [{"@id": "_:x2"}]}
    assert nodes["_:x2"] == {"@id": "_:x2", "ldx:matchedText": [{"@value": "plain"}]}
    with pytest.raises(TypeError):
        serialize.sorted_rows([(Literal("a literal subject"), RDF.type, ELI.LegalResource)])
    with pytest.raises(TypeError):
        serialize.sorted_rows([(s, BNode("p"), ELI.LegalResource)])


def test_compaction_prefers_the_longest_namespace() -> None:
    compact = serialize.Compactor({"eli": str(ELI), "eli-dl": str(ELI_DL), "x": "http://a/"})
    assert compact(str(ELI_DL.parliamentary_term)) == "eli-dl:parliamentary_term"
    assert compact(str(ELI.title)) == "eli:title"
    assert compact("http://a//c") == "http://a//c"  # a local part starting with "/" is kept whole
    assert compact("http://a/") == "http://a/"  # the namespace alone is no compact IRI
    assert compact("http://a/b") == "x:b"


GRAPH = "http://localhost:8000/graph/X"


def dump_of_both_paths(graph: Graph) -> tuple[bytes, object, object]:
    """A graph's dump pieces as a worker makes them (from its serialised triples) and as a
    document carried over gets them (from its Turtle file)."""
    from ldexport.dataset import document_dump, dump_pieces

    rdf = serialize.Serialized.of(graph)
    made = dump_pieces(GRAPH, rdf)
    return rdf.turtle(), made, document_dump(rdf.turtle(), GRAPH)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_dump_pieces_are_the_named_graph_whichever_way_they_are_made(path: Path) -> None:
    from ldexport.dataset import fragments

    for graph in graphs_of(path):
        _, made, from_file = dump_of_both_paths(graph)
        assert made == from_file
        pieces = made.plain  # type: ignore[attr-defined]
        # what a shard's statistics count, read from the rows, is what its N-Quads hold
        terms = made.terms  # type: ignore[attr-defined]
        assert stats_of(terms_bytes(terms)) == nquads_stats(pieces["nq"])
        assert terms.classes and len(terms.subjects) > 1
        g = ox.NamedNode(GRAPH)
        written_by_rdflib = ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
        expected = {str(ox.Quad(q.subject, q.predicate, q.object, g)) for q in written_by_rdflib}
        for ext, fmt in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
            data = fragments().headers[ext] + pieces[ext]
            assert {str(q) for q in ox.parse(data, format=fmt)} == expected, ext
        doc = json.loads(pieces["jsonld"])
        assert doc["@id"] == GRAPH
        compact = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert compact.encode() == pieces["jsonld"]


def test_a_turtle_file_written_with_other_prefixes_gives_the_same_dump_pieces() -> None:
    from ldexport.dataset import document_dump, dump_pieces

    [graph] = graphs_of(DOCUMENTS[0])
    rows = serialize.sorted_rows(graph)
    other = ox.serialize(
        [ox.Triple(*map(ox_term, t)) for t in graph],  # type: ignore[misc]
        format=ox.RdfFormat.TURTLE,
    )
    assert other and not other.startswith(serialize.turtle_header())
    made = dump_pieces(GRAPH, serialize.Serialized.of_rows(rows))
    assert document_dump(other, GRAPH) == made


def test_dump_pieces_keep_literals_that_look_like_line_ends() -> None:
    from ldexport.dataset import fragments

    graph = new_graph()
    s = URIRef("http://localhost:8000/doc/A/RES/1/1")
    for i, text in enumerate(['ends with " .', "two\nlines .\n", 'tab\t. quote " }', "é ."]):
        graph.add((s, LDX.text, Literal(f"{i} {text}", lang="en")))
    _, made, from_file = dump_of_both_paths(graph)
    assert made == from_file
    for ext, fmt in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        data = fragments().headers[ext] + made.plain[ext]  # type: ignore[attr-defined]
        got = {(q.object.value, q.graph_name.value) for q in ox.parse(data, format=fmt)}
        assert got == {(str(o), GRAPH) for o in graph.objects(s, LDX.text)}, ext
