"""ldexport.validate: the fast path gives pySHACL's results, files are read by extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from ldexport import validate as validation
from ldexport.errors import SourceError
from ldexport.problems import Problem, ValidationReport
from ldexport.validate import NO_BLANK_NODES, validate, validate_file

from .test_shapes import CASES, load_case

SHAPES_NS = "https://w3id.org/ldexport/shapes#"


def pyshacl_results(data: Graph, only: URIRef | None = None) -> set[tuple[str, str, str]]:
    """(focus, source shape, message) of plain `pyshacl.validate` with the shapes files."""
    _conforms, report, _text = pyshacl_validate(
        data,
        shacl_graph=validation._shapes_rdf(),
        inference="none",
        use_shapes=[str(only)] if only else None,
    )
    return {
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.sourceShape)),
            " ".join(sorted(str(m) for m in report.objects(r, SH.resultMessage))),
        )
        for r in report.objects(None, SH.result)
    }


def fast_results(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(str(p.focus), str(p.shape), p.message) for p in report.problems}


@pytest.mark.parametrize(
    "name",
    [
        "ok_sections_annex.ttl",
        "bad_NumberMatchesOrder_section.trig",
        "bad_WorkSession_two.trig",
        "bad_SubdivisionListedByParent_missing.trig",
    ],
)
def test_fast_path_gives_pyshacls_results(name: str) -> None:
    """Cached shapes, prepared queries and in-place validation change nothing in the results."""
    data = load_case(CASES / name)
    assert fast_results(validate(data, name)) == pyshacl_results(data)


@pytest.mark.parametrize(
    "name",
    ["bad_NoBlankNodes_object.trig", "bad_NoBlankNodes_subject.trig", "bad_FormatShape_blank.trig"],
)
def test_blank_nodes_in_python_as_in_sparql(name: str) -> None:
    """`blank_node_problems` reports what the ldxsh:NoBlankNodes SPARQL constraint reports."""
    data = load_case(CASES / name)
    native = {(str(p.focus), str(p.shape), p.message) for p in validation.blank_node_problems(data)}
    assert native
    assert native == pyshacl_results(data, only=NO_BLANK_NODES)


def test_shapes_are_read_once() -> None:
    data = load_case(CASES / "ok_sc_resolution.ttl")
    validate(data, "first")
    before = validation._shapes_rdf.cache_info()
    for _ in range(3):
        validate(data, "again")
    after = validation._shapes_rdf.cache_info()
    assert after.misses == before.misses == 1
    assert validation._shapes.cache_info().misses == 1


def test_report_is_frozen_and_lines_follow_the_format() -> None:
    problem = Problem(
        focus=URIRef("http://localhost:8000/doc/A/RES/58/136#para_5"),
        path="eli:number",
        message="<http://localhost:8000/doc/A/RES/58/136#para_5> is numbered wrongly.",
        shape=URIRef(SHAPES_NS + "NumberMatchesOrder"),
        value=Literal("6"),
    )
    report = ValidationReport("A/RES/58/136", False, (problem,))
    assert report.lines() == (
        'A/RES/58/136: #para_5 eli:number: <#para_5> is numbered wrongly. (value: "6")',
    )
    with pytest.raises(AttributeError):
        report.conforms = True  # type: ignore[misc]


def test_short_names() -> None:
    base = "http://localhost:8000/"
    assert validation.short(URIRef("http://data.europa.eu/eli/ontology#title")) == "eli:title"
    session = URIRef("http://localhost:8000/org/un-ga/session/58")
    assert validation.short(session, base) == "/org/un-ga/session/58"
    assert validation.short(URIRef(base + "doc/A/1#annex_1"), base) == "#annex_1"
    language = "http://publications.europa.eu/resource/authority/language/ENG"
    assert validation.short(URIRef(language), base) == language
    assert validation.short(BNode("b0")) == "_:b0"
    assert validation.short(Literal("(a)")) == '"(a)"'


@pytest.mark.parametrize("fmt, suffix", [("turtle", ".ttl"), ("json-ld", ".jsonld"), ("nt", ".nt")])
def test_validate_file_reads_each_format(tmp_path: Path, fmt: str, suffix: str) -> None:
    data = load_case(CASES / "bad_OrderSequence_gap.trig")
    path = tmp_path / f"A_RES_58_136{suffix}"
    data.serialize(path, format=fmt)
    report = validate_file(path)
    assert report.label == str(path)
    assert not report.conforms
    assert [p.shape for p in report.problems] == [URIRef(SHAPES_NS + "OrderSequence")]


def test_validate_file_conforming(tmp_path: Path) -> None:
    path = tmp_path / "S_RES_1663_2006.ttl"
    load_case(CASES / "ok_sc_resolution.ttl").serialize(path, format="turtle")
    assert validate_file(path).conforms


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("doc.xml", "<rdf/>", "not an RDF file"),
        ("doc.ttl", "<a> <b> .", "not valid turtle"),
        ("doc.jsonld", "{ not json", "not valid json-ld"),
    ],
)
def test_validate_file_refuses_what_it_cannot_read(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(SourceError) as error:
        validate_file(path)
    assert str(error.value).startswith(f"{path}: {reason}")


def test_validate_file_missing(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        validate_file(tmp_path / "absent.ttl")


GOLDEN = sorted((Path(__file__).parent.parent / "golden").glob("*.ttl"))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_graphs_conform(path: Path) -> None:
    """The mapping's golden outputs (tests/golden) satisfy the shapes: the two sides of
    docs/rdf-model.md agree."""
    report = validate_file(path)
    assert report.conforms, "\n".join(report.lines())
