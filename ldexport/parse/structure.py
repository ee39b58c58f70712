"""Second parsing stage: recover the structure of a resolution from its blocks.

The parser is a small state machine over `normalise.Block`s.  Each block is classified by
the line patterns below (masthead, adoption line, committee line, title, enacting formula,
numbered paragraph, sub-paragraph, section, annex, meeting line, footnote); the state says
where in the document we are (front matter, preamble, operative part, after the meeting
line, annex).  What the parser cannot place becomes a warning that names the file and the
line, never invented structure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from ldexport.symbols import canonical, describe

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = rf"(?:\d{{1,2}} (?:{MONTHS}) \d{{4}})"

# --- line patterns -------------------------------------------------------------------------
ADOPTED_GA = re.compile(rf"^Resolution adopted by the General Assembly(?: on (?P<date>{DATE}))?")
ADOPTED_SC = re.compile(
    rf"^Adopted (?P<how>unanimously |without a vote |)by the Security Council"
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
    r"^(?P<num>(?:ES-\d+|S-\d+|\d+)/\d+|\d+ \([IVXLC]+\))\s*(?P<letter>[A-Z])?\s*\.\s*(?P<title>.*)$"
)
ENACTING = re.compile(r"^The (?P<organ>General Assembly|Security Council)\s*,?$")
OPERATIVE = re.compile(r"^(?P<num>\d{1,3})\s*\.\s+(?P<text>\S.*)$")
SUBPARA = re.compile(r"^\((?P<num>[a-z]{1,4})\)\s*(?P<text>\S.*)$")
DASH_ITEM = re.compile(r"^[-–—•]\s+(?P<text>\S.*)$")
SECTION = re.compile(r"^(?P<num>[IVXL]+)\s*\.?(?:\s+(?P<heading>\S.*))?$")
ANNEX = re.compile(r"^Annex(?:es)?(?:\s+(?P<num>[IVXL]+|\d+))?\s*$")
MEETING = re.compile(
    rf"^(?P<num>\d+)(?:st|nd|rd|th) plenary meeting(?:\s*,?\s*(?P<date>{DATE}))?\s*$"
)
DATE_LINE = re.compile(rf"^{DATE}$")
FOOTNOTE = re.compile(r"^(?P<num>\d{1,3})\s+(?P<text>\S.*)$")
DISTR = re.compile(rf"Distr\.\s?:\s*(?:General|Limited|Restricted)\s*(?P<date>{DATE})?")
SESSION = re.compile(
    r"(?P<label>(?:[A-Z][a-z]+-)?[A-Za-z]+(?:-[a-z]+)? (?:(?:emergency )?special )?session)\b"
)
AGENDA = re.compile(
    r"^Agenda items? (?P<items>\d+(?:\s*\([a-z]{1,3}\))?"
    r"(?:(?:\s*,\s*|\s+and\s+)\d+(?:\s*\([a-z]{1,3}\))?)*)\s*(?P<label>.*)$"
)
MASTHEAD_WORDS = re.compile(
    r"^(?:United Nations|General Assembly|Security Council|Distr\.|English|Original:)"
)
SYMBOL_LINE = re.compile(r"^(?P<sym>[AS]/(?:RES/)?[A-Za-z0-9./\-]+(?:\s*\((?:\d{4}|[IVX]+)\))?)$")
DRAFT_LINE = re.compile(r"^(?P<sponsors>.+): (?:revised )?draft resolution$")
# Footnote markers in running text: "Director,1", "terrorism2", "[^3]".
NOTE_MARK = re.compile(
    r"\[\^(?P<a>\d{1,3})\]|(?<=[A-Za-z\)\].,;:”\"’])(?P<b>\d{1,3})(?=[\s,;.:]|$)"
)

COMMITTEES = {
    "First Committee": "un-ga-c1",
    "Special Political and Decolonization Committee (Fourth Committee)": "un-ga-c4",
    "Special Political and Decolonization Committee": "un-ga-c4",
    "Second Committee": "un-ga-c2",
    "Third Committee": "un-ga-c3",
    "Fourth Committee": "un-ga-c4",
    "Fifth Committee": "un-ga-c5",
    "Sixth Committee": "un-ga-c6",
}

# Words that may follow or precede the leading word of a paragraph and belong to its
# leading phrase ("Recalling also", "Bearing in mind", "Calls upon", "Also requests").
_PREAMBLE_TAIL = re.compile(
    r"^(?:also|further|furthermore|moreover|again|in addition"
    r"|in mind|note|with (?:deep |grave |great |serious )?(?:appreciation|satisfaction|concern"
    r"|regret|alarm|interest)|in particular)\b",
    re.IGNORECASE,
)
_ADVERBS = re.compile(
    r"^(?:(?:also|further|again|once again|once more|strongly|firmly|deeply|gravely|urgently"
    r"|fully|finally|emphatically|unequivocally|categorically|solemnly|warmly|further)\s+)+",
    re.IGNORECASE,
)
_OP_TAIL = re.compile(r"^(?:upon|on|note)\b")


@dataclass
class _Node:
    """A subdivision under construction (mutable while parsing, frozen at the end)."""

    kind: Kind
    number: str | None
    text: str
    span: Span
    line: int
    heading: str | None = None
    children: list[_Node] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    """One resolution under construction."""

    symbol: str | None = None
    number: str | None = None
    letter: str | None = None
    title: str | None = None
    adoption_date: str | None = None
    distribution_date: str | None = None
    session_label: str | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
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


def iso_date(text: str) -> str:
    """ "22 December 2003" -> "2003-12-22"."""
    return datetime.strptime(text.strip(), "%d %B %Y").date().isoformat()


def parse(doc: SourceDocument, blocks: Sequence[Block]) -> list[Resolution]:
    """The resolutions a document holds (usually one), or ParseError if it holds none."""
    parser = _Parser(doc, blocks)
    return parser.run()


class _Parser:
    def __init__(self, doc: SourceDocument, blocks: Sequence[Block]) -> None:
        self.doc = doc
        self.blocks = list(blocks)
        self.warnings: list[str] = []
        self.d = _Doc()
        self.zone = "front"  # front, preamble, operative, end, notes, annex
        self.section: _Node | None = None
        self.annex: _Node | None = None
        self.last_para: _Node | None = None

    # --- helpers ---------------------------------------------------------------------------
    def warn(self, block: Block, what: str) -> None:
        self.warnings.append(f"{self.doc.path}:{block.line}: {what}: {block.text[:60]!r}")

    def container(self) -> list[_Node]:
        """Where a paragraph goes now: the annex, the current section, or the body."""
        if self.annex is not None:
            return self.annex.children
        if self.section is not None:
            return self.section.children
        return self.d.parts

    def node(self, kind: Kind, number: str | None, text: str, block: Block) -> _Node:
        return _Node(kind, number, text, block.span, block.line)

    # --- the state machine -------------------------------------------------------------------
    def run(self) -> list[Resolution]:
        for i, block in enumerate(self.blocks):
            self.step(i, block)
        return [self.finish()]

    def step(self, i: int, block: Block) -> None:
        text = block.text
        d = self.d
        if self.front_matter(i, block):
            return
        if m := ENACTING.match(text):
            d.enacting = text if text.endswith(",") else text + ","
            d.body = d.body or ("un-ga" if m["organ"] == "General Assembly" else "un-sc")
            self.zone = "preamble"
            return
        if self.zone != "front" and self.after_body(block):
            return
        if self.zone == "front":
            self.warn(block, "skipped text before the resolution begins")
            return
        if m := ANNEX.match(text):
            self.open_annex(block, m["num"])
            return
        if self.zone in ("preamble", "operative") and self.annex is None:
            if (m := SECTION.match(text)) and (m["heading"] is None or len(text) < 150):
                self.open_section(block, m["num"], m["heading"])
                return
        self.paragraph(block)

    def front_matter(self, i: int, block: Block) -> bool:
        """Masthead, adoption line, committee line, title: True if the block was one."""
        text = block.text
        d = self.d
        if self.zone not in ("front", "end", "notes") and not MASTHEAD_WORDS.match(text):
            return False
        if m := DISTR.search(text):
            if m["date"]:
                d.distribution_date = iso_date(m["date"])
            return True
        if MASTHEAD_WORDS.match(text):
            return True
        if (m := SYMBOL_LINE.match(text)) and self.zone in ("front", "end", "notes"):
            d.masthead_symbol = d.masthead_symbol or canonical(m["sym"])
            return True
        if self.zone == "front" or (self.zone in ("end", "notes") and self.annex is None):
            if (
                DATE_LINE.match(text)
                and d.distribution_date is None
                and (self.zone == "front" or (i > 0 and "Distr" in self.blocks[i - 1].text))
            ):
                d.distribution_date = iso_date(text)
                return True
            if (m := SESSION.fullmatch(text)) or (m := SESSION.match(text)):
                if self.zone == "front" or text == m["label"]:
                    d.session_label = m["label"][0].upper() + m["label"][1:]
                    rest = text[m.end() :].strip()
                    if rest and (a := AGENDA.match(rest)):
                        self.agenda(a)
                    return True
            if m := AGENDA.match(text):
                self.agenda(m)
                return True
        if self.zone != "front":
            return False
        if m := ADOPTED_GA.match(text):
            d.body = "un-ga"
            if m["date"]:
                d.adoption_date = iso_date(m["date"])
            return True
        if m := ADOPTED_SC.match(text):
            d.body = "un-sc"
            self.sc_adoption(i, m)
            return True
        if m := SC_HEADING.match(text):
            d.body = "un-sc"
            d.sc_number = f"{m['num']}({m['year']})"
            return True
        if m := COMMITTEE.match(text):
            d.committee_name = m["name"]
            d.reports = self.symbols_in(m["docs"], block)
            return True
        if m := NO_COMMITTEE.match(text):
            d.drafts = self.symbols_in(m["docs"], block)
            return True
        if m := DRAFT_LINE.match(text):
            d.sponsors = text
            return True
        if (m := TITLE.match(text)) and d.title is None:
            d.number = m["num"]
            d.letter = m["letter"]
            d.title = m["title"].rstrip(" .") or None
            return True
        return False

    def sc_adoption(self, i: int, m: re.Match[str]) -> None:
        d = self.d
        d.meeting = m["meeting"]
        if m["how"].strip() == "unanimously":
            d.vote = "unanimous"
        date = m["date"]
        if date is None and i + 1 < len(self.blocks):
            # "Adopted by the Security Council at its 5396th meeting," / "on 24 March 2006"
            nxt = re.match(rf"^on (?P<date>{DATE})", self.blocks[i + 1].text)
            date = nxt["date"] if nxt else None
        if date:
            d.adoption_date = iso_date(date)

    def agenda(self, m: re.Match[str]) -> None:
        items = re.split(r"\s*,\s*|\s+and\s+", m["items"])
        label = m["label"].strip() or None
        for item in items:
            number = re.sub(r"[\s()]", "", item)
            self.d.agenda.append(AgendaItem(number, label if len(items) == 1 else None))

    def symbols_in(self, docs: str, block: Block) -> list[str]:
        """The document symbols of a committee line ("A/80/534, para. 7", "A/61/L.67 and Add.1")."""
        found = cite.find_citations(docs, body="un-ga")
        return list(dict.fromkeys(c.symbol for c in found))

    def after_body(self, block: Block) -> bool:
        """Meeting line, closing date, footnotes, after the operative part."""
        text = block.text
        d = self.d
        if (m := MEETING.match(text)) and self.annex is None:
            d.meeting = m["num"]
            if m["date"] and d.adoption_date is None:
                d.adoption_date = iso_date(m["date"])
            self.zone = "end"
            self.section = None
            return True
        if self.zone in ("end", "notes") and DATE_LINE.match(text) and self.annex is None:
            if d.adoption_date is None:
                d.adoption_date = iso_date(text)
            return True
        if (m := FOOTNOTE.match(text)) and self.zone in ("end", "notes"):
            number = m["num"]
            expected = str(len(d.footnotes) + 1)
            if number == expected and not OPERATIVE.match(text):
                node = self.node(Kind.FOOTNOTE, number, m["text"], block)
                d.footnotes.append(node)
                self.zone = "notes"
                return True
        if self.zone == "notes" and d.footnotes and not ANNEX.match(text):
            # A footnote that runs over two lines.
            last = d.footnotes[-1]
            last.text += " " + text
            last.span = Span(last.span.start, block.span.end)
            return True
        return False

    def open_annex(self, block: Block, number: str | None) -> None:
        annex = self.node(Kind.ANNEX, number or None, "", block)
        annex.heading = block.text
        self.d.parts.append(annex)
        self.annex = annex
        self.section = None
        self.zone = "annex"
        self.last_para = None

    def open_section(self, block: Block, numeral: str, heading: str | None) -> None:
        section = self.node(Kind.SECTION, numeral, "", block)
        section.heading = heading
        self.d.parts.append(section)
        self.section = section
        self.last_para = None

    def paragraph(self, block: Block) -> None:
        text = block.text
        # A sub-paragraph: "(a) ...", "(iv) ...", "- ..."
        if self.last_para is not None and (m := SUBPARA.match(text)):
            self.subparagraph(block, m["num"], m["text"])
            return
        if self.last_para is not None and (m := DASH_ITEM.match(text)):
            self.subparagraph(block, "-", m["text"])
            return
        if m := OPERATIVE.match(text):
            if self.annex is None:
                self.zone = "operative"
            node = self.node(Kind.OPERATIVE, m["num"], m["text"], block)
            self.container().append(node)
            self.last_para = node
            return
        if self.annex is not None and self.last_para is None and not self.annex.children:
            # The lines under "Annex" before its first paragraph are its heading.
            if len(text) < 200 and not text.endswith((",", ";")):
                self.annex.heading = f"{self.annex.heading} {text}".strip()
                return
        if self.section is not None and not self.section.children and self.section.heading is None:
            if len(text) < 200 and not text.endswith((",", ";", ":")):
                self.section.heading = text
                return
        if text[:1].islower() and self.last_para is not None:
            # A paragraph split by a page break: join it to the one it continues.
            self.continue_last(block)
            return
        kind = Kind.PREAMBULAR
        if self.zone == "operative" or _looks_operative(text):
            kind = Kind.OPERATIVE
            if self.annex is None:
                self.zone = "operative"
        node = self.node(kind, None, text, block)
        self.container().append(node)
        self.last_para = node

    def continue_last(self, block: Block) -> None:
        assert self.last_para is not None
        target = self.last_para
        while target.children:
            target = target.children[-1]
        target.text += " " + block.text
        target.span = Span(target.span.start, block.span.end)

    def subparagraph(self, block: Block, num: str, text: str) -> None:
        assert self.last_para is not None
        parent = self.last_para
        node = self.node(Kind.SUBPARAGRAPH, None if num == "-" else num, text, block)
        level = _list_level(num, parent)
        target = parent
        for _ in range(level):
            if not target.children:
                break
            target = target.children[-1]
        target.children.append(node)

    # --- assembling the model ----------------------------------------------------------------
    def finish(self) -> Resolution:
        d = self.d
        meta = self.doc.metadata
        symbol = self.resolve_symbol()
        info = describe(symbol)
        body = d.body or info.body or "un-ga"
        doc_type = (
            "draft-resolution"
            if d.sponsors or (body == "un-sc" and not info.is_resolution)
            else "resolution"
        )
        if not (d.enacting or d.title or d.adoption_date or d.parts):
            raise ParseError(
                self.doc.path, "not a resolution: no adoption line, title or enacting formula"
            )
        title = d.title or meta.get("title", "").rstrip(" :") or None
        title_derived = False
        if title is None and info.body == "un-sc" and info.is_resolution:
            title = f"Resolution {info.number} ({info.year})"
            title_derived = True
        elif title is None and doc_type == "draft-resolution":
            title = f"Draft resolution {symbol}"
            title_derived = True
        session = None
        if info.session and body == "un-ga":
            session = Session(info.session, d.session_label or session_label(info.session))
        distribution = d.distribution_date or meta.get("distribution_date")
        notes = self.footnote_anchors()
        eids: dict[int, str] = {}  # the eId given to each _Node, for the footnote anchors
        parts = tuple(_freeze(node, i, "", body, notes, eids) for i, node in _ordered(d.parts))
        footnotes = self.freeze_footnotes(body, notes, eids)
        committee = COMMITTEES.get(d.committee_name or "")
        if d.committee_name and committee is None:
            self.warnings.append(f"{self.doc.path}: unknown committee {d.committee_name!r}")
        return Resolution(
            symbol=symbol,
            body=body,
            doc_type=doc_type,
            number=info.number,
            title=title,
            title_derived=title_derived,
            adoption_date=d.adoption_date,
            distribution_date=distribution,
            session=session,
            agenda_items=tuple(dict.fromkeys(d.agenda)),
            committee=committee,
            committee_name=d.committee_name,
            report_symbols=tuple(d.reports),
            draft_symbols=tuple(d.drafts),
            meeting=d.meeting,
            vote=d.vote,
            enacting_formula=d.enacting,
            sponsors=d.sponsors,
            parent_symbol=info.parent,
            parts=parts,
            footnotes=footnotes,
            source=SourceInfo(
                Path(self.doc.path).name, self.doc.format, self.doc.sha256, meta.get("job_number")
            ),
            warnings=tuple(self.warnings),
        )

    def resolve_symbol(self) -> str:
        d = self.d
        meta = self.doc.metadata
        if meta.get("symbol"):
            return canonical(meta["symbol"])
        if d.masthead_symbol:
            return d.masthead_symbol
        if d.number:
            return canonical(f"A/RES/{d.number}{d.letter or ''}")
        if d.sc_number:
            return canonical(f"S/RES/{d.sc_number}")
        if meta.get("symbol_from_file_name"):
            return canonical(meta["symbol_from_file_name"])
        raise ParseError(self.doc.path, "not a resolution: no document symbol found")

    def footnote_anchors(self) -> dict[str, tuple[_Node, int, int]]:
        """For each footnote number, the paragraph whose marker it hangs on.

        Markers are found in order (footnote n after footnote n-1), which keeps digits that
        merely follow a word ("Article 51", "resolution 1373") from being taken for markers.
        """
        anchors: dict[str, tuple[_Node, int, int]] = {}
        wanted = [n.number for n in self.d.footnotes if n.number]
        nodes = [n for _, n in _walk(self.d.parts)]
        k = 0
        for node in nodes:
            pos = 0
            while k < len(wanted):
                found = None
                for m in NOTE_MARK.finditer(node.text, pos):
                    if (m["a"] or m["b"]) == wanted[k]:
                        found = m
                        break
                if found is None:
                    break
                anchors[wanted[k]] = (node, found.start(), found.end())
                node.note_refs.append(wanted[k])
                pos = found.end()
                k += 1
        if k < len(wanted):
            self.warnings.append(
                f"{self.doc.path}: no marker found in the text for footnote(s) {', '.join(wanted[k:])}"
            )
        return anchors

    def freeze_footnotes(
        self, body: str, notes: dict[str, tuple[_Node, int, int]], eids: dict[int, str]
    ) -> tuple[Footnote, ...]:
        out: list[Footnote] = []
        previous: Citation | None = None
        for node in self.d.footnotes:
            number = node.number or str(len(out) + 1)
            text_offset = _text_offset(self.doc.text, node)
            found = cite.find_citations(node.text, body=body, offset=text_offset, previous=previous)
            if found:
                previous = found[-1]
            anchor = notes.get(number)
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


def _text_offset(source: str, node: _Node) -> int:
    """Where the node's text starts in the source: after its number, if it carries one."""
    raw = source[node.span.start : node.span.end]
    head = node.text[:20]
    at = raw.find(head)
    return node.span.start + (at if at >= 0 else 0)


