"""Check a document's graph against the project's SHACL shapes.

A graph that does not conform is reported and not published (DESIGN.md).  Validation runs once
per document, so it is kept cheap: about 1 ms for the triple set of A/RES/58/136 (510 triples;
2 ms given as an rdflib Graph) where pySHACL takes about 50 ms (benchmarks/validation_speed.py).
A document that fails a SPARQL constraint costs more (rdflib runs the query: ~15 ms).

- The shapes are read once per process and compiled by ldexport.shacl_fast into Python
  checks on dict indexes of the document's graph; its SPARQL constraints are screened in
  Python and run (on rdflib, as pySHACL runs them) only where a screen cannot rule out a
  result.  tests/test_fast_validate.py and tests/test_shacl_fast.py show that the report is
  pySHACL's on every dev-corpus document, example, shapes test case and edge case.
- pySHACL stays the reference: `LDEXPORT_REFERENCE_VALIDATOR=1` (or `reference=True`) runs it
  on rdflib alone, with the harvested shapes and the parsed SPARQL queries cached.
- `ldxsh:NoBlankNodes`, a scan of every triple that rdflib's SPARQL engine runs at about 40 us
  a triple, is evaluated in Python on both paths with the shape's own message; the shape stays
  in the shapes file for other SHACL engines, and tests/shapes check that both agree.

    report = validate(graph, "A/RES/58/136")
    for line in report.lines():   # "A/RES/58/136: #para_5 eli:number: ..."
        print(line)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.exceptions import ParserError
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, SH
from rdflib.query import Result as QueryResult
from rdflib.term import Node

from ldexport.errors import SourceError
from ldexport.mapping import Triple, graph_of
from ldexport.namespaces import ELI
from ldexport.problems import SHAPES_NS, Problem, ValidationReport, short
from ldexport.resources import data_dir
from ldexport.shacl_fast import Result, Shapes

if TYPE_CHECKING:
    from pyshacl import ShapesGraph
    from rdflib.plugins.sparql.sparql import Query

# pySHACL and rdflib's SPARQL engine are imported where they are used: the compiled shapes
# need neither for a conforming document, and importing them took 0.3 s of a worker's start.

#: The shapes files of a document's graph, in shapes/ (dcat-ap.shacl.ttl there is the
#: catalogue's, checked by ldexport.dataset).
DOCUMENT_SHAPES = ("ldexport.shacl.ttl", "subjects.shacl.ttl")

#: RDF formats `validate_file` reads, by file extension.
FORMATS = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


#: Set to 1 to validate with pySHACL on rdflib alone (not the compiled shapes).
REFERENCE_ENV = "LDEXPORT_REFERENCE_VALIDATOR"


def reference_validator() -> bool:
    """Whether LDEXPORT_REFERENCE_VALIDATOR asks for pySHACL on rdflib alone."""
    return os.environ.get(REFERENCE_ENV, "") not in ("", "0")


def validate(
    data: Graph | AbstractSet[Triple], label: str, reference: bool | None = None
) -> ValidationReport:
    """Validate one document against the shapes; `label` names it in every line.  `data` is
    its rdflib Graph or the set of its triples (`ldexport.mapping.to_triples`: the batch
    pipeline builds no Graph unless a SPARQL constraint has to run).  `reference` (default:
    LDEXPORT_REFERENCE_VALIDATOR) runs pySHACL instead of the compiled shapes of
    ldexport.shacl_fast."""
    if reference is None:
        reference = reference_validator()

    def graph(some: AbstractSet[Triple] | None = None) -> Graph:
        """The document as an rdflib Graph, or `some` of its triples (added in the order of
        the whole: sorted; a Graph given is queried whole, in its own order)."""
        if some is not None and not isinstance(data, Graph):
            return _QueryCachingGraph.view_of(graph_of(some))
        return _QueryCachingGraph.view_of(data if isinstance(data, Graph) else graph_of(data))

    try:
        if reference:
            problems = _pyshacl_problems(graph())
        else:
            problems = [_problem(result) for result in _shapes().results(data, graph)]
    except (TypeError, ValueError, ArithmeticError) as exc:
        # rdflib's SPARQL functions raise on some ill-typed data (SUBSTR with a decimal
        # ldx:order): the document does not conform, and the batch goes on
        work = next((s for s, p, _ in data if p == ELI.is_realized_by), URIRef(label))
        problems = [
            Problem(
                focus=work,
                path=None,
                message=f"the shapes could not be evaluated on this graph "
                f"({type(exc).__name__}: {exc}); check the datatypes of its values",
                shape=SH.NodeShape,
            )
        ]
    problems += blank_node_problems(data)
    return ValidationReport(label, not problems, tuple(sorted(problems, key=_sort_key)))


def _pyshacl_problems(data: Graph) -> list[Problem]:
    from pyshacl import Validator
    from pyshacl.graph_abstraction import DataGraph

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
    validator.shacl_graph = _pyshacl_shapes()  # harvested once, instead of for every graph
    _conforms, report, _text = validator.run()  # type: ignore[no-untyped-call]
    return _problems(report)


@cache
def _shapes() -> Shapes:
    """The document shapes compiled by ldexport.shacl_fast, once per process."""
    return Shapes(_shapes_rdf(), exclude=[NO_BLANK_NODES])


def _problem(result: Result) -> Problem:
    path = result.path
    return Problem(
        focus=result.focus,
        path=_shapes_path_text(path) if path is not None else None,
        message=result.message,
        shape=result.shape,
        value=result.value,
    )


@lru_cache(maxsize=256)
def _shapes_path_text(path: Node) -> str:
    return _path_text(_shapes_rdf(), path)


#: The shape that `blank_node_problems` evaluates instead of pySHACL.
NO_BLANK_NODES = URIRef("https://w3id.org/ldexport/shapes#NoBlankNodes")


def blank_node_problems(triples: Graph | AbstractSet[Triple]) -> list[Problem]:
    """`ldxsh:NoBlankNodes`, evaluated in Python: each blank node of the graph once, with the
    least predicate (as a string) it is used with, reported at the document's work.  The
    types of the terms, gathered in C, clear a graph without blank nodes (nearly every one)."""
    if not any(issubclass(kind, BNode) for kind in set(map(type, chain.from_iterable(triples)))):
        return []
    predicates: dict[BNode, str] = {}
    documents: set[Node] = set()
    for subject, predicate, obj in triples:
        if predicate == ELI.is_realized_by:
            documents.add(subject)
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
        for document in documents
        for node, predicate in predicates.items()
    ]


def validate_file(path: str | Path) -> ValidationReport:
    """Read a Turtle, JSON-LD or N-Triples file (by extension) and validate it."""
    from ldexport.convert import check_file_name

    path = Path(path)
    check_file_name(path, whole_path=True)  # rdflib makes an IRI of it, then finds no file
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


@cache
def _shapes_rdf() -> Graph:
    """The document shapes of the installation, read once per process."""
    graph = Graph()
    for name in DOCUMENT_SHAPES:
        graph.parse(data_dir("shapes") / name, format="turtle")
    return graph


@cache
def _pyshacl_shapes() -> ShapesGraph:
    """The shapes harvested by pySHACL once, reused for every document it validates."""
    from pyshacl import ShapesGraph

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
    from rdflib.plugins.sparql import prepareQuery

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
    ) -> QueryResult:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        namespaces = initNs or _PREPARED  # not read for a prepared query; non-empty on purpose
        return super().query(
            query_object, processor, result, namespaces, initBindings, False, **kwargs
        )


_PREPARED = {"ldxsh": SHAPES_NS}


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


def _sort_key(problem: Problem) -> tuple[str, str, str, str, str]:
    """A total order (the value included), so that two validators' reports compare equal."""
    value = "" if problem.value is None else problem.value.n3()
    return (str(problem.focus), problem.path or "", str(problem.shape), problem.message, value)
