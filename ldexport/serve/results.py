"""SPARQL results as bytes: solutions and booleans in the four SPARQL 1.1 result formats,
graphs in Turtle, N-Triples, RDF/XML and JSON-LD.

Written here rather than with pyoxigraph's own serialisers so that a result can be cut at
the endpoint's row limit.  Only pyoxigraph and the standard library are imported: the query
worker (`ldexport.serve.worker`) uses this module and should start fast.

>>> import pyoxigraph as ox
>>> rows = [[ox.NamedNode("http://e/a"), ox.Literal("x", language="en")], [None, ox.Literal("1",
...         datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]]
>>> solutions("csv", ["s", "o"], rows).decode().split("\\r\\n")
['s,o', 'http://e/a,x', ',1', '']
>>> [line.split("\\t") for line in solutions("tsv", ["s", "o"], rows).decode().splitlines()]
[['?s', '?o'], ['<http://e/a>', '"x"@en'], ['', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']]
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

#: media type -> format key, for the results of SELECT and ASK, in the server's preference
SOLUTION_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: media type -> format key, for the results of CONSTRUCT and DESCRIBE
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
    "application/json": "jsonld",
    "text/plain": "nt",
}
#: format key -> the media type a response carries
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
#: the `format` request parameter's short names (as Fuseki and Virtuoso accept them)
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}

Term = Any  # ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


# --- terms -----------------------------------------------------------------------------------


def json_term(term: Term) -> dict[str, Any]:
    """A term as SPARQL 1.1 Query Results JSON writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def xml_term(term: Term) -> str:
    """A term as the SPARQL Query Results XML Format writes it."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{xml_term(term.subject)}</subject>"
            f"<predicate>{xml_term(term.predicate)}</predicate>"
            f"<object>{xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def csv_term(term: Term | None) -> str:
    """CSV keeps values only: IRIs bare, literals their lexical form, blank nodes `_:b`."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def tsv_term(term: Term | None) -> str:
    """TSV writes terms in Turtle / N-Triples syntax (tabs and newlines escaped)."""
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# --- solutions -------------------------------------------------------------------------------


class Budget:
    """Counts rows and bytes against the endpoint's limits."""

    def __init__(self, max_rows: int, max_bytes: int) -> None:
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.rows = 0
        self.bytes = 0
        self.truncated = False

    def take(self, size: int) -> bool:
        """Whether one more row of `size` bytes fits; marks the result truncated if not."""
        if self.rows >= self.max_rows or self.bytes + size > self.max_bytes:
            self.truncated = True
            return False
        self.rows += 1
        self.bytes += size
        return True


def solutions(
    fmt: str,
    variables: Sequence[str],
    rows: Iterable[Sequence[Term | None]],
    budget: Budget | None = None,
) -> bytes:
    """SELECT results in `fmt` ("json", "xml", "csv", "tsv"), cut at the budget."""
    budget = budget or Budget(1 << 62, 1 << 62)
    parts: list[str] = []
    if fmt == "json":
        parts.append(json.dumps({"head": {"vars": list(variables)}})[:-1])
        parts.append(', "results": {"bindings": [\n')
        first = True
        for row in rows:
            binding = {
                v: json_term(t) for v, t in zip(variables, row, strict=True) if t is not None
            }
            text = ("" if first else ",\n") + json.dumps(binding, ensure_ascii=False)
            if not budget.take(len(text)):
                break
            parts.append(text)
            first = False
        parts.append("\n]}}\n")
    elif fmt == "xml":
        parts.append(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n<head>'
        )
        parts.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        parts.append("</head>\n<results>\n")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            text = f"<result>{cells}</result>\n"
            if not budget.take(len(text)):
                break
            parts.append(text)
        parts.append("</results>\n</sparql>\n")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        parts.append(buf.getvalue())
        for row in rows:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerow([csv_term(t) for t in row])
            text = buf.getvalue()
            if not budget.take(len(text)):
                break
            parts.append(text)
    elif fmt == "tsv":
        parts.append("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            text = "\t".join(tsv_term(t) for t in row) + "\n"
            if not budget.take(len(text)):
                break
            parts.append(text)
    else:
        raise ValueError(f"unknown results format {fmt!r}")
    return "".join(parts).encode()


def boolean(fmt: str, value: bool) -> bytes:
    """ASK results in `fmt`."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode() + b"\n"
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return f"{word}\n".encode()
    raise ValueError(f"unknown results format {fmt!r}")


# --- graphs ----------------------------------------------------------------------------------


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """`prefix:local` when a prefix's namespace is the longest that starts `iri`."""
    best = ""
    name = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(best) and len(iri) > len(ns):
            local = iri[len(ns) :]
            if "/" not in local and "#" not in local:
                best, name = ns, f"{prefix}:{local}"
    return name or iri


def jsonld(triples: Sequence[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    """Compact JSON-LD of triples, one node object per subject, the prefixes as context."""
    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        s = t.subject
        if isinstance(s, ox.BlankNode):
            sid = f"_:{s.value}"
        elif isinstance(s, ox.NamedNode):
            sid = compact(s.value, prefixes)
        else:
            continue  # triple terms have no JSON-LD 1.1 form
        node = nodes.setdefault(sid, {"@id": sid})
        o = t.object
        if t.predicate.value == RDF_TYPE and isinstance(o, ox.NamedNode):
            node.setdefault("@type", []).append(compact(o.value, prefixes))
            continue
        value: dict[str, Any]
        if isinstance(o, ox.NamedNode):
            value = {"@id": compact(o.value, prefixes)}
        elif isinstance(o, ox.BlankNode):
            value = {"@id": f"_:{o.value}"}
        elif isinstance(o, ox.Literal):
            if o.language:
                value = {"@value": o.value, "@language": o.language}
            elif o.datatype.value == XSD_STRING:
                value = {"@value": o.value}
            else:
                value = {"@value": o.value, "@type": compact(o.datatype.value, prefixes)}
        else:
            continue  # triple terms have no JSON-LD 1.1 form
        node.setdefault(compact(t.predicate.value, prefixes), []).append(value)
    doc = {"@context": dict(sorted(prefixes.items())), "@graph": list(nodes.values())}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode() + b"\n"


def graph(fmt: str, triples: Sequence[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    """CONSTRUCT / DESCRIBE results (or any description) in `fmt` ("ttl", "nt", "rdf",
    "jsonld")."""
    if fmt == "jsonld":
        return jsonld(triples, prefixes)
    rdf_format = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "rdf": ox.RdfFormat.RDF_XML,
    }[fmt]
    if fmt == "nt":
        return ox.serialize(triples, format=rdf_format) or b""
    return ox.serialize(triples, format=rdf_format, prefixes=dict(prefixes)) or b""
