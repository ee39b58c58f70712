"""Scoring arithmetic of ldexport.evaluate, on models built by hand."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from ldexport.evaluate import (
    evaluate,
    evaluate_folder,
    load_facts,
    model_counts,
    predicted_citations,
    score,
    split_joint,
)
from ldexport.model import (
    AgendaItem,
    Citation,
    CitationKind,
    Footnote,
    Kind,
    Resolution,
    Session,
    Span,
    Subdivision,
)


def cite(symbol: str, kind: CitationKind = CitationKind.RESOLUTION) -> Citation:
    return Citation(symbol=symbol, kind=kind, text=symbol, span=Span(0, 1))


def para(
    kind: Kind,
    order: int,
    *,
    number: str | None = None,
    cites: Sequence[str] = (),
    children: Sequence[Subdivision] = (),
) -> Subdivision:
    return Subdivision(
        kind=kind,
        eid=f"{kind.value}_{order}",
        order=order,
        text="text",
        number=number,
        citations=tuple(cite(c) for c in cites),
        children=tuple(children),
    )


def resolution(**changes: Any) -> Resolution:
    """A small GA resolution: 2 preambular, 2 operative (one with 2 sub-paragraphs), 1 note."""
    base: dict[str, Any] = dict(
        symbol="A/RES/58/136",
        body="un-ga",
        doc_type="resolution",
        number="58/136",
        title="Strengthening “international” cooperation – a test",
        adoption_date="2003-12-22",
        distribution_date="2004-01-26",
        session=Session("58", "Fifty-eighth session"),
        agenda_items=(AgendaItem("108", "Crime prevention"),),
        committee="un-ga-c3",
        report_symbols=("A/58/499",),
        meeting="77",
        parts=(
            para(Kind.PREAMBULAR, 1, cites=["S/RES/1373(2001)"]),
            para(Kind.PREAMBULAR, 2, cites=["A/RES/56/1"]),
            para(Kind.OPERATIVE, 3, number="1"),
            para(
                Kind.OPERATIVE,
                4,
                number="2",
                children=[
                    para(Kind.SUBPARAGRAPH, 1, number="a"),
                    para(Kind.SUBPARAGRAPH, 2, number="b"),
                ],
            ),
        ),
        footnotes=(
            Footnote("1", "authorialNote_1", "See A/57/152.", "para_1", (cite("A/57/152"),)),
        ),
        citations=(cite("A/58/499", CitationKind.REPORT),),
    )
    base.update(changes)
    return Resolution(**base)


def facts(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "symbol": "A/RES/58/136",
        "body": "un-ga",
        "doc_type": "resolution",
        "title": 'Strengthening "international" cooperation - a test',
        "adoption_date": "2003-12-22",
        "distribution_date": "2004-01-26",
        "session": {"number": "58", "label": "Fifty-eighth session"},
        "agenda_items": [{"number": "108", "label": "Crime prevention"}],
        "committee": "un-ga-c3",
        "report_symbols": ["A/58/499"],
        "draft_symbols": [],
        "meeting": "77",
        "counts": {
            "preambular": 2,
            "operative": 2,
            "subparagraphs": 2,
            "sections": 0,
            "footnotes": 1,
            "annexes": 0,
        },
        "citations": ["A/57/152", "A/RES/56/1", "S/RES/1373(2001)"],
    }
    base.update(changes)
    return base


def test_perfect_document() -> None:
    doc = score([resolution()], [facts()])
    assert doc.wrong() == []
    assert doc.all_right
    report = evaluate([([resolution()], [facts()])])
    assert (report.precision, report.recall) == (1.0, 1.0)
    assert report.field_totals()["adoption_date"] == (1, 1)


def test_a_missing_citation_lowers_recall_only() -> None:
    res = resolution(footnotes=())  # A/57/152 no longer found
    report = evaluate([([res], [facts()])])
    assert report.true_positives == 2 and report.false_negatives == 1
    assert report.recall == pytest.approx(2 / 3)
    assert report.precision == 1.0
    assert not report.documents[0].all_right


def test_an_extra_citation_lowers_precision_only() -> None:
    parts = (*resolution().parts, para(Kind.OPERATIVE, 5, number="3", cites=["A/RES/1/1"]))
    report = evaluate([([resolution(parts=parts)], [facts()])])
    assert report.false_positives == 1
    assert report.precision == pytest.approx(3 / 4)
    assert report.recall == 1.0


def test_citations_are_micro_averaged_over_documents() -> None:
    one = ([resolution(footnotes=())], [facts()])  # tp 2, fn 1
    two = ([resolution()], [facts()])  # tp 3
    report = evaluate([one, two])
    assert report.recall == pytest.approx(5 / 6)


def test_a_wrong_date_counts_as_wrong() -> None:
    doc = score([resolution(adoption_date="2003-12-23")], [facts()])
    assert doc.fields()["adoption_date"] is False
    assert doc.fields()["distribution_date"] is True
    assert [r.field for r in doc.wrong()] == ["adoption_date"]
    report = evaluate([([resolution(adoption_date="2003-12-23")], [facts()])])
    assert report.field_totals()["adoption_date"] == (0, 1)


def test_fields_absent_from_the_facts_are_not_scored() -> None:
    f = facts()
    del f["title"], f["meeting"]
    doc = score([resolution(title="Something else", meeting="99")], [f])
    assert "title" not in doc.fields() and "meeting" not in doc.fields()
    assert doc.all_right


def test_null_in_the_facts_is_scored() -> None:
    f = facts(committee=None, report_symbols=[], draft_symbols=["A/80/L.4"])
    doc = score([resolution(draft_symbols=("A/80/L.4",))], [f])
    assert doc.fields()["committee"] is False  # the model says un-ga-c3
    assert doc.fields()["report_symbols"] is False
    assert doc.fields()["draft_symbols"] is True


def test_titles_compare_after_folding_quotes_dashes_and_spaces() -> None:
    doc = score(
        [resolution(title='Strengthening  "international"\ncooperation – a test')], [facts()]
    )
    assert doc.fields()["title"] is True


def test_agenda_item_numbers_and_labels_are_scored_apart() -> None:
    res = resolution(agenda_items=(AgendaItem("108", "Something else"),))
    fields = score([res], [facts()]).fields()
    assert fields["agenda_items"] is True
    assert fields["agenda_item_labels"] is False
    no_label = facts(agenda_items=[{"number": "108"}])
    assert "agenda_item_labels" not in score([res], [no_label]).fields()


def test_a_wrong_count_is_wrong() -> None:
    parts = resolution().parts[1:]  # one preambular paragraph lost
    fields = score([resolution(parts=parts)], [facts()]).fields()
    assert fields["counts.preambular"] is False
    assert fields["counts.operative"] is True


def test_counts_by_kind_inside_sections_and_apart_from_annexes() -> None:
    section = para(
        Kind.SECTION,
        1,
        number="I",
        children=[para(Kind.PREAMBULAR, 1), para(Kind.OPERATIVE, 2, number="1")],
    )
    heading = para(Kind.SECTION, 2, children=[para(Kind.OPERATIVE, 1, number="2")])
    annex = para(
        Kind.ANNEX,
        3,
        number="1",
        children=[
            para(Kind.PREAMBULAR, 1),
            para(Kind.OPERATIVE, 2, number="1", children=[para(Kind.SUBPARAGRAPH, 1)]),
        ],
    )
    counts = model_counts(resolution(parts=(section, heading, annex), footnotes=()))
    assert counts == {
        "preambular": 1,
        "operative": 2,
        "subparagraphs": 0,
        "sections": 1,  # the unnumbered heading is not a section
        "footnotes": 0,
        "annexes": 1,
        "annex_paragraphs": 2,
        "annex_subparagraphs": 1,
    }


def test_heading_report_is_not_a_citation_unless_the_text_cites_it() -> None:
    assert "A/58/499" not in predicted_citations(resolution())
    cited = resolution(
        footnotes=(Footnote("1", "authorialNote_1", "A/58/499", None, (cite("A/58/499"),)),)
    )
    assert "A/58/499" in predicted_citations(cited)


def test_own_symbol_is_not_a_citation() -> None:
    res = resolution(citations=(cite("A/RES/58/136"),))
    assert "A/RES/58/136" not in predicted_citations(res)


def test_joint_symbols_are_split() -> None:
    assert split_joint("A/67/828-S/2013/210") == ["A/67/828", "S/2013/210"]
    assert split_joint("A/AC.292/2025/INF/5/Rev.1") == ["A/AC.292/2025/INF/5/Rev.1"]
    assert split_joint("A/RES/ES-10/19") == ["A/RES/ES-10/19"]
    res = resolution(footnotes=(Footnote("1", "n1", "", None, (cite("A/67/828-S/2013/210"),)),))
    f = facts(citations=["A/67/828", "A/RES/56/1", "S/2013/210", "S/RES/1373(2001)"])
    assert score([res], [f]).citations_right


def test_other_citations_are_neither_rewarded_nor_penalised() -> None:
    parts = (*resolution().parts, para(Kind.OPERATIVE, 5, number="3", cites=["CD/1999"]))
    f = facts(other_citations=["CD/1999", "CD/2067"])
    report = evaluate([([resolution(parts=parts)], [f])])
    assert (report.false_positives, report.false_negatives) == (0, 0)


def test_a_resolution_not_returned_is_wrong_everywhere() -> None:
    doc = score([], [facts()])
    fields = doc.fields()
    assert fields["resolutions"] is False
    assert not any(fields.values())
    assert len(doc.false_negatives) == 3


def test_lettered_resolutions_pair_by_symbol() -> None:
    a, b = resolution(symbol="A/RES/36/120A"), resolution(symbol="A/RES/36/120B", meeting="1")
    fa, fb = facts(symbol="A/RES/36/120A"), facts(symbol="A/RES/36/120B")
    doc = score([b, a], [fa, fb])
    assert doc.fields()["symbol"] is True
    assert [(r.field, r.symbol) for r in doc.wrong()] == [("meeting", "A/RES/36/120B")]
    assert doc.fields()["meeting"] is False  # a document is right only if all its resolutions are


def test_a_single_resolution_with_a_wrong_symbol_is_still_paired() -> None:
    doc = score([resolution(symbol="A/RES/58/163")], [facts()])
    assert doc.fields()["symbol"] is False
    assert doc.fields()["adoption_date"] is True


def test_sponsors_drop_the_draft_resolution_suffix() -> None:
    res = resolution(sponsors="France: draft resolution")
    assert score([res], [facts(sponsors="France")]).fields()["sponsors"] is True


def test_table_prints_fields_and_citation_scores() -> None:
    report = evaluate([([resolution(adoption_date="2003-01-01")], [facts()])])
    table = report.table()
    assert "adoption_date" in table and "0 / 1" in table
    assert "precision 1.000  recall 1.000" in table
    assert "ALL FIELDS" in table
    assert "adoption_date [A/RES/58/136]: expected '2003-12-22'" in report.details()


def _write_facts(path: Path, sources: list[str], resolutions: list[dict[str, Any]]) -> None:
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"sources": sources, "resolutions": resolutions}))


def test_evaluate_folder_scores_every_source_and_survives_failures(tmp_path: Path) -> None:
    corpus, golden = tmp_path / "corpus", tmp_path / "facts"
    (corpus / "drafts").mkdir(parents=True)
    for name in ("good.txt", "drafts/bad.pdf", "drafts/bad.json"):
        (corpus / name).write_text("x")
    _write_facts(golden / "good.yaml", ["good.txt"], [facts()])
    _write_facts(golden / "drafts" / "bad.yaml", ["bad.pdf", "bad.json", "gone.txt"], [facts()])

    def convert(path: Path) -> list[Resolution]:
        if path.name == "bad.pdf":
            raise ValueError("unreadable")
        return [resolution()]

    report = evaluate_folder(corpus, golden, convert)
    names = [d.name for d in report.documents]
    assert names == ["drafts/bad.pdf", "drafts/bad.json", "drafts/gone.txt", "good.txt"]
    errors = {d.name: d.error for d in report.documents}
    assert errors["drafts/bad.pdf"] == "ValueError: unreadable"
    assert errors["drafts/gone.txt"] is not None and "no such file" in errors["drafts/gone.txt"]
    assert errors["good.txt"] is None
    assert report.field_totals()["adoption_date"] == (2, 4)
    assert load_facts(golden / "good.yaml") == [facts()]


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ldexport.evaluate import main

    (tmp_path / "doc.txt").write_text("x")
    _write_facts(tmp_path / "doc.yaml", ["doc.txt"], [facts()])
    assert main([str(tmp_path)], convert=lambda _: [resolution()]) == 0
    assert "ALL FIELDS" in capsys.readouterr().out
    wrong = main([str(tmp_path), "--details"], convert=lambda _: [resolution(meeting="1")])
    assert wrong == 1
    assert "meeting [A/RES/58/136]: expected '77', got '1'" in capsys.readouterr().out
