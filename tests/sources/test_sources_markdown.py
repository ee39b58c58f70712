"""Markdown with front matter (railcar, Jekyll) and the raw line-per-line extractions."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from ldexport.sources import SourceDocument

from .helpers import body_and_notes, lines_of, numbered

Read = Callable[[str], SourceDocument]

RAILCAR = [
    # file, distribution date, DL record, operative paragraphs found, footnotes
    ("A_RES_80_1.md", "2025-09-19", "4089279", 3, 1),
    ("A_RES_80_2.md", "2025-10-15", "4091275", 6, 1),
    ("A_RES_80_3.md", "2025-10-15", "4091276", 1, 16),  # "2." lost by the extraction
    ("A_RES_80_4.md", "2025-10-31", "4092314", 5, 1),
    ("A_RES_80_6.md", "2025-11-12", "4093218", 32, 10),
    ("A_RES_80_7.md", "2025-11-18", "4093784", 5, 3),
    ("A_RES_80_10.md", "2025-11-26", "4094779", 3, 13),
    ("A_RES_80_13.md", "2025-12-03", "4095434", 5, 3),
    ("A_RES_80_16.md", "2025-12-05", "4095875", 4, 0),
    ("A_RES_80_24.md", "2025-12-03", "4095462", 23, 20),
    ("A_RES_80_27.md", "2025-12-05", "4095878", 6, 2),
    ("A_RES_80_30.md", "2025-12-05", "4095879", 5, 3),
]


@pytest.mark.parametrize(("name", "distributed", "record", "operative", "footnotes"), RAILCAR)
def test_railcar_markdown(
    read_corpus: Read, name: str, distributed: str, record: str, operative: int, footnotes: int
) -> None:
    doc = read_corpus(name)
    number = re.search(r"80_(\d+)", name)[1]  # type: ignore[index]
    assert doc.format == "markdown"
    assert doc.metadata["symbol"] == f"A/RES/80/{number}"
    assert doc.metadata["record_id"] == record
    assert doc.metadata["distribution_date"] == distributed  # front matter `date`
    assert not doc.metadata["title"].endswith(":")
    body, notes = body_and_notes(doc)
    assert body[:3] == ["United Nations", "General Assembly", body[2]]
    assert body[2].startswith("Distr.: General")
    assert "Eightieth session" in body
    assert [ln for ln in body if ln.startswith("Agenda item ")]
    assert any(ln.startswith(f"80/{number}. ") for ln in body)
    # operative paragraphs in sequence (the ones the extraction kept)
    numbers = [int(ln.split(".")[0]) for ln in numbered(body) if not ln.startswith("80/")]
    if name != "A_RES_80_3.md":  # its annex has a second numbering
        assert numbers == list(range(1, operative + 1))
    assert [int(n.split(" ")[0]) for n in notes] == list(range(1, footnotes + 1))
    # no Markdown left
    assert not [ln for ln in doc.text.splitlines() if ln.startswith(("#", "---", "[^"))]
    assert "[^" not in "\n".join(notes)
    # the meeting and the date on lines of their own
    meeting = next(
        i for i, ln in enumerate(body) if re.match(r"^\d+(?:st|nd|rd|th) plenary meeting$", ln)
    )
    after = body[meeting + 1 : meeting + 2]
    assert after in ([], ["Annex"]) or re.fullmatch(r"\d{1,2} [A-Z][a-z]+ 2025", after[0])


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("A_RES_80_1.md", "Participation by the State of Palestine during the eightieth session"),
        ("A_RES_80_2.md", "Scale of assessments for the apportionment of the expenses of the"),
        ("A_RES_80_4.md", "Necessity of ending the economic, commercial and financial"),
        ("A_RES_80_13.md", "Implementation of the Declaration of the Indian Ocean as a Zone of Peace"),  # noqa: E501
        ("A_RES_80_16.md", "Open-ended working group on security of and in the use of"),
        ("A_RES_80_27.md", "Regional disarmament"),
        ("A_RES_80_30.md", "Convening of the fourth special session of the General Assembly"),
    ],
)  # fmt: skip
def test_running_header_dropped(read_corpus: Read, name: str, header: str) -> None:
    lines = lines_of(read_corpus(name))
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Resolution adopted"))
    assert header not in lines[start:]


@pytest.mark.parametrize(
    ("name", "joined"),
    [
        ("A_RES_80_1.md", "during the general debate of the Assembly at its eightieth session after"),  # noqa: E501
        ("A_RES_80_4.md", "51/17 of 12 November 1996, 52/10 of 5 November 1997"),
        ("A_RES_80_6.md", "United Nations and other international and regional organizations remain"),  # noqa: E501
        ("A_RES_80_6.md", "summonses issued by the International Criminal Court, 7 and in this regard"),  # noqa: E501
        ("A_RES_80_16.md", "as endorsed by the General Assembly in its resolution 79/237, and"),
        ("A_RES_80_24.md", "on the follow-up to the 2013 high-level meeting of the General Assembly"),  # noqa: E501
        ("A_RES_80_3.md", "the Convention on Biological Diversity[^10] and the Kunming-Montreal"),
        ("A_RES_80_7.md", "the NPT safeguards agreement between the Agency and the Democratic"),
    ],
)  # fmt: skip
def test_paragraph_split_by_page_break_joined(read_corpus: Read, name: str, joined: str) -> None:
    assert [ln for ln in lines_of(read_corpus(name)) if joined in ln]


def test_glued_paragraphs_split_80_3(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_80_3.md")
    lines = lines_of(doc)
    annex = lines.index("Annex")
    declaration = numbered(lines[annex:])
    assert [int(ln.split(".")[0]) for ln in declaration] == [1, *range(3, 26)]  # "2." lost
    assert lines[annex + 2].startswith("We welcome the Awaza Programme of Action")
    assert lines[annex + 1].endswith(
        "with the objective of advancing the development agenda of the"
    )
    assert "I. Global context and shared commitments" in lines
    assert (
        "II. Implementation of the Awaza Programme of Action for Landlocked Developing Countries for the Decade 2024–2034"  # noqa: E501
        in lines
    )
    assert "Partnerships and support mechanisms" in lines
    assert "III. Conclusion and call to action" in lines
    ninth = declaration[7]
    assert ninth.startswith("9. We note the interest and commitment of the landlocked developing")
    eighth = declaration[6]
    assert eighth.endswith("as well as the relevant commitments in the Pact for the Future. 16")
    assert declaration[13].startswith("15. We emphasize the significance of declaring")
    assert "(e) Means of implementation." in lines
    assert "non‑governmental organizations" in doc.text  # U+2011 as printed


def test_masthead_split_and_meeting_date(read_corpus: Read) -> None:
    lines = lines_of(read_corpus("A_RES_80_7.md"))
    assert lines[:5] == [
        "United Nations",
        "General Assembly",
        "Distr.: General 18 November 2025",
        "Eightieth session",
        "Agenda item 89",
    ]
    body, notes = body_and_notes(read_corpus("A_RES_80_7.md"))
    assert body[-2:] == ["40th plenary meeting", "14 November 2025"]
    assert notes[1].startswith("2 See International Atomic Energy Agency, Resolutions Adopted and")
    assert notes[1].endswith("for the full texts of relevant resolutions and decisions and information regarding their adoption.")  # fmt: skip  # noqa: E501
    lines = lines_of(read_corpus("A_RES_80_1.md"))
    assert lines[3:6] == [
        "Eightieth session",
        "Agenda item 7",
        "Organization of work, adoption of the agenda and allocation of items",
    ]


def test_footnote_labels_out_of_sequence_are_continuations(read_corpus: Read) -> None:
    _, notes = body_and_notes(read_corpus("A_RES_80_10.md"))
    assert notes[9] == (
        "10 Report of the International Conference on Population and Development, Cairo, "
        "5–13 September 1994 (United Nations publication, Sales No. E.95.XIII.18), chap. I, "
        "resolution 1, annex."
    )
    _, notes = body_and_notes(read_corpus("A_RES_80_6.md"))
    assert notes[8].endswith("1 August 2012–31 July 2013 (S/INF/68).")


def test_spaced_line_end_hyphens_closed(read_corpus: Read) -> None:
    text = read_corpus("A_RES_80_24.md").text
    assert "Comprehensive Nuclear-Test-Ban Treaty" in text
    assert "United Nations high-level international conference" in text
    assert "new nuclear-weapon-free zones" in text
    assert "post-conflict societies" in read_corpus("A_RES_80_6.md").text
    assert "- " not in re.sub(r"\b\w+- (?:and|or|nor|to)\b", "", text)


def test_jekyll_post_61_295(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_61_295.md")
    # the blog's front matter describes the post: its date is not the distribution date
    assert doc.metadata == {"symbol_from_file_name": "A/RES/61/295"}
    lines = lines_of(doc)
    body, notes = body_and_notes(doc)
    assert lines[:4] == [
        "Resolution adopted by the General Assembly on 13 September 2007",
        "[without reference to a Main Committee (A/61/L.67 and Add.1)]",
        "61/295. United Nations Declaration on the Rights of Indigenous Peoples.",
        "The General Assembly,",
    ]
    assert lines[4].startswith("Taking note of the recommendation of the Human Rights Council")
    assert "in its resolution 1/2 of 29 June 2006,[^1] by which" in lines[4]
    assert lines[7:10] == ["107th plenary meeting", "13 September 2007", "Annex"]
    articles = [ln for ln in lines if re.fullmatch(r"Article \d+", ln)]
    assert articles == [f"Article {i}" for i in range(1, 47)]
    subs = [ln for ln in lines if re.match(r"^\([a-z]\) ", ln)]
    assert subs[:2] == [
        "(a) Any action which has the aim or effect of depriving them of their integrity as distinct peoples, or of their cultural values or ethnic identities;",  # noqa: E501
        "(b) Any action which has the aim or effect of dispossessing them of their lands, territories or resources;",  # noqa: E501
    ]
    assert "_" not in doc.text and "&#" not in doc.text and "http" not in doc.text
    assert "via:" not in lines and "Footnotes" not in lines
    assert notes == [
        "1 See Official Records of the General Assembly, Sixty-first Session, Supplement No. 53 (A/61/53), part one, chap. II, sect. A.",  # noqa: E501
        "2 See resolution 2200 A (XXI), annex.",
        "3 A/CONF.157/24 (Part I), chap. III.",
        "4 Resolution 217 A (III).",
    ]
    assert body[-1].startswith(
        "3. The provisions set forth in this Declaration shall be interpreted"
    )


# -- raw extractions ------------------------------------------------------------------------


def test_raw_extract_80_3(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_80_3__raw-extract-v1.0.0.txt")
    assert doc.format == "raw-pdf-extract"
    assert doc.metadata["job_number"] == "25-16680"
    assert doc.metadata["distribution_date"] == "2025-10-15"
    lines = lines_of(doc)
    _body, notes = body_and_notes(doc)
    assert lines[:8] == [
        "United Nations",
        "A/RES/80/3",
        "General Assembly",
        "Distr.: General",
        "15 October 2025",
        "Eightieth session",
        "Agenda item 13",
        "Integrated and coordinated implementation of and follow-up to the outcomes of the major "
        "United Nations conferences and summits in the economic, social and related fields",
    ]
    assert "Resolution adopted by the General Assembly on 14 October 2025" in lines
    # no page furniture: job number, barcode, "2/5", running symbol and title
    assert not [
        ln for ln in lines if "25-16680" in ln or "2516680" in ln or re.fullmatch(r"\d/5", ln)
    ]
    assert lines.count("A/RES/80/3") == 1
    assert lines.count("Awaza Political Declaration") == 1  # the annex heading, printed once
    annex = lines.index("Annex")
    resolution = numbered(lines[:annex])
    assert resolution[1].startswith("2. Expresses its profound gratitude to the Government")
    declaration = numbered(lines[annex:])
    assert [int(ln.split(".")[0]) for ln in declaration] == list(range(1, 26))
    assert declaration[1].startswith("2. We welcome the Awaza Programme of Action")
    assert "provides a renewed and action-oriented framework" in declaration[1]
    assert declaration[0].endswith("the development agenda of the landlocked developing countries.")
    assert "I. Global context and shared commitments" in lines
    assert [int(n.split(" ")[0]) for n in notes] == list(range(1, 17))
    assert notes[1].endswith("Transit Transport Cooperation, Almaty, Kazakhstan, 28 and 29 August 2003 (A/CONF.202/3), annex I.")  # fmt: skip  # noqa: E501


def test_raw_extract_80_7(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_80_7__raw-extract.txt")
    lines = lines_of(doc)
    body, notes = body_and_notes(doc)
    assert lines[5:8] == ["Eightieth session", "Agenda item 89", "Report of the International Atomic Energy Agency"]  # fmt: skip  # noqa: E501
    assert [int(ln.split(".")[0]) for ln in numbered(body)] == [1, 2, 3, 4, 5]
    second = numbered(body)[1]
    assert (
        "“Implementation of the NPT safeguards agreement between the Agency and the Democratic People’s Republic of Korea”"  # noqa: E501
        in second
    )
    assert second.endswith("all as reflected in the official records of the General Conference;")
    assert body[-2:] == ["40th plenary meeting", "14 November 2025"]
    assert len(notes) == 3
    assert notes[0] == "1 See A/80/348."
