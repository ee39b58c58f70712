"""The SHACL shapes fire on what they forbid and stay silent on real documents.

Every file in cases/ carries its own expectation (cases/README.md); one parametrised test runs
them all through `ldexport.validate.validate`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH, SKOS

from ldexport.problems import ValidationReport
from ldexport.resources import data_dir
from ldexport.symbols import SYMBOL_FORM
from ldexport.validate import DOCUMENT_SHAPES, validate

CASES = Path(__file__).parent / "cases"
SHAPES_NS = "https://w3id.org/ldexport/shapes#"
DELETE = URIRef("urn:ldexport:test:delete")


def case_files() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.suffix in {".ttl", ".trig"})


def directives(path: Path) -> dict[str, str]:
    """The `# key: value` comment lines at the top of a case file."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        if m := re.match(r"#\s*(base|also|message):\s*(.+)$", line):
            found[m[1]] = m[2].strip()
    return found


def load_case(path: Path) -> Graph:
    """The data graph of a case; a .trig case is its `# base:` file with the changes applied."""
    if path.suffix == ".ttl":
        return Graph().parse(path, format="turtle")
    base = directives(path).get("base")
    assert base, f"{path.name}: a .trig case names its base file"
    graph = load_case(CASES / base)
    changes = Dataset()
    changes.parse(path, format="trig")
    for triple in changes.graph(DELETE):
        assert triple in graph, f"{path.name}: removes a triple its base does not have: {triple}"
        graph.remove(triple)
    for triple in changes.default_graph:
        graph.add(triple)
    return graph


def shape_name(node: object) -> str:
    text = str(node)
    return text[len(SHAPES_NS) :] if text.startswith(SHAPES_NS) else text


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.name)
def test_case(path: Path) -> None:
    report = validate(load_case(path), path.name)
    if path.name.startswith("ok_"):
        assert report.conforms, "\n".join(report.lines())
        assert report.problems == ()
        return
    m = re.match(r"bad_([A-Za-z]+)(_|\.)", path.name)
    assert m, f"{path.name}: a case is ok_* or bad_<Shape>_*"
    expected = m[1]
    fired = {shape_name(p.shape) for p in report.problems}
    assert not report.conforms
    assert expected in fired, f"{expected} did not fire:\n" + "\n".join(report.lines())
    allowed = {expected, *directives(path).get("also", "").split()}
    assert fired <= allowed, "unexpected shapes fired:\n" + "\n".join(report.lines())
    if fragment := directives(path).get("message"):
        lines = [p.line(path.name) for p in report.problems if shape_name(p.shape) == expected]
        assert any(fragment in line for line in lines), lines


# --- The shapes file itself ------------------------------------------------------------------


def shapes_graph() -> Graph:
    graph = Graph()
    for name in DOCUMENT_SHAPES:
        graph.parse(data_dir("shapes") / name)
    return graph


def named_shapes(graph: Graph) -> set[URIRef]:
    kinds = (SH.NodeShape, SH.PropertyShape)
    return {
        s
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)
    }


def test_every_shape_is_named_explained_and_a_violation() -> None:
    graph = shapes_graph()
    shapes = named_shapes(graph)
    assert len(shapes) > 40
    for shape in shapes:
        assert graph.value(shape, SH.name), f"{shape} has no sh:name"
        assert graph.value(shape, SH.severity) == SH.Violation, f"{shape} is not a violation"
        messages = [graph.value(shape, SH.message)] + [
            graph.value(constraint, SH.message) for constraint in graph.objects(shape, SH.sparql)
        ]
        assert any(m is not None and len(str(m)) > 20 for m in messages), f"{shape}: no message"


# What a shape may say besides its constraints: a shape with nothing else only groups
# property shapes (each of which has its own cases).
NOT_CONSTRAINTS = {
    SH.name, SH.message, SH.severity, SH.description, SH.order, SH.group, SH.deactivated,
    SH.prefixes, SH.declare, SH.path, SH.property, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
}  # fmt: skip


def checks_something(graph: Graph, shape: URIRef) -> bool:
    return any(
        str(p).startswith(str(SH)) and p not in NOT_CONSTRAINTS for p in graph.predicates(shape)
    )


def test_every_shape_has_a_violating_case() -> None:
    covered = {m[1] for p in case_files() if (m := re.match(r"bad_([A-Za-z]+)(_|\.)", p.name))}
    graph = shapes_graph()
    checking = {shape_name(s) for s in named_shapes(graph) if checks_something(graph, s)}
    assert len(checking) > 60
    missing = checking - covered
    assert not missing, f"shapes without a bad_ case: {sorted(missing)}"


