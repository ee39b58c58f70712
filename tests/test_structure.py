"""The structure parser on layouts the dev corpus has few or no examples of.

Each text below is written in the UN's own layout (one paragraph per line, as every reader
delivers it); the expectations say what a reader of the printed page would see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ldexport import sources
from ldexport.convert import convert_file, parse_file
from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.model import Kind, Resolution
from ldexport.parse import normalise
from ldexport.parse.normalise import Block
from ldexport.parse.structure import leading_phrase, ordinal_words, session_label

from conftest import DOCUMENTS


def parse_text(tmp_path: Path, text: str, name: str = "doc.txt") -> list[Resolution]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


OMNIBUS = """\
Resolution adopted by the General Assembly on 20 December 2002
[on the report of the Fifth Committee (A/57/643)]
57/292. Special subjects relating to the programme budget for the biennium 2002-2003
The General Assembly,
I
Strengthening of the Terrorism Prevention Branch
Recalling its resolution 56/253 of 24 December 2001,
1. Approves the strengthening of the Terrorism Prevention Branch;
2. Requests the Secretary-General to report thereon;
II
Capital master plan
Having considered the report of the Secretary-General,
Noting with concern the state of the Headquarters buildings,
1. Takes note of the report;
(a) To proceed with the design;
(i) In the first phase;
(ii) In the second phase;
(b) To report on progress;
2. Decides to revert to the question;
78th plenary meeting
20 December 2002
"""


def test_omnibus_sections_each_with_preamble_and_paragraphs(tmp_path: Path) -> None:
    [res] = parse_text(tmp_path, OMNIBUS)
    assert res.symbol == "A/RES/57/292"
    assert res.committee == "un-ga-c5"
    assert res.meeting == "78"
    sections = [p for p in res.parts if p.kind is Kind.SECTION]
    assert [(s.number, s.heading, s.eid) for s in sections] == [
        ("I", "Strengthening of the Terrorism Prevention Branch", "sec_I"),
        ("II", "Capital master plan", "sec_II"),
    ]
    second = sections[1]
    assert [c.eid for c in second.children] == [
        "sec_II__preamble__container_1",
        "sec_II__preamble__container_2",
        "sec_II__para_1",
        "sec_II__para_2",
    ]
    assert second.children[1].leading_phrase == "Noting with concern"
    takes_note = second.children[2]
    assert takes_note.leading_phrase == "Takes note"
    points = takes_note.children
    assert [(p.eid, p.order) for p in points] == [
        ("sec_II__para_1__list_1__point_a", 1),
        ("sec_II__para_1__list_1__point_b", 2),
    ]
    assert [p.eid for p in points[0].children] == [
        "sec_II__para_1__list_1__point_a__list_1__point_i",
        "sec_II__para_1__list_1__point_a__list_1__point_ii",
    ]


def test_omnibus_graph_conforms(tmp_path: Path) -> None:
    path = tmp_path / "omnibus.txt"
    path.write_text(OMNIBUS, encoding="utf-8")
    [item] = convert_file(path, Iris())
    assert item.report.conforms, item.report.lines()


LETTERED = """\
Resolution adopted by the General Assembly on 10 December 1981
[on the report of the Special Political Committee (A/36/688)]
36/120. Question of Palestine
A
The General Assembly,
Recalling its resolution 3236 (XXIX) of 22 November 1974,
1. Endorses the recommendations of the Committee;
101st plenary meeting
10 December 1981
B
The General Assembly,
Having considered the report of the Committee,
1. Requests the Secretary-General to ensure the continued cooperation;
2. Further requests the Secretary-General to report;
101st plenary meeting
10 December 1981
"""


def test_lettered_resolutions_are_separate_works(tmp_path: Path) -> None:
    first, second = parse_text(tmp_path, LETTERED)
    assert (first.symbol, second.symbol) == ("A/RES/36/120A", "A/RES/36/120B")
    assert first.parent_symbol == second.parent_symbol == "A/RES/36/120"
    assert first.number == "36/120 A"
    assert first.title == second.title == "Question of Palestine"
    assert first.adoption_date == second.adoption_date == "1981-12-10"
    assert [p.leading_phrase for p in second.parts] == [
        "Having",
        "Requests",
        "Further requests",
    ]
    assert first.all_citations()[0].symbol == "A/RES/3236(XXIX)"


SECURITY_COUNCIL = """\
Resolution 1709 (2006)
Adopted by the Security Council at its 5532nd meeting,
on 22 September 2006
The Security Council,
Recalling its previous resolutions concerning the situation in the Sudan,
Determining that the situation in the Sudan continues to constitute a threat,
Acting under Chapter VII of the Charter of the United Nations,
1. Decides to extend the mandate of the United Nations Mission in the Sudan;
2. Decides to remain seized of the matter.
"""


DASHES = """\
Resolution adopted by the General Assembly on 20 December 2002
[without reference to a Main Committee (A/57/L.50)]
57/300. Strengthening of the United Nations
The General Assembly,
Recalling its resolution 56/253 of 24 December 2001,
1. Requests the Secretary-General to report on:
– The first matter;
– The second matter;
– The third matter;
2. Decides:
(a) To consider the following:
– Its programme;
– Its budget;
(b) To revert to the question;
78th plenary meeting
20 December 2002
"""


def test_a_run_of_dashes_is_one_list_of_siblings(tmp_path: Path) -> None:
    """Dashed items are the items of one list, each after the one before, not each inside
    the one before: under the paragraph, or under the lettered item they follow."""
    [res] = parse_text(tmp_path, DASHES)
    first, second = (p for p in res.parts if p.kind is Kind.OPERATIVE)
    assert [c.text for c in first.children] == [
        "The first matter;",
        "The second matter;",
        "The third matter;",
    ]
    assert all(not c.children for c in first.children)
    a, b = second.children
    assert (a.number, b.number) == ("a", "b")
    assert [c.text for c in a.children] == ["Its programme;", "Its budget;"]
    assert all(not c.children for c in a.children) and not b.children


def test_security_council_heading_and_wrapped_adoption_line(tmp_path: Path) -> None:
    [res] = parse_text(tmp_path, SECURITY_COUNCIL)
    assert res.symbol == "S/RES/1709(2006)"
    assert res.body == "un-sc"
    assert res.session is None
    assert (res.meeting, res.adoption_date) == ("5532", "2006-09-22")
    assert (res.title, res.title_derived) == ("Resolution 1709 (2006)", True)
    assert [p.kind for p in res.parts].count(Kind.PREAMBULAR) == 3
    assert res.parts[2].leading_phrase == "Acting"
    assert res.warnings == ()


SINGLE_OPERATIVE = """\
Resolution adopted by the General Assembly on 13 September 2007
[without reference to a Main Committee (A/61/L.67 and Add.1)]
61/295. United Nations Declaration on the Rights of Indigenous Peoples
The General Assembly,
Taking note of the recommendation of the Human Rights Council,
Adopts the Declaration as contained in the annex to the present resolution.
107th plenary meeting
13 September 2007
Annex
United Nations Declaration on the Rights of Indigenous Peoples
Affirming that indigenous peoples are equal to all other peoples,
Article 1
Indigenous peoples have the right to the full enjoyment of all human rights.
Article 2
1. Indigenous peoples are free and equal to all other peoples.
2. States shall take effective measures.
"""


def test_unnumbered_operative_paragraph_and_annex_articles(tmp_path: Path) -> None:
    [res] = parse_text(tmp_path, SINGLE_OPERATIVE)
    assert res.draft_symbols == ("A/61/L.67", "A/61/L.67/Add.1")
    assert res.committee is None
    body = [p for p in res.parts if p.kind is not Kind.ANNEX]
    assert [(p.kind, p.eid) for p in body] == [
        (Kind.PREAMBULAR, "preamble__container_1"),
        (Kind.OPERATIVE, "para_1"),
    ]
    assert body[1].leading_phrase == "Adopts"
    [annex] = [p for p in res.parts if p.kind is Kind.ANNEX]
    assert annex.eid == "annex_1"
    assert annex.heading == "Annex United Nations Declaration on the Rights of Indigenous Peoples"
    articles = [c for c in annex.children if c.kind is Kind.SECTION]
    assert [(a.eid, a.heading) for a in articles] == [
        ("annex_1__sec_1", "Article 1"),
        ("annex_1__sec_2", "Article 2"),
    ]
    assert [c.eid for c in articles[1].children] == [
        "annex_1__sec_2__para_1",
        "annex_1__sec_2__para_2",
    ]


def test_annex_declaration_graph_conforms(tmp_path: Path) -> None:
    path = tmp_path / "declaration.txt"
    path.write_text(SINGLE_OPERATIVE, encoding="utf-8")
    [item] = convert_file(path, Iris())
    assert item.report.conforms, item.report.lines()


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("Recalling also its resolution 56/1,", Kind.PREAMBULAR, "Recalling also"),
        ("Bearing in mind the Charter,", Kind.PREAMBULAR, "Bearing in mind"),
        ("Noting with deep concern the links,", Kind.PREAMBULAR, "Noting with deep concern"),
        ("Deeply concerned by the situation,", Kind.PREAMBULAR, "Deeply concerned"),
        ("Taking note of the report,", Kind.PREAMBULAR, "Taking note"),
        ("Calls upon Member States to act;", Kind.OPERATIVE, "Calls upon"),
        ("Also requests the Centre to act;", Kind.OPERATIVE, "Also requests"),
        ("Strongly condemns all acts;", Kind.OPERATIVE, "Strongly condemns"),
        ("Takes note of the report;", Kind.OPERATIVE, "Takes note"),
        ("Decides to remain seized of the matter.", Kind.OPERATIVE, "Decides"),
    ],
)
def test_leading_phrases(text: str, kind: Kind, phrase: str) -> None:
    assert leading_phrase(text, kind) == phrase


@pytest.mark.parametrize(
    ("number", "label"),
    [
        ("58", "Fifty-eighth session"),
        ("80", "Eightieth session"),
        ("1", "First session"),
        ("12", "Twelfth session"),
        ("ES-10", "Tenth emergency special session"),
        ("S-26", "Twenty-sixth special session"),
    ],
)
def test_session_labels(number: str, label: str) -> None:
    assert session_label(number) == label


def test_ordinal_words() -> None:
    assert [ordinal_words(n) for n in (3, 21, 40, 73, 100)] == [
        "third",
        "twenty-first",
        "fortieth",
        "seventy-third",
        "one hundredth",
    ]


def _positions_one_character_at_a_time(block: Block) -> list[int]:
    """The plain walk `Block.source_offset` is defined by (its word-at-a-time walk must
    give the same positions)."""
    raw, j, out = block.raw, 0, []
    for c in block.text:
        if c == " ":
            while j < len(raw) and not raw[j].isspace():
                j += 1
            pos = j
            while j < len(raw) and raw[j].isspace():
                j += 1
        else:
            found = raw.find(c, j)
            pos = found if found >= 0 else j
            j = pos + 1
        out.append(pos)
    return out


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_source_offsets_are_the_character_walk(path: Path) -> None:
    try:
        blocks = normalise.normalise(sources.read(path))
    except LdexportError:  # bad input on purpose (tests/test_bad_input.py)
        return
    for block in blocks:
        expected = _positions_one_character_at_a_time(block)
        assert [block.source_offset(i) - block.span.start for i in range(len(block.text))] == (
            expected
        )
