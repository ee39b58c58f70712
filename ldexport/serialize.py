"""Per-document Turtle and JSON-LD: the rdflib graph's triples, sorted, written by pyoxigraph.

rdflib stays the model API (`ldexport.mapping.to_graph` builds an rdflib Graph), but its
serialisers are slow for a corpus: about 17 ms for the Turtle and 12 ms for the JSON-LD of a
500-triple resolution, more than parsing and mapping it.  Here the triples are converted to
pyoxigraph terms once (IRIs, which repeat across documents, from a bounded cache), sorted, and
written by pyoxigraph (Turtle) or as compact JSON-LD node objects (`jsonld_nodes`): together
about a tenth of that.  Sorting makes the bytes a pure function of the graph, whatever order
rdflib's store yields, and the same triples always give the same file.

    triples = sorted_triples(graph)
    Path("A_RES_58_136.ttl").write_bytes(turtle(triples))
    Path("A_RES_58_136.jsonld").write_bytes(jsonld(triples))
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

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


def to_ox(term: Node) -> Term:
    """An rdflib term as a pyoxigraph one (IRIs, which repeat, from a bounded cache)."""
    return _keyed(term)[0]


#: Entries an IRI cache holds before it starts again: the vocabulary and what documents share
#: come back at once, and a worker's memory stays flat (each document brings ~200 IRIs of its
#: own, which a larger cache only keeps alive: 100,000 entries were ~60 MB a worker).
CACHE_LIMIT = 20_000


def _keyed(term: Node) -> tuple[Term, str, str]:
    """A term as pyoxigraph's, with its value and N-Triples form (what `triple_key` reads),
    computed once: each read of a pyoxigraph attribute builds a new Python object.  IRIs
    repeat within and across documents, so they come from a bounded cache."""
    if isinstance(term, URIRef):
        keyed = _IRIS.get(term)
        if keyed is None:
            if len(_IRIS) > CACHE_LIMIT:
                _IRIS.clear()
            node = ox.NamedNode(str(term))
            keyed = _IRIS[term] = (node, node.value, str(node))
        return keyed
    new: Term
    if isinstance(term, Literal):  # a str: its lexical form, passed as it is
        language, datatype = term.language, term.datatype
        if language:
            new = ox.Literal(term, language=language)
        elif datatype is not None:
            new = ox.Literal(term, datatype=_keyed(datatype)[0])  # type: ignore[arg-type]
        else:
            new = ox.Literal(term)
    elif isinstance(term, BNode):
        new = ox.BlankNode(str(term))
    else:
        raise TypeError(f"not an RDF term: {term!r}")
    return new, new.value, str(new)


_IRIS: dict[Node, tuple[Term, str, str]] = {}


def triple_key(t: ox.Triple | ox.Quad) -> tuple[str, str, str]:
    """The order of the files: subject, predicate, object, each in N-Triples form."""
    return (t.subject.value, t.predicate.value, str(t.object))  # type: ignore[union-attr]


def sorted_triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """The triples of an rdflib graph (or any iterable of rdflib triples) as pyoxigraph
    triples, in `triple_key` order (the key built from the converted terms' cached strings,
    not read back from each pyoxigraph triple).  Rows sort as they are, without a key
    function: the key, then the position (only a repeated triple gets that far)."""
    rows = []
    for i, (s, p, o) in enumerate(graph):
        # subjects and predicates are IRIs, mostly converted already: a dict hit, no call
        s_ox, s_value, _ = _IRIS.get(s) or _keyed(s)
        p_ox, p_value, _ = _IRIS.get(p) or _keyed(p)
        o_ox, _, o_nt = _keyed(o)
        rows.append((s_value, p_value, o_nt, i, ox.Triple(s_ox, p_ox, o_ox)))  # type: ignore[arg-type]
    rows.sort()
    return [row[4] for row in rows]


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


def turtle_body(triples: Iterable[ox.Triple]) -> bytes:
    """The triples as Turtle, in the order given, without the header (prefixed names use
    the project's prefixes): what a document's Turtle file and its piece of the dumps share."""
    prefixes = prefix_map()
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    return strip_prefix_lines(body, prefixes)


def turtle(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle with the project's prefixes in sorted order, then the triples as given."""
    return turtle_header() + turtle_body(triples)


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


def jsonld_nodes(
    triples: Iterable[ox.Quad | ox.Triple], compact: Compactor
) -> list[dict[str, Any]]:
    """Node objects of compact JSON-LD for sorted triples: one per subject, in order;
    rdf:type as @type; literals keep their exact lexical form.

    Sorted triples come in runs of one subject and one predicate: the subject's node and the
    predicate's key are looked up once a run, not once a triple."""
    nodes: dict[str, dict[str, Any]] = {}
    subject = predicate = None
    node: dict[str, Any] = {}
    key = ""
    is_type = False
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object
        if s != subject:
            subject, predicate = s, None
            if isinstance(s, ox.NamedNode):
                sid = compact[s.value]
            elif isinstance(s, ox.BlankNode):
                sid = f"_:{s.value}"
            else:  # pragma: no cover - RDF-star triples are never written
                raise TypeError(f"unexpected subject {s!r}")
            if sid not in nodes:
                nodes[sid] = {"@id": sid}
            node = nodes[sid]
        if p != predicate:
            predicate = p
            key = compact[p.value]
            is_type = p.value == RDF_TYPE
        value: dict[str, str]
        if isinstance(o, ox.NamedNode):
            if is_type:
                node.setdefault("@type", []).append(compact[o.value])
                continue
            value = {"@id": compact[o.value]}
        elif isinstance(o, ox.Literal):
            if o.language:
                value = {"@value": o.value, "@language": o.language}
            else:
                datatype = o.datatype.value
                if datatype == XSD_STRING:
                    value = {"@value": o.value}
                else:
                    value = {"@value": o.value, "@type": compact[datatype]}
        elif isinstance(o, ox.BlankNode):
            value = {"@id": f"_:{o.value}"}
        else:  # pragma: no cover - RDF-star triples are never written
            raise TypeError(f"unexpected object {o!r}")
        node.setdefault(key, []).append(value)
    return list(nodes.values())


@cache
def _compactor() -> Compactor:
    return Compactor(prefix_map())


def jsonld_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """The compact JSON-LD node objects of sorted triples, one JSON text each (keys sorted):
    what a document's JSON-LD file and its piece of the dumps share."""
    return [_ENCODER.encode(node) for node in jsonld_nodes(triples, _compactor())]


#: `json.dumps(node, ensure_ascii=False, sort_keys=True)` without a new encoder per node, nor
#: the check for cycles (a node object is a tree): the same text, about a sixth faster.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False)


def jsonld_document(lines: Sequence[str]) -> bytes:
    """Compact JSON-LD, the context inline, one node object per line (`jsonld_lines`).
    One line a node keeps the file readable and lets json's C encoder write it (an indented
    dump takes three times as long)."""
    nodes = ",\n".join(lines)
    return f"{_jsonld_head()}{nodes}\n]}}\n".encode()


@cache
def _jsonld_head() -> str:
    """The start of every document's JSON-LD, up to its first node: the context, indented."""
    context = json.dumps(prefix_map(), ensure_ascii=False, indent=2, sort_keys=True)
    return f'{{"@context": {context},\n"@graph": [\n'


def jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """Compact JSON-LD of sorted triples: one node object per subject, in the triples' order
    (sorted triples give nodes sorted by subject, values sorted within a node)."""
    return jsonld_document(jsonld_lines(triples))


@dataclass(frozen=True)
class Serialized:
    """A document's triples, sorted, and the Turtle body and JSON-LD nodes written from them:
    computed once, for its files and for its piece of the corpus dumps."""

    triples: list[ox.Triple]
    turtle_body: bytes
    jsonld_lines: list[str]

    @classmethod
    def of(cls, graph: Iterable[tuple[Node, Node, Node]]) -> Serialized:
        triples = sorted_triples(graph)
        return cls(triples, turtle_body(triples), jsonld_lines(triples))

    def turtle(self) -> bytes:
        return turtle_header() + self.turtle_body

    def jsonld(self) -> bytes:
        return jsonld_document(self.jsonld_lines)
