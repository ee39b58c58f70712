"""Second parsing stage: recover the structure of a resolution from its blocks.

The parser is a small state machine over `normalise.Block`s.  Each block is classified by
the line patterns below (masthead, adoption line, committee line, title, enacting formula,
numbered paragraph, sub-paragraph, section, annex, meeting line, footnote); the zone says
where in the document we are (front matter, preamble, operative part, after the meeting
line, annex, footnotes).  What the parser cannot place becomes a warning that names the file
and the line, never invented structure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from ldexport.errors import ParseError
from ldexport.model import (
    AgendaItem,
    Citation,
    Footnote,
    Kind,
    Resolution,
    Session,
    SourceInfo,
    Span,
    Subdivision,
)
from ldexport.parse import citations as cite
from ldexport.parse.normalise import Block
from ldexport.sources.base import SourceDocument
from ldexport.symbols import canonical, describe, roman_to_int
from ldexport.un import COMMITTEES, MONTHS

DATE = rf"(?:\d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}})"

# --- line patterns -------------------------------------------------------------------------
ADOPTED_GA = re.compile(rf"^Resolution adopted by the General Assembly(?: on (?P<date>{DATE}))?")
ADOPTED_SC = re.compile(
    r"^Adopted (?P<how>unanimously |without a vote |)by the Security Council"
    rf"(?: at its (?P<meeting>\d+)(?:st|nd|rd|th) meeting)?,?(?: on (?P<date>{DATE}))?"
)
SC_HEADING = re.compile(r"^Resolution (?P<num>\d+) \((?P<year>\d{4})\)$")
COMMITTEE = re.compile(
    r"^\[\s*on the reports? of the (?P<name>.+? Committee(?: \([A-Za-z]+ Committee\))?)"
    r"\s*\((?P<docs>[^\]]*)\)\s*\]$"
)
NO_COMMITTEE = re.compile(
    r"^\[\s*without reference to a Main Committee\s*\((?P<docs>[^\]]*)\)\s*\]$"
)
TITLE = re.compile(
    r"^(?P<num>(?:ES-\d+|S-\d+|\d+)/\d+|\d+ \([IVXLC]+\))"  # 58/136, ES-10/19, 181 (II)
    r"\s*(?P<letter>[A-Z])?\s*\.\s*(?P<title>.*)$"  # a letter (36/120 E), then the title
)
LETTER = re.compile(r"^(?P<letter>[A-Z])\s*\.?$")
ENACTING = re.compile(r"^The (?P<organ>General Assembly|Security Council)\s*,?$")
OPERATIVE = re.compile(r"^(?P<num>\d{1,3})\s*\.\s+(?P<text>\S.*)$")
SUBPARA = re.compile(r"^\((?P<num>[a-z]{1,4})\)\s*(?P<text>\S.*)$")
DASH_ITEM = re.compile(r"^[-–—•]\s+(?P<text>\S.*)$")
SECTION = re.compile(r"^(?P<num>[IVXL]+)\s*\.?(?:\s+(?P<heading>\S.{0,150}))?$")
ARTICLE = re.compile(r"^Article (?P<num>\d+)$")
ANNEX = re.compile(r"^Annex(?:es)?(?:\s+(?P<num>[IVXL]+|\d+))?\s*$")
MEETING = re.compile(
    rf"^(?P<num>\d+)(?:st|nd|rd|th) plenary meeting(?:\s*,?\s*(?P<date>{DATE}))?\s*$"
)
DATE_LINE = re.compile(rf"^{DATE}$")
FOOTNOTE = re.compile(r"^(?P<num>\d{1,3})\s+(?P<text>\S.*)$")
DISTR = re.compile(rf"Distr\.\s?:\s*(?:General|Limited|Restricted)\s*(?P<date>{DATE})?")
SESSION = re.compile(
    r"^(?P<label>(?:[A-Z][a-z]+-)?[A-Za-z]+(?:-[a-z]+)? (?:(?:emergency )?special )?session)\b"
)
AGENDA = re.compile(
    r"^Agenda items? (?P<items>\d+(?:\s*\([a-z]{1,3}\))?"
    r"(?:(?:\s*,\s*|\s+and\s+)\d+(?:\s*\([a-z]{1,3}\))?)*)\s*(?P<label>.*)$"
)
MASTHEAD = re.compile(r"^(?:United Nations|General Assembly|Security Council|Original: \w+)$")
SYMBOL_LINE = re.compile(r"^(?P<sym>[AS]/(?:RES/)?[A-Za-z0-9./\-]+(?:\s*\((?:\d{4}|[IVX]+)\))?)$")
DRAFT_LINE = re.compile(r"^(?P<sponsors>.+?):\s+(?:revised )?draft resolution$")
# Footnote markers in running text: "Director,1", "terrorism2", "[^3]".  (The lookahead
# first fails at once where no marker starts, which is most places.)
NOTE_MARK = re.compile(
    r"(?=[\[\d])(?:\[\^(?P<a>\d{1,3})\]|(?<=[A-Za-z\)\].,;:”\"’])(?P<b>\d{1,3})(?=[\s,;.:)]|$))"
)
ORDINAL_NUMBER = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
NOTE_AT_END = re.compile(r"(?:\[\^\d{1,3}\]|(?<=\D)\d{1,3})$")

# Words that follow the leading word of a preambular paragraph and belong to its leading
# phrase ("Recalling also", "Bearing in mind", "Noting with deep concern").
_PREAMBLE_TAIL = re.compile(
    r"^(?:also|further|furthermore|moreover|again|in addition|in mind|note"
    r"|with (?:deep |grave |great |serious |profound )?(?:appreciation|satisfaction|concern"
    r"|regret|alarm|interest)|in particular)\b",
    re.IGNORECASE,
)
# Adverbs before the leading word ("Also requests", "Strongly condemns", "Deeply concerned").
_ADVERBS = re.compile(
    r"^(?:(?:also|further|again|once again|once more|strongly|firmly|deeply|gravely|urgently"
    r"|fully|finally|emphatically|unequivocally|categorically|solemnly|warmly|seriously)\s+)+",
    re.IGNORECASE,
)
_OPERATIVE_TAIL = re.compile(r"^(?:upon|on|note)\b")


@dataclass
class _Node:
    """A subdivision under construction (mutable while parsing, frozen at the end).

    `pieces` say where the node's text came from: (offset in `text`, block, offset in the
    block's text), one per block the text was joined from, so that any offset in the text
    maps back to the source.
    """

    kind: Kind
    number: str | None
    text: str
    line: int
    pieces: list[tuple[int, Block, int]]
    heading: str | None = None
    children: list[_Node] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    flat: bool = False  # a section heading whose paragraphs continue the parent's numbering

    @classmethod
    def of(cls, kind: Kind, number: str | None, block: Block, start: int = 0) -> _Node:
        return cls(kind, number, block.text[start:], block.line, [(0, block, start)])

    def extend(self, block: Block, start: int = 0) -> None:
        """Join the text of another block (a paragraph split by a page break)."""
        self.text += " "
        self.pieces.append((len(self.text), block, start))
        self.text += block.text[start:]

    def source_offset(self, i: int) -> int:
        at, block, start = next(p for p in reversed(self.pieces) if p[0] <= i)
        return block.source_offset(start + i - at)

    @property
    def span(self) -> Span:
        first, last = self.pieces[0], self.pieces[-1]
        return Span(first[1].source_offset(first[2]), last[1].span.end)


@dataclass
class _Doc:
    """One resolution under construction."""

    number: str | None = None
    letter: str | None = None
    title: str | None = None
    adoption_date: str | None = None
    distribution_date: str | None = None
    session_label: str | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
    agenda_label: list[str] = field(default_factory=list)
    committee_name: str | None = None
    reports: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    meeting: str | None = None
    vote: str | None = None
    body: str | None = None
    enacting: str | None = None
    sponsors: str | None = None
    sc_number: str | None = None
    masthead_symbol: str | None = None
    parts: list[_Node] = field(default_factory=list)
    footnotes: list[_Node] = field(default_factory=list)

    def next_letter(self, letter: str) -> _Doc:
        """The next resolution of a lettered group (36/120 A, B, ...): same header."""
        return _Doc(
            number=self.number,
            letter=letter,
            title=self.title,
            distribution_date=self.distribution_date,
            session_label=self.session_label,
            agenda=list(self.agenda),
            agenda_label=list(self.agenda_label),
            committee_name=self.committee_name,
            reports=list(self.reports),
            body=self.body,
            masthead_symbol=self.masthead_symbol,
        )


def iso_date(text: str) -> str:
    """ "22 December 2003" -> "2003-12-22"."""
    return datetime.strptime(text.strip(), "%d %B %Y").date().isoformat()


def parse(doc: SourceDocument, blocks: Sequence[Block]) -> list[Resolution]:
    """The resolutions a document holds (usually one), or ParseError if it holds none."""
    return _Parser(doc, blocks).run()


class _Parser:
    def __init__(self, doc: SourceDocument, blocks: Sequence[Block]) -> None:
        self.doc = doc
        self.blocks = list(blocks)
        self.warnings: list[str] = []
        self.done: list[_Doc] = []
        self.d = _Doc()
        self.zone = "front"  # front, preamble, operative, end, annex, notes
        self.section: _Node | None = None
        self.annex: _Node | None = None
        self.last: _Node | None = None  # the last paragraph, for sub-paragraphs
        self.pending_heading: str | None = None
        self.last_field = ""  # what the previous front-matter block was

    def warn(self, block: Block, what: str) -> None:
        self.warnings.append(f"{self.doc.path}:{block.line}: {what}: {block.text[:60]!r}")

    # --- the state machine -------------------------------------------------------------------
    def run(self) -> list[Resolution]:
        for i, block in enumerate(self.blocks):
            nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
            self.step(block, nxt)
        self.done.append(self.d)
        if not any(d.enacting or d.title or d.parts for d in self.done):
            raise ParseError(
                self.doc.path, "not a resolution: no adoption line, title or enacting formula"
            )
        return [self.finish(d) for d in self.done]

    def step(self, block: Block, nxt: Block | None) -> None:
        text = block.text
        if self.zone in ("front", "end", "notes") and self.front_matter(block, nxt):
            return
        if m := ENACTING.match(text):
            if self.annex is not None:  # the formula of a declaration printed as an annex
                self.annex.text = self.annex.text or text
            else:
                self.d.enacting = text if text.endswith(",") else text + ","
                self.d.body = self.d.body or (
                    "un-ga" if m["organ"] == "General Assembly" else "un-sc"
                )
                self.zone = "preamble"
            return
        if self.zone == "front":
            self.warn(block, "skipped text before the resolution begins")
            return
        if self.after_body(block):
            return
        if m := ANNEX.match(text):
            self.open_annex(block, m["num"])
            return
        if self.zone == "notes":
            self.warn(block, "skipped text among the footnotes")
            return
        if (m := SECTION.match(text)) and self.zone in ("preamble", "operative", "annex"):
            self.open_section(block, m["num"], m["heading"])
            return
        if (m := ARTICLE.match(text)) and self.annex is not None:
            self.open_section(block, m["num"], text)
            return
        self.paragraph(block, nxt)

    def front_matter(self, block: Block, nxt: Block | None) -> bool:
        """Masthead, adoption line, committee line, title: True if the block was one."""
        text = block.text
        d = self.d
        field_was, self.last_field = self.last_field, ""
        if m := DISTR.search(text):
            if m["date"]:
                d.distribution_date = iso_date(m["date"])
            self.last_field = "distr"
            return True
        if MASTHEAD.match(text):
            return True
        if m := SYMBOL_LINE.match(text):
            d.masthead_symbol = d.masthead_symbol or canonical(m["sym"])
            return True
        if DATE_LINE.match(text) and field_was == "distr":
            d.distribution_date = iso_date(text)
            return True
        if m := SESSION.match(text):
            d.session_label = m["label"][0].upper() + m["label"][1:]
            rest = text[m.end() :].strip()
            if rest and (a := AGENDA.match(rest)):
                self.agenda(a)
            return True
        if m := AGENDA.match(text):
            self.agenda(m)
            return True
        if self.zone != "front":
            return self.letter(text)
        return self.adoption_and_title(block, nxt, field_was)

    def adoption_and_title(self, block: Block, nxt: Block | None, field_was: str) -> bool:
        text = block.text
        d = self.d
        if m := ADOPTED_GA.match(text):
            d.body = "un-ga"
            if m["date"]:
                d.adoption_date = iso_date(m["date"])
        elif m := ADOPTED_SC.match(text):
            d.body = "un-sc"
            self.sc_adoption(m)
        elif (m := re.match(rf"^on (?P<date>{DATE})$", text)) and field_was == "adopted-sc":
            d.adoption_date = d.adoption_date or iso_date(m["date"])
        elif m := SC_HEADING.match(text):
            d.body = "un-sc"
            d.sc_number = f"{m['num']}({m['year']})"
        elif m := COMMITTEE.match(text):
            d.committee_name = m["name"]
            d.reports = self.symbols_in(m["docs"])
        elif m := NO_COMMITTEE.match(text):
            d.drafts = self.symbols_in(m["docs"])
        elif m := DRAFT_LINE.match(text):
            d.sponsors = m["sponsors"]
        elif (m := TITLE.match(text)) and d.title is None:
            d.number = m["num"]
            d.letter = m["letter"]
            d.title = m["title"].rstrip(" .") or None
        elif LETTER.match(text) and d.number and d.enacting is None:
            d.letter = text.rstrip(" .")
        elif field_was == "agenda" and len(d.agenda) == 1:
            d.agenda_label.append(text)  # the agenda item's title, over one or more lines
            self.last_field = "agenda"
            return True
        else:
            return False
        if ADOPTED_SC.match(text):
            self.last_field = "adopted-sc"
        return True

    def letter(self, text: str) -> bool:
        """ "B" after the meeting line of 36/120 A: the next resolution of the group starts."""
        m = LETTER.match(text)
        if m is None or self.d.letter is None or ord(m["letter"]) != ord(self.d.letter) + 1:
            return False
        self.done.append(self.d)
        self.d = self.d.next_letter(m["letter"])
        self.zone, self.section, self.annex, self.last = "front", None, None, None
        return True

    def sc_adoption(self, m: re.Match[str]) -> None:
        d = self.d
        d.meeting = m["meeting"]
        if m["how"].strip() == "unanimously":
            d.vote = "unanimous"
        elif m["how"].strip() == "without a vote":
            d.vote = "without-vote"
        if m["date"]:
            d.adoption_date = iso_date(m["date"])

    def agenda(self, m: re.Match[str]) -> None:
        items = re.split(r"\s*,\s*|\s+and\s+", m["items"])
        for item in items:
            self.d.agenda.append(AgendaItem(re.sub(r"[\s()]", "", item)))
        if m["label"].strip():
            self.d.agenda_label.append(m["label"].strip())
        self.last_field = "agenda"

    def symbols_in(self, docs: str) -> list[str]:
        """The symbols of a committee line ("A/80/534, para. 7", "A/61/L.67 and Add.1")."""
        found = cite.find_citations(docs, body="un-ga")
        return list(dict.fromkeys(c.symbol for c in found))

    def after_body(self, block: Block) -> bool:
        """Meeting line, closing date and footnotes, after the operative part or an annex."""
        text = block.text
        d = self.d
        if (m := MEETING.match(text)) and self.annex is None:
            d.meeting = m["num"]
            if m["date"] and d.adoption_date is None:
                d.adoption_date = iso_date(m["date"])
            self.zone, self.section, self.last = "end", None, None
            return True
        if self.zone == "end" and DATE_LINE.match(text):
            d.adoption_date = d.adoption_date or iso_date(text)
            return True
        m = FOOTNOTE.match(text)
        in_notes = self.zone in ("end", "annex", "notes") and not OPERATIVE.match(text)
        if m and in_notes and m["num"] == str(len(d.footnotes) + 1):
            d.footnotes.append(_Node.of(Kind.FOOTNOTE, m["num"], block, m.start("text")))
            self.zone = "notes"
            return True
        if self.zone == "notes" and d.footnotes and not ANNEX.match(text):
            d.footnotes[-1].extend(block)  # a footnote that runs over two lines
            return True
        return False

    def container(self) -> list[_Node]:
        """Where a paragraph goes now: the current section, the annex, or the body."""
        if self.section is not None and not self.section.flat:
            return self.section.children
        if self.annex is not None:
            return self.annex.children
        return self.d.parts

    def open_annex(self, block: Block, number: str | None) -> None:
        annex = _Node.of(Kind.ANNEX, number, block)
        annex.text, annex.heading = "", block.text
        self.d.parts.append(annex)
        self.annex, self.section, self.last = annex, None, None
        self.zone = "annex"

    def open_section(self, block: Block, numeral: str | None, heading: str | None) -> None:
        section = _Node.of(Kind.SECTION, numeral, block)
        section.text, section.heading = "", heading
        parent = self.annex.children if self.annex is not None else self.d.parts
        parent.append(section)
        self.section, self.last = section, None
        if self.annex is None:
            self.zone = "preamble"  # each section of an omnibus resolution has its preamble

    def paragraph(self, block: Block, nxt: Block | None) -> None:
        text = block.text
        if self.last is not None and (m := SUBPARA.match(text)):
            self.subparagraph(block, m["num"], m.start("text"))
            return
        if self.last is not None and (m := DASH_ITEM.match(text)):
            self.subparagraph(block, "-", m.start("text"))
            return
        if m := OPERATIVE.match(text):
            self.numbered(block, m)
            return
        if self.heading_line(block, nxt):
            return
        if text[:1].islower() and self.last is not None:
            target = self.last
            while target.children:
                target = target.children[-1]
            target.extend(block)  # a paragraph split by a page break
            return
        if self.embedded_instrument(block):
            return
        kind = Kind.PREAMBULAR
        if self.zone == "operative" or _looks_operative(text):
            kind = Kind.OPERATIVE
            self.zone = "operative" if self.annex is None else self.zone
        self.add(_Node.of(kind, None, block))

    def numbered(self, block: Block, m: re.Match[str]) -> None:
        node = _Node.of(Kind.OPERATIVE, m["num"], block, m.start("text"))
        section = self.section
        if section is not None and not section.children and m["num"] != "1":
            section.flat = True  # "I. Global context" then "3. We gather": one numbering
        if self.annex is None:
            self.zone = "operative"
        self.add(node)

    def add(self, node: _Node) -> None:
        if self.pending_heading:
            node.heading, self.pending_heading = self.pending_heading, None
        self.container().append(node)
        self.last = node

    def heading_line(self, block: Block, nxt: Block | None) -> bool:
        """A short unpunctuated line over paragraphs ("Panel of Experts"): a heading.

        Under "Annex" or a section numeral it completes their heading; elsewhere it is kept
        as the heading of the paragraph that follows.
        """
        text = block.text
        if len(text) > 150 or not text[:1].isupper():
            return False
        core = NOTE_AT_END.sub("", text)  # "... July 1979,1": a footnote marker ends it
        if core.endswith((",", ";", ":", ".")):
            return False
        if nxt is not None and nxt.text[:1].islower():
            return False  # the first half of a paragraph split by a page break
        if self.annex is not None and not self.annex.children:
            self.annex.heading = f"{self.annex.heading} {text}"
            return True
        section = self.section
        if section is not None and not section.children and not section.flat:
            section.heading = f"{section.heading} {text}" if section.heading else text
            return True
        self.pending_heading = f"{self.pending_heading} {text}" if self.pending_heading else text
        return True

    def embedded_instrument(self, block: Block) -> bool:
        """A declaration printed in the body after "Adopts the following ...:" (73/3).

        Its title went to `heading_line`; its first unnumbered paragraph ("We, Heads of State
        and Government ...") opens an unnumbered section holding the instrument's paragraphs.
        """
        pending = self.pending_heading
        last = self.last
        if pending is None or last is None or not last.text.endswith(":") or self.annex:
            return False
        self.pending_heading = None
        section = _Node.of(Kind.SECTION, None, block)
        section.heading = pending
        self.d.parts.append(section)
        self.section, self.last = section, None
        return True

    def subparagraph(self, block: Block, num: str, start: int) -> None:
        assert self.last is not None
        node = _Node.of(Kind.SUBPARAGRAPH, None if num == "-" else num, block, start)
        target = self.last
        for _ in range(_list_level(num, self.last)):
            if not target.children:
                break
            target = target.children[-1]
        target.children.append(node)

    # --- assembling the model ----------------------------------------------------------------
    def finish(self, d: _Doc) -> Resolution:
        meta = self.doc.metadata
        symbol = self.resolve_symbol(d)
        info = describe(symbol)
        body = d.body or info.body or "un-ga"
        sponsors = d.sponsors
        if sponsors is None and (m := DRAFT_LINE.match(meta.get("title", ""))):
            sponsors = m["sponsors"]
        if sponsors is None and meta.get("authors"):
            names = [a.strip() for a in meta["authors"].split(";") if a.strip()]
            sponsors = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        is_draft = sponsors is not None or (body == "un-sc" and not info.is_resolution)
        title, derived = self.title(d, symbol, is_draft)
        session = None
        if info.session and body == "un-ga":
            session = Session(info.session, d.session_label or session_label(info.session))
        agenda = tuple(dict.fromkeys(d.agenda))
        if len(agenda) == 1 and d.agenda_label:
            agenda = (AgendaItem(agenda[0].number, " ".join(d.agenda_label)),)
        self.check_numbering(d.parts)
        anchors = self.footnote_anchors(d)
        eids: dict[int, str] = {}  # the eId given to each _Node, for the footnote anchors
        marks: dict[int, list[tuple[int, int]]] = {}  # the markers in each _Node's text
        for node, start, end in anchors.values():
            marks.setdefault(id(node), []).append((start, end))
        parts = tuple(_freeze(n, i, "", body, marks, eids) for i, n in _ordered(d.parts))
        committee = COMMITTEES.get(d.committee_name or "")
        if d.committee_name and committee is None:
            self.warnings.append(f"{self.doc.path}: unknown committee {d.committee_name!r}")
        if d.enacting and body == "un-ga" and d.meeting is None:
            self.warnings.append(
                f"{self.doc.path}: no plenary meeting line after the operative part "
                "(the text may be truncated)"
            )
        return Resolution(
            symbol=symbol,
            body=body,
            doc_type="draft-resolution" if is_draft else "resolution",
            number=info.number,
            title=title,
            title_derived=derived,
            adoption_date=d.adoption_date,
            distribution_date=d.distribution_date or meta.get("distribution_date"),
            session=session,
            agenda_items=agenda,
            committee=committee,
            committee_name=d.committee_name,
            report_symbols=tuple(d.reports),
            draft_symbols=tuple(d.drafts),
            meeting=d.meeting,
            vote=d.vote,
            enacting_formula=d.enacting,
            sponsors=sponsors,
            parent_symbol=info.parent,
            parts=parts,
            footnotes=self.freeze_footnotes(d, body, anchors, eids),
            source=SourceInfo(
                Path(self.doc.path).name, self.doc.format, self.doc.sha256, meta.get("job_number")
            ),
            warnings=tuple(self.warnings),
        )

    def check_numbering(self, nodes: list[_Node]) -> None:
        """Say where numbered paragraphs skip a number (text lost by an extraction)."""
        expected = 1
        for node in nodes:
            if node.kind is Kind.OPERATIVE and node.number and node.number.isdigit():
                if int(node.number) != expected:
                    self.warnings.append(
                        f"{self.doc.path}:{node.line}: paragraph {node.number} follows "
                        f"paragraph {expected - 1}: text is missing from the source"
                    )
                expected = int(node.number) + 1
            self.check_numbering(node.children)

    def title(self, d: _Doc, symbol: str, is_draft: bool) -> tuple[str | None, bool]:
        """The printed title (completed from the container's metadata when an extraction cut
        it short), or a derived one for texts printed without a title."""
        title = d.title
        meta_title = self.doc.metadata.get("title", "").rstrip(" :") or None
        if meta_title:  # the Digital Library writes "4th session" where the text has "fourth"
            meta_title = ORDINAL_NUMBER.sub(lambda m: ordinal_words(int(m[1])), meta_title)
        cut_short = meta_title and (title is None or meta_title.startswith(title))
        if cut_short and meta_title and not DRAFT_LINE.match(meta_title):
            title = meta_title
        if title:
            return title, False
        info = describe(symbol)
        if info.body == "un-sc" and info.is_resolution:
            return f"Resolution {info.number} ({info.year})", True
        if is_draft:
            return f"Draft resolution {symbol}", True
        return None, False

    def resolve_symbol(self, d: _Doc) -> str:
        meta = self.doc.metadata
        symbol = None
        if meta.get("symbol"):
            symbol = canonical(meta["symbol"])
        elif d.masthead_symbol:
            symbol = d.masthead_symbol
        elif d.number:
            symbol = canonical(f"A/RES/{d.number}")
        elif d.sc_number:
            symbol = canonical(f"S/RES/{d.sc_number}")
        elif meta.get("symbol_from_file_name"):
            symbol = canonical(meta["symbol_from_file_name"])
        if symbol is None:
            raise ParseError(self.doc.path, "not a resolution: no document symbol found")
        if d.letter and not symbol.endswith(d.letter):
            symbol += d.letter
        return symbol

    def footnote_anchors(self, d: _Doc) -> dict[str, tuple[_Node, int, int]]:
        """For each footnote number, the paragraph whose marker it hangs on.

        Markers are looked for in order (footnote n after footnote n-1), which keeps digits
        that merely follow a word ("Article 51", "resolution 1373") from being taken for one.
        A footnote whose marker cannot be found (an extraction printed it as a bare spaced
        number) is named in a warning, and the search goes on from the same place.  Each
        node's markers are found once, in one scan of its text (a scan that went on from the
        end of the previous marker would find the same ones after it).
        """
        anchors: dict[str, tuple[_Node, int, int]] = {}
        nodes = _walk(d.parts)
        marks: dict[int, list[tuple[int, int, str]]] = {}  # each node's markers, found once
        at, pos = 0, 0  # where the previous marker was found
        missing = []
        for number in (n.number for n in d.footnotes if n.number):
            found = None
            for i in range(at, len(nodes)):
                if i not in marks:
                    marks[i] = [
                        (m.start(), m.end(), m["a"] or m["b"])
                        for m in NOTE_MARK.finditer(nodes[i].text)
                    ]
                start = pos if i == at else 0
                if mark := next((k for k in marks[i] if k[0] >= start and k[2] == number), None):
                    found = (i, mark)
                    break
            if found is None:
                missing.append(number)
                continue
            at, (begin, pos, _) = found
            anchors[number] = (nodes[at], begin, pos)
            nodes[at].note_refs.append(number)
        if missing:
            self.warnings.append(
                f"{self.doc.path}: no marker in the text for footnote(s) {', '.join(missing)}"
            )
        return anchors

    def freeze_footnotes(
        self,
        d: _Doc,
        body: str,
        anchors: dict[str, tuple[_Node, int, int]],
        eids: dict[int, str],
    ) -> tuple[Footnote, ...]:
        out: list[Footnote] = []
        previous: Citation | None = None
        for node in d.footnotes:
            number = node.number or str(len(out) + 1)
            found = _citations(node, body, previous)
            previous = found[-1] if found else None  # "Ibid." after a treaty is no citation
            anchor = anchors.get(number)
            out.append(
                Footnote(
                    number=number,
                    eid=f"authorialNote_{number}",
                    text=node.text,
                    anchor_eid=eids.get(id(anchor[0])) if anchor else None,
                    citations=tuple(found),
                    span=node.span,
                )
            )
        return tuple(out)


def _citations(node: _Node, body: str, previous: Citation | None = None) -> list[Citation]:
    """The citations in a node's text, with spans mapped back into the source."""
    found = cite.find_citations(node.text, body=body, previous=previous)
    return [
        replace(
            c,
            span=Span(node.source_offset(c.span.start), node.source_offset(c.span.end - 1) + 1),
        )
        for c in found
    ]