def _walk(nodes: list[_Node]) -> list[tuple[int, _Node]]:
    out: list[tuple[int, _Node]] = []
    for node in nodes:
        out.append((0, node))
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
    notes: dict[str, tuple[_Node, int, int]],
    eids: dict[int, str],
) -> Subdivision:
    eid = _eid(node, order, prefix)
    eids[id(node)] = eid
    text = node.text
    citations = tuple(cite.find_citations(text, body=body, offset=node.span.start))
    clean = _strip_marks(text, node.note_refs, notes, node)
    children = tuple(
        _freeze(child, i, eid, body, notes, eids) for i, child in _ordered(node.children)
    )
    return Subdivision(
        kind=node.kind,
        eid=eid,
        order=order,
        text=clean,
        number=node.number,
        heading=node.heading,
        leading_phrase=leading_phrase(clean, node.kind),
        citations=citations,
        note_refs=tuple(node.note_refs),
        children=children,
        span=node.span,
    )


def _strip_marks(
    text: str, refs: list[str], notes: dict[str, tuple[_Node, int, int]], node: _Node
) -> str:
    """The text without the footnote markers found in it."""
    cuts = sorted((notes[r][1], notes[r][2]) for r in refs if r in notes and notes[r][0] is node)
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return re.sub(r"\s{2,}", " ", text).strip()


