"""Raw PDF text extractions with YAML front matter: one PDF text line per line.

Written against the railcar extractions of A/RES/80/3 (extract_version 1.0.0) and A/RES/80/7
(1.1.0), PyMuPDF text of the UN PDF with front matter (symbol, Digital Library record id and
title, distribution `date`).  What the PDF layout left in the text:

* pages joined with an empty line; each page after the first opens with its running header
  and footer, in either order: the symbol, the title, the job number ("25-16680"), the page
  ("2/5") - dropped, as are the job number with language letter ("25-16680 (E)") and the
  barcode ("*2516680*") in the masthead;
* footnotes at the foot of a page after a "_______________" line, each "N text" with its
  wrapped lines - taken out and put at the end;
* paragraph numbers on a line of their own ("1. " / "Endorses the political ...") - put in
  front of their paragraph; a section number likewise ("I." / "Global context ...");
* paragraphs separated by a line holding one space, but not always (a numbered paragraph
  may follow the previous one directly); lines hard-wrapped at the text width, so they are
  unwrapped (see `_text.unwrap`), keeping line-end hyphens ("action-" + "oriented").
* the masthead one fact a line ("Distr.: General", "15 October 2025", "Eightieth session",
  "Agenda item 13"), the agenda item's title wrapped over lowercase-led lines.
"""

from __future__ import annotations

import re

from ldexport.sources import frontmatter
from ldexport.sources._text import (
    BARCODE_LINE,
    NUMBER_ONLY,
    Vocabulary,
    clean_spaces,
    is_page_furniture,
    job_number,
    join_lines,
    split_meeting_date,
    unwrap,
)
from ldexport.sources.base import SourceDocument, decode_text, sha256_hex

FORMAT = "raw-pdf-extract"

UNDERSCORES = re.compile(r"^\s*_{5,}\s*$")
FOOTNOTE_START = re.compile(r"^(?P<n>\d{1,3}) (?P<text>\S.*)$")
RESOLUTION_ADOPTED = re.compile(r"^\s*Resolution adopted by\b")


def detect(head: str) -> bool:
    if not frontmatter.has_front_matter(head):
        return False
    _, _, body = head.partition("\n---")
    lines = body.splitlines()
    furniture = sum(1 for ln in lines if BARCODE_LINE.match(ln) or job_number(ln))
    numbers = sum(1 for ln in lines if NUMBER_ONLY.match(ln))
    return furniture > 0 or numbers >= 2


def read(path: str, data: bytes) -> SourceDocument:
    text = decode_text(path, data)
    fm, body, _ = frontmatter.split(path, text)
    meta = frontmatter.metadata(fm)
    symbol = meta.get("symbol", "")
    title = meta.get("title", "")
    pages = re.split(r"\n(?:\r?\n)+(?=\S)", body.strip("\n"))
    lines: list[str] = []
    notes: list[str] = []
    for index, page in enumerate(pages):
        page_lines = [ln.rstrip() for ln in page.splitlines()]
        if index > 0:
            page_lines = _drop_running_head(page_lines, symbol, title)
        in_notes = False
        for ln in page_lines:
            if UNDERSCORES.match(ln):
                in_notes = True
                continue
            if in_notes:
                notes.append(ln)
                continue
            if job := job_number(ln):
                meta.setdefault("job_number", job)
                continue
            if BARCODE_LINE.match(ln):
                continue
            lines.append(ln)
    masthead, rest = _masthead(lines)
    rest = _numbers_forward([ln.strip() for ln in rest])
    vocab = Vocabulary(rest + notes)
    paragraphs: list[str] = []
    for p in unwrap(rest, vocab):
        paragraphs.extend(split_meeting_date(p))
    footnotes = _footnotes(notes, vocab)
    out = masthead + [""] + paragraphs + (["", *footnotes] if footnotes else [])
    return SourceDocument(path, FORMAT, "\n".join(out) + "\n", sha256_hex(data), "lines", meta)


def _drop_running_head(lines: list[str], symbol: str, title: str) -> list[str]:
    """Drop the header/footer lines a page opens with: symbol, title, job number, page."""
    out = list(lines)
    while out:
        s = clean_spaces(out[0])
        if (
            not s
            or s == symbol
            or (title and s.lower() == title.lower())
            or is_page_furniture(s)
            or _is_title_start(s, title)
        ):
            out.pop(0)
            continue
        break
    return out


def _is_title_start(line: str, title: str) -> bool:
    """A running header prints the title, sometimes over two lines: a head of the title."""
    return bool(title) and len(line) > 15 and title.lower().startswith(line.lower())


def _masthead(lines: list[str]) -> tuple[list[str], list[str]]:
    end = next((i for i, ln in enumerate(lines) if RESOLUTION_ADOPTED.match(ln)), 0)
    out: list[str] = []
    for ln in lines[:end]:
        s = clean_spaces(ln)
        if not s:
            continue
        if out and s[:1].islower():
            out[-1] = join_lines(out[-1], s)
        else:
            out.append(s)
    return out, lines[end:]


def _numbers_forward(lines: list[str]) -> list[str]:
    """ "1." alone on a line, then the paragraph: one line "1. Endorses ..."."""
    out: list[str] = []
    pending = ""
    for ln in lines:
        if NUMBER_ONLY.match(ln):
            if pending:
                out.append(pending)
            if out and out[-1].strip():
                out.append("")  # a number always opens a paragraph
            pending = ln.strip()
            continue
        if pending:
            if not ln.strip():
                continue
            out.append(pending + " " + ln.strip())
            pending = ""
            continue
        out.append(ln)
    if pending:
        out.append(pending)
    return out


def _footnotes(lines: list[str], vocab: Vocabulary) -> list[str]:
    notes: list[list[str]] = []
    expected = 1
    for ln in lines:
        s = clean_spaces(ln)
        if not s:
            continue
        m = FOOTNOTE_START.match(s)
        if m and int(m["n"]) in (expected, expected + 1):
            notes.append([m["n"], m["text"]])
            expected = int(m["n"]) + 1
        elif notes:
            notes[-1][1] = join_lines(notes[-1][1], s, vocab)
        else:
            notes.append(["", s])
    return [clean_spaces(f"{n} {t}") for n, t in notes]
