"""Per-document Turtle and JSON-LD: the rdflib graph's triples, sorted; the Turtle written by
pyoxigraph.

rdflib stays the model API (`ldexport.mapping.to_graph` builds an rdflib Graph), but its
serialisers are slow for a corpus: about 17 ms for the Turtle and 12 ms for the JSON-LD of a
500-triple resolution, more than parsing and mapping it.  Here each term is made pyoxigraph's
once (IRIs, which repeat across documents, from a bounded cache) for its N-Triples form, the
triples are sorted, written as N-Triples, which pyoxigraph reads back and writes as Turtle,
and as compact JSON-LD node objects (`jsonld_nodes`): together about a tenth of that.
Sorting makes the bytes a pure function of the graph, whatever order rdflib's store yields,
and the same triples always give the same file.

    rows = sorted_rows(graph)
    Path("A_RES_58_136.ttl").write_bytes(turtle(rows))
    Path("A_RES_58_136.jsonld").write_bytes(jsonld(rows))
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

import orjson
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ldexport.namespaces import PREFIXES

RDF_TYPE = str(RDF.type)
XSD_STRING = str(XSD.string)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@cache
def prefix_map() -> dict[str, str]:
    """The project's prefixes, sorted by prefix: the context and the Turtle header."""
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


#: What JSON-LD writes for an object: (kind, value, language or datatype IRI or ""); the
#: value of a blank node is its "_:id".
JsonTerm = tuple[int, str, str]
_IRI, _BLANK, _LANGUAGE, _TYPED, _STRING = range(5)

#: A triple as the files are written from it: the sort key (subject value, predicate IRI,
#: object in N-Triples, then the position, which only a repeated triple reaches), subject and
#: predicate in N-Triples, and the object as JSON-LD writes it.
Row = tuple[str, str, str, int, str, str, JsonTerm]

#: Entries an IRI cache holds before it starts again: the vocabulary and what documents share
#: come back at once, and a worker's memory stays flat (each document brings ~200 IRIs of its
#: own, which a larger cache only keeps alive: 100,000 entries were ~60 MB a worker).
CACHE_LIMIT = 20_000


def _described(term: Term) -> tuple[str, str, JsonTerm]:
    """A pyoxigraph term's value, N-Triples form and JSON-LD form (each read of a pyoxigraph
    attribute builds a new Python object: read once)."""
    value = term.value
    json_term: JsonTerm
    if isinstance(term, ox.NamedNode):
        json_term = (_IRI, value, "")
    elif isinstance(term, ox.BlankNode):
        json_term = (_BLANK, f"_:{value}", "")
    elif isinstance(term, ox.Literal):
        if language := term.language:
            json_term = (_LANGUAGE, value, language)
        elif (datatype := term.datatype.value) == XSD_STRING:
            json_term = (_STRING, value, "")
        else:
            json_term = (_TYPED, value, datatype)
    else:  # pragma: no cover - RDF-star triples are never written
        raise TypeError(f"unexpected term {term!r}")
    return value, str(term), json_term


def _of_rdflib(term: Node) -> tuple[str, str, JsonTerm]:
    """`_described` of an rdflib term made pyoxigraph's (which checks it is valid RDF and
    writes its N-Triples form).  IRIs repeat within and across documents, so they come from
    a bounded cache, and so do the datatypes of literals (`_datatype`)."""
    if isinstance(term, URIRef):
        found = _IRIS.get(term)
        if found is None:
            if len(_IRIS) > CACHE_LIMIT:
                _IRIS.clear()
            found = _IRIS[term] = _described(ox.NamedNode(str(term)))
        return found
    new: Term
    if isinstance(term, Literal):  # a str: its lexical form, passed as it is
        language, datatype = term.language, term.datatype
        if language:
            new = ox.Literal(term, language=language)
        elif datatype is not None:
            new = ox.Literal(term, datatype=_datatype(datatype))
        else:
            new = ox.Literal(term)
    elif isinstance(term, BNode):
        new = ox.BlankNode(str(term))
    else:
        raise TypeError(f"not an RDF term: {term!r}")
    return _described(new)


_IRIS: dict[Node, tuple[str, str, JsonTerm]] = {}


@lru_cache(maxsize=256)
def _datatype(iri: URIRef) -> ox.NamedNode:
    """A literal's datatype as pyoxigraph's (a few IRIs, used over and over)."""
    return ox.NamedNode(str(iri))


def _resource(term: Node, allowed: type | tuple[type, ...]) -> tuple[str, str, JsonTerm]:
    """`_of_rdflib` of a subject (`allowed` an IRI or a blank node) or a predicate (an IRI):
    the check a pyoxigraph triple would make of where a term stands."""
    if not isinstance(term, allowed):
        raise TypeError(f"not an RDF subject or predicate there: {term!r}")
    return _of_rdflib(term)


