"""Check a document's graph against the project's SHACL shapes with pySHACL.

A graph that does not conform is reported and not published (DESIGN.md).  Validation runs once
per document, so it is kept cheap (about 35 ms for A/RES/58/136, 359 triples; 0.4 s for the
first call, which reads the shapes):

- the shapes are read and harvested once per process, and the data graph is validated in
  place, without inference;
- each SPARQL constraint's text is parsed once (pySHACL hands rdflib the text for every focus
  node, and rdflib's parser costs about 8 ms a query);
- `ldxsh:NoBlankNodes`, a scan of every triple that rdflib's SPARQL engine runs at about 40 us
  a triple, is evaluated here in Python with the shape's own message; the shape stays in the
  shapes file for other SHACL engines, and tests/shapes check that both give the same results;
- the SELECT queries of the SPARQL constraints (half of the time pySHACL spends on a
  document) run on a pyoxigraph copy of the document's graph instead of rdflib's SPARQL
  engine; pySHACL still decides what the results mean.  tests/test_fast_validate.py shows the
  reports are the same on every dev-corpus document, example and shapes test case.
  `LDEXPORT_REFERENCE_VALIDATOR=1` (or `reference=True`) runs pySHACL on rdflib alone.

    report = validate(graph, "A/RES/58/136")
    for line in report.lines():   # "A/RES/58/136: #para_5 eli:number: ..."
        print(line)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from pyshacl import ShapesGraph, Validator
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.exceptions import ParserError
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier, Node

from ldexport.errors import SourceError
from ldexport.namespaces import ELI, PREFIXES
from ldexport.resources import data_dir

#: The shapes files of a document's graph, in shapes/ (dcat-ap.shacl.ttl there is the
#: catalogue's, checked by ldexport.dataset).
DOCUMENT_SHAPES = ("ldexport.shacl.ttl", "subjects.shacl.ttl")

#: RDF formats `validate_file` reads, by file extension.
FORMATS = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


@dataclass(frozen=True)
class Problem:
    """One SHACL validation result: where, on which property, what is wrong, which shape."""

    focus: Node
    path: str | None  # the property path, compacted ("eli:title", "^eli:has_part")
    message: str
    shape: Node  # sh:sourceShape, e.g. ldxsh:NumberMatchesOrder
    value: Node | None = None

    def line(self, label: str) -> str:
        """`<label>: <focus> <path>: <message>`, IRIs shortened to what a reader needs; the
        offending value is added when the message does not name it already."""
        base = _base_of(self.focus)
        where = short(self.focus, base) + (f" {self.path}" if self.path else "")
        message = _IRI_IN_TEXT.sub(lambda m: short(URIRef(m.group(0)), base), self.message)
        if self.value is not None and self.value != self.focus:
            shown = short(self.value, base)
            named = shown in message or (
                isinstance(self.value, BNode) and str(self.value) in message
            )
            if not named:
                message += f" (value: {shown})"
        return f"{label}: {where}: {message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one document's graph; `lines()` is what a user reads."""

    label: str
    conforms: bool
    problems: tuple[Problem, ...]

    def lines(self) -> tuple[str, ...]:
        """One line per problem, for a terminal or a log; empty when the graph conforms."""
        return tuple(problem.line(self.label) for problem in self.problems)


#: Set to 1 to validate with pySHACL on rdflib alone (no pyoxigraph SPARQL).
REFERENCE_ENV = "LDEXPORT_REFERENCE_VALIDATOR"


def reference_validator() -> bool:
    """Whether LDEXPORT_REFERENCE_VALIDATOR asks for pySHACL on rdflib alone."""
    return os.environ.get(REFERENCE_ENV, "") not in ("", "0")


def validate(graph: Graph, label: str, reference: bool | None = None) -> ValidationReport:
    """Validate `graph` (one document) against the shapes; `label` names it in every line.
    `reference` (default: LDEXPORT_REFERENCE_VALIDATOR) runs pySHACL's SPARQL constraints
    on rdflib's engine instead of pyoxigraph's."""
    if reference is None:
        reference = reference_validator()
    data = (_QueryCachingGraph if reference else _OxigraphQueryGraph).view_of(graph)
    validator = Validator(
        DataGraph.from_rdflib(data),
        shacl_graph=_shapes_rdf(),
        options={
            "inference": "none",
            "advanced": False,
            "inplace": True,
            "use_shapes": _pyshacl_shape_names(),
        },
    )
    validator.shacl_graph = _shapes()  # the harvested shapes, instead of harvesting them again
    _conforms, report, _text = validator.run()  # type: ignore[no-untyped-call]
    problems = _problems(report) + blank_node_problems(data)
    return ValidationReport(label, not problems, tuple(sorted(problems, key=_sort_key)))


