"""Markdown with YAML front matter: railcar's PyMuPDF extractions and a Jekyll blog post.

Written against the railcar Markdown of A/RES/80/1 ... 80/30 (extract_version 1.3.0: front
matter with the symbol, Digital Library record id and title, and the DISTRIBUTION `date`;
body = PyMuPDF text of the UN PDF, one block per paragraph, footnotes partly turned into
`[^n]` and defined as `[^n]: text` after a `---` rule) and against A/RES/61/295 as a Jekyll
post converted from the UN's HTML page (`_italics_`, `&#91;...&#93;` brackets, `(_a_)`
list markers, `####` headings, hard line breaks, `[^n]` footnotes, a "via:" link list).

Repairs, each by a rule that the text itself shows:

* the masthead, glued by PyMuPDF ("General Assembly Distr.: General 18 November 2025",
  "Eightieth session Agenda item 89"), is split one fact a line, and so is "40th plenary
  meeting 14 November 2025";
* running headers left in the flow (a block repeating the title of the "80/4. Title" line, or
  the symbol) are dropped, and the paragraph the page break split is joined again when the
  first part stops without punctuation ("... during the general debate of the" / "Assembly
  at its eightieth session") or the second part starts in lowercase or with a number that
  is no paragraph number ("... 51/17 of 12 November" / "1996, 52/10 ...");
* inside a block, a single newline is a line break only before a paragraph number, a
  sub-paragraph letter or a preambular opener; otherwise the lines are one paragraph;
* paragraphs glued together are split before the paragraph number that comes next in
  sequence ("... Pact for the Future. 16 9. We note ...", "Global context and shared
  commitments 3. We gather ...") and before a first-person "We <verb>" that follows a
  lowercase word with no punctuation ("... agenda of the We welcome ...");
* a line-end hyphen that PyMuPDF joined with a space ("post- conflict", "Nuclear-
  Test-Ban") is closed up (`_text.close_spaced_hyphens`);
* footnote definitions become "N text" lines at the end; a definition whose label breaks
  the 1, 2, 3 ... sequence ("[^1994]: (United Nations publication ...)") is the previous
  footnote's next line that the converter mistook for a definition;
* `_italics_`, `**bold**`, heading marks, HTML entities, `(_a_)` markers (and several of
  them glued on one line), "**Footnotes**", and a trailing "via:" list of links go.

What cannot be repaired here because the extraction lost it: words dropped at a glue point
("... the development agenda of the [landlocked developing countries. 2.] We welcome"), a
title line cut at its first line ("80/2. Scale of assessments for the apportionment of the
expenses of the"), and footnote references printed as spaced numbers ("Court, 7 and"),
which cannot be told from numbers in the text; glued references ("2024,1") stay glued.
"""

from __future__ import annotations

import html
import re

from ldexport.sources import frontmatter
from ldexport.sources._text import (
    FUNCTION_WORD_END,
    ORGAN_OPENER,
    PARA_NUMBER,
    PREAMBLE_OPENER,
    clean_spaces,
    close_spaced_hyphens,
    ends_sentence,
    split_masthead,
    split_meeting_date,
)
from ldexport.sources.base import SourceDocument, decode_text, file_symbol, sha256_hex

FORMAT = "markdown"

FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]]+)\]:\s?(?P<text>.*)$")
TITLE_LINE = re.compile(r"^(?P<number>(?:ES-\d+|S-\d+|\d+)/\d+[A-Z]?)\.\s+(?P<title>.+)$")
LINK_ITEM = re.compile(r"^\s*[-*+]\s+.*\[[^\]]*\]\([^)]*\)")
ITALIC_MARKER = re.compile(r"\(_([a-z]{1,4})_\)")
HEADING_MARK = re.compile(r"^#{1,6}\s+")
BOLD = re.compile(r"\*\*(.+?)\*\*")
EMPHASIS = re.compile(r"(?<![\w\\])_(\S(?:.*?\S)?)_(?!\w)")
EMPHASIS_EDGE = re.compile(r"^_(?=\S)|(?<=\S)_$")  # emphasis that spans a hard line break
SPACE_BEFORE_NOTE = re.compile(r"(?<=\S) +(?=\[\^[^\]]+\](?!:))")  # "2006, [^1]" -> "2006,[^1]"
GLUED_ITEMS = re.compile(r"\s+(?=\([a-z]{1,4}\)\s{2,})")
LIST_LINE_OPENER = re.compile(r"^(?:\d{1,3}\.\s|\([a-z]{1,4}\)\s|\([ivx]+\)\s|[IVX]+\.\s)")


