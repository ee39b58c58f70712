"""Helpers of the reader tests: where the corpus copy is, and Word documents built from it."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from ldexport.sources import SourceDocument

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
DRAFTS = CORPUS / "sc_drafts"


def corpus(name: str) -> Path:
    path = CORPUS / name
    assert path.exists(), f"missing fixture {path}"
    return path


def lines_of(doc: SourceDocument) -> list[str]:
    return doc.text.splitlines()


def body_and_notes(doc: SourceDocument) -> tuple[list[str], list[str]]:
    """Lines before the footnotes, and the footnote lines ("N text" after the last blank)."""
    lines = lines_of(doc)
    blanks = [i for i, ln in enumerate(lines) if not ln]
    if (
        blanks
        and lines[blanks[-1] + 1 :]
        and all(re.match(r"^\d+ ", ln) for ln in lines[blanks[-1] + 1 :])
    ):
        return lines[: blanks[-1]], lines[blanks[-1] + 1 :]
    return lines, []


def numbered(lines: list[str]) -> list[str]:
    """Lines that start with a number and a full stop: operative paragraphs (and articles')."""
    return [ln for ln in lines if re.match(r"^\d{1,3}\. ", ln)]


# -- a Word document built from the ODS text of A/RES/58/136 --------------------------------

SEED_MASTHEAD = [
    "United Nations",
    "A/RES/58/136",
    "General Assembly",
    "Distr.: General",
    "26 January 2004",
    "Fifty-eighth session",
    "Agenda item 108",
]
# Where the ODS export glued its three footnote numbers to the text, and the Word ids the
# built document gives them (out of order on purpose: Word's ids are not the printed numbers).
SEED_MARKERS = [
    (re.compile(r"(?<=Executive Director,)1$"), 7),
    (re.compile(r"(?<=on international terrorism)2(?= and)"), 3),
    (re.compile(r"(?<=acts of nuclear terrorism,)3$"), 5),
]


def seed_paragraphs() -> tuple[list[str], list[str]]:
    """The body paragraphs (tabs kept) and footnote texts of the ODS export of A/RES/58/136."""
    text = corpus("A_RES_58_136.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Resolution adopted"))
    end = next(i for i, ln in enumerate(lines) if ln == "22 December 2003") + 1
    body = [ln.strip() for ln in lines[start:end] if ln.strip()]
    notes = [re.sub(r"^\d+ ", "", ln) for ln in lines[end : end + 3]]
    return body, notes


def build_seed_docx(path: Path) -> None:
    """Write A/RES/58/136 as a Word document, footnotes included at the XML level.

    python-docx has no footnote API: the footnote part (word/footnotes.xml, with Word's
    separator entries) is added to the package and related to the main document part, and
    each reference is a <w:footnoteReference> run where the ODS export had glued the number.
    A running header repeats the symbol, as UN documents do.
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    body, notes = seed_paragraphs()
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "A/RES/58/136"
    for line in SEED_MASTHEAD:
        document.add_paragraph(line)
    for line in body:
        paragraph = document.add_paragraph()
        rest = line
        for pattern, fid in SEED_MARKERS:
            if m := pattern.search(rest):
                paragraph.add_run(rest[: m.start()])
                paragraph._p.append(
                    parse_xml(
                        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                        f'<w:footnoteReference w:id="{fid}"/></w:r>'
                    )
                )
                rest = rest[m.end() :]
        paragraph.add_run(rest)  # a tab in the text becomes <w:tab/>
    entries = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',  # noqa: E501
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for (_, fid), note in sorted(zip(SEED_MARKERS, notes, strict=True), key=lambda x: x[0][1]):
        entries.append(
            f'<w:footnote w:id="{fid}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f'</w:rPr><w:footnoteRef/></w:r><w:r><w:tab/><w:t xml:space="preserve">{escape(note)}'
            "</w:t></w:r></w:p></w:footnote>"
        )
    xml = f"<w:footnotes {nsdecls('w')}>{''.join(entries)}</w:footnotes>"
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))