#: The shape that `blank_node_problems` evaluates instead of pySHACL.
NO_BLANK_NODES = URIRef("https://w3id.org/ldexport/shapes#NoBlankNodes")


def blank_node_problems(graph: Graph) -> list[Problem]:
    """`ldxsh:NoBlankNodes`, evaluated in Python: each blank node of the graph once, with the
    least predicate (as a string) it is used with, reported at the document's work."""
    predicates: dict[BNode, str] = {}
    for subject, predicate, obj in graph:
        for node in (subject, obj):
            if isinstance(node, BNode):
                least = predicates.get(node)
                predicates[node] = str(predicate) if least is None else min(least, str(predicate))
    if not predicates:
        return []
    template = _no_blank_nodes_message()
    return [
        Problem(
            focus=document,
            path=None,
            message=template.replace("{?value}", str(node)).replace("{?predicate}", predicate),
            shape=NO_BLANK_NODES,
            value=node,
        )
        for document in set(graph.subjects(ELI.is_realized_by, None))
        for node, predicate in predicates.items()
    ]


def validate_file(path: str | Path) -> ValidationReport:
    """Read a Turtle, JSON-LD or N-Triples file (by extension) and validate it."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise SourceError(str(path), f"not an RDF file ldexport reads (extensions {known})")
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except FileNotFoundError as error:
        raise SourceError(str(path), "no such file") from error
    except (ParserError, SyntaxError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SourceError(str(path), f"not valid {fmt}: {reason}") from error
    return validate(graph, str(path))


def short(node: Node, base: str = "") -> str:
    """A node as a reader wants it: "eli:title", and under `base` (the data's scheme and host)
    "#para_5" or "/org/un-ga/session/58"; other IRIs whole, blank nodes "_:b0"."""
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return f'"{node}"'
    text = str(node)
    for prefix, namespace in _SHORT_PREFIXES.items():
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    if base and text.startswith(base):
        rest = text[len(base) :]
        return "#" + rest.split("#", 1)[1] if "#" in rest else "/" + rest
    return text


def _base_of(node: Node) -> str:
    """The scheme and host of an IRI ("http://localhost:8000/"), or "" for other nodes."""
    m = re.match(r"^[a-z][a-z0-9+.\-]*://[^/#]*/", str(node)) if isinstance(node, URIRef) else None
    return m.group(0) if m else ""


_SHAPES_NS = "https://w3id.org/ldexport/shapes#"
_SHORT_PREFIXES = {**PREFIXES, "rdf": RDF._NS, "ldxsh": _SHAPES_NS}
_IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"{}|\\^`,;]+[^\s<>\"{}|\\^`,;.:]")


@cache
def _shapes_rdf() -> Graph:
    """The document shapes of the installation, read once per process."""
    graph = Graph()
    for name in DOCUMENT_SHAPES:
        graph.parse(data_dir("shapes") / name, format="turtle")
    return graph


@cache
def _shapes() -> ShapesGraph:
    """The shapes harvested by pySHACL once, reused for every document."""
    shapes = ShapesGraph(_shapes_rdf())
    shapes.shapes  # noqa: B018 -- the property harvests the shapes and keeps them
    return shapes


@cache
def _pyshacl_shape_names() -> tuple[str, ...]:
    """Every shape with an IRI (property shapes carry their own targets), less those evaluated
    in Python."""
    graph = _shapes_rdf()
    names = {
        str(shape)
        for kind in (SH.NodeShape, SH.PropertyShape)
        for shape in graph.subjects(RDF.type, kind)
        if isinstance(shape, URIRef)
    }
    return tuple(sorted(names - {str(NO_BLANK_NODES)}))


@cache
def _no_blank_nodes_message() -> str:
    graph = _shapes_rdf()
    constraint = graph.value(NO_BLANK_NODES, SH.sparql)
    return str(graph.value(constraint, SH.message))


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _QueryCachingGraph(Graph):
    """A view of a graph's store whose SPARQL queries are parsed once per query text.

    It also spares rdflib two costs per query that prepared queries do not need: listing every
    bound namespace (`initNs`) and asking the store for a query method it lacks.
    """

    @classmethod
    def view_of(cls, graph: Graph) -> _QueryCachingGraph:
        if isinstance(graph, ConjunctiveGraph):  # a dataset: validate the union of its graphs
            union = cls(bind_namespaces="none")
            for triple in graph.triples((None, None, None)):
                union.add(triple)
            return union
        return cls(
            store=graph.store,
            identifier=graph.identifier,
            namespace_manager=graph.namespace_manager,
        )

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Any] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        namespaces = initNs or _PREPARED  # not read for a prepared query; non-empty on purpose
        return super().query(
            query_object, processor, result, namespaces, initBindings, False, **kwargs
        )


_PREPARED = {"ldxsh": _SHAPES_NS}


class _OxigraphQueryGraph(_QueryCachingGraph):
    """A view whose SPARQL SELECT queries run on a pyoxigraph copy of the graph (made at the
    first query), with pySHACL's bindings ($this) as substitutions; results come back as
    rdflib terms.  Other queries, and queries about a blank node (which a conforming
    document has none of), go to rdflib."""

    _ox_store: ox.Store | None = None

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Any] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and not kwargs:
            answer = self._ox_select(query_object, initBindings or {})
            if answer is not None:
                return answer
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )

    def _ox_select(self, text: str, bindings: Mapping[str, Any]) -> Result | None:
        if any(marker in text for marker in _RDFLIB_ONLY) or self._has_blank_nodes():
            return None
        if self._ox_store is None:
            store = ox.Store()
            store.extend(
                ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.DefaultGraph()) for s, p, o in self
            )
            self._ox_store = store
        solutions = self._ox_store.query(
            text, substitutions={ox.Variable(k): _to_ox(v) for k, v in bindings.items()}
        )
        if not isinstance(solutions, ox.QuerySolutions):
            return None
        names = [v.value for v in solutions.variables]
        out = Result("SELECT")
        out.vars = [Variable(n) for n in names]
        out.bindings = [
            {Variable(n): cast(Identifier, _from_ox(t)) for n in names if (t := row[n]) is not None}
            for row in solutions
        ]
        return out

    _blank: bool | None = None

    def _has_blank_nodes(self) -> bool:
        """Blank nodes (none in a conforming document) are left to rdflib: pyoxigraph would
        not match a substituted one, nor give back the same labels."""
        if self._blank is None:
            self._blank = any(isinstance(s, BNode) or isinstance(o, BNode) for s, _p, o in self)
        return self._blank


#: Query text that rdflib and pyoxigraph answer differently, so that it stays with rdflib:
#: GROUP_CONCAT (the order of the concatenated values is the engine's own) and `$this` bound
#: to another variable (pySHACL's initBindings and pyoxigraph's substitution differ inside
#: a UNION; ldxsh:SameSession).  tests/test_fast_validate.py finds any other difference.
_RDFLIB_ONLY = ("GROUP_CONCAT", "$this AS")


def _to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph one (IRIs, which repeat, from a bounded cache)."""
    if type(term) is URIRef or isinstance(term, URIRef):
        node = _OX_IRIS.get(term)
        if node is None:
            if len(_OX_IRIS) > 100_000:
                _OX_IRIS.clear()
            node = _OX_IRIS[term] = ox.NamedNode(str(term))
        return node
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=_to_ox(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


_OX_IRIS: dict[URIRef, Any] = {}
_XSD_STRING = str(XSD.string)


def _from_ox(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return (
        Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=datatype)
    )


def _problems(report: Graph) -> list[Problem]:
    problems = []
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        problems.append(
            Problem(
                focus=focus if focus is not None else BNode(),
                path=_path_text(report, path) if path is not None else None,
                message=" ".join(messages) or "does not conform",
                shape=shape if shape is not None else BNode(),
                value=report.value(result, SH.value),
            )
        )
    return problems


_PATH_OPERATORS: Mapping[URIRef, tuple[str, str]] = {
    SH.inversePath: ("^", ""),
    SH.zeroOrMorePath: ("", "*"),
    SH.oneOrMorePath: ("", "+"),
    SH.zeroOrOnePath: ("", "?"),
}


def _path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path in SPARQL syntax with project prefixes: "^eli:has_part"."""
    if isinstance(path, URIRef):
        return short(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(graph, step) for step in Collection(graph, path))
    for operator, (before, after) in _PATH_OPERATORS.items():
        inner = graph.value(path, operator)
        if inner is not None:
            return f"{before}{_path_text(graph, inner)}{after}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(graph, step) for step in Collection(graph, alternatives))
    return str(path)


def _sort_key(problem: Problem) -> tuple[str, str, str, str]:
    return (str(problem.focus), problem.path or "", str(problem.shape), problem.message)
