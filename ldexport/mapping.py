"""Map a `model.Resolution` to an rdflib Graph, as docs/rdf-model.md describes node by node.

Flat properties come from tables of (model field, predicate, literal kind); structure is
built by one function per node type.  The graph has no blank nodes, and every IRI comes
from `ldexport.iris.Iris`, so a resolution and every citation of it meet at one IRI.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ldexport import namespaces
from ldexport.iris import MANIFESTATION, Iris, Terms, akn_work, undocs, uri
from ldexport.mapping_subjects import add_subjects
from ldexport.model import Citation, CitationKind, Footnote, Kind, Resolution, Subdivision
from ldexport.namespaces import PREFIXES
from ldexport.symbols import describe
from ldexport.un import ORGANS, ordinal

DCTERMS = Terms(namespaces.DCTERMS)
ELI = Terms(namespaces.ELI)
ELI_DL = Terms(namespaces.ELI_DL)
EU_LANGUAGE = Terms(namespaces.EU_LANGUAGE)
LDX = Terms(namespaces.LDX)
ORG = Terms(namespaces.ORG)
RDF = Terms(namespaces.RDF)
RDFS = Terms(namespaces.RDFS)
SKOS = Terms(namespaces.SKOS)
XSD = Terms(namespaces.XSD)

DOC_TYPES = {
    "resolution": LDX.Resolution,
    "decision": LDX.Decision,
    "draft-resolution": LDX.DraftResolution,
}

CITED_TYPES = {
    CitationKind.RESOLUTION: LDX.Resolution,
    CitationKind.DECISION: LDX.Decision,
    CitationKind.DRAFT: LDX.DraftResolution,
    CitationKind.REPORT: LDX.Report,
    CitationKind.MEETING_RECORD: LDX.MeetingRecord,
    CitationKind.PRESIDENTIAL_STATEMENT: LDX.PresidentialStatement,
    CitationKind.DOCUMENT: LDX.Document,
}

VOTES = {
    "without-vote": LDX.WithoutVote,
    "recorded-vote": LDX.RecordedVote,
    "unanimous": LDX.Unanimous,
}

MEDIA_TYPES = {
    "txt": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "akn": "application/akn+xml",
    "html": "text/html",
}

LANGUAGES = {"eng": "ENG", "fra": "FRA", "spa": "SPA", "rus": "RUS", "ara": "ARA", "zho": "ZHO"}


LEGAL_KINDS = (CitationKind.RESOLUTION, CitationKind.DECISION)


def cited_kinds(citations: Iterable[Citation]) -> dict[str, CitationKind]:
    """One kind per cited symbol: where citations of the same document disagree (a report
    cited once as "the report (A/80/257)" and once by bare symbol), the specific kind wins."""
    kinds: dict[str, CitationKind] = {}
    for citation in citations:
        if kinds.get(citation.symbol, CitationKind.DOCUMENT) is CitationKind.DOCUMENT:
            kinds[citation.symbol] = citation.kind
    return kinds


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound, for deterministic serialisation."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


Triple = tuple[Node, Node, Node]


class TripleSink(Protocol):
    """Where the mapping adds triples: an rdflib Graph, or a plain set of triples."""

    def add(self, triple: Triple, /) -> object: ...


def to_triples(res: Resolution, iris: Iris) -> set[Triple]:
    """The triples of `to_graph`, as a set of rdflib terms.  The batch pipeline works on
    these (validation, serialisation): adding a triple to an rdflib Graph costs about 20 us,
    to a set well under 1."""
    triples: set[Triple] = set()
    _Mapper(triples, res, iris).run()
    # UNBIS subjects, derived from the text (ldexport/subjects.py); each concept is named by type
    # and English label only: its full description is published once, in the dataset's thesaurus
    add_subjects(triples, res, iris, describe=False)
    return triples


def to_graph(res: Resolution, iris: Iris) -> Graph:
    """The RDF description of one resolution (see docs/rdf-model.md)."""
    return graph_of(to_triples(res, iris))


def graph_of(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph of `triples`, with the project's prefixes bound.  A set's triples are
    added in sorted order: a set iterates in an order that changes with Python's hash seed,
    and rdflib yields triples in the order they were added, which SPARQL results (the
    GROUP_CONCAT lists of validation messages) follow."""
    g = new_graph()
    for triple in sorted(triples) if isinstance(triples, AbstractSet) else triples:
        g.add(triple)
    return g


# rdflib normalises a literal by a round trip through its Python value: for a string that
# gives the same string back at a third of the cost (normalize=False skips it).  Literals
# whose values repeat (symbols, numbers, dates, orders: short) are built once, from bounded
# caches; texts, mostly distinct, are not kept.


def en(text: str) -> Literal:
    return Literal(text, lang="en", normalize=False)


@lru_cache(maxsize=4096)
def plain(text: str) -> Literal:
    return Literal(text, normalize=False)


@lru_cache(maxsize=4096)
def date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


@lru_cache(maxsize=4096)
def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


