"""Compiled SHACL shapes: the document shapes read once into Python objects and checked on
dict indexes of one document's graph, reporting what pySHACL reports.

pySHACL spends 30-40 ms on a document, mostly in rdflib's SPARQL engine and in walking its
own shape objects; the same checks on dicts cost about a millisecond.  pySHACL stays the
reference (`ldexport.validate.validate(..., reference=True)`), and tests/test_fast_validate.py
shows that both give the same report on every shapes test case and dev-corpus document.

- Core constraints are evaluated the way pySHACL evaluates them (its rules for ill-typed
  literals, language ranges, `compare_literal` for ranges, which results carry sh:value).
- A SPARQL constraint is first screened in Python: a screen answers "the query has no
  solution" only where that is certain for the data (plain literals, no blank nodes ...),
  else "it may have one".  Only then is the query itself run, on rdflib with `$this` bound,
  as pySHACL runs it, and its solutions become results by pySHACL's rules.  A document that
  conforms never reaches the SPARQL engine; a failing one gets rdflib's own answers
  (GROUP_CONCAT order included).  A screen is tied to its query's text by a fingerprint.
- A few constraints also have a solver (`SOLVERS`): on the same ordinary data it finds the
  query's solutions themselves, as rdflib computes them, so that a document that fails them
  is not sent to the engine either (tests/test_shacl_fast.py compares the two on random
  renumberings); on any other data the query runs.
- Anything the module does not implement (a constraint component, a target, a path, a
  SPARQL constraint without a screen or whose text changed) is refused when the shapes are
  compiled: a new shape can never be silently ignored.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import _NUMERIC_LITERAL_TYPES, Identifier, Node

#: An index lookup that found nothing.
_NONE: tuple[Node, ...] = ()


#: Makes an rdflib Graph of a document's triples: of all of them (None) or of those given.
GraphMaker = Callable[[AbstractSet[tuple[Node, Node, Node]] | None], Graph]


class UnsupportedShape(ValueError):
    """The shapes use something this module does not implement; use pySHACL for them."""


class Index:
    """One document's triples grouped by predicate.  The s -> objects and o -> subjects dicts
    of a predicate are built the first time a check asks for them: the shapes ask about a
    few dozen predicates, and a dict built per triple for all of them cost more than the
    checks themselves."""

    __slots__ = ("_by_p", "_focus", "_graph", "_inc", "_make_graph", "_out", "_subgraphs")

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], graph: GraphMaker) -> None:
        """`triples`: the document's (an rdflib Graph or a set); `graph`: makes an rdflib
        Graph of them (or of the triples it is given), called only if a SPARQL constraint
        has to run."""
        self._graph: Graph | None = None
        self._make_graph = graph
        self._subgraphs: dict[frozenset[Node], Graph] = {}
        if not isinstance(triples, AbstractSet):  # each triple once: value lists repeat no value
            triples = {(s, p, o) for s, p, o in triples}
        by_p: defaultdict[Node, list[tuple[Node, Node, Node]]] = defaultdict(list)
        for triple in triples:
            by_p[triple[1]].append(triple)
        self._by_p = by_p
        self._out: dict[Node, dict[Node, list[Node]]] = {}
        self._inc: dict[Node, dict[Node, list[Node]]] = {}
        self._focus: dict[Targets, Sequence[Node]] = {}

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = self._make_graph(None)
        return self._graph

    def graph_of(self, predicates: frozenset[Node] | None) -> Graph:
        """The graph of the triples whose predicate is one of `predicates` (all: None): what
        a query whose every triple pattern names its predicate can match, a fifth of a
        document for the numbering constraints, at a fifth of the cost of a whole Graph."""
        if predicates is None or self._graph is not None:
            return self.graph
        found = self._subgraphs.get(predicates)
        if found is None:
            some = {t for p in predicates for t in self._by_p.get(p, ())}
            found = self._subgraphs[predicates] = self._make_graph(some)
        return found

    def out_of(self, p: Node) -> Mapping[Node, Sequence[Node]]:
        """s -> its objects by `p`."""
        found = self._out.get(p)
        if found is None:
            found = self._out[p] = _grouped(self.triples_of(p), 0, 2)
        return found

    def inc_of(self, p: Node) -> Mapping[Node, Sequence[Node]]:
        """o -> its subjects by `p`."""
        found = self._inc.get(p)
        if found is None:
            found = self._inc[p] = _grouped(self.triples_of(p), 2, 0)
        return found

    def objects(self, s: Node, p: Node) -> Sequence[Node]:
        return self.out_of(p).get(s, _NONE)

    def subjects(self, o: Node, p: Node) -> Sequence[Node]:
        return self.inc_of(p).get(o, _NONE)

    def triples_of(self, p: Node) -> Sequence[tuple[Node, Node, Node]]:
        return self._by_p.get(p, ())

    def has(self, s: Node, p: Node, o: Node) -> bool:
        return o in self.objects(s, p)

    def focus_nodes(self, targets: Targets) -> Sequence[Node]:
        """The nodes of sh:targetClass, sh:targetSubjectsOf and sh:targetObjectsOf, once each;
        found once per document for the shapes that share their targets."""
        found = self._focus.get(targets)
        if found is None:
            classes, subjects_of, objects_of = targets
            nodes: dict[Node, None] = {}
            for cls in classes:
                nodes.update(dict.fromkeys(self.instances(cls)))
            for p in subjects_of:
                nodes.update(dict.fromkeys(self.out_of(p)))
            for p in objects_of:
                nodes.update(dict.fromkeys(self.inc_of(p)))
            found = self._focus[targets] = list(nodes)
        return found

    def closure(self, start: Node, p: Node, inverse: bool = False) -> list[Node]:
        """Nodes reached from `start` by one or more `p` (`^p` when `inverse`), once each."""
        step = self.subjects if inverse else self.objects
        seen: dict[Node, None] = {}
        todo = list(step(start, p))
        while todo:
            node = todo.pop()
            if node not in seen:
                seen[node] = None
                todo.extend(step(node, p))
        return list(seen)

    def instances(self, cls: Node) -> dict[Node, None]:
        """Nodes typed `cls` or a subclass of it (rdfs:subClassOf in the data), as pySHACL's
        sh:targetClass finds them."""
        found = dict.fromkeys(self.subjects(cls, _TYPE))
        for sub in self.closure(cls, _SUBCLASS_OF, inverse=True):
            found.update(dict.fromkeys(self.subjects(sub, _TYPE)))
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        """sh:class: a type of `node` is `cls` or has it among its rdfs:subClassOf*."""
        return any(
            ctype == cls or cls in self.closure(ctype, _SUBCLASS_OF)
            for ctype in self.objects(node, _TYPE)
        )


_TYPE, _SUBCLASS_OF = RDF.type, RDFS.subClassOf

#: sh:targetClass, sh:targetSubjectsOf and sh:targetObjectsOf of a shape.
Targets = tuple[tuple[Node, ...], tuple[Node, ...], tuple[Node, ...]]


def _grouped(
    triples: Iterable[tuple[Node, Node, Node]], key: int, value: int
) -> dict[Node, list[Node]]:
    """triple[key] -> [triple[value] ...]"""
    grouped: defaultdict[Node, list[Node]] = defaultdict(list)
    for triple in triples:
        grouped[triple[key]].append(triple[value])
    return grouped


# --- Paths -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """A predicate, `[sh:inversePath p]` or `[sh:alternativePath (...)]` of those; `node` is
    the path in the shapes graph (what pySHACL reports as sh:resultPath)."""

    node: Node
    predicate: Node | None = None
    inverse: bool = False
    alternatives: tuple[Path, ...] = ()

    def values(self, idx: Index, foci: Sequence[Node]) -> Values:
        """Each focus node with its value nodes, each once."""
        if self.alternatives:
            columns = [alt.values(idx, foci) for alt in self.alternatives]
            return [
                (focus, list(dict.fromkeys(v for column in columns for v in column[i][1])))
                for i, focus in enumerate(foci)
            ]
        assert self.predicate is not None
        found = (idx.inc_of if self.inverse else idx.out_of)(self.predicate)
        return [(focus, found.get(focus, _NONE)) for focus in foci]


def _path(g: Graph, node: Node) -> Path:
    if isinstance(node, URIRef):
        return Path(node, predicate=node)
    inverse = g.value(node, SH.inversePath)
    if isinstance(inverse, URIRef) and len(set(g.predicate_objects(node))) == 1:
        return Path(node, predicate=inverse, inverse=True)
    alternatives = g.value(node, SH.alternativePath)
    if alternatives is not None and len(set(g.predicate_objects(node))) == 1:
        return Path(node, alternatives=tuple(_path(g, a) for a in Collection(g, alternatives)))
    raise UnsupportedShape(f"property path {node!r}: only predicates, sh:inversePath and "
                           "sh:alternativePath are implemented")  # fmt: skip


# --- Core constraint components ------------------------------------------------------------

#: Each focus node of a shape with its value nodes.
Values = list[tuple[Node, Sequence[Node]]]

#: A constraint, evaluated on all the focus nodes of a shape at once (a call per focus node
#: and constraint cost more than most checks): (focus node, sh:value or None) per result.
Check = Callable[[Index, Values], list[tuple[Node, Node | None]]]


def _min_count(n: int) -> Check:
    return lambda idx, values: [(f, None) for f, vs in values if len(vs) < n]


def _max_count(n: int) -> Check:
    return lambda idx, values: [(f, None) for f, vs in values if len(vs) > n]


def _each_value(ok: Callable[[Node], bool]) -> Check:
    """A constraint on each value node by itself: a result for each that fails `ok`."""
    return lambda idx, values: [(f, v) for f, vs in values for v in vs if not ok(v)]


_KINDS: Mapping[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


def _node_kind(kind: Node) -> Check:
    if kind not in _KINDS:
        raise UnsupportedShape(f"sh:nodeKind {kind}")
    kinds = _KINDS[kind]
    return _each_value(lambda v: isinstance(v, kinds))


def _pattern(pattern: Literal, flags: Node | None) -> Check:
    """As pySHACL: flags i and m only; a literal's value (strings) or lexical form, searched."""
    re_flags = 0
    if flags is not None:
        text = str(flags.value if isinstance(flags, Literal) else flags).lower()
        re_flags |= (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
    value = pattern.value
    source = str(value) if value is not None and len(value) > 1 else str(pattern)
    matcher = re.compile(source, re_flags)

    return _each_value(lambda v: not isinstance(v, BNode) and bool(matcher.search(_string(v))))


_STRING_TYPES = {RDF.langString, XSD.string}


def _string(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None:
        datatype = v.datatype
        if datatype is None or datatype in _STRING_TYPES:
            return str(v.value)
    return str(v)


_VALUE_TYPES: Mapping[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
}


def _datatype(rule: Node) -> Check:
    """pySHACL's DatatypeConstraintComponent: an ill-typed literal does not match, and the
    Python value of a literal must have the datatype's type."""
    if rule not in _VALUE_TYPES:  # pySHACL treats rdfs:Literal, xsd:dateTime ... apart
        raise UnsupportedShape(f"sh:datatype {rule}: not implemented by ldexport.shacl_fast")
    python_type = _VALUE_TYPES[rule]
    plain_matches, tagged_matches = rule == XSD.string, rule == RDF.langString

    def matches(v: Node) -> bool:
        if not isinstance(v, Literal):
            return False
        datatype = v.datatype
        if datatype is not None and datatype == rule:
            return getattr(v, "ill_typed", None) is not True and isinstance(v.value, python_type)
        if datatype is None and v.language is None and plain_matches:
            return isinstance(v.value, python_type)
        if tagged_matches and v.language:
            return isinstance(v.value, python_type)
        return False

    return _each_value(matches)


def _class(cls: Node) -> Check:
    return lambda idx, values: [
        (f, v)
        for f, vs in values
        for v in vs
        if isinstance(v, Literal) or not idx.is_instance(v, cls)
    ]


def _language_in(g: Graph, head: Node) -> Check:
    wanted = {str(t).lower() for t in Collection(g, head)}

    def allowed(v: Node) -> bool:
        if not isinstance(v, Literal) or not v.language:
            return False
        lang = str(v.language).lower()
        return "*" in wanted or lang in wanted or lang.split("-")[0] in wanted

    return _each_value(allowed)


def _in(g: Graph, head: Node) -> Check:
    allowed = set(Collection(g, head))
    return _each_value(lambda v: v in allowed)


def _has_value(value: Node) -> Check:
    return lambda idx, values: [(f, None) for f, vs in values if value not in vs]


def _equals(predicate: Node) -> Check:
    def check(idx: Index, values: Values) -> list[tuple[Node, Node | None]]:
        found = idx.out_of(predicate)
        failed: list[tuple[Node, Node | None]] = []
        for f, vs in values:
            mine, other = set(vs), set(found.get(f, _NONE))
            failed += [(f, v) for v in (*(mine - other), *(other - mine))]
        return failed

    return check


#: sh:minExclusive ... : which signs of compare_literal(value, bound) pass.
_RANGES: Mapping[Node, Callable[[int], bool]] = {
    SH.minExclusive: lambda c: c > 0,
    SH.minInclusive: lambda c: c >= 0,
    SH.maxExclusive: lambda c: c < 0,
    SH.maxInclusive: lambda c: c <= 0,
}


def _range(parameter: Node, bound: Node) -> Check:
    if not isinstance(bound, Literal):
        raise UnsupportedShape(f"{parameter} {bound!r}: not a literal")
    passes = _RANGES[parameter]
    bound_value = bound.value
    bound_is_string = isinstance(bound_value, str)
    bound_is_number = _is_number(bound)

    def ok(v: Node) -> bool:
        if not isinstance(v, Literal) or isinstance(v.value, str) != bound_is_string:
            return False
        if bound_is_number and _is_number(v):  # compare_literal compares their values
            value = v.value
            return passes(0 if value == bound_value else 1 if value > bound_value else -1)
        # pySHACL's own comparison, imported here: a document whose values are numbers never
        # needs it, and importing pySHACL took a worker's start 0.18 s
        from pyshacl.rdfutil.compare import compare_literal

        try:
            return passes(compare_literal(v, bound))  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False

    return _each_value(ok)


_NUMERIC_TYPES = frozenset(_NUMERIC_LITERAL_TYPES)


def _is_number(v: Literal) -> bool:
    """Whether rdflib's Literal.eq and Literal.__gt__ (so compare_literal) compare `v` by its
    value: a well-typed literal of a numeric datatype."""
    return v.datatype in _NUMERIC_TYPES and not v.ill_typed and v.value is not None


def _unique_lang(flag: Node) -> Check:
    if not (isinstance(flag, Literal) and isinstance(flag.value, bool)):
        raise UnsupportedShape(f"sh:uniqueLang {flag!r}")
    if not flag.value:
        return lambda idx, values: []

    def check(idx: Index, values: Values) -> list[tuple[Node, Node | None]]:
        failed: list[tuple[Node, Node | None]] = []
        for f, vs in values:
            seen: set[str] = set()
            duplicates: set[str] = set()
            for v in vs:
                if isinstance(v, Literal) and v.language:
                    lang = v.language.lower()
                    (duplicates if lang in seen else seen).add(lang)
            failed += [(f, None)] * len(duplicates)
        return failed

    return check


def _or(g: Graph, head: Node) -> Check:
    alternatives = [_compile(g, member, nested=True) for member in set(Collection(g, head))]
    return lambda idx, values: [
        (f, v) for f, vs in values for v in vs if not any(a.conforms(idx, v) for a in alternatives)
    ]


# --- Shapes ------------------------------------------------------------------------------

#: Predicates of a shape that say nothing to check.
_DESCRIPTIVE = {RDF.type, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}


@dataclass
class Shape:
    """A shape compiled: its targets, value path, constraints and SPARQL constraints."""

    node: Node
    messages: tuple[str, ...]
    path: Path | None
    checks: list[Check]
    sparql: list[SparqlConstraint]
    targets: Targets = ((), (), ())

    def values(self, idx: Index, foci: Sequence[Node]) -> Values:
        """Each focus node with its value nodes: the path's, or the focus node itself."""
        return self.path.values(idx, foci) if self.path else [(f, (f,)) for f in foci]

    def conforms(self, idx: Index, focus: Node) -> bool:
        """For sh:or: whether `focus` passes every constraint (nested shapes are core only)."""
        values = self.values(idx, [focus])
        return not any(check(idx, values) for check in self.checks)


def _compile(g: Graph, node: Node, nested: bool = False) -> Shape:
    """One shape of the shapes graph `g` as Python checks; refuses what it cannot check."""
    checks: list[Check] = []
    sparql: list[SparqlConstraint] = []
    targets: dict[Node, list[Node]] = {t: [] for t in _TARGETS}
    path: Path | None = None
    for p, o in sorted(g.predicate_objects(node)):
        if p in _DESCRIPTIVE or not str(p).startswith(str(SH)):
            continue
        if p in _TARGETS and not nested:
            targets[p].append(o)
        elif p == SH.path:
            path = _path(g, o)
        elif p == SH.minCount:
            checks.append(_min_count(int(o)))  # type: ignore[call-overload]
        elif p == SH.maxCount:
            checks.append(_max_count(int(o)))  # type: ignore[call-overload]
        elif p == SH.nodeKind:
            checks.append(_node_kind(o))
        elif p == SH.pattern and isinstance(o, Literal):
            checks.append(_pattern(o, g.value(node, SH.flags)))
        elif p == SH.flags:
            continue
        elif p == SH.datatype:
            checks.append(_datatype(o))
        elif p == SH["class"]:
            checks.append(_class(o))
        elif p == SH.languageIn:
            checks.append(_language_in(g, o))
        elif p == SH["in"]:
            checks.append(_in(g, o))
        elif p == SH.hasValue:
            checks.append(_has_value(o))
        elif p == SH.equals:
            checks.append(_equals(o))
        elif p in _RANGES:
            checks.append(_range(p, o))
        elif p == SH.uniqueLang:
            checks.append(_unique_lang(o))
        elif p == SH["or"]:
            checks.append(_or(g, o))
        elif p == SH.sparql and not nested:
            sparql.append(_sparql(g, node, o))
        else:
            raise UnsupportedShape(f"{node}: {p} is not implemented by ldexport.shacl_fast")
    messages = tuple(sorted({str(m) for m in g.objects(node, SH.message)}))
    if checks and not messages and not nested:
        raise UnsupportedShape(f"{node}: no sh:message (pySHACL's own messages are not copied)")
    if sparql and (path is not None or not all(c.messages or messages for c in sparql)):
        raise UnsupportedShape(f"{node}: SPARQL constraints on a path or without sh:message")
    return Shape(
        node,
        messages,
        path,
        checks,
        sparql,
        (
            tuple(targets[SH.targetClass]),
            tuple(targets[SH.targetSubjectsOf]),
            tuple(targets[SH.targetObjectsOf]),
        ),
    )


@dataclass(frozen=True)
class Result:
    """One validation result as pySHACL's report has it; `path` is the path node in the
    shapes graph (or the IRI a SPARQL constraint bound to ?path)."""

    focus: Node
    path: Node | None
    message: str
    shape: Node
    value: Node | None


class Shapes:
    """The shapes of a shapes graph, compiled once; `results(graph)` validates a graph."""

    def __init__(self, g: Graph, exclude: Iterable[Node] = ()) -> None:
        names = {
            s
            for kind in (SH.NodeShape, SH.PropertyShape)
            for s in g.subjects(RDF.type, kind)
            if isinstance(s, URIRef)
        } - set(exclude)
        targeted = {s for t in (*_TARGETS, SH.targetNode, SH.target) for s in g.subjects(t, None)}
        untyped = targeted - names - set(exclude)
        if untyped:
            raise UnsupportedShape(
                f"shapes with targets but no IRI and type: {sorted(map(str, untyped))}"
            )
        self.shapes = [_compile(g, name) for name in sorted(names)]
        shared: dict[Targets, Targets] = {}
        for shape in self.shapes:  # one object per target set: a cheap key per document
            shape.targets = shared.setdefault(shape.targets, shape.targets)

    def results(
        self, triples: Iterable[tuple[Node, Node, Node]], graph: GraphMaker
    ) -> list[Result]:
        """The results of every shape on one document: `triples` are its triples (an rdflib
        Graph or a set), `graph` makes them an rdflib Graph for the SPARQL constraints a
        screen cannot rule out (never called for a conforming document)."""
        idx = Index(triples, graph)
        out: list[Result] = []
        for shape in self.shapes:
            focus_nodes = idx.focus_nodes(shape.targets)
            if not focus_nodes:
                continue
            path_node = shape.path.node if shape.path else None
            message = " ".join(shape.messages) or "does not conform"
            values = shape.values(idx, focus_nodes) if shape.checks else []
            for check in shape.checks:
                failed = check(idx, values)
                if failed:
                    out += [Result(f, path_node, message, shape.node, v) for f, v in failed]
            for constraint in shape.sparql:
                for focus in focus_nodes:
                    out += constraint.results(idx, shape, focus)
        return out


# --- SPARQL constraints ------------------------------------------------------------------


@dataclass
class SparqlConstraint:
    """An sh:sparql constraint: its query as pySHACL sends it, its messages, the Python
    screen that proves, for ordinary data, that the query has no solution, and for some
    constraints a solver that finds the solutions themselves on such data."""

    node: Node
    query: str
    binds_this: bool
    messages: tuple[str, ...]
    screen: Screen
    solve: Solver | None = None

    @cached_property
    def predicates(self) -> frozenset[Node] | None:
        """The predicates of the query's triple patterns, when each names one
        (`query_predicates`): worked out when a screen first lets a focus node through, as
        most documents never need it and parsing the queries took a worker 2 s to start."""
        return query_predicates(self.query)

    def results(self, idx: Index, shape: Shape, focus: Node) -> list[Result]:
        solutions = self.solve(idx, focus) if self.solve else None
        if solutions is None:  # no solver, or data it does not read: a screen, then the query
            if self.solve is None and not self.screen(idx, focus):
                return []
            bindings = {"this": cast(Identifier, focus)} if self.binds_this else {}
            rows = idx.graph_of(self.predicates).query(self.query, initBindings=bindings)
            solutions = list(_violations(rows, focus))
        return [
            Result(bound[0] or focus, bound[1], self._message(shape, bound), shape.node, bound[2])
            for bound in solutions
        ]

    def _message(self, shape: Shape, bound: Bound) -> str:
        """pySHACL's substitution of {?var} and {$var}, on every message of the constraint and
        of its shape (the replacement text is a `re.sub` template there too)."""
        this, path, value, extra = bound
        names: dict[str, Node] = dict(extra)
        for name, term in (("this", this), ("path", path), ("value", value)):
            if term is not None:
                names[name] = term
        texts = set()
        for text in {*self.messages, *shape.messages}:
            for name, term in names.items():
                text = re.sub("{{[?$]{}}}".format(name), str(term), text)  # noqa: UP032
            texts.add(text)
        return " ".join(sorted(texts)) or "does not conform"


#: A solution as pySHACL reads it: ?this, ?path, ?value and the other variables.
Bound = tuple[Node | None, Node | None, Node, dict[str, Node]]


def _violations(rows: Any, focus: Node) -> Iterator[Bound]:
    """pySHACL's reading of a SELECT's solutions: ?this, ?path and ?value taken out (?value
    defaulting to the focus node of a node shape), solutions without any of them dropped,
    repeats dropped."""
    seen: list[tuple[Node | None, Node | None, Node | None, dict[str, Node]]] = []
    for row in rows:
        names = row.asdict()
        if names.pop("failure", None) is not None:
            raise UnsupportedShape("SPARQL constraint reports ?failure")
        path, value, this = (
            names.pop("path", None),
            names.pop("value", None),
            names.pop("this", None),
        )
        if path is None and value is None and this is None:
            continue
        if (this, path, value, names) in seen:
            continue
        seen.append((this, path, value, names))
        yield this, path, value if value is not None else focus, names


Screen = Callable[[Index, Node], bool]
#: The solutions of a query for `this` (as `_violations` reads them), or None: the query decides.
Solver = Callable[[Index, Node], list[Bound] | None]


def _sparql(g: Graph, shape: Node, node: Node) -> SparqlConstraint:
    for p in g.predicates(node):
        if p not in (RDF.type, SH.message, SH.prefixes, SH.select):
            raise UnsupportedShape(f"{shape}: {p} on an sh:sparql constraint is not implemented")
    select = str(g.value(node, SH.select))
    key = f"{_local(shape)}:{fingerprint(select)}"
    screen = SCREENS.get(key)
    if screen is None:
        raise UnsupportedShape(
            f"{shape}: no Python screen for this SPARQL constraint ({key}); write one in "
            "ldexport/shacl_fast.py (SCREENS) or validate with reference=True"
        )
    prefixes = "".join(
        f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
        for declared in g.objects(node, SH.prefixes)
        for d in g.objects(declared, SH.declare)
    )
    messages = tuple(str(m) for m in g.objects(node, SH.message))
    binds_this = re.search(r"([\s{}()])[\$\?]this", select) is not None
    query = f"{prefixes}\n{select}"
    return SparqlConstraint(node, query, binds_this, messages, screen, SOLVERS.get(key))


def query_predicates(query: str) -> frozenset[Node] | None:
    """The IRIs in predicate position of every triple pattern of a query (in FILTER EXISTS
    too), or None when one is not an IRI (a variable, a property path) or the query uses a
    form not listed in `_PATTERN_FORMS`: a pattern with a fixed predicate matches only
    triples with that predicate, so the query has the same solutions on the triples with
    these predicates as on the whole graph."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue, Expr

    found: set[Node] = set()

    def walk(node: Any) -> bool:
        if isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        if not isinstance(node, CompValue):  # a term, a value, a set of variables; else unknown
            return node is None or isinstance(node, (Node, str, int, float, set, frozenset))
        if not isinstance(node, Expr) and node.name not in _PATTERN_FORMS:
            return False
        if node.name == "BGP":  # (s, p, o) triples
            predicates = [t[1] for t in node["triples"]]
        elif node.name == "TriplesBlock":  # (an EXISTS pattern, as parsed) s p o s p o ...
            predicates = [p for row in node["triples"] for p in row[1::3]]
        else:
            predicates = []
        if not all(isinstance(p, URIRef) for p in predicates):
            return False
        found.update(predicates)
        # rdflib keeps the algebra of an EXISTS pattern as an attribute (`e.graph = ...`),
        # what evaluation reads, beside the pattern as parsed: both are walked
        attributes = [v for k, v in vars(node).items() if k != "name" and k[0] != "_"]
        return all(walk(v) for v in [*node.values(), *attributes])

    return frozenset(found) if walk(prepareQuery(query).algebra) else None


#: The forms of graph pattern `query_predicates` knows to hold triple patterns only as BGP and
#: TriplesBlock (the algebra, and EXISTS patterns as the parser leaves them).
_PATTERN_FORMS = frozenset(
    {
        "AggregateJoin",
        "Aggregate_Count",
        "Aggregate_GroupConcat",
        "Aggregate_Max",
        "Aggregate_Min",
        "Aggregate_Sample",
        "BGP",
        "Extend",
        "Filter",
        "Group",
        "GroupGraphPatternSub",
        "Join",
        "LeftJoin",
        "Project",
        "SelectQuery",
        "TriplesBlock",
        "Union",
    }
)


def fingerprint(select: str) -> str:
    """The first 12 hex digits of SHA-256 of a query's text with white space collapsed."""
    return hashlib.sha256(" ".join(select.split()).encode()).hexdigest()[:12]


def _local(node: Node) -> str:
    return re.split(r"[#/]", str(node))[-1]


# The screens.  Each returns False only when the query certainly has no solution for `this`;
# anything unusual (a blank node, a typed or tagged literal where a plain one is expected,
# text with a line break) returns True, and the query decides.

ELI = "http://data.europa.eu/eli/ontology#"
DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"
LDX = "https://w3id.org/ldexport/ontology#"
_is_realized_by = URIRef(ELI + "is_realized_by")
_identifier = URIRef("http://purl.org/dc/terms/identifier")
_passed_by = URIRef(ELI + "passed_by")
_date_document = URIRef(ELI + "date_document")
_date_publication = URIRef(ELI + "date_publication")
_created = URIRef(DL + "created_a_realization_of")
_is_member_of = URIRef(ELI + "is_member_of")
_realizes = URIRef(ELI + "realizes")
_language = URIRef(ELI + "language")
_title = URIRef(ELI + "title")
_title_derived = URIRef(LDX + "titleDerived")
_term = URIRef(DL + "parliamentary_term")
_notation = URIRef("http://www.w3.org/2004/02/skos/core#notation")
_consists_of = URIRef(DL + "consists_of")
_scheduled_in = URIRef(DL + "was_scheduled_in")
_activity_date = URIRef(DL + "activity_date")
_type_subdivision = URIRef(ELI + "type_subdivision")
_is_part_of = URIRef(ELI + "is_part_of")
_has_part = URIRef(ELI + "has_part")
_is_annex_of = URIRef(ELI + "is_annex_of")
_order = URIRef(LDX + "order")
_number = URIRef(ELI + "number")
_cites = URIRef(ELI + "cites")
_is_about = URIRef(ELI + "is_about")
_concept = URIRef(LDX + "concept")
_assigned_to = URIRef(LDX + "assignedTo")
_annex = URIRef(LDX + "Annex")
_section = URIRef(LDX + "Section")
_footnote = URIRef(LDX + "Footnote")
_legal_resource = URIRef(ELI + "LegalResource")
_TRUE = Literal("true", datatype=XSD.boolean)


def _roman(n: int) -> str:
    """A Roman numeral below 90 (the queries' tables go to L)."""
    tens = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX"][n // 10]
    return tens + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n % 10]


_ROMAN_NUMERALS = [_roman(n) for n in range(1, 51)]


def _plain(term: Node) -> str | None:
    """The text of a plain literal (no datatype, no language tag, no line break); None for
    anything else, which SPARQL's string functions may treat differently from Python."""
    if isinstance(term, Literal) and term.language is None and term.datatype is None:
        return None if "\n" in term else str(term)
    return None


_XSD_INTEGER, _XSD_DATE = XSD.integer, XSD.date
_CANONICAL_INTEGER = re.compile(r"-?[1-9][0-9]*|0")
_YYYY_MM_DD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _int(term: Node) -> int | None:
    """The value of an xsd:integer literal written in canonical form; None otherwise (and
    past the 4,300 digits Python's `int` reads)."""
    if (
        isinstance(term, Literal)
        and term.datatype == _XSD_INTEGER
        and _CANONICAL_INTEGER.fullmatch(term)
    ):
        return _python_int(term)
    return None


def _python_int(text: str) -> int | None:
    """Python's `int` of a text, as rdflib's xsd:integer cast computes it ("+7" and " 7 "
    are 7); None where that is an error (not a number, or past the 4,300 digits it reads)."""
    try:
        return int(text)
    except ValueError:
        return None


def _day(term: Node) -> date | None:
    """The value of an xsd:date literal written YYYY-MM-DD; None otherwise."""
    if isinstance(term, Literal) and term.datatype == _XSD_DATE and _YYYY_MM_DD.fullmatch(term):
        return term.value if type(term.value) is date else None
    return None


def _work_iri(idx: Index, this: Node) -> bool:
    return any(
        isinstance(v, BNode) or isinstance(i, BNode) or not str(v).endswith("/doc/" + str(i))
        for v, _, i in idx.triples_of(_identifier)
    )


def _adopted_resolution(idx: Index, this: Node) -> bool:
    if not idx.has(this, _TYPE, _legal_resource):
        return False
    dated = bool(idx.objects(this, _date_document))
    adopted = bool(idx.subjects(this, _created))
    return not idx.objects(this, _passed_by) or dated != adopted


def _lettered_member(idx: Index, this: Node) -> bool:
    for symbol in idx.objects(this, _identifier):
        text = _plain(symbol)
        if text is None:
            return True
        if re.search(r"^A/RES/.*[0-9)][A-Z]$", text):
            whole = "/doc/" + text[:-1]
            members = idx.objects(this, _is_member_of)
            if not any(not isinstance(w, BNode) and str(w).endswith(whole) for w in members):
                return True
    return False


def _expression_iri(idx: Index, this: Node) -> bool:
    for work in idx.objects(this, _realizes):
        for language in idx.objects(this, _language):
            if any(isinstance(n, BNode) for n in (this, work, language)):
                return True
            code = str(language).partition("/language/")[2]
            if str(this) != f"{work}/{code.lower()}":
                return True
    return False


def _council_title(idx: Index, this: Node) -> bool:
    for work in idx.objects(this, _realizes):
        for symbol in idx.objects(work, _identifier):
            text = _plain(symbol)
            if text is None:
                return True
            if not text.startswith("S/RES/"):
                continue
            if not idx.has(this, _title_derived, _TRUE):
                return True
            m = re.search(r"^S/RES/([0-9]+)[(]([0-9]{4})[)]$", text)
            expected = f"Resolution {m[1]} ({m[2]})" if m else ""
            titles = [str(t) for t in idx.objects(this, _title) if not isinstance(t, BNode)]
            if expected and expected not in titles:
                return True
    return False


def _adopted_before_distribution(idx: Index, this: Node) -> bool:
    for work in idx.objects(this, _realizes):
        for value in idx.objects(this, _date_publication):
            for adopted in idx.objects(work, _date_document):
                types = (getattr(value, "datatype", None), getattr(adopted, "datatype", None))
                if types != (_XSD_DATE, _XSD_DATE):
                    continue
                day, adopted_day = _day(value), _day(adopted)
                if day is None or adopted_day is None or adopted_day > day:
                    return True
    return False


_ROMAN_SESSIONS = "|" + "|".join(f"{r}={i}" for i, r in enumerate(_ROMAN_NUMERALS[:40], 1)) + "|"


def _session_from_symbol(idx: Index, this: Node) -> bool:
    for symbol in idx.objects(this, _identifier):
        text = _plain(symbol)
        if text is None:
            return True
        if re.search(r"^A/RES/(ES-[0-9]+|S-[0-9]+|[0-9]+)/[0-9]+[A-Z]?$", text):
            expected = re.sub(r"^A/RES/([^/]+)/.*$", r"\1", text)
        elif m := re.search(r"^A/RES/[0-9]+[(]([IVXLC]+)[)][A-Z]?$", text):
            expected = _ROMAN_SESSIONS.partition(f"|{m[1]}=")[2].partition("|")[0]
        else:
            continue
        terms = idx.objects(this, _term)
        if not terms:
            return True
        for term in terms:
            notations = idx.objects(term, _notation)
            if not any(not isinstance(n, BNode) and str(n) == expected for n in notations):
                return True
    return False


def _council_no_session(idx: Index, this: Node) -> bool:
    for symbol in idx.objects(this, _identifier):
        text = _plain(symbol)
        if text is None or (text.startswith("S/") and idx.objects(this, _term)):
            return True
    return False


def _same_session(idx: Index, this: Node) -> bool:
    for work in idx.objects(this, _created):
        for session in idx.objects(work, _term):
            related = [this, *idx.subjects(this, _consists_of), *idx.objects(this, _scheduled_in)]
            for value in related:
                for term in idx.objects(value, _term):
                    if (
                        not isinstance(term, URIRef)
                        or not isinstance(session, URIRef)
                        or term != session
                    ):
                        return True
    return False


def _adoption_of_work(idx: Index, this: Node) -> bool:
    for work in idx.objects(this, _created):
        if isinstance(this, BNode) or isinstance(work, BNode) or str(this) != f"{work}#adoption":
            return True
        for adopted in idx.objects(work, _date_document):
            if _day(adopted) is None or adopted not in idx.objects(this, _activity_date):
                return True
    return False


def _annex_of(idx: Index, this: Node) -> bool:
    for value, _, typ in idx.triples_of(_type_subdivision):
        if typ == _annex:
            for parent in idx.objects(value, _is_part_of):
                if not idx.has(value, _is_annex_of, parent):
                    return True
    for value, _, of in idx.triples_of(_is_annex_of):
        if not (idx.has(value, _type_subdivision, _annex) and idx.has(value, _is_part_of, of)):
            return True
    return False


def _part_iri(idx: Index, this: Node) -> bool:
    parents = [(this, "#"), *((p, "__") for p in idx.closure(this, _has_part))]
    for parent, separator in parents:
        for value in idx.objects(parent, _has_part):
            if isinstance(value, BNode) or isinstance(parent, BNode):
                return True
            if not str(value).startswith(f"{parent}{separator}"):
                return True
    return False


def _order_sequence(idx: Index, this: Node) -> bool:
    wholes = len(idx.objects(this, _is_member_of))
    groups: dict[tuple[Node, Node], list[int]] = {}
    for value, _, part in idx.triples_of(_has_part):
        for typ in idx.objects(part, _type_subdivision):
            for order in idx.objects(part, _order):
                number = _int(order)
                if number is None or not isinstance(typ, URIRef):
                    return True
                groups.setdefault((value, typ), []).append(number)
    for (_value, typ), orders in groups.items():
        rows = len(orders) * max(wholes, 1)
        low, high = min(orders), max(orders)
        if rows != len(set(orders)) or high - low + 1 != rows:
            return True
        if low != 1 and (typ != _footnote or wholes == 0):
            return True
    return False


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ROMANS = "|" + "|".join(f"{i}={r}" for i, r in enumerate(_ROMAN_NUMERALS, 1)) + "|"


def _number_value_matches(upper: str, order: int) -> bool:
    """The query's test that a number has the value of its order (letter, Roman, doubled)."""
    letter = _LETTERS[order - 1 : order]
    roman = _ROMANS.partition(f"|{order}=")[2].partition("|")[0]
    doubled = 2 * _LETTERS[order - 27 : order - 26] if order > 26 else ""
    return upper in (letter, roman, doubled)


def _number_matches_order(idx: Index, this: Node) -> bool:
    return _number_order_solutions(idx, this) != []


def _number_order_solutions(idx: Index, this: Node) -> list[Bound] | None:
    """The solutions of ldxsh:NumberMatchesOrder's query, found in Python where every part
    with a number and an order is an IRI whose number is a plain literal and whose order a
    canonical xsd:integer of 1 or more: the query's tests on such data, done as rdflib does
    them (its xsd:integer cast is Python's `int`).  None for any other data: the query itself
    decides.  A document whose numbering does not match (4% of the benchmark corpus) took
    46 ms in rdflib's engine for 31 rows."""
    rows: list[tuple[Node, Node, Node, int]] = []  # every part, before any solution
    for value, _, number in idx.triples_of(_number):
        for order_term in idx.objects(value, _order):
            order = _int(order_term)
            if order is None or order < 1 or _plain(number) is None or isinstance(value, BNode):
                return None
            rows.append((value, number, order_term, order))
    solutions: list[Bound] = []
    for value, number, order_term, order in rows:
        text = str(number)
        if text == str(order_term):
            continue
        upper = text.upper()
        if _number_value_matches(upper, order):
            continue
        if not _continues_section_numbering(idx, value, upper, order):
            solutions.append((this, None, value, {"number": number, "order": order_term}))
    return solutions


def _continues_section_numbering(idx: Index, value: Node, upper: str, order: int) -> bool:
    """The query's exception: an arabic number inside a section that goes up by one from the
    part of the same type ordered before it (or any number on the first).  A part that has a
    number has a canonical order here (`_number_order_solutions` checks), so comparing the
    orders as integers is the query's numeric comparison."""
    if not re.fullmatch(r"[0-9]+", upper):
        return False
    number = _python_int(upper)  # None past the 4,300 digits: rdflib's cast fails too
    wanted = None if number is None else number - 1  # the number of the part before
    for section in idx.objects(value, _is_part_of):
        if not idx.has(section, _type_subdivision, _section):
            continue
        for typ in idx.objects(value, _type_subdivision):
            if order == 1:
                return True
            if wanted is None:
                continue
            for before in idx.subjects(section, _is_part_of):
                if not idx.has(before, _type_subdivision, typ):
                    continue
                if not any(_int(o) == order - 1 for o in idx.objects(before, _order)):
                    continue
                if any(_cast_integer(n) == wanted for n in idx.objects(before, _number)):
                    return True
    return False


def _cast_integer(term: Node) -> int | None:
    """xsd:integer(STR(term)) as rdflib computes it (Python's `int` of the text: "+7" and
    " 7 " are 7); None where that is an error."""
    return None if isinstance(term, BNode) else _python_int(str(term))


def _citation_on_work(idx: Index, this: Node) -> bool:
    cited = set(idx.objects(this, _cites))
    for part in idx.closure(this, _is_part_of, inverse=True):
        for value in idx.objects(part, _cites):
            if value not in cited:
                return True
    return False


def _subject_assigned(idx: Index, this: Node) -> bool:
    nodes = idx.subjects(this, _assigned_to)
    for value in idx.objects(this, _is_about):
        if not any(idx.has(node, _concept, value) for node in nodes):
            return True
    return any(
        not idx.has(this, _is_about, value)
        for node in nodes
        for value in idx.objects(node, _concept)
    )


def _assignment_iri(idx: Index, this: Node) -> bool:
    for node in idx.subjects(this, _assigned_to):
        for concept in idx.objects(node, _concept):
            if any(isinstance(n, BNode) for n in (this, node, concept)):
                return True
            expected = f"{this}#subject_{str(concept).partition('/thesaurus/')[2]}"
            if str(node) != expected:
                return True
    return False


#: "<shape>:<fingerprint of its query>" -> screen.  A changed query has another fingerprint
#: and is refused until its screen is checked again (tests/test_fast_validate.py).
SCREENS: dict[str, Screen] = {
    "WorkIri:60d24ffbcf62": _work_iri,
    "AdoptedResolution:f17c0ace06c1": _adopted_resolution,
    "LetteredMember:7f17b0308c0e": _lettered_member,
    "ExpressionIri:cbac85cfb220": _expression_iri,
    "CouncilTitle:b0e29dfa5b25": _council_title,
    "AdoptedBeforeDistribution:960de3c15064": _adopted_before_distribution,
    "SessionFromSymbol:3dc6c0b2f722": _session_from_symbol,
    "CouncilNoSession:3bc3d29b7c10": _council_no_session,
    "SameSession:b86d8ab02b96": _same_session,
    "AdoptionOfWork:6ba9a5863a09": _adoption_of_work,
    "AnnexOf:33c1ea80bbf6": _annex_of,
    "PartIri:ff07b9600001": _part_iri,
    "OrderSequence:895972ce36ed": _order_sequence,
    "NumberMatchesOrder:250da467ba2d": _number_matches_order,
    "CitationOnWork:f120076d2bf4": _citation_on_work,
    "SubjectAssigned:2b487ca1608d": _subject_assigned,
    "AssignmentIri:b96aa5ebd220": _assignment_iri,
}

#: Solvers, under the keys of `SCREENS`: where the queries would take longest on a document
#: that does not conform.
SOLVERS: dict[str, Solver] = {
    "NumberMatchesOrder:250da467ba2d": _number_order_solutions,
}