def sorted_rows(graph: Iterable[tuple[Node, Node, Node]]) -> list[Row]:
    """The triples of an rdflib graph (or any iterable of rdflib triples) as `Row`s, sorted.
    No pyoxigraph triple is made: building one costs more than the rest of a row (its terms
    are checked against each type in turn); the writers read the rows' N-Triples.  TypeError
    for a literal as subject or anything but an IRI as predicate."""
    rows = []
    for i, (s, p, o) in enumerate(graph):
        # subjects and predicates are IRIs, mostly converted already: a dict hit, no call
        s_value, s_nt, _ = _IRIS.get(s) or _resource(s, (URIRef, BNode))
        p_value, p_nt, _ = _IRIS.get(p) or _resource(p, URIRef)
        _, o_nt, o_json = _of_rdflib(o)
        rows.append((s_value, p_value, o_nt, i, s_nt, p_nt, o_json))
    rows.sort()
    return rows


def parsed_rows(triples: Iterable[ox.Triple]) -> list[Row]:
    """`sorted_rows` of pyoxigraph triples (a file read back)."""
    rows = []
    for i, t in enumerate(triples):
        s_value, s_nt, _ = _described(t.subject)  # type: ignore[arg-type]
        p_value, p_nt, _ = _described(t.predicate)
        _, o_nt, o_json = _described(t.object)  # type: ignore[arg-type]
        rows.append((s_value, p_value, o_nt, i, s_nt, p_nt, o_json))
    rows.sort()
    return rows


def ntriples(rows: Iterable[Row]) -> bytes:
    """The rows as N-Triples, in their order: what pyoxigraph writes for the same triples."""
    return "".join([f"{r[4]} {r[5]} {r[2]} .\n" for r in rows]).encode()


def turtle_of(nt: bytes, prefixes: dict[str, str]) -> bytes:
    """pyoxigraph's Turtle of the N-Triples of `ntriples`, in their order, with pyoxigraph's
    own header.  They were written from pyoxigraph's terms, so they are read without checking
    the terms again (`lenient`: only N-Triples from `ntriples`)."""
    triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def prefix_lines(prefixes: Mapping[str, str]) -> bytes:
    """`@prefix p: <ns> .` lines, in the mapping's order."""
    return b"".join(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in prefixes.items())


def strip_prefix_lines(data: bytes, prefixes: Mapping[str, str]) -> bytes:
    """pyoxigraph's Turtle/TriG output without the @prefix lines it starts with (one per
    prefix, in an order of its own), so that a sorted header can be written instead."""
    start = 0
    for _ in prefixes:
        if not data.startswith(b"@prefix ", start):
            raise ValueError("pyoxigraph wrote an unexpected Turtle header")
        start = data.index(b"\n", start) + 1
    return data[start:]


@cache
def turtle_header() -> bytes:
    """The @prefix lines every Turtle file of the project starts with, and a blank line."""
    return prefix_lines(prefix_map()) + b"\n"


def turtle_body(nt: bytes) -> bytes:
    """The N-Triples of `ntriples` as Turtle, in their order, without the header (prefixed
    names use the project's prefixes): what a document's Turtle file and its piece of the
    dumps share."""
    prefixes = prefix_map()
    return strip_prefix_lines(turtle_of(nt, prefixes), prefixes)


def turtle(rows: Iterable[Row]) -> bytes:
    """Turtle with the project's prefixes in sorted order, then the rows' triples in order."""
    return turtle_header() + turtle_body(ntriples(rows))


