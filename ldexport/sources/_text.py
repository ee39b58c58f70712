"""Text repairs shared by the readers of formats that lost the document's paragraph structure.

Every UN document is laid out the same way (the Department for General Assembly and
Conference Management's template), so the same debris turns up in every extraction of it:

* page furniture: the printer's job number with the language letter and the print date
  ("18-16895 (E)    241018"), the barcode text ("*1816895*"), page footers ("2/10 18-16895",
  "18-16895 3/10", or a bare "2"), "Please recycle";
* line-end hyphens, which in UN documents are real hyphens: the documents are produced with
  automatic hyphenation switched off, so a line ends in "-" only where the word already had
  one ("non-" / "governmental", "tuberculosis-" / "associated").  The rule used everywhere
  (`join_lines`): keep the hyphen and join without a space, unless the document itself
  shows the word written solid elsewhere and never hyphenated; a soft hyphen (U+00AD) is
  always removed;
* glued masthead facts ("General Assembly Distr.: General 18 November 2025",
  "Eightieth session Agenda item 89", "40th plenary meeting 14 November 2025"), which the
  parser wants one to a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    )
}

DATE = re.compile(r"\b(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})\b")

# The printer's job number, language letter and print date: "18-16895 (E)    241018".
JOB_LINE = re.compile(r"^\s*(?P<job>\d{2}-\d{5})\s*(?:\([A-Z]\))\s*(?:\d{6})?\s*(?:\S.*)?$")
# Barcode text of the job number: "*1816895*".
BARCODE_LINE = re.compile(r"^\s*\*\d{7,}[A-Z]?\*\s*$")
# Page footers: "2/10 18-16895", "18-16895 3/10", "2/10", "18-16895", a bare page number.
PAGE_FOOTER_LINE = re.compile(
    r"^\s*(?:\d{1,3}/\d{1,3}(?:\s+\d{2}-\d{5})?|\d{2}-\d{5}(?:\s+\d{1,3}/\d{1,3})?|\d{1,3})\s*$"
)
RECYCLE_LINE = re.compile(r"^\s*(?:please|pleese)\s+recycle\s*$", re.IGNORECASE)

# What starts a paragraph in a resolution: "1.", "(a)", "(iv)", "I.", "A.".
PARA_NUMBER = re.compile(
    r"^(?:\d{1,3}\.|\([a-z]{1,2}\)|\([ivxlc]{1,6}\)|[IVXL]{1,6}\.|[A-Z]\.)(?:\s|$)"
)
NUMBER_ONLY = re.compile(
    r"^\s*(?:\d{1,3}\.|\([a-z]{1,2}\)|\([ivxlc]{1,6}\)|[IVXL]{1,6}\.|[A-Z]\.)\s*$"
)
# The leading word of a preambular paragraph: a participle or one of the adjectives the
# Assembly and the Council use ("Recalling", "Deeply concerned", "Mindful", "Aware").
PREAMBLE_OPENER = re.compile(
    r"^(?:[A-Z][a-z]+(?:ing|ed)|Aware|Mindful|Convinced|Conscious|Cognizant|Deeply|Gravely|"
    r"Seriously|Strongly|Further|Also|Bearing|Keeping|Noting|Alarmed|Determined|Desirous|"
    r"Guided|Seized|Acting|Having|Taking|Reaffirming|Recalling)\b"
)
ORGAN_OPENER = re.compile(r"^[“\"]?The (?:General Assembly|Security Council)\b")
MEETING_AND_DATE = re.compile(
    r"^(?P<meeting>\d{1,4}(?:st|nd|rd|th) (?:plenary )?meeting)\s+"
    r"(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})$"
)
FUNCTION_WORD_END = re.compile(
    r"\b(?:the|of|and|or|to|in|on|by|for|at|with|from|a|an|its|their|that|which|as|into|"
    r"under|upon|between|among|against|towards|this|these|those|nor)$"
)
WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*", re.UNICODE)

SOFT_HYPHEN = "\u00ad"
HYPHENS = "-‐"  # hyphen-minus and U+2010; U+2011 (non-breaking) never breaks a line


def one_line(text: object) -> str:
    """An error's text on one line (a SourceError message is one line)."""
    return " ".join(str(text).split())


def iso_date(text: str) -> str | None:
    """The first "18 October 2018" in `text` as "2018-10-18"."""
    m = DATE.search(text)
    if not m:
        return None
    return f"{int(m['year']):04d}-{MONTHS[m['month']]:02d}-{int(m['day']):02d}"


