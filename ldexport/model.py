"""The intermediate model: what a UN resolution says, independent of any output format.

Everything here is a frozen dataclass, so a parsed resolution can be shared between the
mapping, the exporters and the tests without anyone changing it under the others' feet.
`to_dict` / `from_dict` give the JSON form that `ldexport/schema/resolution.schema.json`
describes; the RDF is built from the model by `ldexport.mapping`, never by the model itself.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any


class Kind(enum.StrEnum):
    """The kind of a subdivision; the values name the SKOS concepts of the project ontology."""

    PREAMBULAR = "PreambularParagraph"
    OPERATIVE = "OperativeParagraph"
    SUBPARAGRAPH = "SubParagraph"
    SECTION = "Section"
    ANNEX = "Annex"
    FOOTNOTE = "Footnote"


class CitationKind(enum.StrEnum):
    """What a citation points at; decides the cited work's `eli:work_type`."""

    RESOLUTION = "resolution"  # A/RES/.., S/RES/..
    DECISION = "decision"  # General Assembly decision 60/519 (cited by number, no symbol)
    DRAFT = "draft"  # A/73/L.6, S/2016/1100 when known to be a draft
    REPORT = "report"  # A/58/499, Official Records supplements
    MEETING_RECORD = "meeting-record"  # A/58/PV.77, S/PV.5396
    PRESIDENTIAL_STATEMENT = "presidential-statement"  # S/PRST/2006/5
    DOCUMENT = "document"  # any other UN document symbol


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into `SourceDocument.text` (the decoded source)."""

    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    """One cited work, as found in the text.

    `symbol` is canonical (see `ldexport.symbols.canonical`); `text` is what the document
    printed, and `span` where it printed it.  A decision cited by number only ("decision
    60/519") keeps its number as the symbol it would carry: "A/DEC/60/519".
    """

    symbol: str
    kind: CitationKind
    text: str
    span: Span
    pin: str | None = None  # "para. 7", "annex II.A", "section IV"


@dataclass(frozen=True)
class Subdivision:
    """A preambular or operative paragraph, sub-paragraph, section or annex.

    `eid` is the Akoma Ntoso eId, full path ("para_8__list_1__point_a"); it is the fragment
    of the subdivision's IRI.  `order` is the 1-based position among all children of the
    parent, numbered or not.  `number` is the number as printed, without brackets or dot
    ("5", "a", "ii", "II"); None for preambular paragraphs.  `text` is the subdivision's own
    text (for a paragraph with sub-paragraphs, the words before the first of them).
    """

    kind: Kind
    eid: str
    order: int
    text: str
    number: str | None = None
    heading: str | None = None
    leading_phrase: str | None = None
    citations: tuple[Citation, ...] = ()
    note_refs: tuple[str, ...] = ()  # numbers of the footnotes whose marker stands here
    children: tuple[Subdivision, ...] = ()
    span: Span | None = None


@dataclass(frozen=True)
class Footnote:
    """A footnote; its eId is "authorialNote_<n>" and it hangs on the paragraph `anchor_eid`."""

    number: str
    eid: str
    text: str
    anchor_eid: str | None
    citations: tuple[Citation, ...] = ()
    span: Span | None = None


@dataclass(frozen=True)
class Session:
    """A General Assembly session: "58" / "Fifty-eighth session", "ES-10" for an emergency one."""

    number: str
    label: str | None = None


@dataclass(frozen=True)
class AgendaItem:
    """An agenda item as printed ("90 (b)"); `number` keeps no spaces or brackets ("90b")."""

    number: str
    label: str | None = None


@dataclass(frozen=True)
class SourceInfo:
    """Where the model came from: file name, detected format, SHA-256 of the bytes."""

    path: str
    format: str
    sha256: str
    job_number: str | None = None  # ODS job number, e.g. "N0350274"


@dataclass(frozen=True)
class Resolution:
    """One resolution (or draft resolution, or decision) of a UN organ.

    `symbol` is canonical ("A/RES/58/136", "S/RES/1663(2006)", "A/RES/36/120E").
    `body` is the AKN4UN actor of the adopting organ ("un-ga", "un-sc").
    `parts` are the top-level subdivisions in document order: preambular paragraphs,
    operative paragraphs, sections, annexes.
    """

    symbol: str
    body: str
    doc_type: str  # "resolution" | "decision" | "draft-resolution"
    number: str | None  # "58/136", "1663", "36/120 E"
    title: str | None
    title_derived: bool = False
    language: str = "eng"  # ISO 639-2/T
    adoption_date: str | None = None  # ISO 8601 date
    distribution_date: str | None = None
    session: Session | None = None
    agenda_items: tuple[AgendaItem, ...] = ()
    committee: str | None = None  # AKN4UN actor of the Main Committee: "un-ga-c3"
    committee_name: str | None = None  # "Third Committee"
    report_symbols: tuple[str, ...] = ()  # the committee report(s) it was adopted on
    draft_symbols: tuple[str, ...] = ()  # the draft(s) adopted without reference to a committee
    meeting: str | None = None  # plenary or Council meeting number as printed: "77"
    vote: str | None = None  # "without-vote" | "recorded-vote" | "unanimous" as printed
    enacting_formula: str | None = None  # "The General Assembly,"
    sponsors: str | None = None  # drafts: "United States of America: draft resolution"
    parent_symbol: str | None = None  # lettered resolutions: A/RES/36/120 for A/RES/36/120E
    corrects: str | None = None  # a corrigendum names what it corrects
    parts: tuple[Subdivision, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    citations: tuple[Citation, ...] = ()  # citations outside any paragraph (masthead, title)
    source: SourceInfo | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def walk(self) -> list[Subdivision]:
        """Every subdivision, depth first, in document order."""
        out: list[Subdivision] = []
        stack = list(reversed(self.parts))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    def all_citations(self) -> list[Citation]:
        """Every citation in the resolution: its own, its paragraphs' and its footnotes'."""
        cites = list(self.citations)
        for part in self.walk():
            cites.extend(part.citations)
        for note in self.footnotes:
            cites.extend(note.citations)
        return cites


# --- JSON form ---------------------------------------------------------------------------


def to_dict(obj: Any) -> Any:
    """The JSON-able form of a model object (enums as their values, tuples as lists)."""
    kind = type(obj)
    if kind is str or kind is int:  # most values: returned before any look-up
        return obj
    names = _field_names(kind)
    if names is not None:
        out: dict[str, Any] = {}
        for name in names:
            value = getattr(obj, name)
            if value is None or value == () or (name == "title_derived" and not value):
                continue
            out[name] = to_dict(value)
        return out
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        return [to_dict(v) for v in obj]
    return obj


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a dataclass, None for any other type (looked up once per class: the
    JSON form is made for every document, several times)."""
    try:
        return _FIELDS[cls]
    except KeyError:
        names = _FIELDS[cls] = (
            tuple(f.name for f in dataclasses.fields(cls))
            if dataclasses.is_dataclass(cls)
            else None
        )
        return names


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _span(d: dict[str, Any] | None) -> Span | None:
    return Span(**d) if d else None


def _citation(d: dict[str, Any]) -> Citation:
    return Citation(
        symbol=d["symbol"],
        kind=CitationKind(d["kind"]),
        text=d["text"],
        span=Span(**d["span"]),
        pin=d.get("pin"),
    )


def _subdivision(d: dict[str, Any]) -> Subdivision:
    return Subdivision(
        kind=Kind(d["kind"]),
        eid=d["eid"],
        order=d["order"],
        text=d["text"],
        number=d.get("number"),
        heading=d.get("heading"),
        leading_phrase=d.get("leading_phrase"),
        citations=tuple(_citation(c) for c in d.get("citations", ())),
        note_refs=tuple(d.get("note_refs", ())),
        children=tuple(_subdivision(c) for c in d.get("children", ())),
        span=_span(d.get("span")),
    )


def resolution_from_dict(d: dict[str, Any]) -> Resolution:
    """Rebuild a `Resolution` from its JSON form (the inverse of `to_dict`)."""
    session = d.get("session")
    source = d.get("source")
    return Resolution(
        symbol=d["symbol"],
        body=d["body"],
        doc_type=d["doc_type"],
        number=d.get("number"),
        title=d.get("title"),
        title_derived=d.get("title_derived", False),
        language=d.get("language", "eng"),
        adoption_date=d.get("adoption_date"),
        distribution_date=d.get("distribution_date"),
        session=Session(**session) if session else None,
        agenda_items=tuple(AgendaItem(**a) for a in d.get("agenda_items", ())),
        committee=d.get("committee"),
        committee_name=d.get("committee_name"),
        report_symbols=tuple(d.get("report_symbols", ())),
        draft_symbols=tuple(d.get("draft_symbols", ())),
        meeting=d.get("meeting"),
        vote=d.get("vote"),
        enacting_formula=d.get("enacting_formula"),
        sponsors=d.get("sponsors"),
        parent_symbol=d.get("parent_symbol"),
        corrects=d.get("corrects"),
        parts=tuple(_subdivision(p) for p in d.get("parts", ())),
        footnotes=tuple(
            Footnote(
                number=f["number"],
                eid=f["eid"],
                text=f["text"],
                anchor_eid=f.get("anchor_eid"),
                citations=tuple(_citation(c) for c in f.get("citations", ())),
                span=_span(f.get("span")),
            )
            for f in d.get("footnotes", ())
        ),
        citations=tuple(_citation(c) for c in d.get("citations", ())),
        source=SourceInfo(**source) if source else None,
        warnings=tuple(d.get("warnings", ())),
    )
