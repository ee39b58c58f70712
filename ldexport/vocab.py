"""Which classes and properties a graph uses that no vocabulary ldexport relies on defines.

DESIGN.md promises consumers a core of ELI 1.5, ELI-DL and the project ontology, with W3C and
DCMI vocabularies beside them.  A misspelt or invented term (`eli:date_adopted`,
`eli-dl:had_decision_outcome`, retired in ELI-DL v3) still makes valid RDF and passes most
shapes, so every produced graph is also checked term by term against the vocabulary files
shipped in ontology/:

>>> from rdflib import Graph, URIRef
>>> from rdflib.namespace import RDF
>>> g = Graph()
>>> _ = g.add((URIRef("http://example.org/r"), RDF.type,
...            URIRef("http://data.europa.eu/eli/ontology#LegalResource")))
>>> undefined_terms(g)
set()

A file counts only for the namespace it defines (foaf.ttl also says things about rdfs:Class,
prov-o.ttl about rdfs:comment); RDF, RDFS, OWL and XSD terms, and VoID's, whose file could
not be obtained, are taken from rdflib's own term lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, VOID, XSD, DefinedNamespace

from ldexport.resources import data_dir


@dataclass(frozen=True)
class Vocabulary:
    """A vocabulary file under ontology/ and the namespace whose terms it defines."""

    path: str  # relative to ontology/
    namespace: str
    rdf_format: str = "turtle"


VOCABULARIES = (
    Vocabulary("ldexport.ttl", "https://w3id.org/ldexport/ontology#"),
    Vocabulary("vendor/eli-1.5.ttl", "http://data.europa.eu/eli/ontology#"),
    Vocabulary("eli-dl-terms.ttl", "http://data.europa.eu/eli/eli-draft-legislation-ontology#"),
    Vocabulary("vendor/dcterms.ttl", "http://purl.org/dc/terms/"),
    Vocabulary("vendor/skos.rdf", "http://www.w3.org/2004/02/skos/core#", "xml"),
    Vocabulary("vendor/org.ttl", "http://www.w3.org/ns/org#"),
    Vocabulary("vendor/prov-o.ttl", "http://www.w3.org/ns/prov#"),
    Vocabulary("vendor/dcat3.ttl", "http://www.w3.org/ns/dcat#"),
    Vocabulary("vendor/foaf.ttl", "http://xmlns.com/foaf/0.1/"),
)

#: Namespaces whose terms rdflib lists (DefinedNamespace), used instead of a file.
RDFLIB_NAMESPACES: tuple[type[DefinedNamespace], ...] = (RDF, RDFS, OWL, XSD, VOID)

# rdf:_1, rdf:_2 ...: container membership properties, infinitely many.
_MEMBERSHIP = re.compile(re.escape(str(RDF._NS)) + r"_[1-9][0-9]*$")


def undefined_terms(graph: Graph) -> set[URIRef]:
    """Every class (object of rdf:type) and property the graph uses that is not defined."""
    used = {p for p in graph.predicates() if isinstance(p, URIRef)}
    used |= {c for c in graph.objects(None, RDF.type) if isinstance(c, URIRef)}
    known = defined_terms()
    return {term for term in used if term not in known and not _MEMBERSHIP.match(str(term))}


@cache
def defined_terms() -> frozenset[URIRef]:
    """The terms of every vocabulary in VOCABULARIES and RDFLIB_NAMESPACES (read once)."""
    terms: set[URIRef] = set()
    folder = data_dir("ontology")
    for vocabulary in VOCABULARIES:
        graph = Graph().parse(folder / vocabulary.path, format=vocabulary.rdf_format)
        terms |= {
            s
            for s in graph.subjects(RDF.type, None)
            if isinstance(s, URIRef)
            and str(s).startswith(vocabulary.namespace)
            and len(str(s)) > len(vocabulary.namespace)
        }
    for namespace in RDFLIB_NAMESPACES:
        names = [n for n in namespace.__annotations__ if not n.startswith("_")]
        names += list(getattr(namespace, "_extras", []))
        terms |= {URIRef(str(namespace._NS) + name) for name in names}
    return frozenset(terms)