def is_page_furniture(line: str) -> bool:
    """A line that only the page layout adds: job number, barcode, page footer, recycling."""
    s = line.strip()
    return bool(
        JOB_LINE.match(s)
        or BARCODE_LINE.match(s)
        or PAGE_FOOTER_LINE.match(s)
        or RECYCLE_LINE.match(s)
    )


def job_number(line: str) -> str | None:
    m = JOB_LINE.match(line.strip())
    return m["job"] if m else None


class Vocabulary:
    """The words of one document, to judge whether a line-end hyphen belongs to the word."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.solid: set[str] = set()
        self.hyphenated: set[str] = set()
        # each distinct word once (no word runs over a line break)
        for w in set(WORD.findall("\n".join(texts))):
            lw = w.lower()
            if "-" in lw or "‐" in lw:
                self.hyphenated.add(lw.replace("‐", "-"))
                for part in re.split(r"[-‐]", lw):
                    self.solid.add(part)
            else:
                self.solid.add(lw)

    def drop_hyphen(self, left: str, right: str) -> bool:
        """True when "left-" + "right" is one word broken by a hyphen the line break added."""
        joined = (left + right).lower()
        return joined in self.solid and f"{left}-{right}".lower() not in self.hyphenated


EMPTY_VOCABULARY = Vocabulary(())


def join_lines(prev: str, nxt: str, vocab: Vocabulary = EMPTY_VOCABULARY) -> str:
    """Join two wrapped lines of one paragraph, repairing what the line break did."""
    prev = prev.rstrip()
    nxt = nxt.lstrip()
    if not prev:
        return nxt
    if not nxt:
        return prev
    if prev.endswith(SOFT_HYPHEN):
        return prev[:-1] + nxt
    if prev[-1] in HYPHENS and len(prev) > 1 and prev[-2].isalpha() and nxt[0].isalpha():
        left = WORD.findall(prev[:-1])[-1].split("-")[-1] if WORD.findall(prev[:-1]) else ""
        rm = WORD.match(nxt)
        right = rm.group(0).split("-")[0] if rm else ""
        if left and right and vocab.drop_hyphen(left, right):
            return prev[:-1] + nxt
        return prev + nxt
    if prev[-1] == "\u2011" or (prev[-1] in "–—/" and len(prev) > 1 and prev[-2] != " "):
        return prev + nxt
    return prev + " " + nxt


SPACE_RUN = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def clean_spaces(text: str) -> str:
    """Runs of spaces (also no-break spaces and tabs) as one space; NFC; no edge spaces."""
    text = unicodedata.normalize("NFC", text)
    # most text has single spaces only: skip the substitution, which matches every space
    if "  " in text or any(c in text for c in "\t\u00a0\u2007\u202f"):
        text = SPACE_RUN.sub(" ", text)
    return text.strip()


SPACED_HYPHEN = re.compile(r"(?<=[^\W\d_])- (?!(?:and|or|nor|to)\b)(?=[^\W\d_])")


def close_spaced_hyphens(text: str) -> str:
    """ "post- conflict" -> "post-conflict": a line-end hyphen an extraction joined with a space.

    A hyphen followed by a space is a line break only; the exception is a suspended compound
    ("low- and middle-income", "troop- and police-contributing", "pre- or post-"), kept
    before "and", "or", "nor" and "to".
    """
    return SPACED_HYPHEN.sub("-", text) if "- " in text else text


def split_meeting_date(line: str) -> list[str]:
    """ "40th plenary meeting 14 November 2025" -> the two lines the document prints."""
    m = MEETING_AND_DATE.match(line.strip())
    if m:
        return [m["meeting"], m["date"]]
    return [line]


def split_masthead(line: str) -> list[str]:
    """Split masthead facts that an extraction glued onto one line into one fact a line.

    "General Assembly Distr.: General 18 November 2025" -> "General Assembly",
    "Distr.: General 18 November 2025"; "Eightieth session Agenda item 7 Organization of
    work" -> "Eightieth session", "Agenda item 7", "Organization of work".
    """
    s = clean_spaces(line)
    out: list[str] = []
    m = re.match(
        r"^(?P<organ>General Assembly|Security Council|Economic and Social Council)\s+"
        r"(?P<rest>Distr\.:.*)$",
        s,
    )
    if m:
        return [m["organ"], m["rest"]]
    m = re.match(
        r"^(?P<session>\S+(?:-\S+)? (?:special |emergency special )?session)\s+"
        r"(?P<rest>Agenda items? .*|Item .*)$",
        s,
    )
    if m:
        out.append(m["session"])
        s = m["rest"]
    m = re.match(r"^(?P<item>Agenda items? [\d, and()a-z]+?)(?:\s+(?P<title>[A-Z].*))?$", s)
    if m:
        out.append(m["item"].strip())
        if m["title"]:
            out.append(m["title"])
        return out
    out.append(s)
    return out


def starts_paragraph(line: str) -> bool:
    """A line that begins a paragraph whatever came before: a number, the organ's name."""
    s = line.lstrip().lstrip('“"')
    return bool(PARA_NUMBER.match(s) or ORGAN_OPENER.match(line.lstrip()))


