"""JSON extractions of the SC drafts, and Word documents (built with python-docx, LibreOffice)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ldexport.sources import SourceDocument, read

from .helpers import SEED_MASTHEAD, body_and_notes, lines_of, numbered, seed_paragraphs

Read = Callable[[str], SourceDocument]


@pytest.mark.parametrize(
    ("name", "meta", "operative"),
    [
        # the JSON of S/2016/1100 lost paragraphs 10-13, that of S/2017/77 lost 30-37: what
        # they have is kept
        ("S_2016_1100", {"symbol": "S/2016/1100", "distribution_date": "2016-12-23"}, 9),
        ("S_2017_77", {"symbol": "S/2017/77", "title": "France: draft resolution"}, 31),
        ("S_2018_95", {"job_number": "18-01971", "distribution_date": "2018-02-08"}, 4),
        ("S_2019_90", {"symbol": "S/2019/90", "authors": "France"}, 12),
        ("S_2022_501", {"symbol": "S/2022/501", "job_number": "22-09852"}, 17),
        ("S_2023_427", {"symbol": "S/2023/427", "distribution_date": "2023-06-14"}, 16),
        ("S_2024_302", {"symbol": "S/2024/302", "title": "Draft Resolution"}, 8),
    ],
)
def test_json_drafts(read_corpus: Read, name: str, meta: dict[str, str], operative: int) -> None:
    doc = read_corpus(f"sc_drafts/{name}.json")
    assert doc.format == "json-extraction"
    assert meta.items() <= doc.metadata.items()
    lines = lines_of(doc)
    assert lines[0] == "The Security Council,"
    numbers = [int(ln.split(".")[0]) for ln in numbered(lines)]
    assert len(numbers) == operative
    assert numbers == sorted(numbers)
    assert not [ln for ln in lines if re.search(r"\d{2}-\d{5}|\*\d{7}\*|[Pp]le+se recycle", ln)]
    assert not [ln for ln in lines if ln != ln.strip() or "  " in ln]
    assert " \u2011" not in doc.text


@pytest.mark.parametrize(
    "name", ["S_2018_95", "S_2019_90", "S_2022_501", "S_2023_427", "S_2024_302"]
)
def test_json_paragraphs_match_the_pdf(read_corpus: Read, name: str) -> None:
    """Where the JSON lost nothing, its paragraphs are the PDF reader's, one for one."""

    def key(line: str) -> str:
        return re.sub(r"\[\^\d+\]|\W", "", line)[:60]

    pdf_lines = lines_of(read_corpus(f"sc_drafts/{name}.pdf"))
    pdf_body = pdf_lines[pdf_lines.index("The Security Council,") :]
    json_lines = [ln for ln in lines_of(read_corpus(f"sc_drafts/{name}.json")) if ln]
    assert [key(ln) for ln in json_lines] == [key(ln) for ln in pdf_body]


def test_wrapped_stretches_unwrapped_s_2017_77(read_corpus: Read) -> None:
    lines = lines_of(read_corpus("sc_drafts/S_2017_77.json"))
    assert "Travel ban" in lines
    assert lines[lines.index("Travel ban") + 1].startswith("5. Decides that, until 31 January 2018")
    d = next(ln for ln in lines if ln.startswith("(d) "))
    assert d == (
        "(d) Supplies of non‑lethal military equipment intended solely for humanitarian or "
        "protective use, and related technical assistance or training, as approved in advance "
        "by the Committee;"
    )


# -- Word ---------------------------------------------------------------------------------


def test_docx_built_from_the_ods_text(seed_docx: Path) -> None:
    doc = read(seed_docx)
    assert doc.format == "word-docx"
    assert doc.metadata == {"symbol_from_file_name": "A/RES/58/136"}
    body, notes = body_and_notes(doc)
    assert body[:7] == SEED_MASTHEAD
    assert body.count("A/RES/58/136") == 1  # the running header is not read
    assert body[7:10] == [
        "Resolution adopted by the General Assembly on 22 December 2003",
        "[on the report of the Third Committee (A/58/499)]",
        body[9],
    ]
    assert body[9].startswith("58/136. Strengthening international cooperation")  # tab -> space
    operative = [ln for ln in numbered(body) if not ln.startswith("58/")]
    assert [int(ln.split(".")[0]) for ln in operative] == list(range(1, 13))
    assert operative[4].startswith("5. Urges Member States to continue working together")
    # references numbered as printed (in order of appearance), whatever Word's ids are
    assert "taking note of the report of the Executive Director,[^1]" in doc.text
    assert "on international terrorism[^2] and of a draft international convention" in doc.text
    assert "suppression of acts of nuclear terrorism,[^3]" in doc.text
    _, ods_notes = seed_paragraphs()
    assert notes == [f"{i} {t}" for i, t in enumerate(ods_notes, 1)]
    assert notes[0] == "1 See A/57/152 and Corr.1 and Add.1 and Add.1/Corr.1 and 2 and Add.2."
    assert body[-2:] == ["77th plenary meeting", "22 December 2003"]
    assert "Bogotá" in doc.text


def test_docx_written_by_libreoffice(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_73_7__libreoffice.docx")
    assert doc.format == "word-docx"
    body, notes = body_and_notes(doc)
    assert body[:3] == ["United Nations", "A/RES/73/7", "General Assembly"]
    assert [int(ln.split(".")[0]) for ln in numbered(body)] == list(range(1, 29))
    assert "the Rome Statute of the International Criminal Court[^1] reaffirms" in doc.text
    assert len(notes) == 9
    assert notes[0] == "1 United Nations, Treaty Series, vol. 2187, No. 38544."
    assert notes[8].startswith("9 S/PRST/2013/2; see Resolutions and Decisions")
    # the PDF reader and the Word reader agree on the paragraphs of the same resolution
    # (a second reference to a note is a plain number in Word: no new note, no [^N])
    pdf_body, _ = body_and_notes(read_corpus("A_RES_73_7.pdf"))

    def plain(lines: list[str]) -> list[str]:
        return [re.sub(r"\[\^(\d+)\]", r"\1", ln) for ln in lines]

    assert plain(numbered(body)) == plain(numbered(pdf_body))
