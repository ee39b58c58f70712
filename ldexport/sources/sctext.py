"""Security Council resolutions as plain text, in the three layouts met so far.

Written against the UNMIS mandate resolutions S/RES/1590 (2005) ... S/RES/1919 (2010) as
pasted into plain text by the UN Security Council Resolutions Relationships Explorer
(UniteIdeas).  Which layout a file has is read from its content:

* "paragraph lines" (1590, 1627, 1709, 1714, 1919): one paragraph per line from "Adopted
  by the Security Council at its 5151st meeting, on 24 March 2005" on; no symbol in the text
  (the file name gives "symbol_from_file_name").  1919 is the press-release form: an
  introduction ("The full text of resolution 1919 (2010) reads as follows:") and every
  paragraph opened with a quotation mark, the last one closed; the quotation marks are
  removed, the introduction kept as a line.
* "pdftotext -layout" (1663): the masthead in two columns ("Security Council ... Distr.:
  General"), the text column indented by 13-16 spaces with a first-line indent of six more,
  a page break marked only by the job number ("06-28361 (E)"), the barcode ("*0628361*"),
  the running header ("S/RES/1663 (2006)") and a bare page number.  The columns are split
  into masthead lines, the furniture dropped and the lines unwrapped by indentation.
* "wrapped copy" (1755, 1784): a "Resolution 1755 (2007)" heading, lines hard-wrapped at the
  text width with a six-space first-line indent, and - where the copy's column order went
  wrong - a paragraph's number on the line after its first line ("            Calls upon
  the parties ..." / "      3."): the number is put back in front.
"""

from __future__ import annotations

import re

from ldexport.sources._text import (
    BARCODE_LINE,
    NUMBER_ONLY,
    Vocabulary,
    clean_spaces,
    close_spaced_hyphens,
    iso_date,
    job_number,
    unwrap,
)
from ldexport.sources.base import SourceDocument, decode_text, file_symbol, sha256_hex

FORMAT = "sc-text"

ADOPTED = re.compile(r"Adopted (?:unanimously )?by the Security Council at its", re.IGNORECASE)
SC_OPENER = re.compile(r"^\W{0,2}The Security Council,", re.MULTILINE)
HEADING = re.compile(r"^\s*Resolution \d{1,4} \(\d{4}\)\s*$", re.MULTILINE)
SYMBOL = re.compile(r"^\s*S/RES/\d{1,4}\s*\(\d{4}\)\s*$")


def detect(head: str) -> bool:
    return bool(ADOPTED.search(head) or (SC_OPENER.search(head) and "Security Council" in head))


def layout(text: str) -> str:
    """ "paragraph-lines", "pdftotext-layout" or "wrapped", from the shape of the lines."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    indented = sum(1 for ln in lines if len(ln) - len(ln.lstrip()) >= 10)
    if lines and indented > len(lines) / 2:
        return "pdftotext-layout"
    long = sum(1 for ln in lines if len(ln) > 120)
    if long >= max(1, len(lines) // 5):
        return "paragraph-lines"
    return "wrapped"


def read(path: str, data: bytes) -> SourceDocument:
    text = decode_text(path, data)
    meta: dict[str, str] = {}
    kind = layout(text)
    if kind == "paragraph-lines":
        lines = _paragraph_lines(text)
    else:
        lines = _wrapped(text, meta, columns=kind == "pdftotext-layout")
    if "symbol" not in meta and (symbol := file_symbol(path)):
        meta["symbol_from_file_name"] = symbol
    out = "\n".join(lines) + "\n"
    return SourceDocument(path, FORMAT, out, sha256_hex(data), "lines", meta)


def _paragraph_lines(text: str) -> list[str]:
    lines = [close_spaced_hyphens(clean_spaces(ln)) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    quoted = [i for i, ln in enumerate(lines) if ln.startswith("“")]
    if len(quoted) > len(lines) / 2:
        # press-release form: each quoted paragraph opens with “, only the last closes
        for i in quoted:
            lines[i] = lines[i][1:].lstrip()
        last = quoted[-1]
        if lines[last].endswith("”") and lines[last].count("“") < lines[last].count("”"):
            lines[last] = lines[last][:-1].rstrip()
    return lines


def _wrapped(text: str, meta: dict[str, str], columns: bool) -> list[str]:
    raw = [ln.rstrip().replace("\f", "") for ln in text.splitlines()]
    body_start = next((i for i, ln in enumerate(raw) if HEADING.match(ln) or ADOPTED.search(ln)), 0)
    masthead: list[str] = []
    for ln in raw[:body_start]:
        for seg in re.split(r"\s{3,}", ln.strip()) if columns else [ln.strip()]:
            seg = clean_spaces(seg)
            if not seg:
                continue
            if job := job_number(seg):
                meta.setdefault("job_number", job)
                continue
            if BARCODE_LINE.match(seg):
                continue
            masthead.append(seg)
    for i, seg in enumerate(masthead):
        if SYMBOL.match(seg):
            meta["symbol"] = seg
        if seg.startswith("Distr.") and (
            date := iso_date(seg) or (iso_date(masthead[i + 1]) if i + 1 < len(masthead) else None)
        ):
            meta["distribution_date"] = date
    body: list[str] = []
    for ln in raw[body_start:]:
        s = ln.strip()
        if job := job_number(s):
            meta.setdefault("job_number", job)
            continue
        if BARCODE_LINE.match(s) or SYMBOL.match(s) or re.fullmatch(r"\d{1,3}", s):
            continue  # barcode, running header, page number
        body.append(ln)
    body = _number_back_in_front(body)
    vocab = Vocabulary(body)
    paragraphs = unwrap(body, vocab)
    return masthead + ([""] if masthead else []) + paragraphs


def _number_back_in_front(lines: list[str]) -> list[str]:
    """ "            Calls upon ..." + "      3." -> "      3. Calls upon ...".

    The copy put a paragraph's number on the line after the paragraph's first line when the
    first line was set further in than the number; the number line is then alone.
    """
    out: list[str] = []
    for ln in lines:
        if NUMBER_ONLY.match(ln) and out and out[-1].strip():
            prev = out[-1]
            indent_prev = len(prev) - len(prev.lstrip())
            indent_num = len(ln) - len(ln.lstrip())
            if indent_prev > indent_num and not NUMBER_ONLY.match(prev):
                out[-1] = ln.rstrip() + " " + prev.strip()
                out[-1] = " " * indent_num + out[-1].strip()
                continue
        out.append(ln)
    return out