def ends_sentence(line: str) -> bool:
    s = line.rstrip().rstrip("”’\"')]")
    return bool(s) and s[-1] in ".;:,!?"


def unwrap(lines: Sequence[str], vocab: Vocabulary | None = None) -> list[str]:
    """Hard-wrapped text lines -> paragraphs, using only what survives in plain text.

    A new paragraph starts after a blank line; at a line indented further than the line
    before it (a first-line indent, as `pdftotext -layout` keeps it); at a paragraph number
    or "(a)" after a line that ends a sentence; at a preambular opener after a line ending
    in a comma; and after a line that is clearly short of the text width (the next line's
    first word would have fitted on it).  Otherwise the lines are one paragraph.
    """
    vocab = vocab or Vocabulary(lines)
    lengths = sorted(len(s.strip()) for s in lines if 50 <= len(s.strip()) <= 120)
    width = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 5 else 0
    paras: list[str] = []
    cur = ""
    prev_raw = ""
    for i, raw in enumerate(lines):
        if not raw.strip():
            if cur:
                paras.append(cur)
            cur, prev_raw = "", ""
            continue
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if cur and _breaks(prev_raw, raw, after, width):
            paras.append(cur)
            cur = ""
        cur = join_lines(cur, raw.strip(), vocab) if cur else raw.strip()
        prev_raw = raw
    if cur:
        paras.append(cur)
    return [clean_spaces(p) for p in paras]


NOT_AN_OPENER = re.compile(
    r"^(?:United|Beijing|Nanjing|Twenty|Thirty|Forty|Fifty|Sixty|Seventy|Eighty|Ninety)\b"
)


def _is_heading(line: str, width: int) -> bool:
    """A short title-like line between paragraphs ("Travel ban", "Annex")."""
    return (
        width > 0
        and 0 < len(line) < width * 0.5
        and line[:1].isupper()
        and not ends_sentence(line)
        and not FUNCTION_WORD_END.search(line)
        and not PARA_NUMBER.match(line)
        and not line.startswith(("The ", "Adopted ", "Resolution "))
    )


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip(" \u00a0"))


def _breaks(prev: str, nxt: str, after: str, width: int) -> bool:
    p, n, a = prev.strip(), nxt.strip(), after.strip()
    if _indent(nxt) > _indent(prev) + 3 and (not a or _indent(after) < _indent(nxt) - 3):
        # a first-line indent: the line is set in from the lines before and after it (a
        # column moving between pages, or a stretch that lost its indent, moves them all)
        return True
    if _is_heading(p, width) or (_is_heading(n, width) and PARA_NUMBER.match(a)):
        return True
    if n[:1].islower():
        return False  # a paragraph never starts in lowercase
    if FUNCTION_WORD_END.search(p) and not PARA_NUMBER.match(n):
        return False  # nor ends on an article, a preposition or a conjunction
    if ORGAN_OPENER.match(n):
        return True
    if PARA_NUMBER.match(n.lstrip('“"')) and (ends_sentence(p) or len(p) < 0.7 * width):
        return True
    if p.endswith((",", ";")) and PREAMBLE_OPENER.match(n.lstrip('“"')):
        # a preambular paragraph ends with a comma and the next one opens with its verb,
        # capitalized: inside a sentence such a word is never capitalized
        return not NOT_AN_OPENER.match(n)
    if width == 0:
        # not hard-wrapped: each line is a paragraph unless it plainly continues
        return not (n[:1].islower() and not ends_sentence(p))
    first = n.split(" ", 1)[0]
    if len(p) > width * 1.15:
        # a line longer than the text width is a whole paragraph (one-paragraph-per-line
        # stretches inside a wrapped text); it continues only into lowercase text
        return not (n[:1].islower() or not ends_sentence(p))
    return len(p) + 1 + len(first) < width * (0.8 if not ends_sentence(p) else 0.92)
