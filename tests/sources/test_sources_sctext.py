"""Security Council resolutions as plain text: the three layouts and their repairs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ldexport.sources import SourceDocument, read, sctext

from .helpers import corpus, lines_of, numbered

Read = Callable[[str], SourceDocument]


@pytest.mark.parametrize(
    ("name", "layout", "first", "operative", "subparagraphs"),
    [
        ("S_RES_1590_2005.txt", "paragraph-lines", "Adopted unanimously by the Security Council at its 5151st meeting, on 24 March 2005", 18, 16),  # noqa: E501
        ("S_RES_1627_2005.txt", "paragraph-lines", "Adopted by the Security Council at its 5269th meeting, on 23 September 2005", 4, 0),  # noqa: E501
        ("S_RES_1663_2006.txt", "pdftotext-layout", "S/RES/1663 (2006)", 10, 0),
        ("S_RES_1709_2006.txt", "paragraph-lines", "Adopted by the Security Council at its 5532nd meeting, on 22 September 2006", 2, 0),  # noqa: E501
        ("S_RES_1714_2006.txt", "paragraph-lines", "Adopted by the Security Council at its 5545th meeting, on 6 October 2006", 4, 0),  # noqa: E501
        ("S_RES_1755_2007.txt", "wrapped", "Resolution 1755 (2007)", 6, 0),
        ("S_RES_1784_2007.txt", "wrapped", "Resolution 1784 (2007)", 17, 2),
        ("S_RES_1919_2010.txt", "paragraph-lines", "The full text of resolution 1919 (2010) reads as follows:", 25, 0),  # noqa: E501
    ],
)  # fmt: skip
def test_each_layout(
    read_corpus: Read, name: str, layout: str, first: str, operative: int, subparagraphs: int
) -> None:
    doc = read_corpus(name)
    assert doc.format == "sc-text"
    assert sctext.layout(corpus(name).read_text(encoding="utf-8")) == layout
    lines = lines_of(doc)
    assert lines[0] == first
    assert "The Security Council," in lines
    numbers = [int(ln.split(".")[0]) for ln in numbered(lines)]
    assert numbers == list(range(1, operative + 1))
    subs = [ln for ln in lines if re.match(r"^\((?:[a-z]|[ivx]+)\) ", ln)]
    assert len(subs) == subparagraphs
    assert numbered(lines)[-1].startswith(f"{operative}. Decides to remain")
    # every preambular paragraph on its own line: none glued to the next one
    assert not [ln for ln in lines if re.search(r",\s+(?:Recalling|Reaffirming|Welcoming) ", ln)]


@pytest.mark.parametrize(
    "name",
    [
        "S_RES_1590_2005.txt",
        "S_RES_1627_2005.txt",
        "S_RES_1709_2006.txt",
        "S_RES_1714_2006.txt",
        "S_RES_1755_2007.txt",
        "S_RES_1784_2007.txt",
        "S_RES_1919_2010.txt",
    ],
)
def test_symbol_from_the_file_name_where_the_text_has_none(read_corpus: Read, name: str) -> None:
    doc = read_corpus(name)
    number, year = re.findall(r"\d+", name)
    assert doc.metadata == {"symbol_from_file_name": f"S/RES/{number}({year})"}


def test_pdftotext_layout_1663(read_corpus: Read) -> None:
    doc = read_corpus("S_RES_1663_2006.txt")
    lines = lines_of(doc)
    assert lines[:7] == [
        "S/RES/1663 (2006)",
        "United Nations",
        "Security Council",
        "Distr.: General",
        "24 March 2006",
        "",
        "Resolution 1663 (2006)",
    ]
    assert lines[7] == "Adopted by the Security Council at its 5396th meeting, on 24 March 2006"
    assert doc.metadata == {
        "symbol": "S/RES/1663 (2006)",
        "distribution_date": "2006-03-24",
        "job_number": "06-28361",
    }
    # page furniture of the page break and the end: job number, barcode, header, page "2"
    assert lines.count("S/RES/1663 (2006)") == 1
    assert not [ln for ln in lines if "06-28361" in ln or "0628361" in ln or ln == "2"]
    # no column indentation left, paragraphs unwrapped across the page break
    assert not [ln for ln in lines if ln != ln.strip()]
    assert (
        "Expressing its deep concern at the movement of arms and armed groups across borders "
        "such as the long running and brutal insurgency by the Lord’s Resistance Army (LRA) which "
        "has caused the death, abduction and displacement of many innocent civilians in the Sudan,"
    ) in lines
    assert "4. Requests that the Secretary-General, jointly with the African Union," in doc.text
    assert "by 24 April 2006 for its consideration a range of options" in doc.text


def test_number_put_back_in_front_1755(read_corpus: Read) -> None:
    lines = lines_of(read_corpus("S_RES_1755_2007.txt"))
    third = numbered(lines)[2]
    assert third.startswith(
        "3. Calls upon the parties to the Comprehensive Peace Agreement to accelerate"
    )
    assert third.endswith("hold national elections according to the agreed time frame;")
    assert numbered(lines)[5] == "6. Decides to remain actively seized of the matter."
    assert not [ln for ln in lines if re.fullmatch(r"\d+\.", ln)]
    # a line-end hyphen of the copy is kept: "zero-" / "tolerance"
    assert "the United Nations zero-tolerance policy on sexual exploitation" in numbered(lines)[4]
    # "non-" / "parties" at a line end inside a preambular paragraph
    assert "including non-parties to the Darfur Peace Agreement" in "\n".join(lines)


def test_press_release_quotes_removed_1919(read_corpus: Read) -> None:
    lines = lines_of(read_corpus("S_RES_1919_2010.txt"))
    assert lines[1] == "The Security Council,"
    assert not [ln for ln in lines if ln.startswith("“")]
    assert lines[-1] == "25. Decides to remain actively seized of this matter."
    assert not [ln for ln in lines if "“" in ln or "”" in ln]  # the text itself quotes nothing


def test_spaced_hyphen_closed_1627(read_corpus: Read) -> None:
    text = read_corpus("S_RES_1627_2005.txt").text
    assert "carefully to review the Secretary-General’s letter of 24 March 2005" in text
    # a suspended compound keeps its space: "troop- and police-contributing" in 1919
    assert "troop- and police-contributing countries" in read_corpus("S_RES_1919_2010.txt").text


def test_detected_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "resolution.dat"
    path.write_bytes(corpus("S_RES_1755_2007.txt").read_bytes())
    doc = read(path)
    assert doc.format == "sc-text"
    assert "symbol_from_file_name" not in doc.metadata
    assert numbered(lines_of(doc))[0].startswith("1. Decides to extend the mandate of UNMIS")