# Symbols as the canonicaliser writes them, including the series and forms real resolutions
# cite (A/RES/80/10, A/RES/80/24, A/RES/73/6, A/RES/61/295 of the dev corpus).
CANONICAL = [
    "A/RES/58/136", "A/RES/36/120E", "A/RES/181(II)", "A/RES/ES-10/19", "A/RES/S-26/2",
    "S/RES/1373(2001)", "S/RES/82", "A/57/152/Add.1/Corr.1", "A/C.3/58/L.19", "A/58/PV.77",
    "S/PRST/2006/5", "S/2016/1100", "E/CN.4/2005/L.10", "ST/SGB/2003/13", "UNEP/GC.22/2",
    "A/RES/217(III)A", "A/RES/2200(XXI)A", "CEDAW/C/GC/39", "CD/1299", "CD/8/Rev.9",
    "FCCC/CP/2015/10/Add.1", "NPT/CONF.1995/32(PartI)",
]  # fmt: skip
NOT_CANONICAL = [
    "A/RES/58/ 136", "A/RES/36/120 E", "S/RES/1373 (2001)", "a/res/58/136", "A/RES/58/136/",
    "A//58", "A/RES/58/136\u00a0", "A/RES/181(II", "RES 58/136", "",
]  # fmt: skip


def symbol_pattern() -> re.Pattern[str]:
    return re.compile(str(shapes_graph().value(URIRef(SHAPES_NS + "IdentifierForm"), SH.pattern)))


@pytest.mark.parametrize("symbol", CANONICAL)
def test_symbol_pattern_accepts_canonical_symbols(symbol: str) -> None:
    assert symbol_pattern().match(symbol)
    assert SYMBOL_FORM.match(symbol)


@pytest.mark.parametrize("symbol", NOT_CANONICAL)
def test_symbol_pattern_rejects_what_is_not_canonical(symbol: str) -> None:
    assert not symbol_pattern().match(symbol)


def in_list(graph: Graph, shape: str) -> set[URIRef]:
    from rdflib.collection import Collection

    head = graph.value(URIRef(SHAPES_NS + shape), SH["in"])
    return {URIRef(str(v)) for v in Collection(graph, head)}


@pytest.mark.parametrize(
    ("shape", "scheme"),
    [
        ("SubdivisionType", "SubdivisionTypes"),
        ("WorkType", "DocumentTypes"),
        ("MeetingType", None),
        ("AdoptionOutcome", "DecisionOutcomes"),
        ("AdoptionMethod", "DecisionMethods"),
    ],
)
def test_allowed_values_are_the_ontology_concepts(shape: str, scheme: str | None) -> None:
    """sh:in lists hold concepts of the project ontology (the whole scheme where named)."""
    ontology = Graph().parse(data_dir("ontology") / "ldexport.ttl")
    ldx = "https://w3id.org/ldexport/ontology#"
    allowed = in_list(shapes_graph(), shape)
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert allowed <= concepts
    if scheme:
        assert allowed == set(ontology.subjects(SKOS.inScheme, URIRef(ldx + scheme)))


def test_lines_name_document_part_property_and_reason() -> None:
    report = validate(load_case(CASES / "bad_NumberMatchesOrder_letter.trig"), "A/RES/58/136")
    assert isinstance(report, ValidationReport)
    assert len(report.lines()) == 1
    line = report.lines()[0]
    assert line.startswith("A/RES/58/136: /doc/A/RES/58/136: #para_2__list_1__point_b ")
    assert 'numbered "c"' in line
    assert "http" not in line


# --- Numbering: the value of a printed number ------------------------------------------------


@pytest.mark.parametrize(
    ("number", "order", "matches"),
    [
        ("5", 5, True),
        ("12", 12, True),
        ("5", 4, False),
        ("e", 5, True),
        ("E", 5, True),
        ("f", 5, False),
        ("z", 26, True),
        ("aa", 27, True),
        ("bb", 28, True),
        ("zz", 52, True),
        ("ab", 27, False),
        ("iv", 4, True),
        ("IV", 4, True),
        ("II", 2, True),
        ("xlix", 49, True),
        ("L", 50, True),
        ("iiii", 4, False),
        ("vi", 4, False),
        ("i", 1, True),  # Roman one
        ("i", 9, True),  # the ninth letter
        ("v", 22, True),
        ("x", 10, True),
        ("c", 3, True),
        ("c", 100, False),  # Roman numerals are read up to L
    ],
)
def test_number_value(number: str, order: int, matches: bool) -> None:
    """NumberMatchesOrder reads arabic, letters, doubled letters and Roman numerals."""
    data = Graph().parse(
        format="turtle",
        data=f"""
        @prefix eli: <http://data.europa.eu/eli/ontology#> .
        @prefix ldx: <https://w3id.org/ldexport/ontology#> .
        @prefix doc: <http://localhost:8000/doc/A/RES/1/> .
        doc:1 eli:is_realized_by doc:eng .
        <http://localhost:8000/doc/A/RES/1/1#para_1> eli:number "{number}" ; ldx:order {order} .
        """,
    )
    fired = [p for p in validate(data, "t").problems if shape_name(p.shape) == "NumberMatchesOrder"]
    assert (not fired) == matches, [p.message for p in fired]
