"""The UNBIS subjects of a resolution in its RDF graph (docs/rdf-model.md, "Subjects").

`add_subjects(graph, res, iris)` adds what `ldexport.subjects.assign` finds (a document's
graph, `ldexport.mapping.to_graph`, uses `describe=False`; see the end):

```turtle
W eli:is_about unbis:1006475 .                       # a subject of the resolution
<W#para_5> eli:is_about unbis:1006475 .              # ... named in operative paragraph 5
<W#subject_1006475> a ldx:SubjectAssignment ;        # why: one node per subject
    ldx:assignedTo W ; ldx:concept unbis:1006475 ;
    ldx:weight 0.945 ; ldx:occurrences 23 ;
    ldx:matchedText "terrorism"@en, "counter-terrorism"@en ;
    ldx:matchedIn <W/eng>, <W#preamble__container_1>, <W#para_5> .   # <W/eng>: the title
unbis:1006475 a skos:Concept ;                       # the concept, with describe=True:
    skos:prefLabel "TERRORISM"@en, "TERRORISME"@fr, ... ;   # six languages
    skos:inScheme unbis:01, unbis:14 ;               # its UNBIS domains
    skos:broader unbis:1004998, unbis:140402 .       # each with its labels and domains too
unbis:01 a skos:ConceptScheme ; skos:prefLabel "POLITICAL AND LEGAL QUESTIONS"@en .
# with describe=False only: unbis:1006475 a skos:Concept ; skos:prefLabel "TERRORISM"@en .
```

An operative paragraph is about those of the resolution's subjects it names.  Its
`eli:is_about` has no node of its own: its evidence is the resolution's node, which lists the
paragraph under `ldx:matchedIn` with the words that matched.  (A node per paragraph assignment,
eight triples each, more than doubled the graph of a long resolution and its serialisation
time; the per-paragraph weights stay available from `assign`.)

A document's graph names each of its concepts by type and English label only, so that it
validates alone and reads without the thesaurus; the six-language labels, domains and broader
concepts (`concepts_graph`) are published once for the whole dataset, in its thesaurus file.
Described in every document, they made up about 40% of a graph's triples (250 of 650 for
A/RES/58/136), repeated in every document that shares a subject, and as much of the time spent
validating and writing it.  The graph stays deterministic: assignments are a pure function of
the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ldexport import namespaces
from ldexport.iris import Iris, Terms, uri
from ldexport.model import Resolution
from ldexport.subjects import UNBIS, Concept, Lexicon, SubjectAssignment, assign, fold, lexicon

if TYPE_CHECKING:  # ldexport.mapping imports this module
    from ldexport.mapping import TripleSink

ELI = Terms(namespaces.ELI)
LDX = Terms(namespaces.LDX)
RDF = Terms(namespaces.RDF)
SKOS = Terms(namespaces.SKOS)
XSD = Terms(namespaces.XSD)


def add_subjects(graph: TripleSink, res: Resolution, iris: Iris, *, describe: bool = True) -> None:
    """Add the UNBIS subjects of `res` (and of its operative paragraphs) to its graph.

    With `describe=False` each concept gets only its type and English label; the rest (six
    languages, broader concepts, domains) is then for `concepts_graph` to publish once for the
    whole dataset.
    """
    assignments = assign(res)
    if not assignments:
        return
    lex = lexicon()
    work = uri(iris.work(res.symbol))
    for assignment in assignments:
        if assignment.target is None:
            _assignment(graph, res, iris, work, assignment)
        else:
            target = uri(iris.part(res.symbol, assignment.target))
            graph.add((target, ELI.is_about, uri(assignment.iri)))
    if describe:
        _concepts(graph, lex, (a.concept for a in assignments))
    else:
        for concept in sorted({a.concept for a in assignments}):
            node = uri(UNBIS + concept)
            graph.add((node, RDF.type, SKOS.Concept))
            label = Literal(lex.concepts[concept].label, lang="en", normalize=False)
            graph.add((node, SKOS.prefLabel, label))


def concepts_graph(concepts: Iterable[str], graph: Graph | None = None) -> Graph:
    """The description of UNBIS concepts (six-language labels, broader concepts, domains), as
    `add_subjects` writes it into a document's graph: for a dataset that publishes it once."""
    out = graph if graph is not None else Graph()
    _concepts(out, lexicon(), concepts)
    return out