class Compactor(dict[str, str]):
    """Compact IRIs against a prefix-only JSON-LD context: `prefix:local` when the IRI is a
    namespace of the context plus a local part that does not start with "/" (the longest such
    namespace wins, so that eli-dl wins over a shorter namespace it extends).

    A dict of the IRIs compacted so far (bounded), so that `compact[iri]` is a plain dict
    look-up for the IRIs that repeat; `compact(iri)` is the same."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        super().__init__()
        self._ns = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))

    def __call__(self, iri: str) -> str:
        return self[iri]

    def __missing__(self, iri: str) -> str:
        if len(self) > CACHE_LIMIT:
            self.clear()
        compacted = self[iri] = self._compact(iri)
        return compacted

    def _compact(self, iri: str) -> str:
        for ns, prefix in self._ns:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("/"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri


def jsonld_nodes(rows: Iterable[Row], compact: Compactor) -> list[dict[str, Any]]:
    """Node objects of compact JSON-LD for sorted rows: one per subject, in order;
    rdf:type as @type; literals keep their exact lexical form.

    Sorted rows come in runs of one subject and one predicate: the subject's node and the
    predicate's key are looked up once a run, not once a triple."""
    nodes: dict[str, dict[str, Any]] = {}
    subject = predicate = None
    node: dict[str, Any] = {}
    key = ""
    is_type = False
    for s_value, p_value, _, _, s_nt, _, (kind, value, extra) in rows:
        if s_nt != subject:
            subject, predicate = s_nt, None
            sid = s_nt if s_nt.startswith("_:") else compact[s_value]
            if sid not in nodes:
                nodes[sid] = {"@id": sid}
            node = nodes[sid]
        if p_value != predicate:
            predicate = p_value
            key = compact[p_value]
            is_type = p_value == RDF_TYPE
        json_value: dict[str, str]
        if kind == _IRI:
            if is_type:
                node.setdefault("@type", []).append(compact[value])
                continue
            json_value = {"@id": compact[value]}
        elif kind == _LANGUAGE:
            json_value = {"@value": value, "@language": extra}
        elif kind == _STRING:
            json_value = {"@value": value}
        elif kind == _TYPED:
            json_value = {"@value": value, "@type": compact[extra]}
        else:  # _BLANK: "_:id"
            json_value = {"@id": value}
        node.setdefault(key, []).append(json_value)
    return list(nodes.values())


@cache
def _compactor() -> Compactor:
    return Compactor(prefix_map())


def jsonld_lines(rows: Iterable[Row]) -> list[bytes]:
    """The compact JSON-LD node objects of sorted rows, one JSON text each, UTF-8, keys
    sorted, no space after ":" and ",": what a document's JSON-LD file and its piece of the
    dumps share.  orjson writes them in a sixth of the time of json's C encoder (0.09
    against 0.54 ms a document); the text is `json.dumps(node, ensure_ascii=False,
    sort_keys=True, separators=(",", ":"))` (tests/test_serialize.py)."""
    return [
        orjson.dumps(node, option=orjson.OPT_SORT_KEYS) for node in jsonld_nodes(rows, _compactor())
    ]


def jsonld_document(lines: Sequence[bytes]) -> bytes:
    """Compact JSON-LD, the context inline, one node object per line (`jsonld_lines`).
    One line a node keeps the file readable and lets a C encoder write it (an indented
    dump takes three times as long)."""
    return _jsonld_head() + b",\n".join(lines) + b"\n]}\n"


@cache
def _jsonld_head() -> bytes:
    """The start of every document's JSON-LD, up to its first node: the context, indented."""
    context = json.dumps(prefix_map(), ensure_ascii=False, indent=2, sort_keys=True)
    return f'{{"@context": {context},\n"@graph": [\n'.encode()


def jsonld(rows: Iterable[Row]) -> bytes:
    """Compact JSON-LD of sorted rows: one node object per subject, in the rows' order
    (sorted rows give nodes sorted by subject, values sorted within a node)."""
    return jsonld_document(jsonld_lines(rows))


class Terms(NamedTuple):
    """What the dumps' statistics count of a graph: its subjects as N-Triples writes them,
    its predicates' IRIs, and the IRIs its rdf:type triples name as classes."""

    subjects: frozenset[str]
    predicates: frozenset[str]
    classes: frozenset[str]


def terms_of(rows: Sequence[Row]) -> Terms:
    """The `Terms` of sorted rows: read from the rows' strings, where a shard would otherwise
    split each of its N-Quads lines again (0.3-0.5 ms a document)."""
    classes = (r[6][1] for r in rows if r[1] == RDF_TYPE and r[6][0] == _IRI)
    return Terms(
        frozenset(map(itemgetter(4), rows)), frozenset(map(itemgetter(1), rows)), frozenset(classes)
    )


@dataclass(frozen=True)
class Serialized:
    """A document's triples, sorted, in N-Triples, and the Turtle body and JSON-LD nodes
    written from them: computed once, for its files and for its piece of the corpus dumps.
    `triples` is their number; `terms` what the dumps' statistics count of them."""

    triples: int
    ntriples: bytes
    turtle_body: bytes
    jsonld_lines: list[bytes]
    terms: Terms

    @classmethod
    def of(cls, graph: Iterable[tuple[Node, Node, Node]]) -> Serialized:
        return cls.of_rows(sorted_rows(graph))

    @classmethod
    def of_rows(cls, rows: list[Row], body: bytes | None = None) -> Serialized:
        """From sorted rows; `body` when their Turtle body is known already."""
        nt = ntriples(rows)
        body = turtle_body(nt) if body is None else body
        return cls(len(rows), nt, body, jsonld_lines(rows), terms_of(rows))

    def turtle(self) -> bytes:
        return turtle_header() + self.turtle_body

    def jsonld(self) -> bytes:
        return jsonld_document(self.jsonld_lines)