def detect(head: str) -> bool:
    return frontmatter.has_front_matter(head)


def read(path: str, data: bytes) -> SourceDocument:
    text = decode_text(path, data)
    fm, body, _ = frontmatter.split(path, text)
    meta = frontmatter.metadata(fm)
    if "symbol" not in meta and (symbol := file_symbol(path)):
        meta["symbol_from_file_name"] = symbol
    blocks, notes = _blocks(body)
    paragraphs = _paragraphs(blocks, meta.get("symbol", ""))
    out = paragraphs + (["", *notes] if notes else [])
    return SourceDocument(path, FORMAT, "\n".join(out) + "\n", sha256_hex(data), "lines", meta)


# -- Markdown to blocks of lines -----------------------------------------------------------


def _inline(line: str) -> str:
    """A line without its inline markup.  (A pattern runs only when the line holds its
    marker: most lines hold none, and each pattern scans the whole line.)"""
    s = html.unescape(line)
    s = HEADING_MARK.sub("", s)
    s = ITALIC_MARKER.sub(r"(\1)", s)
    if "**" in s:
        s = BOLD.sub(r"\1", s)
    if "_" in s:
        s = EMPHASIS.sub(r"\1", s)
        s = EMPHASIS_EDGE.sub("", s)
    if "[^" in s:
        s = SPACE_BEFORE_NOTE.sub("", s)
    return s


def _blocks(body: str) -> tuple[list[list[str]], list[str]]:
    """Blocks of lines (a blank line ends a block) and the footnote definitions."""
    blocks: list[list[str]] = []
    notes: list[list[str]] = []
    cur: list[str] = []
    in_def = False
    for raw in body.splitlines():
        if m := FOOTNOTE_DEF.match(raw.strip()):
            label, note = m["label"], m["text"].strip()
            expected = int(notes[-1][0]) + 1 if notes and notes[-1][0].isdigit() else 1
            if label.isdigit() and int(label) != expected and notes:
                # "[^1994]: (United Nations ...)": a wrapped line read as a definition
                notes[-1][1] += " " + label + " " + note
            else:
                notes.append([label, note])
            in_def = True
            continue
        if in_def and raw.startswith(("    ", "\t")) and raw.strip():
            notes[-1][1] += " " + raw.strip()
            continue
        in_def = False
        stripped = raw.strip()
        if stripped in {"---", "***", "___"} or stripped in {"**Footnotes**", "via:"}:
            stripped = ""
        if LINK_ITEM.match(raw):
            stripped = ""
        if not stripped:
            if cur:
                blocks.append(cur)
            cur = []
            continue
        hard_break = raw.endswith("  ")
        line = _inline(stripped)
        # "(a) ... (b) ...": list items glued on one line
        parts = GLUED_ITEMS.split(line) if "(" in line else [line]
        for part in parts:
            cur.append(part + ("\n" if hard_break else ""))
    if cur:
        blocks.append(cur)
    footnotes = [clean_spaces(f"{n} {_inline(t)}") for n, t in notes]
    return blocks, footnotes


def _join_block(lines: list[str]) -> list[str]:
    """One block's lines as paragraphs: a single newline breaks only before an opener."""
    out: list[str] = []
    for line in lines:
        hard = line.endswith("\n")
        s = clean_spaces(line)
        if not s:
            continue
        if out and not out[-1].endswith("\n") and not _line_opens(out[-1], s):
            out[-1] = out[-1] + " " + s
        else:
            out.append(s)
        if hard:
            out[-1] += "\n"
    return [clean_spaces(p) for p in out]


def _line_opens(prev: str, line: str) -> bool:
    if LIST_LINE_OPENER.match(line) or ORGAN_OPENER.match(line):
        return True
    return ends_sentence(prev) and bool(PREAMBLE_OPENER.match(line)) and prev.endswith(",")


# -- blocks to paragraphs ------------------------------------------------------------------