def _walk(nodes: list[_Node]) -> list[_Node]:
    out: list[_Node] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.children))
    return out


def _ordered(nodes: list[_Node]) -> list[tuple[int, _Node]]:
    """Each node with its 1-based order among its siblings of the same kind."""
    counts: dict[Kind, int] = {}
    out = []
    for node in nodes:
        counts[node.kind] = counts.get(node.kind, 0) + 1
        out.append((counts[node.kind], node))
    return out


def _eid(node: _Node, order: int, prefix: str) -> str:
    """The Akoma Ntoso eId of a node under `prefix` (AKN4UN naming convention)."""
    join = f"{prefix}__" if prefix else ""
    if node.kind is Kind.PREAMBULAR:
        return f"{join}preamble__container_{order}"
    if node.kind is Kind.OPERATIVE:
        return f"{join}para_{node.number or order}"
    if node.kind is Kind.SUBPARAGRAPH:
        return f"{join}list_1__point_{node.number or order}"
    if node.kind is Kind.SECTION:
        return f"{join}sec_{node.number or order}"
    if node.kind is Kind.ANNEX:
        return f"{join}annex_{order}"
    raise ValueError(node.kind)


def _freeze(
    node: _Node,
    order: int,
    prefix: str,
    body: str,
    marks: dict[int, list[tuple[int, int]]],
    eids: dict[int, str],
) -> Subdivision:
    eid = _eid(node, order, prefix)
    eids[id(node)] = eid
    text = node.text
    for start, end in sorted(marks.get(id(node), ()), reverse=True):
        text = text[:start] + text[end:]
    if "  " in text:
        text = re.sub(r" {2,}", " ", text)
    text = text.strip()
    children = tuple(
        _freeze(child, i, eid, body, marks, eids) for i, child in _ordered(node.children)
    )
    return Subdivision(
        kind=node.kind,
        eid=eid,
        order=order,
        text=text,
        number=node.number,
        heading=node.heading,
        leading_phrase=leading_phrase(text, node.kind),
        citations=tuple(_citations(node, body)) if node.text else (),
        note_refs=tuple(node.note_refs),
        children=children,
        span=node.span,
    )


