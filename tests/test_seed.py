"""The seed document, A/RES/58/136 (ODS text export), checked field by field.

Every expectation below was written by reading tests/data/corpus/A_RES_58_136.txt.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from ldexport.convert import convert_file, parse_file
from ldexport.iris import Iris
from ldexport.model import Kind, Resolution, resolution_from_dict, to_dict
from ldexport.publish import model_json, to_jsonld, to_turtle

from conftest import GOLDEN, SEED, assert_isomorphic


@pytest.fixture(scope="module")
def res() -> Resolution:
    [only] = parse_file(SEED)
    return only


def test_masthead_and_adoption(res: Resolution) -> None:
    assert res.symbol == "A/RES/58/136"
    assert res.body == "un-ga"
    assert res.doc_type == "resolution"
    assert res.number == "58/136"
    assert res.title == (
        "Strengthening international cooperation and technical assistance in promoting the "
        "implementation of the universal conventions and protocols related to terrorism within "
        "the framework of the activities of the Centre for International Crime Prevention"
    )
    assert res.adoption_date == "2003-12-22"
    assert res.distribution_date == "2004-01-26"
    assert res.session is not None
    assert (res.session.number, res.session.label) == ("58", "Fifty-eighth session")
    assert [a.number for a in res.agenda_items] == ["108"]
    assert res.committee == "un-ga-c3"
    assert res.committee_name == "Third Committee"
    assert res.report_symbols == ("A/58/499",)
    assert res.draft_symbols == ()
    assert res.meeting == "77"
    assert res.enacting_formula == "The General Assembly,"
    assert res.source is not None and res.source.job_number == "N0350274"
    assert res.warnings == ()


def test_paragraphs(res: Resolution) -> None:
    preamble = [p for p in res.parts if p.kind is Kind.PREAMBULAR]
    operative = [p for p in res.parts if p.kind is Kind.OPERATIVE]
    assert len(preamble) == 11
    assert len(operative) == 12
    assert [p.order for p in preamble] == list(range(1, 12))
    assert [p.number for p in operative] == [str(n) for n in range(1, 13)]
    assert [p.leading_phrase for p in preamble] == [
        "Recalling",
        "Recalling also",
        "Recalling further",
        "Recalling",
        "Mindful",
        "Supporting",
        "Stressing",
        "Convinced",
        "Expressing",
        "Recalling",
        "Noting with appreciation",
    ]
    assert [p.leading_phrase for p in operative] == [
        "Encourages",
        "Welcomes",
        "Calls upon",
        "Notes",
        "Urges",
        "Requests",
        "Also requests",
        "Expresses",
        "Recommends",
        "Requests",
        "Invites",
        "Requests",
    ]
    assert preamble[2].eid == "preamble__container_3"
    assert operative[4].eid == "para_5"
    assert operative[11].text == (
        "Requests the Secretary-General to report to the General Assembly at its fifty-ninth "
        "session on the implementation of the present resolution."
    )
    assert all(not p.children for p in res.parts)


def test_footnotes_hang_on_their_markers(res: Resolution) -> None:
    assert [(f.number, f.eid, f.anchor_eid) for f in res.footnotes] == [
        ("1", "authorialNote_1", "preamble__container_9"),
        ("2", "authorialNote_2", "preamble__container_11"),
        ("3", "authorialNote_3", "preamble__container_11"),
    ]
    assert res.footnotes[2].text == "Ibid., annex II.B."
    ninth = res.parts[8]
    # "... taking note of the report of the Executive Director,1": the marker is not text.
    assert ninth.text.endswith("taking note of the report of the Executive Director,")
    assert ninth.note_refs == ("1",)
    eleventh = res.parts[10]
    assert "international terrorism and of a draft" in eleventh.text
    assert eleventh.text.endswith("suppression of acts of nuclear terrorism,")
    assert eleventh.note_refs == ("2", "3")


def test_citations_tied_to_paragraphs(res: Resolution) -> None:
    by_eid = {p.eid: [c.symbol for c in p.citations] for p in res.walk()}
    assert by_eid["preamble__container_1"] == [
        "S/RES/1373(2001)",
        "S/RES/1377(2001)",
        "S/RES/1456(2003)",
    ]
    assert by_eid["preamble__container_2"] == ["A/RES/56/1", "A/RES/57/27", "S/RES/1465(2003)"]
    assert by_eid["preamble__container_3"] == ["A/RES/57/173", "S/RES/1373(2001)"]
    assert by_eid["preamble__container_4"] == ["A/RES/57/292"]
    assert by_eid["preamble__container_5"] == ["A/RES/56/261"]
    assert by_eid["preamble__container_8"] == ["S/RES/1373(2001)"]
    assert by_eid["preamble__container_11"] == ["A/RES/51/210"]
    assert by_eid["para_1"] == ["S/RES/1373(2001)"]
    assert by_eid["para_5"] == ["S/RES/1373(2001)", "S/RES/1377(2001)", "S/RES/1456(2003)"]
    for eid in ("preamble__container_6", "preamble__container_7", "para_2", "para_12"):
        assert by_eid[eid] == []
    notes = {f.number: [(c.symbol, c.pin) for c in f.citations] for f in res.footnotes}
    assert [s for s, _ in notes["1"]] == [
        "A/57/152",
        "A/57/152/Corr.1",
        "A/57/152/Add.1",
        "A/57/152/Add.1/Corr.1",
        "A/57/152/Add.1/Corr.2",
        "A/57/152/Add.2",
    ]
    assert notes["2"] == [("A/58/37", "annex II.A")]
    assert notes["3"] == [("A/58/37", "annex II.B")]


def test_citation_spans_point_into_the_source(res: Resolution) -> None:
    source = SEED.read_text(encoding="utf-8")
    for citation in res.all_citations():
        assert source[citation.span.start : citation.span.end] == citation.text


def test_model_json_round_trip(res: Resolution) -> None:
    data = json.loads(model_json(res))
    again = resolution_from_dict(data)
    assert to_dict(again) == data


def test_graph_matches_reviewed_golden_turtle() -> None:
    [item] = convert_file(SEED, Iris())
    assert item.report.conforms, item.report.lines()
    expected = Graph().parse(GOLDEN / "A_RES_58_136.ttl")
    assert_isomorphic(expected, item.graph)


def test_turtle_and_jsonld_are_the_same_graph() -> None:
    [item] = convert_file(SEED, Iris())
    from_turtle = Graph().parse(data=to_turtle(item.graph), format="turtle")
    from_jsonld = Graph().parse(data=to_jsonld(item.graph), format="json-ld")
    assert_isomorphic(item.graph, from_turtle)
    assert_isomorphic(from_turtle, from_jsonld)


def test_base_iri_is_a_setting() -> None:
    [item] = convert_file(SEED, Iris("https://data.example.org/un/"))
    subjects = {str(s) for s in item.graph.subjects()}
    assert "https://data.example.org/un/doc/A/RES/58/136" in subjects
    assert not any(s.startswith("http://localhost:8000/") for s in subjects)
