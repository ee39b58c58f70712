"""Akoma Ntoso 3.0 for one resolution, following the AKN4UN guidelines (docs/akoma-ntoso.md).

`to_akn` writes a `<statement name="resolution">` document: FRBR identification, preface,
preamble, mainBody, conclusions and annexes as attachments, with eIds that are the fragment
identifiers of the RDF (`preamble__container_3`, `para_8__list_1__point_a`).  `from_akn` reads
such a document back into the model: what Akoma Ntoso has no place for (source offsets, the
kind and symbol of each citation, the source file) lives in `<proprietary source="#ldexport">`
in the namespace `LDX_NS`, so that `from_akn(to_akn(res))` equals `res`.  `validate_akn`
checks a document against the OASIS schema shipped in ldexport/schema/akn/.

>>> from ldexport.model import Resolution
>>> res = Resolution("A/RES/58/136", "un-ga", "resolution", "58/136", "A title",
...                  adoption_date="2003-12-22")
>>> data = to_akn(res, Iris())
>>> validate_akn(data)
[]
>>> from_akn(data, "58_136.xml") == res
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from ldexport.errors import ParseError, SourceError
from ldexport.iris import Iris, agenda_key, akn_work, undocs
from ldexport.model import (
    AgendaItem,
    Citation,
    CitationKind,
    Footnote,
    Kind,
    Resolution,
    Session,
    SourceInfo,
    Span,
    Subdivision,
    resolution_from_dict,
    to_dict,
)
from ldexport.symbols import canonical, describe
from ldexport.un import ORGANS, long_date, ordinal

__all__ = [
    "AKN_NS",
    "LDX_NS",
    "SCHEMA_PATH",
    "checked_akn",
    "from_akn",
    "read_all",
    "to_akn",
    "validate_akn",
]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
LDX_NS = "https://w3id.org/ldexport/akn#"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "akn" / "akomantoso30.xsd"
MODEL_VERSION = "1"

# model doc_type -> statement/@name (AKN4UN part 1, section 3: sub-class of "deliberation").
DOC_NAMES = {
    "resolution": "resolution",
    "decision": "decision",
    "draft-resolution": "resolutionDraft",
}
SUBTYPE = "deliberation"
# eIds of the Top Level Classes this module defines.
SELF = "ldexport"
PREAMBLE = "preamble"
ADOPTION_DATE = "adoptionDate"
DERIVED_TITLE = "derivedTitle"
LEADING_PHRASE = "ldexport:leadingPhrase"
AGENDA_TITLE = "ldexport:agendaItemTitle"
UNPLACED_NOTES = "ldexport:notesWithoutMarker"
CONCEPT_BASE = "/akn/ontology/concept/un/"
LDX_ONTOLOGY = "https://w3id.org/ldexport/ontology#"

_HIER_TAGS = {
    Kind.OPERATIVE: "paragraph",
    Kind.SECTION: "section",
    Kind.SUBPARAGRAPH: "point",
}
_HCONTAINER_NAMES = {
    Kind.PREAMBULAR: "preambularParagraph",
    Kind.ANNEX: "annex",
    Kind.FOOTNOTE: "footnote",
}
_HIER_KINDS = {v: k for k, v in _HIER_TAGS.items()}
_HCONTAINER_KINDS = {v: k for k, v in _HCONTAINER_NAMES.items()}
# Elements whose content is elements only: the only ones the indentation touches, so
# that no white space is ever added to text.
_STRUCTURAL = {
    "akomaNtoso",
    "statement",
    "doc",
    "meta",
    "identification",
    "FRBRWork",
    "FRBRExpression",
    "FRBRManifestation",
    "references",
    "workflow",
    "proprietary",
    "preface",
    "preamble",
    "formula",
    "mainBody",
    "conclusions",
    "attachments",
    "attachment",
    "container",
    "paragraph",
    "section",
    "point",
    "list",
    "hcontainer",
    "intro",
    "content",
    "blockList",
    "item",
}


def _a(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def _x(tag: str) -> str:
    return f"{{{LDX_NS}}}{tag}"


_SPACE_RUNS = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
# The same as full tags (the writer's elements are all in AKN_NS or LDX_NS): one set lookup.
_STRUCTURAL_TAGS = frozenset({*map(_a, _STRUCTURAL), _x("model")})


def _local(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str | None) -> Any:
    """A child element in the AKN namespace; attributes whose value is None are left out."""
    el = etree.SubElement(parent, _a(tag))
    for name, value in attrs.items():
        if value is not None:
            el.set(name, value)
    if text:
        el.text = text
    return el


def _append_text(el: Any, text: str) -> None:
    """Add text at the end of an element's content (its text or its last child's tail)."""
    if not text:
        return
    if len(el):
        last = el[-1]
        last.tail = (last.tail or "") + text
    else:
        el.text = (el.text or "") + text


def camel(phrase: str) -> str:
    """ "Recalling also" -> "recallingAlso"; "without-vote" -> "withoutVote"."""
    words = [w for w in _NOT_ALNUM.split(phrase) if w]
    if not words:
        return ""
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])


def _uncamel(name: str) -> str:
    """ "withoutVote" -> "without-vote" (the model's spelling of a vote)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "-" + m[1].lower(), name)


def _long_date(iso: str) -> str:
    """ "2003-12-22" -> "22 December 2003" (as the UN prints dates)."""
    try:
        return long_date(iso)
    except ValueError:
        return iso


def _show_agenda(number: str) -> str:
    """ "90b" -> "90 (b)": an agenda item as the masthead prints it."""
    m = re.fullmatch(r"(\d+)([a-z]+)", number)
    return f"{m[1]} ({m[2]})" if m else number


def _num_text(kind: Kind, number: str) -> str:
    if kind is Kind.OPERATIVE:
        return f"{number}."
    if kind is Kind.SUBPARAGRAPH:
        return f"({number})"
    return number


def _num_value(text: str) -> str:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip()
    return text[:-1] if text.endswith(".") else text


def work_date(res: Resolution) -> tuple[str, str]:
    """The date in the FRBR Work IRI and the name of that date.

    The adoption date; for a draft, the date it was issued; else January 1 of the year the
    symbol names (AKN4UN: a year alone becomes YYYY-01-01); else "1900-01-01", "unknown".
    """
    if res.adoption_date:
        return res.adoption_date, "adoption"
    if res.distribution_date:
        return res.distribution_date, "distribution"
    year = describe(res.symbol).year
    if year:
        return f"{year}-01-01", "year"
    return "1900-01-01", "unknown"


def work_uri(res: Resolution) -> str:
    """The FRBR Work IRI of the resolution (the symbol stands in for a missing number)."""
    return akn_work(res.body, work_date(res)[0], res.number or res.symbol)


# --- writing -----------------------------------------------------------------------------


def to_akn(res: Resolution, iris: Iris, known: Mapping[str, str] | None = None) -> bytes:
    """The Akoma Ntoso XML of one resolution, UTF-8, indented, byte-identical for one model.

    `known` maps canonical symbols to adoption dates known from elsewhere (the other
    resolutions of a batch): a citation of such a resolution links to its AKN Work IRI, any
    other citation to the IRI of the cited symbol (`Iris.work`).
    """
    return _serialise(_tree(res, iris, known or {}))


def checked_akn(res: Resolution, iris: Iris) -> tuple[bytes, list[str]]:
    """`to_akn` and `validate_akn` of its bytes, without parsing the bytes again.

    The schema checks the tree the bytes were serialised from, the same document; only a
    tree found invalid is checked again as bytes, for errors with line numbers.
    """
    root = _tree(res, iris, {})
    data = _serialise(root)
    return data, [] if _schema().validate(root) else validate_akn(data)


def _serialise(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data + b"\n"


def _tree(res: Resolution, iris: Iris, known: Mapping[str, str]) -> Any:
    """The indented document tree of `to_akn`."""
    writer = _Writer(res, iris, known)
    root = writer.build()
    # Whatever the markup could not carry exactly is recorded as an override, so that
    # reading the document back gives the model it was written from, always.
    derived = _Reader(root, "<to_akn>").resolutions()[0]
    differences = [] if derived == res else _diff(to_dict(derived), to_dict(res), [])
    for path, value in differences:
        over = etree.SubElement(writer.model, _x("override"))
        over.set("path", "/".join(str(step) for step in path))
        over.text = json.dumps(value, ensure_ascii=False)
    _indent(root, 0)
    return root


class _Writer:
    def __init__(self, res: Resolution, iris: Iris, known: Mapping[str, str]) -> None:
        self.res = res
        self.iris = iris
        self.known = {canonical(k): v for k, v in known.items()}
        self.symbol = canonical(res.symbol)
        self.info = describe(res.symbol)
        self.date, self.date_name = work_date(res)
        self.work = work_uri(res)
        self.expression = f"{self.work}/{res.language}@"
        self.concepts: dict[str, tuple[str, str]] = {}  # eId -> (href, showAs)
        self.model = etree.Element(_x("model"), nsmap={"ldexport": LDX_NS})
        self.model.set("version", MODEL_VERSION)
        # (tag, attributes in order) of the model block's offset and citation records, made
        # into elements at the end by `records` (cheaper than elements of their own).
        self.spans: list[tuple[str, dict[str, str]]] = []
        # eIds must be unique in a document (the schema checks it): a part whose eId was
        # already given gets "-dup2", "-dup3" (and an override restores the model's eId).
        self.model_eids = {part.eid for part in res.walk()} | {n.eid for n in res.footnotes}
        self.used: set[str] = set()
        self.placed_notes: dict[int, str] = {}  # id(footnote) -> its eId in the document
        self.notes_by_anchor: dict[str | None, list[Footnote]] = {}  # in the model's order
        for note in res.footnotes:
            self.notes_by_anchor.setdefault(note.anchor_eid, []).append(note)

    def claim(self, eid: str) -> str:
        base = _SPACE_RUNS.sub("_", eid) or "part"
        candidate, k = base, 1
        while candidate in self.used:
            k += 1
            candidate = f"{base}-dup{k}"
        self.used.add(candidate)
        return candidate

    # --- the document ----------------------------------------------------------------------
    def build(self) -> Any:
        res = self.res
        root = etree.Element(_a("akomaNtoso"), nsmap={None: AKN_NS, "ldexport": LDX_NS})
        statement = _sub(root, "statement", name=DOC_NAMES.get(res.doc_type, res.doc_type))
        statement.set("contains", "originalVersion")
        self.preface(statement)
        parts = list(res.parts)
        lead = 0
        while lead < len(parts) and parts[lead].kind is Kind.PREAMBULAR:
            lead += 1
        tail = len(parts)
        while tail > lead and parts[tail - 1].kind is Kind.ANNEX:
            tail -= 1
        if res.enacting_formula or lead:
            preamble = _sub(statement, "preamble")
            if res.enacting_formula:
                formula = _sub(preamble, "formula", name="enactingFormula")
                _sub(formula, "p", res.enacting_formula)
            for part in parts[:lead]:
                preamble.append(self.block_part(part))
        self.main_body(statement, parts[lead:tail])
        # Annexes are written before the conclusions are, so that the footnotes they hold
        # are known to be placed; they still follow the conclusions in the document.
        annexes = [self.attachment(part) for part in parts[tail:]]
        self.conclusions(statement)
        if annexes:
            _sub(statement, "attachments").extend(annexes)
        self.records()
        statement.insert(0, self.meta(statement))
        return root

    def main_body(self, parent: Any, parts: Sequence[Subdivision]) -> None:
        body = _sub(parent, "mainBody")
        for run in _runs(parts):
            if run[0].kind is Kind.SUBPARAGRAPH:
                body.append(self.hier_list(run, None))
            elif run[0].kind is Kind.PREAMBULAR:
                body.append(self.block_part(run[0], in_body=True))
            else:
                body.append(self.hier_part(run[0]))
        if not len(body):
            _sub(body, "p")  # mainBody must hold something; an empty p stands for nothing

    # --- preface, conclusions --------------------------------------------------------------
    def preface(self, statement: Any) -> None:
        res = self.res
        preface = _sub(statement, "preface")
        box = self.preface_line(preface, "symbol")
        _sub(box, "docNumber", res.symbol, refersTo="#symbol")
        self.concept("symbol", CONCEPT_BASE + "symbol", "Document symbol")
        if res.session:
            box = self.preface_line(preface, "session")
            _sub(box, "session", res.session.label, value=res.session.number, refersTo="#session")
        for item in res.agenda_items:
            box = self.preface_line(preface, "agendaItem")
            eid = f"agendaItem_{agenda_key(item.number) or 'unnumbered'}"
            shown = f"Agenda item {_show_agenda(item.number)}"
            self.concept(eid, self.agenda_href(item), shown)
            _sub(box, "ref", shown, href=self.agenda_href(item), refersTo=f"#{eid}")
            if item.label:
                _append_text(box, " ")
                _sub(box, "inline", item.label, name=AGENDA_TITLE)
        if res.sponsors:
            box = self.preface_line(preface, "sponsors")
            m = re.fullmatch(r"(.+?)(: (?:revised )?draft resolution)", res.sponsors)
            if m:
                _sub(box, "docProponent", m[1])
                _append_text(box, m[2])
            else:
                _sub(box, "docProponent", res.sponsors)
        if self.res.doc_type != "draft-resolution" and (res.adoption_date or res.meeting):
            self.adoption_line(preface)
        if res.committee or res.committee_name or res.report_symbols:
            box = self.preface_line(preface, "committee")
            many = "s" if len(res.report_symbols) > 1 else ""
            _append_text(box, f"[on the report{many} of the ")
            _sub(
                box,
                "docCommittee",
                res.committee_name,
                refersTo=f"#{res.committee}" if res.committee else None,
            )
            self.symbol_list(box, res.report_symbols)
            _append_text(box, "]")
        if res.draft_symbols:
            box = self.preface_line(preface, "withoutReference")
            _append_text(box, "[without reference to a Main Committee")
            self.symbol_list(box, res.draft_symbols)
            _append_text(box, "]")
        self.title_line(preface)

    def preface_line(self, preface: Any, name: str) -> Any:
        return _sub(_sub(preface, "container", name=name), "p")

    def symbol_list(self, box: Any, symbols: Sequence[str]) -> None:
        if not symbols:
            return
        _append_text(box, " (")
        for i, symbol in enumerate(symbols):
            if i:
                _append_text(box, " and " if i == len(symbols) - 1 else ", ")
            _sub(box, "ref", symbol, href=self.iris.work(symbol))
        _append_text(box, ")")

    def adoption_line(self, preface: Any) -> None:
        res = self.res
        box = self.preface_line(preface, "adoption")
        organ = ORGANS.get(res.body, res.body)
        if res.body == "un-sc":
            how = "unanimously " if res.vote == "unanimous" else ""
            _append_text(box, f"Adopted {how}by the ")
            _sub(box, "docAuthority", organ, refersTo=f"#{res.body}")
            if res.meeting:
                _append_text(box, " at its ")
                _sub(box, "event", f"{ordinal(res.meeting)} meeting", refersTo="#meeting")
                _append_text(box, ",")
        else:
            _sub(box, "docType", "Resolution")
            _append_text(box, " adopted by the ")
            _sub(box, "docAuthority", organ, refersTo=f"#{res.body}")
        if res.adoption_date:
            _append_text(box, " on ")
            self.adoption_date(box)

    def adoption_date(self, box: Any) -> None:
        assert self.res.adoption_date is not None
        self.concept(ADOPTION_DATE, CONCEPT_BASE + ADOPTION_DATE, "Date of adoption")
        date = self.res.adoption_date
        _sub(box, "docDate", _long_date(date), date=date, refersTo=f"#{ADOPTION_DATE}")

    def title_line(self, preface: Any) -> None:
        res = self.res
        if not res.number and not res.title:
            return
        box = self.preface_line(preface, "title")
        derived = f"#{DERIVED_TITLE}" if res.title_derived else None
        if derived:
            self.concept(
                DERIVED_TITLE,
                LDX_ONTOLOGY + "titleDerived",
                "Title given by ldexport; the document prints none",
            )
        heading = f"Resolution {res.number} ({self.info.year})" if self.info.year else None
        if res.body == "un-sc" and res.number and heading == res.title and not res.citations:
            title = _sub(box, "docTitle", refersTo=derived)
            _sub(title, "docType", "Resolution")
            _append_text(title, " ")
            _sub(title, "docNumber", res.number)
            _append_text(title, f" ({self.info.year})")
            return
        if res.number:
            if res.body == "un-sc":
                _sub(box, "docType", "Resolution")
                _append_text(box, " ")
            _sub(box, "docNumber", res.number)
            if res.body == "un-sc" and self.info.year:
                _append_text(box, f" ({self.info.year})")
            if res.title:
                _append_text(box, ". " if res.body != "un-sc" else " ")
        if res.title:
            title = _sub(box, "docTitle", refersTo=derived)
            self.fill(title, res.title, "title", res.citations, [])

    def conclusions(self, statement: Any) -> None:
        res = self.res
        loose = [n for n in res.footnotes if id(n) not in self.placed_notes]
        gavel = res.body != "un-sc" and res.doc_type != "draft-resolution"
        if not loose and not (gavel and (res.meeting or res.adoption_date)):
            return
        conclusions = _sub(statement, "conclusions")
        if gavel and (res.meeting or res.adoption_date):
            box = _sub(conclusions, "container", name="conclusion")
            if res.meeting:
                p = _sub(box, "p")
                _sub(p, "event", f"{ordinal(res.meeting)} plenary meeting", refersTo="#meeting")
            if res.adoption_date:
                self.adoption_date(_sub(box, "p"))
        if loose:
            box = _sub(conclusions, "container", name=UNPLACED_NOTES)
            p = _sub(box, "p")
            for note in loose:
                p.append(self.note(note))

    # --- subdivisions ------------------------------------------------------------------------
    def fill(
        self,
        el: Any,
        text: str,
        owner: str,
        citations: Sequence[Citation],
        notes: Sequence[Footnote],
        leading: str | None = None,
    ) -> None:
        """Write `text` into `el`: each citation as a `<ref>` around exactly its text, the
        leading phrase marked, the footnotes hanging here at the end (their marker's place
        in the text is not in the model)."""
        placed: dict[int, tuple[int, int]] = {}
        cursor = 0
        for i in sorted(range(len(citations)), key=lambda k: citations[k].span.start):
            found = text.find(citations[i].text, cursor) if citations[i].text else -1
            if found >= 0:
                placed[i] = (found, found + len(citations[i].text))
                cursor = found + len(citations[i].text)
        marks = sorted((start, end, i) for i, (start, end) in placed.items())
        pos = 0
        if leading and text.startswith(leading) and all(s >= len(leading) for s, _, _ in marks):
            _sub(el, "inline", leading, name=LEADING_PHRASE)
            pos = len(leading)
        for start, end, i in marks:
            _append_text(el, text[pos:start])
            ref = _sub(el, "ref", text[start:end], eId=f"{owner}__ref_{i + 1}")
            ref.set("href", self.href(citations[i]))
            pos = end
        _append_text(el, text[pos:])
        for note in notes:
            el.append(self.note(note))
        for i, citation in enumerate(citations):
            if i in placed:
                record = {
                    "ref": f"{owner}__ref_{i + 1}",
                    "symbol": citation.symbol,
                    "kind": citation.kind.value,
                    "start": str(citation.span.start),
                    "end": str(citation.span.end),
                }
                if citation.pin is not None:
                    record["pin"] = citation.pin
                self.spans.append((_x("citation"), record))

    def href(self, citation: Citation) -> str:
        symbol = canonical(citation.symbol)
        if symbol == self.symbol:
            return self.work
        if date := self.known.get(symbol):
            info = describe(symbol)
            if info.is_resolution and info.body and info.number:
                return akn_work(info.body, date, info.number)
        return self.iris.work(symbol)

    def note(self, note: Footnote) -> Any:
        eid = self.claim(note.eid)
        self.placed_notes[id(note)] = eid
        el = etree.Element(_a("authorialNote"))
        el.set("eId", eid)
        el.set("marker", note.number)
        el.set("placement", "bottom")
        self.fill(_sub(el, "p"), note.text, eid, note.citations, [])
        return el

    def notes_of(self, part: Subdivision) -> list[Footnote]:
        """The footnotes whose marker stands in `part`, in the order of its `note_refs`."""
        anchored = self.notes_by_anchor.get(part.eid, ())
        here = [n for n in anchored if id(n) not in self.placed_notes]
        rank = {number: i for i, number in reversed(list(enumerate(part.note_refs)))}
        return sorted(here, key=lambda n: rank.get(n.number, len(rank)))

    def own_text(self, el: Any, part: Subdivision, eid: str) -> None:
        notes = self.notes_of(part)
        self.fill(el, part.text, eid, part.citations, notes, part.leading_phrase)

    def has_own(self, part: Subdivision) -> bool:
        return bool(part.text or part.citations or self.notes_of(part))

    def span(self, part: Subdivision) -> str:
        """Claim the part's eId in the document and record its offsets in the source."""
        eid = self.claim(part.eid)
        if part.span is not None:
            record = {"ref": eid, "start": str(part.span.start), "end": str(part.span.end)}
            self.spans.append((_x("part"), record))
        return eid

    def block_part(self, part: Subdivision, in_body: bool = False) -> Any:
        """A subdivision in a block context (preamble, container): `container`, `item`."""
        eid = self.span(part)
        if part.kind is Kind.PREAMBULAR:
            name = camel(part.leading_phrase or "") or "preambularParagraph"
            self.concept(PREAMBLE, CONCEPT_BASE + PREAMBLE, "preamble")
        else:
            name = f"ldexport:{part.kind.value}"
        el = etree.Element(_a("container"))
        el.set("eId", eid)
        el.set("name", name)
        if in_body:
            el.set("refersTo", f"#{PREAMBLE}")
        if part.heading is not None:
            _sub(el, "block", part.heading, name="heading")
        self.own_text(_sub(el, "p"), part, eid)
        self.block_children(el, part.children)
        return el

    def block_children(self, el: Any, children: Sequence[Subdivision]) -> None:
        for run in _runs(children):
            if run[0].kind is Kind.SUBPARAGRAPH:
                block = _sub(el, "blockList")
                for child in run:
                    block.append(self.item(child))
                self.list_eid(block)
            else:
                el.append(self.block_part(run[0]))

    def item(self, part: Subdivision) -> Any:
        eid = self.span(part)
        el = etree.Element(_a("item"))
        el.set("eId", eid)
        if part.number is not None:
            _sub(el, "num", _num_text(part.kind, part.number))
        if part.heading is not None:
            _sub(el, "heading", part.heading)
        self.own_text(_sub(el, "p"), part, eid)
        self.block_children(el, part.children)
        return el

    def hier_part(self, part: Subdivision) -> Any:
        """A subdivision in a hierarchical context: paragraph, point, section, hcontainer."""
        eid = self.span(part)
        simple = not part.children and part.number is None and part.heading is None
        if part.kind is Kind.PREAMBULAR and simple:
            # AKN4UN: a preambular paragraph among hierarchical elements is a crossHeading
            self.concept(PREAMBLE, CONCEPT_BASE + PREAMBLE, "preamble")
            el = etree.Element(_a("crossHeading"))
            el.set("eId", eid)
            el.set("refersTo", f"#{PREAMBLE}")
            self.own_text(el, part, eid)
            return el
        tag = _HIER_TAGS.get(part.kind)
        el = etree.Element(_a(tag or "hcontainer"))
        el.set("eId", eid)
        if tag is None:
            el.set("name", _HCONTAINER_NAMES[part.kind])
            if part.kind is Kind.PREAMBULAR:
                el.set("refersTo", f"#{PREAMBLE}")
        if part.number is not None:
            _sub(el, "num", _num_text(part.kind, part.number))
        if part.heading is not None:
            _sub(el, "heading", part.heading)
        self.hier_children(el, part, eid)
        return el

    def hier_children(self, el: Any, part: Subdivision, eid: str) -> None:
        if not part.children:
            self.own_text(_sub(_sub(el, "content"), "p"), part, eid)
            return
        runs = _runs(part.children)
        if len(runs) == 1 and runs[0][0].kind is Kind.SUBPARAGRAPH:
            # AKN4UN: <paragraph><num/><list><intro><p/></intro><point/>...</list></paragraph>
            el.append(self.hier_list(runs[0], (part, eid)))
            return
        if self.has_own(part):
            self.own_text(_sub(_sub(el, "intro"), "p"), part, eid)
        for run in runs:
            if run[0].kind is Kind.SUBPARAGRAPH:
                el.append(self.hier_list(run, None))
            else:
                el.append(self.hier_part(run[0]))

    def hier_list(
        self, run: Sequence[Subdivision], intro_of: tuple[Subdivision, str] | None
    ) -> Any:
        el = etree.Element(_a("list"))
        if intro_of is not None and self.has_own(intro_of[0]):
            self.own_text(_sub(_sub(el, "intro"), "p"), *intro_of)
        for child in run:
            el.append(self.hier_part(child))
        self.list_eid(el)
        return el

    def list_eid(self, el: Any) -> None:
        """Give a list the eId its first point's eId implies (`para_8__list_1__point_a` ->
        `para_8__list_1`), unless that name is taken."""
        first = next((c for c in el if _local(c) in ("point", "item")), None)
        head, sep, last = (first.get("eId", "") if first is not None else "").rpartition("__")
        if (
            sep
            and last.startswith("point_")
            and head not in self.used
            and head not in self.model_eids
        ):
            self.used.add(head)
            el.set("eId", head)

    def attachment(self, part: Subdivision) -> Any:
        """A top-level annex: `<attachment><doc name="annex">` with its own identification."""
        eid = self.span(part)
        el = etree.Element(_a("attachment"))
        el.set("eId", eid)
        if part.number is not None:
            _sub(el, "num", part.number)
        if part.heading is not None:
            _sub(el, "heading", part.heading)
        doc = _sub(el, "doc", name="annex")
        doc.append(self.identification_meta(eid))
        if self.has_own(part):
            self.own_text(_sub(_sub(doc, "preface"), "p"), part, eid)
        children = list(part.children)
        lead = 0
        while lead < len(children) and children[lead].kind is Kind.PREAMBULAR:
            lead += 1
        if lead:
            preamble = _sub(doc, "preamble")
            for child in children[:lead]:
                preamble.append(self.block_part(child))
        self.main_body(doc, children[lead:])
        return el

    # --- metadata ----------------------------------------------------------------------------
    def concept(self, eid: str, href: str, show: str) -> None:
        self.concepts.setdefault(eid, (href, show))

    def agenda_href(self, item: AgendaItem) -> str:
        if self.res.session:
            return self.iris.agenda_item(self.res.body, self.res.session.number, item.number)
        return f"{CONCEPT_BASE}agendaItem/{agenda_key(item.number)}"

    def identification(self, component: str) -> Any:
        res = self.res
        ident = etree.Element(_a("identification"))
        ident.set("source", f"#{SELF}")
        work = _sub(ident, "FRBRWork")
        _sub(work, "FRBRthis", value=f"{self.work}/!{component}")
        _sub(work, "FRBRuri", value=self.work)
        _sub(work, "FRBRalias", value=res.symbol, name="symbol")
        main = component == "main"
        rdf = self.iris.work(res.symbol) if main else self.iris.part(res.symbol, component)
        _sub(work, "FRBRalias", value=rdf, name="ldexport")
        if main:
            _sub(work, "FRBRalias", value=undocs(res.symbol), name="undocs")
        _sub(work, "FRBRdate", date=self.date, name=self.date_name)
        _sub(work, "FRBRauthor", href=f"#{res.body}")
        _sub(work, "FRBRcountry", value="un")
        _sub(work, "FRBRsubtype", value=SUBTYPE)
        number = self.work.rsplit("/", 1)[-1]
        _sub(work, "FRBRnumber", value=number, showAs=res.number or res.symbol)
        expr = _sub(ident, "FRBRExpression")
        _sub(expr, "FRBRthis", value=f"{self.expression}/!{component}")
        _sub(expr, "FRBRuri", value=self.expression)
        if main:
            rdf = self.iris.expression(res.symbol, res.language)
            _sub(expr, "FRBRalias", value=rdf, name="ldexport")
        _sub(expr, "FRBRdate", date=self.date, name=self.date_name)
        _sub(expr, "FRBRauthor", href=f"#{res.body}")
        _sub(expr, "FRBRlanguage", language=res.language)
        manif = _sub(ident, "FRBRManifestation")
        _sub(manif, "FRBRthis", value=f"{self.expression}/!{component}.xml")
        _sub(manif, "FRBRuri", value=f"{self.expression}.xml")
        if main:
            rdf = self.iris.manifestation(res.symbol, res.language, "akn")
            _sub(manif, "FRBRalias", value=rdf, name="ldexport")
        _sub(manif, "FRBRdate", date=res.distribution_date or self.date, name="source")
        _sub(manif, "FRBRauthor", href=f"#{SELF}")
        _sub(manif, "FRBRformat", value="xml")
        return ident

    def identification_meta(self, component: str) -> Any:
        meta = etree.Element(_a("meta"))
        meta.append(self.identification(component))
        return meta

    def meta(self, statement: Any) -> Any:
        res = self.res
        meta = etree.Element(_a("meta"))
        meta.append(self.identification("main"))
        if res.distribution_date:
            _sub(meta, "publication", date=res.distribution_date, name="distribution")
            meta[-1].set("showAs", "Distribution")
        if res.doc_type != "draft-resolution" and (res.adoption_date or res.vote):
            workflow = _sub(meta, "workflow", source=f"#{SELF}")
            step = _sub(workflow, "step", date=self.date, by=f"#{res.body}")
            if res.vote:
                vote = camel(res.vote) or "vote"
                self.concept(vote, LDX_ONTOLOGY + vote[:1].upper() + vote[1:], res.vote)
                step.set("refersTo", f"#{vote}")
            self.concept("adopted", LDX_ONTOLOGY + "Adopted", "adopted")
            step.set("outcome", "#adopted")
        references = _sub(meta, "references", source=f"#{SELF}")
        self.references(references)
        proprietary = _sub(meta, "proprietary", source=f"#{SELF}")
        proprietary.append(self.model)
        return meta

    def references(self, refs: Any) -> None:
        res = self.res
        organs = [res.body] + ([res.committee] if res.committee else [])
        for actor in organs:
            show = ORGANS.get(actor, actor)
            if actor == res.committee and res.committee_name:
                show = res.committee_name
            _sub(refs, "TLCOrganization", eId=actor, href=self.iris.organ(actor), showAs=show)
        _sub(refs, "TLCOrganization", eId=SELF, href="https://w3id.org/ldexport", showAs=SELF)
        if res.session:
            _sub(
                refs,
                "TLCEvent",
                eId="session",
                href=self.iris.session(res.body, res.session.number),
                showAs=res.session.label or f"Session {res.session.number}",
            )
        if res.meeting:
            number = res.session.number if res.session else None
            kind = "meeting" if res.body == "un-sc" else "plenary meeting"
            _sub(
                refs,
                "TLCEvent",
                eId="meeting",
                href=self.iris.meeting(res.body, number, res.meeting),
                showAs=f"{ordinal(res.meeting)} {kind}",
            )
        for eid, (href, show) in self.concepts.items():
            _sub(refs, "TLCConcept", eId=eid, href=href, showAs=show)
        if res.parent_symbol:
            _sub(
                refs,
                "TLCReference",
                eId="isMemberOf",
                href=self.iris.work(res.parent_symbol),
                showAs=res.parent_symbol,
                name="isMemberOf",
            )
        if res.corrects:
            _sub(
                refs,
                "TLCReference",
                eId="corrects",
                href=self.iris.work(res.corrects),
                showAs=res.corrects,
                name="corrects",
            )

    def records(self) -> None:
        """The proprietary model block: source, offsets, citation kinds, warnings."""
        res = self.res
        if res.source is not None:
            src = etree.SubElement(self.model, _x("source"))
            src.set("path", res.source.path)
            src.set("format", res.source.format)
            src.set("sha256", res.source.sha256)
            if res.source.job_number is not None:
                src.set("jobNumber", res.source.job_number)
        for note in res.footnotes:
            record = etree.SubElement(self.model, _x("footnote"))
            record.set("ref", self.placed_notes.get(id(note), note.eid))
            if note.span is not None:
                record.set("start", str(note.span.start))
                record.set("end", str(note.span.end))
        for tag, attributes in self.spans:
            etree.SubElement(self.model, tag, attributes)
        for warning in res.warnings:
            etree.SubElement(self.model, _x("warning")).text = warning


def _runs(parts: Sequence[Subdivision]) -> list[list[Subdivision]]:
    """Consecutive sub-paragraphs grouped in one run (one list); every other part alone."""
    runs: list[list[Subdivision]] = []
    for part in parts:
        if part.kind is Kind.SUBPARAGRAPH and runs and runs[-1][0].kind is Kind.SUBPARAGRAPH:
            runs[-1].append(part)
        else:
            runs.append([part])
    return runs


def _indent(el: Any, level: int) -> None:
    """Indent the element-only parts of the tree (`el` is structural); text is never touched."""
    if not len(el) or (el.text and el.text.strip()):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        child.tail = pad
        if child.tag in _STRUCTURAL_TAGS:
            _indent(child, level + 1)
    el[-1].tail = "\n" + "  " * level


def _diff(derived: Any, wanted: Any, path: list[str | int]) -> Iterator[tuple[list[Any], Any]]:
    """Where two JSON forms differ: (path, wanted value); None at a path means "absent"."""
    if isinstance(derived, dict) and isinstance(wanted, dict):
        for key in [*wanted, *(k for k in derived if k not in wanted)]:
            if key not in wanted:
                yield [*path, key], None
            elif key not in derived:
                yield [*path, key], wanted[key]
            else:
                yield from _diff(derived[key], wanted[key], [*path, key])
    elif isinstance(derived, list) and isinstance(wanted, list) and len(derived) == len(wanted):
        for i, (d, w) in enumerate(zip(derived, wanted, strict=True)):
            yield from _diff(d, w, [*path, i])
    elif derived != wanted:
        yield path, wanted


def _apply(data: dict[str, Any], path: list[Any], value: Any) -> None:
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


# --- reading -----------------------------------------------------------------------------


def from_akn(data: bytes, path: str) -> Resolution:
    """The resolution an Akoma Ntoso document holds (the inverse of `to_akn`).

    Documents written by ldexport come back exactly; other AKN documents are read as far as
    their markup goes (symbol from FRBRalias or the Work IRI, eIds, text, refs).
    SourceError if the bytes are not an AKN document, ParseError if it holds no resolution
    or several (use `read_all`).
    """
    found = read_all(data, path)
    if len(found) != 1:
        raise ParseError(path, f"holds {len(found)} resolutions, expected one")
    return found[0]


def read_all(data: bytes, path: str) -> list[Resolution]:
    """Every resolution (statement) of an Akoma Ntoso document, in document order."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, f"is not well-formed XML ({exc})") from exc
    if _local(root) != "akomaNtoso":
        raise SourceError(path, "is not an Akoma Ntoso document (no akomaNtoso root)")
    return _Reader(root, path).resolutions()


@dataclass
class _Text:
    """What a run of mixed content says: its text, refs, footnotes and leading phrase."""

    text: str = ""
    refs: list[tuple[Any, int, int]] = field(default_factory=list)  # (ref, start, end)
    notes: list[Any] = field(default_factory=list)
    leading: str | None = None


def _read_text(el: Any) -> _Text:
    out = _Text()
    if not len(el):  # plain text, the common case
        out.text = el.text or ""
        return out
    pieces: list[str] = []
    _walk_text(el, out, pieces, 0)
    out.text = "".join(pieces)
    return out


def _walk_text(node: Any, out: _Text, pieces: list[str], length: int) -> int:
    """Add the text of `node`'s content to `pieces` (`length` characters so far), recording
    its refs and leading phrase in `out` where they stand and setting its footnotes aside;
    the new length.  A function, not a closure calling itself: such a closure is a reference
    cycle, left for the cyclic garbage collector, with the elements it holds."""
    if text := node.text:
        pieces.append(text)
        length += len(text)
    for child in node:
        name = _local(child)
        if name == "authorialNote":
            out.notes.append(child)
        elif name:
            start = length
            length = _walk_text(child, out, pieces, length)
            if name == "ref":
                out.refs.append((child, start, length))
            elif name == "inline" and child.get("name") == LEADING_PHRASE:
                out.leading = "".join(pieces)[start:length]
        if tail := child.tail:
            pieces.append(tail)
            length += len(tail)
    return length


_LIST_OR_HIER = ("list", "paragraph", "point", "section", "hcontainer", "crossHeading")


def _children(el: Any) -> list[tuple[str, Any]]:
    """The children of `el` with their local names ("" for comments and the like)."""
    return [(_local(child), child) for child in el]


def _firsts(children: list[tuple[str, Any]]) -> dict[str, Any]:
    """The first child of each local name (the reversed pairs: the first one written last)."""
    return dict(reversed(children))


def _first(el: Any, *names: str) -> Any:
    """The first child element with one of these local names, in any namespace or none."""
    return next(el.iterchildren(*[f"{{*}}{name}" for name in names]), None)


class _Reader:
    """Reads one AKN tree; `ours` when ldexport wrote it (proprietary model block present)."""

    def __init__(self, root: Any, path: str) -> None:
        self.root = root
        self.path = path

    def resolutions(self) -> list[Resolution]:
        out = []
        for st in self.root.iter(_a("statement")):
            if any(_local(a) == "attachment" for a in st.iterancestors()):
                continue
            out.append(_StatementReader(st, self.path).read())
        if not out:
            raise ParseError(self.path, "holds no <statement> (no resolution)")
        return out


class _StatementReader:
    def __init__(self, st: Any, path: str) -> None:
        self.st = st
        self.path = path
        self.meta = _first(st, "meta")
        model = st.find(f"{_a('meta')}/{_a('proprietary')}/{_x('model')}")
        self.model = model
        self.ours = model is not None
        self.citations: dict[str, Any] = {}
        self.cite_order: dict[str, int] = {}
        self.spans: dict[str, Span] = {}
        self.note_order: dict[str, int] = {}
        self.note_spans: dict[str, Span] = {}
        if model is not None:
            for i, rec in enumerate(model.iter(_x("citation"))):
                self.citations.setdefault(rec.get("ref"), rec)
                self.cite_order.setdefault(rec.get("ref"), i)
            for rec in model.iter(_x("part")):
                self.spans[rec.get("ref")] = Span(int(rec.get("start")), int(rec.get("end")))
            for i, rec in enumerate(model.iter(_x("footnote"))):
                self.note_order.setdefault(rec.get("ref"), i)
                if rec.get("start") is not None:
                    span = Span(int(rec.get("start")), int(rec.get("end")))
                    self.note_spans[rec.get("ref")] = span
        self.footnotes: list[tuple[Footnote, int]] = []  # (note, document position)
        self.doc_text = "".join(st.itertext()) if not self.ours else ""
        self.doc_cursor: dict[str, int] = {}

    def clean(self, text: str) -> str:
        """Text as written (ldexport's own documents) or with its white space folded."""
        return text if self.ours else " ".join(text.split())

    # --- the whole ---------------------------------------------------------------------------
    def read(self) -> Resolution:
        st = self.st
        meta = self.meta
        if meta is None:
            raise ParseError(self.path, "the statement has no <meta> block")
        work = meta.find(f"{_a('identification')}/{_a('FRBRWork')}")
        if work is None:
            raise ParseError(self.path, "the statement has no FRBRWork identification")
        preface = _first(st, "preface")
        symbol = self.symbol(work, preface)
        body = self.body(work)
        number, title, derived, title_cites = self.title(preface)
        parts = self.parts()
        enacting = None
        preamble = _first(st, "preamble")
        if preamble is not None:
            formula = _first(preamble, "formula")
            if formula is not None:
                p = _first(formula, "p")
                enacting = self.clean(_read_text(p).text) if p is not None else None
        res = Resolution(
            symbol=symbol,
            body=body,
            doc_type=self.doc_type(),
            number=number,
            title=title,
            title_derived=derived,
            language=self.language(),
            adoption_date=self.frbr_date(work, "adoption"),
            distribution_date=self.distribution(),
            session=self.session(preface),
            agenda_items=self.agenda(preface),
            committee=self.committee(preface)[0],
            committee_name=self.committee(preface)[1],
            report_symbols=self.preface_refs(preface, "committee"),
            draft_symbols=self.preface_refs(preface, "withoutReference"),
            meeting=self.meeting(),
            vote=self.vote(),
            enacting_formula=enacting,
            sponsors=self.sponsors(preface),
            parent_symbol=self.reference("isMemberOf"),
            corrects=self.reference("corrects"),
            parts=parts,
            footnotes=self.collect_footnotes(),
            citations=title_cites,
            source=self.source(),
            warnings=self.warnings(),
        )
        overrides = [] if self.model is None else list(self.model.iter(_x("override")))
        if not overrides:
            return res
        data = to_dict(res)
        for over in overrides:
            path = [int(p) if p.isdigit() else p for p in over.get("path", "").split("/")]
            _apply(data, path, json.loads(over.text or "null"))
        return resolution_from_dict(data)

    # --- metadata ----------------------------------------------------------------------------
    def symbol(self, work: Any, preface: Any) -> str:
        for alias in work.iter(_a("FRBRalias")):
            if alias.get("name") == "symbol" and alias.get("value"):
                return canonical(alias.get("value"))
        if preface is not None:
            for num in preface.iter(_a("docNumber")):
                if num.get("refersTo") == "#symbol":
                    return canonical("".join(num.itertext()))
        uri = work.find(_a("FRBRuri"))
        m = re.fullmatch(
            r"/akn/un/statement/[^/]+/(?P<actor>[^/]+)/(?P<date>[^/]+)/(?P<num>[^/]+)",
            uri.get("value", "") if uri is not None else "",
        )
        if m and m["actor"] in ("un-ga", "ga") and re.fullmatch(r"[\w-]+-\d+[A-Z]?", m["num"]):
            session, _, rest = m["num"].rpartition("-")
            return f"A/RES/{session}/{rest}"
        if m and m["actor"] in ("un-sc", "sc") and m["num"].isdigit():
            return f"S/RES/{m['num']}({m['date'][:4]})"
        raise ParseError(self.path, "no document symbol (FRBRalias name='symbol') found")

    def body(self, work: Any) -> str:
        author = work.find(_a("FRBRauthor"))
        href = author.get("href", "") if author is not None else ""
        if href.startswith("#") and len(href) > 1:
            return href[1:]
        uri = work.find(_a("FRBRuri"))
        parts = (uri.get("value", "") if uri is not None else "").split("/")
        return parts[5] if len(parts) > 5 else "un-ga"

    def doc_type(self) -> str:
        name = str(self.st.get("name", "resolution"))
        for doc_type, akn_name in DOC_NAMES.items():
            if akn_name == name:
                return doc_type
        return name

    def language(self) -> str:
        lang = self.meta.find(f"{_a('identification')}/{_a('FRBRExpression')}/{_a('FRBRlanguage')}")
        return lang.get("language", "eng") if lang is not None else "eng"

    def frbr_date(self, work: Any, name: str) -> str | None:
        for date in work.iter(_a("FRBRdate")):
            if date.get("name") == name:
                return str(date.get("date"))
        return None

    def distribution(self) -> str | None:
        pub = _first(self.meta, "publication")
        if pub is not None and pub.get("name") == "distribution":
            return str(pub.get("date"))
        return None

    def lines(self, preface: Any, name: str) -> list[Any]:
        if preface is None:
            return []
        return [
            p
            for box in preface
            if _local(box) == "container" and box.get("name") == name
            for p in box
            if _local(p) == "p"
        ]

    def title(self, preface: Any) -> tuple[str | None, str | None, bool, tuple[Citation, ...]]:
        number = title = None
        derived = False
        cites: tuple[Citation, ...] = ()
        if preface is None:
            return None, None, False, ()
        for num in preface.iter(_a("docNumber")):
            if num.get("refersTo") != "#symbol":
                number = "".join(num.itertext())
                break
        for el in preface.iter(_a("docTitle")):
            text = _read_text(el)
            title = self.clean(text.text)
            derived = el.get("refersTo") == f"#{DERIVED_TITLE}"
            cites = self.cites(text)
            break
        return number, title, derived, cites

    def session(self, preface: Any) -> Session | None:
        if preface is None:
            return None
        for el in preface.iter(_a("session")):
            label = "".join(el.itertext()) or None
            return Session(el.get("value") or label or "", label)
        return None

    def agenda(self, preface: Any) -> tuple[AgendaItem, ...]:
        items = []
        for p in self.lines(preface, "agendaItem"):
            ref = _first(p, "ref")
            if ref is None:
                continue
            shown = "".join(ref.itertext())
            number = agenda_key(re.sub(r"^Agenda item\s*", "", shown))
            label = None
            for inline in p.iter(_a("inline")):
                if inline.get("name") == AGENDA_TITLE:
                    label = "".join(inline.itertext())
            items.append(AgendaItem(number, label))
        return tuple(items)

    def committee(self, preface: Any) -> tuple[str | None, str | None]:
        for p in self.lines(preface, "committee"):
            el = _first(p, "docCommittee")
            if el is not None:
                refers = el.get("refersTo", "")
                return (refers[1:] or None) if refers.startswith("#") else None, (
                    "".join(el.itertext()) or None
                )
        return None, None

    def preface_refs(self, preface: Any, name: str) -> tuple[str, ...]:
        return tuple(
            canonical("".join(ref.itertext()))
            for p in self.lines(preface, name)
            for ref in p
            if _local(ref) == "ref"
        )

    def sponsors(self, preface: Any) -> str | None:
        for p in self.lines(preface, "sponsors"):
            return "".join(p.itertext())
        return None

    def meeting(self) -> str | None:
        for el in self.st.iter(_a("event")):
            if el.get("refersTo") == "#meeting":
                shown = "".join(el.itertext())
                m = re.match(r"^(.*?)(?:(?<=\d)(?:st|nd|rd|th))? (?:plenary )?meeting$", shown)
                return m[1] if m else shown
        return None

    def vote(self) -> str | None:
        step = self.meta.find(f"{_a('workflow')}/{_a('step')}")
        if step is None or not step.get("refersTo"):
            return None
        return _uncamel(step.get("refersTo").split()[0].lstrip("#"))

    def reference(self, name: str) -> str | None:
        for refs in self.meta.iter(_a("references")):
            for el in refs:
                if _local(el) == "TLCReference" and el.get("name") == name:
                    return canonical(el.get("showAs", ""))
        return None

    def source(self) -> SourceInfo | None:
        if self.model is None:
            return None
        src = self.model.find(_x("source"))
        if src is None:
            return None
        return SourceInfo(
            src.get("path"), src.get("format"), src.get("sha256"), src.get("jobNumber")
        )

    def warnings(self) -> tuple[str, ...]:
        if self.model is None:
            return ()
        return tuple(w.text or "" for w in self.model.iter(_x("warning")))

    # --- citations and footnotes ---------------------------------------------------------------
    def cites(self, text: _Text) -> tuple[Citation, ...]:
        if not text.refs:
            return ()
        found: list[tuple[int, Citation]] = []
        for pos, (ref, _start, _end) in enumerate(text.refs):
            eid = ref.get("eId")
            record = self.citations.get(eid) if eid else None
            shown = self.clean("".join(ref.itertext()))
            if record is not None:
                pin = record.get("pin")
                citation = Citation(
                    symbol=record.get("symbol"),
                    kind=CitationKind(record.get("kind")),
                    text=shown,
                    span=Span(int(record.get("start")), int(record.get("end"))),
                    pin=pin,
                )
                found.append((self.cite_order[eid], citation))
            elif not self.ours and (symbol := _symbol_of(ref.get("href", ""), shown)):
                info = describe(symbol)
                kind = CitationKind.RESOLUTION if info.is_resolution else CitationKind.DOCUMENT
                # No source offsets in a foreign document: offsets into its text content.
                offset = max(self.doc_text.find(shown, self.doc_cursor.get(shown, 0)), 0)
                self.doc_cursor[shown] = offset + len(shown)
                span = Span(offset, offset + len(shown))
                found.append((pos, Citation(symbol, kind, shown, span)))
        return tuple(c for _, c in sorted(found, key=lambda item: item[0]))

    def note_of(self, el: Any, anchor: str | None, position: int) -> str:
        marker = el.get("marker") or str(len(self.footnotes) + 1)
        eid = el.get("eId") or f"authorialNote_{marker}"
        p = _first(el, "p")
        text = _read_text(p) if p is not None else _Text()
        text.text = self.clean(text.text)
        note = Footnote(
            number=marker,
            eid=eid,
            text=text.text,
            anchor_eid=anchor,
            citations=self.cites(text),
            span=self.note_spans.get(eid),
        )
        self.footnotes.append((note, position))
        return marker

    def collect_footnotes(self) -> tuple[Footnote, ...]:
        conclusions = _first(self.st, "conclusions")
        if conclusions is not None:
            for box in conclusions:
                if _local(box) == "container" and box.get("name") == UNPLACED_NOTES:
                    for p in box:
                        for note in p:
                            if _local(note) == "authorialNote":
                                self.note_of(note, None, len(self.footnotes))
        unknown = len(self.note_order)
        ordered = sorted(
            self.footnotes, key=lambda item: (self.note_order.get(item[0].eid, unknown), item[1])
        )
        return tuple(note for note, _ in ordered)

    # --- subdivisions ------------------------------------------------------------------------
    def parts(self) -> tuple[Subdivision, ...]:
        items: list[_Part] = []
        preamble = _first(self.st, "preamble")
        if preamble is not None:
            for el in preamble:
                if _local(el) == "container":
                    items.append(self.block(el, ""))
        main = _first(self.st, "mainBody")
        if main is not None:
            items.extend(self.body_parts(main, ""))
        attachments = _first(self.st, "attachments")
        if attachments is not None:
            for el in attachments:
                if _local(el) == "attachment":
                    items.append(self.attachment(el))
        return _freeze(items)

    def body_parts(self, main: Any, prefix: str) -> list[_Part]:
        items: list[_Part] = []
        for el in main:
            name = _local(el)
            if name == "container":
                items.append(self.block(el, prefix))
            elif name == "list":
                items.extend(self.hier(child, prefix) for child in self.points(el))
            elif name in ("paragraph", "section", "point", "hcontainer", "crossHeading"):
                items.append(self.hier(el, prefix))
            elif name == "attachment":
                items.append(self.attachment(el))
        return items

    def points(self, el: Any) -> list[Any]:
        return [c for c in el if _local(c) in ("point", "paragraph", "hcontainer", "crossHeading")]

    def own(
        self, el: Any | None, eid: str
    ) -> tuple[str, str | None, tuple[Citation, ...], tuple[str, ...]]:
        """Text, leading phrase, citations and footnote markers of a part's own text."""
        if el is None:
            return "", None, (), ()
        text = _read_text(el)
        body = self.clean(text.text)
        markers = tuple(self.note_of(n, eid, len(self.footnotes)) for n in text.notes)
        return body, text.leading, self.cites(text), markers

    def block(self, el: Any, prefix: str) -> _Part:
        """container (preambular paragraph) or item (sub-paragraph in a block context)."""
        name = el.get("name", "")
        tag = _local(el)
        if tag == "item":
            kind = Kind.SUBPARAGRAPH
        elif name.startswith("ldexport:"):
            kind = Kind(name.split(":", 1)[1])
        else:
            kind = Kind.PREAMBULAR
        children = _children(el)
        first = _firsts(children)
        num = first.get("num")
        part = _Part(kind, el.get("eId"), prefix)
        part.number = _num_value("".join(num.itertext())) if num is not None else None
        for name, child in children:
            if name == "heading" or (name == "block" and child.get("name") == "heading"):
                part.heading = self.clean("".join(child.itertext()))
        p = first.get("p")
        part.text, part.leading, part.citations, part.note_refs = self.own(p, part.eid_or(""))
        for name, child in children:
            if name == "blockList":
                part.children.extend(
                    self.block(item, part.eid_or("")) for item in child if _local(item) == "item"
                )
            elif name == "container":
                part.children.append(self.block(child, part.eid_or("")))
        self.finish(part, kind)
        return part

    def hier(self, el: Any, prefix: str) -> _Part:
        tag = _local(el)
        if tag == "crossHeading":
            part = _Part(Kind.PREAMBULAR, el.get("eId"), prefix)
            part.text, part.leading, part.citations, part.note_refs = self.own(el, part.eid_or(""))
            self.finish(part, Kind.PREAMBULAR)
            return part
        if tag == "hcontainer":
            kind = _HCONTAINER_KINDS.get(el.get("name", ""), Kind.SECTION)
        else:
            kind = _HIER_KINDS[tag]
        part = _Part(kind, el.get("eId"), prefix)
        children = _children(el)
        first = _firsts(children)
        num = first.get("num")
        part.number = _num_value("".join(num.itertext())) if num is not None else None
        heading = first.get("heading")
        part.heading = self.clean("".join(heading.itertext())) if heading is not None else None
        eid = part.eid_or("")
        own = None
        content = first.get("content")
        intro = first.get("intro")
        if content is not None:
            own = _first(content, "p")
        elif intro is not None:
            own = _first(intro, "p")
        else:
            inner = next((c for name, c in children if name in _LIST_OR_HIER), None)
            if inner is not None and _local(inner) == "list":
                list_intro = _first(inner, "intro")
                own = _first(list_intro, "p") if list_intro is not None else None
        part.text, part.leading, part.citations, part.note_refs = self.own(own, eid)
        for name, child in children:
            if name == "list":
                part.children.extend(self.hier(point, eid) for point in self.points(child))
            elif name in ("paragraph", "section", "point", "hcontainer", "crossHeading"):
                part.children.append(self.hier(child, eid))
        self.finish(part, kind)
        return part

    def attachment(self, el: Any) -> _Part:
        part = _Part(Kind.ANNEX, el.get("eId"), "")
        num = _first(el, "num")
        part.number = "".join(num.itertext()) if num is not None else None
        heading = _first(el, "heading")
        part.heading = self.clean("".join(heading.itertext())) if heading is not None else None
        doc = next((c for c in el if _local(c) in ("doc", "statement", "act")), None)
        eid = part.eid_or("")
        if doc is not None:
            preface = _first(doc, "preface")
            own = _first(preface, "p") if preface is not None else None
            part.text, part.leading, part.citations, part.note_refs = self.own(own, eid)
            preamble = _first(doc, "preamble")
            if preamble is not None:
                part.children.extend(
                    self.block(c, eid) for c in preamble if _local(c) == "container"
                )
            main = _first(doc, "mainBody")
            if main is not None:
                part.children.extend(self.body_parts(main, eid))
        self.finish(part, Kind.ANNEX)
        return part

    def finish(self, part: _Part, kind: Kind) -> None:
        if part.eid is not None:
            part.span = self.spans.get(part.eid)
        if not self.ours and part.leading is None and kind in (Kind.PREAMBULAR, Kind.OPERATIVE):
            from ldexport.parse.structure import leading_phrase

            part.leading = leading_phrase(part.text, kind)


@dataclass
class _Part:
    """A subdivision read from the XML, before its order among its siblings is known."""

    kind: Kind
    eid: str | None
    prefix: str
    number: str | None = None
    heading: str | None = None
    text: str = ""
    leading: str | None = None
    citations: tuple[Citation, ...] = ()
    note_refs: tuple[str, ...] = ()
    children: list[_Part] = field(default_factory=list)
    span: Span | None = None

    def eid_or(self, default: str) -> str:
        return self.eid or default


def _freeze(items: Sequence[_Part]) -> tuple[Subdivision, ...]:
    counts: dict[Kind, int] = {}
    out = []
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
        order = counts[item.kind]
        eid = item.eid or _default_eid(item, order)
        for child in item.children:
            if child.eid is None:
                child.prefix = eid
        out.append(
            Subdivision(
                kind=item.kind,
                eid=eid,
                order=order,
                text=item.text,
                number=item.number,
                heading=item.heading,
                leading_phrase=item.leading,
                citations=item.citations,
                note_refs=item.note_refs,
                children=_freeze(item.children),
                span=item.span,
            )
        )
    return tuple(out)


def _default_eid(item: _Part, order: int) -> str:
    """The eId the AKN4UN naming convention gives a part that has none (foreign documents)."""
    join = f"{item.prefix}__" if item.prefix else ""
    local: dict[Kind, Callable[[], str]] = {
        Kind.PREAMBULAR: lambda: f"preamble__container_{order}",
        Kind.OPERATIVE: lambda: f"para_{item.number or order}",
        Kind.SUBPARAGRAPH: lambda: f"list_1__point_{item.number or order}",
        Kind.SECTION: lambda: f"sec_{item.number or order}",
        Kind.ANNEX: lambda: f"annex_{order}",
        Kind.FOOTNOTE: lambda: f"authorialNote_{order}",
    }
    return join + local[item.kind]()


def _symbol_of(href: str, shown: str) -> str | None:
    """The symbol a foreign `<ref>` points at: ldexport or AKN Work IRI, or the text itself."""
    if m := re.search(r"/doc/(?P<sym>[AS]/.+)$", href):
        return canonical(m["sym"])
    if m := re.fullmatch(r"/akn/un/statement/[^/]+/un-ga/[^/]+/(?P<s>[\w-]+)-(?P<n>\d+)/?", href):
        return f"A/RES/{m['s']}/{m['n']}"
    if m := re.fullmatch(r"/akn/un/statement/[^/]+/un-sc/(?P<y>\d{4})[^/]*/(?P<n>\d+)/?", href):
        return f"S/RES/{m['n']}({m['y']})"
    text = canonical(shown)
    return text if describe(text).body and "/" in text else None


# --- validation --------------------------------------------------------------------------


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]
    """Resolve the schema's import of xml.xsd to the copy shipped beside it (no network)."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        if system_url and system_url.rsplit("/", 1)[-1] == "xml.xsd":
            return self.resolve_filename(str(SCHEMA_PATH.with_name("xml.xsd")), context)
        return None


@cache
def _schema() -> Any:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


def validate_akn(data: bytes) -> list[str]:
    """Errors of a document against the OASIS Akoma Ntoso 3.0 schema, one line each."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        doc = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [f"{exc.lineno}:{exc.offset}: not well-formed: {exc.msg}"]
    schema = _schema()
    if schema.validate(doc):
        return []
    return [f"{e.line}:{e.column}: {e.message}" for e in schema.error_log]