def _list_level(num: str, parent: _Node) -> int:
    """How deep a sub-paragraph goes under `parent`: 0 for (a), (b) or a list of (i), (ii)
    directly under the paragraph; 1 for (i) under (a); dashes one below the last numbered
    item, beside the dash before them (a run of dashes is one list)."""
    if num == "-":
        depth, target = 0, parent
        while target.children:
            target = target.children[-1]
            depth += 1
        if depth and target.number is None:  # the last item is a dash: its sibling
            return depth - 1
        return max(depth, 1)
    last = parent.children[-1].number if parent.children else None
    if last is None or _follows(num, last):
        return 0
    return 1 if _is_roman(num) and not _is_roman(last) else 0


def _is_roman(num: str) -> bool:
    return re.fullmatch(r"[ivxl]+", num) is not None


def _follows(num: str, last: str) -> bool:
    """Is `num` the item after `last`: "b" after "a", "i" after "h", "iii" after "ii"?"""
    if len(num) == 1 and len(last) == 1 and ord(num) == ord(last) + 1:
        return True
    if _is_roman(num) and _is_roman(last):
        return roman_to_int(num) == roman_to_int(last) + 1
    return False


def _looks_operative(text: str) -> bool:
    """An unnumbered paragraph that ends like an operative one and opens with a finite verb."""
    first = text.split(" ", 1)[0]
    return text.endswith((";", ".", ":")) and first.endswith("s") and not first.endswith("ing")