class _Mapper:
    def __init__(self, graph: TripleSink, res: Resolution, iris: Iris) -> None:
        self.g = graph
        self.res = res
        self.iris = iris
        self.work = uri(iris.work(res.symbol))
        self.info = describe(res.symbol)

    def add(self, s: Node, p: URIRef, o: Node | None) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def run(self) -> None:
        self.work_node()
        self.expression_node()
        self.adoption_nodes()
        self.parts(self.work, self.res.parts)
        for order, note in enumerate(self.res.footnotes, start=1):
            self.footnote(note, order)
        for symbol, kind in cited_kinds(self.res.all_citations()).items():
            self.stub(symbol, CITED_TYPES[kind], legal=kind in LEGAL_KINDS)
            self.add(self.work, ELI.cites, uri(self.iris.work(symbol)))

    # --- the work ----------------------------------------------------------------------------
    def work_node(self) -> None:
        res, w = self.res, self.work
        if res.doc_type == "draft-resolution":
            self.add(w, RDF.type, ELI.Work)
            self.add(w, ELI.work_type, LDX.DraftResolution)
        else:
            self.add(w, RDF.type, ELI.LegalResource)
            self.add(w, ELI.id_local, plain(res.symbol))
            self.add(w, ELI.type_document, DOC_TYPES[res.doc_type])
        self.add(w, DCTERMS.identifier, plain(res.symbol))
        if res.number:
            self.add(w, ELI.number, plain(res.number))
        if res.adoption_date:
            self.add(w, ELI.date_document, date(res.adoption_date))
            if res.number and res.doc_type != "draft-resolution":
                self.add(w, LDX.aknWork, plain(akn_work(res.body, res.adoption_date, res.number)))
        self.add(w, LDX.undocs, uri(undocs(res.symbol)))
        if res.doc_type != "draft-resolution":
            self.add(w, ELI.passed_by, self.organ(res.body))
        if res.session:
            self.add(w, ELI_DL.parliamentary_term, self.session())
        if res.parent_symbol:
            parent = uri(self.iris.work(res.parent_symbol))
            self.add(w, ELI.is_member_of, parent)
            self.stub(res.parent_symbol, LDX.Resolution, legal=True)
        for draft in res.draft_symbols:
            self.add(w, ELI_DL.adopts, uri(self.iris.work(draft)))
            self.stub(draft, LDX.DraftResolution)
        if res.corrects:
            self.add(w, ELI.corrects, uri(self.iris.work(res.corrects)))
        if res.sponsors:
            self.add(w, LDX.sponsors, en(res.sponsors))

    def expression_node(self) -> None:
        res = self.res
        e = uri(self.iris.expression(res.symbol, res.language))
        self.add(e, RDF.type, ELI.LegalExpression)
        self.add(e, ELI.realizes, self.work)
        self.add(self.work, ELI.is_realized_by, e)
        if res.title:
            self.add(e, ELI.title, en(res.title))
        if res.title_derived:
            self.add(e, LDX.titleDerived, Literal(True))
        self.add(e, ELI.language, EU_LANGUAGE[LANGUAGES[res.language]])
        if res.distribution_date:
            self.add(e, ELI.date_publication, date(res.distribution_date))
        if res.enacting_formula:
            self.add(e, LDX.enactingFormula, en(res.enacting_formula))
        if res.source is not None:
            if res.source.job_number:
                self.add(e, LDX.jobNumber, plain(res.source.job_number))
            fmt = MANIFESTATION.get(res.source.format, "txt")
            m = uri(self.iris.manifestation(res.symbol, res.language, fmt))
            self.add(m, RDF.type, ELI.Format)
            self.add(m, ELI.embodies, e)
            self.add(e, ELI.is_embodied_by, m)
            media = MEDIA_TYPES[fmt]
            self.add(
                m, ELI.media_type, uri(f"https://www.iana.org/assignments/media-types/{media}")
            )

    # --- organs, session, meeting, agenda, adoption ------------------------------------------
    def organ(self, actor: str) -> URIRef:
        node = uri(self.iris.organ(actor))
        self.add(node, RDF.type, ELI.Organization)
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, SKOS.prefLabel, en(ORGANS.get(actor, actor)))
        self.add(node, SKOS.notation, plain(actor))
        if actor.startswith("un-ga-"):
            self.add(node, ORG.subOrganizationOf, self.organ("un-ga"))
        return node

    def session(self) -> URIRef:
        session = self.res.session
        assert session is not None
        node = uri(self.iris.session(self.res.body, session.number))
        self.add(node, RDF.type, ELI_DL.ParliamentaryTerm)
        self.add(node, SKOS.notation, plain(session.number))
        if session.label:
            self.add(node, RDFS.label, en(session.label))
        return node

    def adoption_nodes(self) -> None:
        res = self.res
        if res.doc_type == "draft-resolution" or not res.adoption_date:
            return  # S/RES/1919 is known only from a quotation without its adoption line
        a = uri(self.iris.adoption(res.symbol))
        self.add(a, RDF.type, ELI_DL.Decision)
        self.add(a, ELI_DL.had_activity_type, LDX.Adoption)
        self.add(a, ELI_DL.activity_date, date(res.adoption_date))
        self.add(a, ELI_DL.decision_outcome, LDX.Adopted)
        self.add(a, ELI_DL.decision_method, VOTES.get(res.vote or ""))
        self.add(a, ELI_DL.created_a_realization_of, self.work)
        for report in res.report_symbols:
            node = self.stub(report, LDX.Report)
            if res.committee:
                self.add(node, DCTERMS.creator, self.organ(res.committee))
            self.add(a, ELI_DL.decided_on_a_realization_of, node)
        for draft in res.draft_symbols:
            self.add(a, ELI_DL.decided_on_a_realization_of, uri(self.iris.work(draft)))
        session = self.session() if res.session else None
        self.add(a, ELI_DL.parliamentary_term, session)
        for item in res.agenda_items:
            if session is None or res.session is None:
                break
            node = uri(self.iris.agenda_item(res.body, res.session.number, item.number))
            self.add(node, RDF.type, ELI_DL.ForeseenActivity)
            self.add(node, SKOS.notation, plain(item.number))
            if item.label:
                self.add(node, RDFS.label, en(item.label))
            self.add(node, ELI_DL.parliamentary_term, session)
            self.add(a, ELI_DL.was_scheduled_in, node)
        if res.meeting:
            self.meeting(a, session)

    def meeting(self, adoption: URIRef, session: URIRef | None) -> None:
        res = self.res
        assert res.meeting is not None
        number = res.session.number if res.session else None
        node = uri(self.iris.meeting(res.body, number, res.meeting))
        self.add(node, RDF.type, ELI_DL.Activity)
        self.add(node, SKOS.notation, plain(res.meeting))
        if res.body == "un-sc":
            self.add(node, ELI_DL.had_activity_type, LDX.CouncilMeeting)
            self.add(
                node, RDFS.label, en(f"{ordinal(res.meeting)} meeting of the Security Council")
            )
            record: str | None = f"S/PV.{res.meeting}"
        else:
            self.add(node, ELI_DL.had_activity_type, LDX.PlenaryMeeting)
            self.add(node, RDFS.label, en(f"{ordinal(res.meeting)} plenary meeting"))
            record = f"A/{number}/PV.{res.meeting}" if number else None
        if res.adoption_date:
            self.add(node, ELI_DL.activity_date, date(res.adoption_date))
        self.add(node, ELI_DL.parliamentary_term, session)
        self.add(node, ELI_DL.consists_of, adoption)
        if record:
            self.add(
                node, ELI_DL.recorded_in_a_realization_of, self.stub(record, LDX.MeetingRecord)
            )

    # --- subdivisions ------------------------------------------------------------------------
    def parts(self, parent: URIRef, parts: Iterable[Subdivision]) -> None:
        for part in parts:
            node = uri(self.iris.part(self.res.symbol, part.eid))
            self.add(node, RDF.type, ELI.LegalResourceSubdivision)
            self.add(node, ELI.is_part_of, parent)
            self.add(parent, ELI.has_part, node)
            if part.kind is Kind.ANNEX:
                self.add(node, ELI.is_annex_of, parent)
            self.add(node, ELI.type_subdivision, LDX[part.kind.value])
            self.add(node, LDX.order, integer(part.order))
            if part.number:
                self.add(node, ELI.number, plain(part.number))
            if part.text:
                self.add(node, LDX.text, en(part.text))
            if part.heading:
                self.add(node, LDX.heading, en(part.heading))
            if part.leading_phrase:
                self.add(node, LDX.leadingPhrase, en(part.leading_phrase))
            for ref in part.note_refs:
                self.add(
                    node,
                    LDX.footnote,
                    uri(self.iris.part(self.res.symbol, f"authorialNote_{ref}")),
                )
            self.citations(node, part.citations)
            self.parts(node, part.children)

    def footnote(self, note: Footnote, order: int) -> None:
        node = uri(self.iris.part(self.res.symbol, note.eid))
        self.add(node, RDF.type, ELI.LegalResourceSubdivision)
        self.add(node, ELI.is_part_of, self.work)
        self.add(self.work, ELI.has_part, node)
        self.add(node, ELI.type_subdivision, LDX.Footnote)
        self.add(node, ELI.number, plain(note.number))
        self.add(node, LDX.order, integer(order))
        self.add(node, LDX.text, en(note.text))
        self.citations(node, note.citations)

    def citations(self, node: URIRef, citations: Iterable[Citation]) -> None:
        for citation in citations:
            self.add(node, ELI.cites, uri(self.iris.work(citation.symbol)))

    def stub(self, symbol: str, kind: URIRef, legal: bool = False) -> URIRef:
        """A document the resolution names: typed, with its symbol, nothing more."""
        node = uri(self.iris.work(symbol))
        if node == self.work:
            return node
        self.add(node, DCTERMS.identifier, plain(symbol))
        if legal:
            self.add(node, RDF.type, ELI.LegalResource)
            self.add(node, ELI.id_local, plain(symbol))
            self.add(node, ELI.type_document, kind)
        else:
            self.add(node, RDF.type, ELI.Work)
            self.add(node, ELI.work_type, kind)
        return node