def _list_level(num: str, parent: _Node) -> int:
    """How deep a sub-paragraph goes: (a) under the paragraph, (i) under (a), dashes under (i)."""
    if num == "-":
        depth, target = 0, parent
        while target.children:
            target = target.children[-1]
            depth += 1
        return max(depth, 1)
    if re.fullmatch(r"[ivxl]+", num) and not _continues_letters(num, parent):
        return 1
    return 0


def _continues_letters(num: str, parent: _Node) -> bool:
    """Is "(i)" the letter after "(h)" (or "(v)" after "(u)") rather than a Roman numeral?"""
    if not parent.children:
        return num not in ("i",)
    last = parent.children[-1].number or ""
    return len(last) == 1 and len(num) == 1 and ord(num) == ord(last) + 1


def _looks_operative(text: str) -> bool:
    """An unnumbered paragraph that ends like an operative one and opens with a finite verb."""
    first = text.split(" ", 1)[0]
    return text.endswith((";", ".")) and first.endswith("s") and not first.endswith("ing")


def leading_phrase(text: str, kind: Kind) -> str | None:
    """The words a paragraph opens with that say what the organ does.

    Preambular: a participle or adjective with its adverbs and a fixed tail ("Recalling
    also", "Bearing in mind", "Noting with deep concern", "Deeply concerned").  Operative: a
    finite verb with its adverbs and particle ("Calls upon", "Also requests", "Takes note").
    """
    if kind not in (Kind.PREAMBULAR, Kind.OPERATIVE) or not text:
        return None
    text = text.lstrip("_ ")
    adverbs = _ADVERBS.match(text)
    pos = adverbs.end() if adverbs else 0
    word = re.match(r"[A-Za-z][a-z-]*", text[pos:])
    if word is None:
        return None
    pos += word.end()
    rest = text[pos:]
    if kind is Kind.PREAMBULAR:
        while (tail := _PREAMBLE_TAIL.match(rest.lstrip())) is not None:
            pos += len(rest) - len(rest.lstrip()) + tail.end()
            rest = text[pos:]
    else:
        if (tail := _OP_TAIL.match(rest.lstrip())) is not None and word.group().lower() in {
            "calls",
            "takes",
            "call",
            "take",
        }:
            pos += len(rest) - len(rest.lstrip()) + tail.end()
    phrase = text[:pos].strip(" ,;:_")
    return phrase or None


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
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD = {
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
        word = _ONES[n]
        return _ORD.get(word, word + "th")
    tens, ones = divmod(n, 10)
    if ones == 0:
        return _TENS[tens][:-1] + "ieth"
    word = _ONES[ones]
    return f"{_TENS[tens]}-{_ORD.get(word, word + 'th')}"