def leading_phrase(text: str, kind: Kind) -> str | None:
    """The words a paragraph opens with that say what the organ does.

    Preambular: a participle or adjective with its adverbs and a fixed tail ("Recalling
    also", "Bearing in mind", "Noting with deep concern", "Deeply concerned").  Operative: a
    finite verb with its adverbs and particle ("Calls upon", "Also requests", "Takes note").
    """
    if kind not in (Kind.PREAMBULAR, Kind.OPERATIVE) or not text:
        return None
    adverbs = _ADVERBS.match(text)
    pos = adverbs.end() if adverbs else 0
    word = re.match(r"[A-Za-z][a-z-]*", text[pos:])
    if word is None:
        return None
    pos += word.end()

    def tail(rx: re.Pattern[str]) -> re.Match[str] | None:
        rest = text[pos:]
        return rx.match(rest.lstrip())

    if kind is Kind.PREAMBULAR:
        while (m := tail(_PREAMBLE_TAIL)) is not None:
            pos += len(text[pos:]) - len(text[pos:].lstrip()) + m.end()
    elif word.group().lower() in {"calls", "takes"} and (m := tail(_OPERATIVE_TAIL)) is not None:
        pos += len(text[pos:]) - len(text[pos:].lstrip()) + m.end()
    return text[:pos].strip(" ,;:") or None


def session_label(number: str) -> str:
    """ "58" -> "Fifty-eighth session"; "ES-10" -> "Tenth emergency special session"."""
    if number.startswith(("ES-", "S-")):
        kind = "emergency special" if number.startswith("ES-") else "special"
        return f"{ordinal_words(int(number.split('-')[1])).capitalize()} {kind} session"
    return f"{ordinal_words(int(number)).capitalize()} session"


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_IRREGULAR = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def ordinal_words(n: int) -> str:
    """58 -> "fifty-eighth", 80 -> "eightieth", 100 -> "one hundredth"."""
    if n >= 100:
        rest = n % 100
        return "one hundred " + ordinal_words(rest) if rest else "one hundredth"
    if n < 20:
        return _IRREGULAR.get(_ONES[n], _ONES[n] + "th")
    tens, ones = divmod(n, 10)
    if ones == 0:
        return _TENS[tens][:-1] + "ieth"
    return f"{_TENS[tens]}-{_IRREGULAR.get(_ONES[ones], _ONES[ones] + 'th')}"
