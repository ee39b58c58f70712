"""First parsing stage: turn a SourceDocument's text into clean blocks, one per paragraph.

Guarantees given to `parse.structure` (and relied on there):

1. Each `Block` is one paragraph, heading, masthead field or footnote of the source, in
   source order; empty lines are gone.
2. Block text is Unicode NFC, with tabs and runs of spaces folded to one space, no form
   feeds, no soft hyphens or zero-width characters, no `[DU1]` / `<<ODS ...>>` markers,
   trimmed.
3. Layout debris is gone: rules of underscores or dashes, lone page numbers, lone job
   numbers ("03 50274"), and lines that only repeat the document's own symbol (running
   headers).
4. A masthead glued together by the ODS export ("United NationsA/RES/58/136General
   AssemblyDistr.: General") is split into one block per field.
5. `Block.span` gives the offsets of the block in `SourceDocument.text`; `Block.line` its
   1-based line number there.  Normalisation never moves text across blocks, so an offset
   inside a block maps back to `span.start` plus that offset, exactly when the block needed
   no folding and closely otherwise.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ldexport.model import Span
from ldexport.sources.base import SourceDocument
from ldexport.symbols import canonical


@dataclass(frozen=True)
class Block:
    """One paragraph of the source: its clean text, and where it stands in the source."""

    text: str
    span: Span
    line: int
    raw: str  # the source text the block was cleaned from: source[span.start:span.end]

    def source_offset(self, i: int) -> int:
        """The offset in the source of character `i` of the block's clean text (or of its
        end, for `i == len(text)`)."""
        if i >= len(self.text):
            return self.source_offset(len(self.text) - 1) + 1 if self.text else self.span.start
        return self.span.start + self._raw_positions[i]

    @cached_property
    def _raw_positions(self) -> Sequence[int]:
        """Where each character of the clean text is in `raw`, found in one walk: cleaning
        only deletes characters and folds white space, so the clean text is a subsequence of
        the raw text with white space runs shrunk; each character is the first match after
        the previous one.  A word found whole where its first letter is (nothing deleted
        inside it) is placed at once.  (Citations ask for many offsets in a block; walking
        from the start for each, a character at a time, was a third of the parsing time.)

        Most blocks needed no cleaning at all: there the walk gives each character where it
        is, so that is returned without walking (the text being printable rules out the one
        exception, a white space other than " " right after a space)."""
        if self.text == self.raw and self.text.isprintable():
            return range(len(self.text))
        raw, j, positions = self.raw, 0, []
        for word in _WORDS.findall(self.text):
            if word == " ":  # a folded run of white space, or a removed marker
                while j < len(raw) and not raw[j].isspace():
                    j += 1
                positions.append(j)
                while j < len(raw) and raw[j].isspace():
                    j += 1
                continue
            found = raw.find(word[0], j)
            if found >= 0 and raw.startswith(word, found):
                positions.extend(range(found, found + len(word)))
                j = found + len(word)
                continue
            for c in word:
                found = raw.find(c, j)
                pos = found if found >= 0 else j
                positions.append(pos)
                j = pos + 1
        return positions


_WORDS = re.compile(r"[^ ]+| ")
_MARKERS = re.compile(r"\[DU\d+\]|<<ODS [A-Z0-9 ]+>>.*?<<ODS [A-Z0-9 ]+>>|<<ODS [A-Z0-9 ]+>>")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\ufeff\u000c]")
_OTHER_SPACES = "\t\u00a0\u2002\u2003\u2007\u2009\u202f"  # folded to " " as runs of " " are
_SPACES = re.compile(f"[ {_OTHER_SPACES}]+")
_DEBRIS = re.compile(
    r"""^(?:
        [_\-–—=*.\s]+               # rules of underscores, dashes, stars
      | \d{1,3}                     # a lone page number
      | \d{1,3}\s*/\s*\d{1,3}       # "2/5" page footers
      | \d{2}\s?\d{5}(?:\s*\(E\))?  # ODS job number "03 50274", "03-50274 (E)"
    )$""",
    re.VERBOSE,
)
# Where the ODS export glued masthead fields together, put a line break back.
_MASTHEAD_GLUE = re.compile(
    r"(?<=\S)(?=(?:General Assembly|Security Council|Distr\.:|Distr\. :|A/RES/|S/RES/))"
    r"|(?<=United Nations)(?=\S)"
    r"|(?<=\d{4})(?=[A-Z][a-z]+(?:-[a-z]+)? (?:special |emergency special )?session)"
)
_MASTHEAD_LINE = re.compile(r"^\s*United Nations\S|Distr\.\s?:|\d{4}[A-Z][a-z-]+ session")
_MASTHEAD_WORDS = ("United Nations", "Distr.", " session")  # one is in every _MASTHEAD_LINE


def clean(text: str) -> str:
    """Guarantee 2 on one line of text."""
    text = unicodedata.normalize("NFC", text)
    text = _MARKERS.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    # most lines have single spaces only: skip the substitution, which matches every space
    if "  " in text or any(c in text for c in _OTHER_SPACES):
        text = _SPACES.sub(" ", text)
    return text.strip()


def normalise(doc: SourceDocument) -> list[Block]:
    """The blocks of a document (guarantees above)."""
    own = {canonical(doc.metadata[k]) for k in ("symbol",) if doc.metadata.get(k)}
    edges = {(s[:1], s[-1:]) for s in own}
    blocks: list[Block] = []
    pos = 0
    for number, raw in enumerate(doc.text.splitlines(keepends=True), start=1):
        start, pos = pos, pos + len(raw)
        line = raw.rstrip("\r\n")
        for piece_start, piece in _split_numbered(_split_glued(line)):
            text = clean(piece)
            if not text or _DEBRIS.match(text) or _is_own_symbol(text, own, edges):
                continue
            begin = start + piece_start
            blocks.append(Block(text, Span(begin, begin + len(piece)), number, piece))
    return blocks


_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\.\s")
_GLUED_NUMBER = re.compile(r"(?<=[;.])\s+(?P<n>\d{1,3})\.\s+(?=[A-Z])")


def _split_numbered(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Split operative paragraphs an extraction ran together ("...; 10. Confirms ...").

    Only where the number continues the sequence of the line's own first paragraph, so that
    "paragraphs 16 and 17. The" or a date is never taken for a paragraph start.
    """
    out: list[tuple[int, str]] = []
    for start, piece in pieces:
        first = _LEADING_NUMBER.match(piece)
        if first is None:
            out.append((start, piece))
            continue
        expected, cut = int(first[1]) + 1, 0
        for m in _GLUED_NUMBER.finditer(piece):
            if int(m["n"]) == expected:
                out.append((start + cut, piece[cut : m.start()]))
                cut = m.start("n")
                expected += 1
        out.append((start + cut, piece[cut:]))
    return out


def _is_own_symbol(text: str, own: set[str], edges: set[tuple[str, str]]) -> bool:
    """Is a block one of the symbols in `own` (their first and last characters in `edges`)?

    canonical() only removes white space, which a clean block has not at its edges, so a
    block that does not begin and end as a symbol does is not canonicalised (most do not)."""
    return (text[:1], text[-1:]) in edges and canonical(text) in own


def _split_glued(line: str) -> list[tuple[int, str]]:
    """A line, or the pieces of a glued masthead line with their offsets in the line."""
    if (
        len(line) > 200
        or not any(w in line for w in _MASTHEAD_WORDS)
        or not _MASTHEAD_LINE.search(line)
    ):
        return [(0, line)]
    cuts = [0, *(m.start() for m in _MASTHEAD_GLUE.finditer(line) if m.start() > 0), len(line)]
    return [(a, line[a:b]) for a, b in itertools.pairwise(cuts) if b > a]