def thesaurus_turtle() -> bytes:
    """The dataset's thesaurus file: every UNBIS concept the lexicon knows, described as
    `concepts_graph` does (six-language labels, domains, broader concepts), as sorted Turtle.
    A pure function of the shipped lexicon, so the same bytes every run."""
    from ldexport import serialize  # pyoxigraph is needed here only

    lex = lexicon()
    triples: set[tuple[Node, Node, Node]] = set()
    _concepts(triples, lex, lex.concepts)
    return serialize.turtle(serialize.sorted_rows(triples))


def assignment_iri(iris: Iris, symbol: str, concept: str) -> URIRef:
    """`<work>#subject_<concept id>`: the node of the resolution's assignment of a concept."""
    return uri(iris.part(symbol, f"subject_{concept}"))


def place_iri(iris: Iris, res: Resolution, place: str) -> URIRef:
    """The node a piece of evidence points at: the English expression for the title, the agenda
    item for its title, else the subdivision (`place` is its eId)."""
    work = iris.work(res.symbol)
    if place == "title":
        return uri(iris.expression(res.symbol, res.language))
    if place.startswith("agenda:"):
        if res.session is None:  # the graph has no agenda item node without a session
            return uri(work)
        return uri(iris.agenda_item(res.body, res.session.number, place[len("agenda:") :]))
    return uri(iris.part(res.symbol, place))


def _assignment(
    graph: TripleSink, res: Resolution, iris: Iris, work: URIRef, assignment: SubjectAssignment
) -> None:
    concept = uri(assignment.iri)
    node = assignment_iri(iris, res.symbol, assignment.concept)
    graph.add((work, ELI.is_about, concept))
    graph.add((node, RDF.type, LDX.SubjectAssignment))
    graph.add((node, LDX.assignedTo, work))
    graph.add((node, LDX.concept, concept))
    graph.add((node, LDX.weight, _weight(f"{assignment.weight:.3f}")))
    count = sum(e.count for e in assignment.evidence)
    graph.add((node, LDX.occurrences, _count(count)))
    for words in _distinct(assignment.words):
        graph.add((node, LDX.matchedText, Literal(words, lang="en", normalize=False)))
    for evidence in assignment.evidence:
        graph.add((node, LDX.matchedIn, place_iri(iris, res, evidence.place)))


# Typed literals from a bounded cache (the values repeat; rdflib takes ~4 us to build one);
# a string needs no normalising (normalize=False: the same literal, built faster).


@lru_cache(maxsize=4096)
def _weight(text: str) -> Literal:
    return Literal(Decimal(text), datatype=XSD.decimal)


@lru_cache(maxsize=4096)
def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _distinct(words: Iterable[str]) -> list[str]:
    """Word groups once each, case aside (the first spelling printed is kept)."""
    seen: dict[str, str] = {}
    for group in words:
        seen.setdefault(fold(group), group)
    return list(seen.values())


def _concepts(graph: TripleSink, lex: Lexicon, ids: Iterable[str]) -> None:
    """The concepts named, and the concepts directly broader than them, with their labels."""
    named = sorted(set(ids))
    broader = sorted({b for c in named for b in lex.concepts[c].broader} - set(named))
    for concept in named:
        node = _concept(graph, lex, lex.concepts[concept])
        for above in lex.concepts[concept].broader:
            graph.add((node, SKOS.broader, uri(UNBIS + above)))
    for concept in broader:
        _concept(graph, lex, lex.concepts[concept])


def _concept(graph: TripleSink, lex: Lexicon, concept: Concept) -> URIRef:
    node = uri(concept.iri)
    graph.add((node, RDF.type, SKOS.Concept))
    for language, label in zip(lex.languages, concept.labels, strict=True):
        if label:
            graph.add((node, SKOS.prefLabel, Literal(label, lang=language)))
    for domain in lex.domains(concept.id):
        scheme = uri(UNBIS + domain)
        graph.add((node, SKOS.inScheme, scheme))
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme, SKOS.prefLabel, Literal(lex.schemes[domain], lang="en")))
    return node
