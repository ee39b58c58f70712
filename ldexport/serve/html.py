"""The HTML pages: the index of resolutions, a page per resolution that reads like the
document, pages for organs, sessions, meetings, agenda items and cited documents, the SPARQL
form, and error pages.

Templates are Jinja2 with auto-escaping on for everything; no text reaches a page but
through a template variable.  A paragraph's text is cut into `Segment`s (plain, a citation
link, the leading phrase in italics) here, and the template writes each one escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader

from ldexport.iris import undocs
from ldexport.marc import meeting_record
from ldexport.model import Citation, Footnote, Kind, Resolution, Subdivision
from ldexport.serve.results import compact
from ldexport.serve.site import ELI, RDF_TYPE, Document, Site
from ldexport.un import ORGANS, long_date, ordinal

__all__ = ["ORGANS", "Segment", "environment", "resolution_context", "resource_context"]

# --- text --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    href: str | None = None
    title: str | None = None
    em: bool = False
    external: bool = False


def segments(
    text: str,
    start: int | None,
    citations: Sequence[Citation],
    leading_phrase: str | None,
    site: Site,
) -> tuple[list[Segment], list[Citation]]:
    """`text` cut into segments with every citation a link; the citations that could not be
    placed in the text (returned second) are listed after it."""
    placed: list[tuple[int, int, Citation]] = []
    unplaced: list[Citation] = []
    cursor = 0
    for c in citations:
        pos = -1
        if start is not None:
            rel = c.span.start - start
            if rel >= 0 and text[rel : rel + len(c.text)] == c.text:
                pos = rel
        if pos < 0:
            pos = text.find(c.text, cursor)
        if pos < 0 or not c.text or any(a < pos + len(c.text) and pos < b for a, b, _ in placed):
            unplaced.append(c)
            continue
        placed.append((pos, pos + len(c.text), c))
        cursor = pos + len(c.text)
    placed.sort(key=lambda x: x[0])
    lead = len(leading_phrase) if leading_phrase and text.startswith(leading_phrase) else 0
    if placed and placed[0][0] < lead:
        lead = 0
    out: list[Segment] = []
    at = 0
    if lead:
        out.append(Segment(text[:lead], em=True))
        at = lead
    for a, b, c in placed:
        if a > at:
            out.append(Segment(text[at:a]))
        href = site.citation_link(c.symbol)
        out.append(Segment(text[a:b], href, c.symbol, external=href.startswith("https://undocs")))
        at = b
    if at < len(text):
        out.append(Segment(text[at:]))
    return out, unplaced


# --- the resolution page ------------------------------------------------------------------


@dataclass
class Node:
    """One subdivision as the page shows it."""

    kind: str  # "pre", "op", "sub", "sec", "annex"
    eid: str
    iri: str
    number: str | None
    label: str  # "5.", "(a)", "II", "Annex"
    heading: str | None
    level: int  # heading level of a section or annex
    segments: list[Segment]
    extra: list[Segment]  # citations not found in the text
    notes: list[tuple[str, str]]  # (number, eid) of the footnotes whose marker stands here
    children: list[Node] = field(default_factory=list)
    group: str | None = None  # "preamble" / "operative" for the first of a top-level run

    @property
    def name(self) -> str:
        """How a screen reader names the subdivision ("paragraph 5", "sub-paragraph (a)")."""
        kind = {"pre": "preambular paragraph", "op": "paragraph", "sub": "sub-paragraph"}
        what = kind.get(self.kind, self.kind)
        if self.label:
            return f"{what} {self.label.rstrip('.')}"
        return f"{what} {self.eid.rsplit('_', 1)[-1]}"


def _label(part: Subdivision) -> str:
    n = part.number or ""
    if part.kind is Kind.OPERATIVE:
        return f"{n}." if n else ""
    if part.kind is Kind.SUBPARAGRAPH:
        return f"({n})" if n else ""
    if part.kind is Kind.ANNEX:
        return f"Annex {n}".strip()
    return n


_ANNEX_HEADING = re.compile(r"^(?P<label>Annex(?:\s+[IVXLC\d]+\b)?)\s+(?P<rest>\S.*)$", re.S)

_KIND = {
    Kind.PREAMBULAR: "pre",
    Kind.OPERATIVE: "op",
    Kind.SUBPARAGRAPH: "sub",
    Kind.SECTION: "sec",
    Kind.ANNEX: "annex",
    Kind.FOOTNOTE: "note",
}


def _nodes(
    parts: Sequence[Subdivision], res: Resolution, site: Site, level: int, notes: dict[str, str]
) -> list[Node]:
    out: list[Node] = []
    previous: Kind | None = None
    for part in parts:
        segs, extra = segments(
            part.text,
            part.span.start if part.span else None,
            part.citations,
            # the leading phrase is printed in italics in preambles and numbered paragraphs,
            # not in the running text of an annex's articles
            part.leading_phrase
            if part.kind is Kind.PREAMBULAR or (part.kind is Kind.OPERATIVE and part.number)
            else None,
            site,
        )
        kind = _KIND[part.kind]
        label, heading = _label(part), part.heading
        if part.kind is Kind.ANNEX and heading and (m := _ANNEX_HEADING.match(heading)):
            label, heading = m["label"], m["rest"]  # "Annex I" printed above the title
        if part.kind is Kind.SECTION and heading and part.number and part.number in heading.split():
            label = ""  # "Article 1" says its number already
        child_level = level + 1 if part.kind in (Kind.SECTION, Kind.ANNEX) else level
        node = Node(
            kind=kind,
            eid=part.eid,
            iri=site.iris.part(res.symbol, part.eid),
            number=part.number,
            label=label,
            heading=heading,
            level=min(level, 6),
            segments=segs,
            extra=[Segment(c.symbol, site.citation_link(c.symbol), c.symbol) for c in extra],
            notes=[(n, notes[n]) for n in part.note_refs if n in notes],
            children=_nodes(part.children, res, site, min(child_level, 6), notes),
        )
        if level == 2 and part.kind != previous and part.kind in (Kind.PREAMBULAR, Kind.OPERATIVE):
            node.group = "preamble" if part.kind is Kind.PREAMBULAR else "operative"
        previous = part.kind
        out.append(node)
    return out


@dataclass
class NoteView:
    number: str
    eid: str
    iri: str
    anchor: str | None
    segments: list[Segment]


def _notes(footnotes: Sequence[Footnote], res: Resolution, site: Site) -> list[NoteView]:
    out = []
    for note in footnotes:
        segs, extra = segments(
            note.text, note.span.start if note.span else None, note.citations, None, site
        )
        for c in extra:
            segs.append(Segment(" "))
            segs.append(Segment(c.symbol, site.citation_link(c.symbol), c.symbol))
        out.append(
            NoteView(
                note.number, note.eid, site.iris.part(res.symbol, note.eid), note.anchor_eid, segs
            )
        )
    return out


DOWNLOADS = (
    ("ttl", "Turtle", "text/turtle"),
    ("jsonld", "JSON-LD", "application/ld+json"),
    ("nt", "N-Triples", "application/n-triples"),
    ("rdf", "RDF/XML", "application/rdf+xml"),
    ("akn.xml", "Akoma Ntoso XML", "application/akn+xml"),
    ("marc.xml", "MARCXML", "application/marcxml+xml"),
    ("dc.xml", "Dublin Core (oai_dc)", "application/xml"),
    ("json", "ldexport model (JSON)", "application/json"),
)


def downloads(site: Site, name: str) -> list[dict[str, str]]:
    return [
        {"href": site.url(f"data/{name}.{ext}"), "label": label, "type": media, "ext": ext}
        for ext, label, media in DOWNLOADS
    ]


def schema_org(res: Resolution, doc: Document, site: Site) -> dict[str, Any]:
    """schema.org `Legislation` for search engines (embedded as JSON-LD)."""
    work = site.iris.work(res.symbol)
    cited = sorted({site.iris.work(c.symbol) for c in res.all_citations()})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": work,
        "name": res.title or res.symbol,
        "legislationIdentifier": res.symbol,
        "legislationType": res.doc_type.replace("-", " ").capitalize(),
        "legislationPassedBy": {
            "@type": "Organization",
            "@id": site.iris.organ(res.body),
            "name": ORGANS.get(res.body, res.body),
        },
        "legislationJurisdiction": "United Nations",
        "inLanguage": "en" if res.language == "eng" else res.language,
        "url": site.base + f"data/{doc.name}.html",
        "sameAs": undocs(res.symbol),
        "isAccessibleForFree": True,
    }
    if res.adoption_date:
        data["legislationDate"] = res.adoption_date
    if res.distribution_date:
        data["datePublished"] = res.distribution_date
    if cited:
        data["citation"] = [{"@id": iri} for iri in cited]
    data["encoding"] = [
        {
            "@type": "MediaObject",
            "contentUrl": site.base + f"data/{doc.name}.{ext}",
            "encodingFormat": media,
        }
        for ext, _, media in DOWNLOADS
    ]
    return data


def resolution_context(res: Resolution, doc: Document, site: Site) -> dict[str, Any]:
    """Everything the resolution template shows."""
    notes = {n.number: n.eid for n in res.footnotes}
    organ = ORGANS.get(res.body, res.body)
    basis: list[Segment] = []
    if res.committee_name and res.report_symbols:
        basis.append(Segment(f"[on the report of the {res.committee_name} ("))
        for i, sym in enumerate(res.report_symbols):
            if i:
                basis.append(Segment(", "))
            basis.append(Segment(sym, site.citation_link(sym), sym))
        basis.append(Segment(")]"))
    elif res.draft_symbols:
        basis.append(Segment("[without reference to a Main Committee ("))
        for i, sym in enumerate(res.draft_symbols):
            if i:
                basis.append(Segment(", "))
            basis.append(Segment(sym, site.citation_link(sym), sym))
        basis.append(Segment(")]"))
    record = meeting_record(res)
    if res.meeting:
        kind = "meeting" if res.body == "un-sc" else "plenary meeting"
        meeting = f"{ordinal(res.meeting)} {kind}"
    else:
        meeting = None
    adopted = None
    if res.adoption_date:
        how = "unanimously " if res.vote == "unanimous" else ""
        adopted = f"Resolution {res.number or ''} ({res.adoption_date[:4]})".strip()
        adopted = (
            f"Adopted {how}by the {organ} at its {meeting} on {long_date(res.adoption_date)}"
            if res.body == "un-sc" and meeting
            else f"Resolution adopted by the {organ} on {long_date(res.adoption_date)}"
        )
    other = sorted({c.symbol for c in res.all_citations()})
    masthead_items = [site.iris.organ(res.body)]
    return {
        "res": res,
        "doc": doc,
        "organ": organ,
        "organ_link": site.link(masthead_items[0]),
        "work": site.iris.work(res.symbol),
        "work_link": site.link(site.iris.work(res.symbol)),
        "undocs": undocs(res.symbol),
        "distributed": long_date(res.distribution_date) if res.distribution_date else None,
        "adopted": adopted,
        "adoption_date": long_date(res.adoption_date) if res.adoption_date else None,
        "basis": basis,
        "session_link": (
            site.link(site.iris.session(res.body, res.session.number)) if res.session else None
        ),
        "agenda": [
            (item, site.link(site.iris.agenda_item(res.body, res.session.number, item.number)))
            for item in res.agenda_items
            if res.session
        ],
        "meeting": meeting,
        "meeting_link": (
            site.link(
                site.iris.meeting(
                    res.body, res.session.number if res.session else None, res.meeting
                )
            )
            if res.meeting
            else None
        ),
        "record": record,
        "record_link": site.citation_link(record) if record else None,
        "parts": _nodes(res.parts, res, site, 2, notes),
        "notes": _notes(res.footnotes, res, site),
        "unplaced": [Segment(s, site.citation_link(s), s) for s in _masthead_only(res)],
        "cites": [(s, site.citation_link(s), site.name_of(s) is not None) for s in other],
        "downloads": downloads(site, doc.name),
        "schema": schema_org(res, doc, site),
    }


def _masthead_only(res: Resolution) -> list[str]:
    """Citations outside any paragraph (title, masthead) that are not already shown."""
    shown = set(res.report_symbols) | set(res.draft_symbols)
    return [c.symbol for c in res.citations if c.symbol not in shown]


# --- pages about other resources ---------------------------------------------------------


@dataclass
class Value:
    text: str
    href: str | None = None
    note: str | None = None  # language tag or datatype


def resource_context(
    iri: str, triples: Sequence[ox.Triple], cut: bool, site: Site
) -> dict[str, Any]:
    """An organ, session, meeting, agenda item or cited document: what the dataset says."""
    props: dict[str, list[Value]] = {}
    types: list[Value] = []
    inbound: dict[str, list[Value]] = {}
    documents: dict[str, Document] = {}
    for t in triples:
        subject = _iri(t.subject)
        if subject == iri:
            o = t.object
            if t.predicate.value == RDF_TYPE and isinstance(o, ox.NamedNode):
                types.append(Value(_short(o.value)))
                continue
            props.setdefault(_short(t.predicate.value), []).append(_value(o, site))
        elif subject is not None:
            if (name := site.by_work.get(subject)) is not None:
                documents[name] = site.documents[name]
            inbound.setdefault(_short(t.predicate.value), []).append(
                Value(_subject_label(subject, site), site.link(subject))
            )
    symbol = site.identifier(iri)
    return {
        "iri": iri,
        "label": site.labels(iri) or iri,
        "types": types,
        "props": sorted(props.items()),
        "inbound": sorted(inbound.items()),
        "cut": cut,
        "symbol": symbol,
        "undocs": undocs(symbol) if symbol and iri.startswith(site.base + "doc/") else None,
        "documents": sorted(documents.values(), key=lambda d: d.symbol),
    }


def _iri(term: Any) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _short(iri: str) -> str:
    return compact(iri, PREFIX_MAP)


def _value(term: Any, site: Site) -> Value:
    if isinstance(term, ox.NamedNode):
        label = site.labels(term.value) if term.value.startswith(site.base) else None
        return Value(label or _short(term.value), site.link(term.value))
    if isinstance(term, ox.Literal):
        note = term.language or (
            None if term.datatype.value.endswith("#string") else _short(term.datatype.value)
        )
        return Value(term.value, None, note)
    return Value(str(term))


def _subject_label(iri: str, site: Site) -> str:
    work, _, fragment = iri.partition("#")
    label = site.labels(iri)
    if fragment:
        owner = site.labels(work) or work
        return f"{owner}, {fragment.replace('__', ' › ').replace('_', ' ')}"
    return label or iri


PREFIX_MAP = {
    "eli": ELI,
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "ldx": "https://w3id.org/ldexport/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcat": "http://www.w3.org/ns/dcat#",
}


# --- the environment ----------------------------------------------------------------------


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ldexport.serve", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = lambda d: long_date(d) if d else ""
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False, "indent": 1}
    return env