def _paragraphs(blocks: list[list[str]], symbol: str) -> list[str]:
    paras: list[str] = []
    for block in blocks:
        paras.extend(_join_block(block))
    paras = [close_spaced_hyphens(p) for p in paras]
    # the masthead: everything before "Resolution adopted by ..."
    start = next((i for i, p in enumerate(paras) if p.startswith("Resolution adopted")), 0)
    head: list[str] = []
    for p in paras[:start]:
        head.extend(split_masthead(p))
    body = paras[start:]
    title = ""
    for p in body:
        if m := TITLE_LINE.match(p):
            title = m["title"].strip()
            break
    body = _drop_running_heads(body, title, symbol)
    body = _split_glued(body)
    out: list[str] = []
    for p in body:
        out.extend(split_meeting_date(p))
    return head + ([""] if head else []) + out


def _drop_running_heads(paras: list[str], title: str, symbol: str) -> list[str]:
    out: list[str] = []
    seen_title = False
    joinable = False
    for p in paras:
        if TITLE_LINE.match(p):
            seen_title = True
            out.append(p)
            joinable = False
            continue
        if seen_title and (p == symbol or (title and p == title)):
            joinable = True
            continue
        if out and seen_title and _continues(out[-1], p, after_header=joinable):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
        joinable = False
    return out


def _continues(prev: str, nxt: str, after_header: bool) -> bool:
    """Is `nxt` the rest of `prev`, split by a page break?"""
    if TITLE_LINE.match(prev) or PARA_NUMBER.match(nxt) or ORGAN_OPENER.match(nxt):
        return False
    if split_meeting_date(prev) != [prev] or re.match(r"^\d+(?:st|nd|rd|th) plenary", prev):
        return False
    if len(prev) < 40 or ends_sentence(prev) or prev.endswith(("”", ")")):
        return False
    if nxt[:1].islower():
        return True
    if nxt[:1].isdigit() and not PREAMBLE_OPENER.match(nxt):
        return True
    if after_header and FUNCTION_WORD_END.search(prev):
        return True
    # a paragraph of the text (numbered, or opened by its verb) that stops on a word
    # goes on in the next block, unless that block opens a paragraph itself
    body = PARA_NUMBER.match(prev) or PREAMBLE_OPENER.match(prev) or prev.startswith("We ")
    return bool(body) and prev[-1:].isalpha() and len(nxt) > 60 and not _opens(nxt)


def _opens(text: str) -> bool:
    return bool(
        PARA_NUMBER.match(text)
        or ORGAN_OPENER.match(text)
        or PREAMBLE_OPENER.match(text)
        or re.match(r"^(?:We [a-z]|Annex\b|Article \d)", text)
    )


NEXT_NUMBER = re.compile(
    r"(?:(?<=[.;:,”)\]] )|(?<=[.;:] \d )|(?<=[.;:] \d\d )|(?<=[a-z\d] ))"
    r"(?P<n>\d{1,3})\. (?=[A-Z“])"
)
# What every NEXT_NUMBER match holds (each of its lookbehinds ends in a space): looked for
# first, as most paragraphs hold none and a pattern that opens with a literal is found far
# faster than one that opens with lookbehinds.
NUMBER_CANDIDATE = re.compile(r" \d{1,3}\. [A-Z“]")
GLUED_WE = re.compile(r"(?<=[a-z]) (?=We [a-z]{3,})")
NOT_A_PARAGRAPH = re.compile(r"(?:paragraphs?|paras?\.|resolution|annex|No\.|article|and|to)\s*$")


def _split_glued(paras: list[str]) -> list[str]:
    """Split paragraphs that the extraction glued together (see the module's docstring)."""
    out: list[str] = []
    last = 0
    for p in paras:
        pieces = [p]
        m0 = re.match(r"^(\d{1,3})\. ", p)
        if m0:
            last = int(m0[1])
        while True:
            tail = pieces[-1]
            best = None
            numbers = NEXT_NUMBER.finditer(tail, 1) if NUMBER_CANDIDATE.search(tail) else ()
            for m in numbers:
                n = int(m["n"])
                before = tail[: m.start()]
                if n in (last + 1, last + 2) and not NOT_A_PARAGRAPH.search(before.rstrip()):
                    best = m
                    break
            if best is None:
                break
            pieces[-1:] = [tail[: best.start()].rstrip(), tail[best.start() :]]
            last = int(best["n"])
        for piece in pieces:
            parts = GLUED_WE.split(piece) if " We " in piece else [piece]
            out.extend(part for part in (clean_spaces(x) for x in parts) if part)
    return out
