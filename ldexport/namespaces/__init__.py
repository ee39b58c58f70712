"""The vocabularies ldexport writes: ELI, ELI-DL and the project ontology (generated, closed),
plus rdflib's own W3C and DCMI namespaces, reused rather than redefined."""

from __future__ import annotations

from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace

from ldexport.namespaces._generated import ELI, ELI_DL, LDX

ORG = Namespace("http://www.w3.org/ns/org#")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")

#: The project ontology's namespace: fixed, independent of the configurable base IRI.
ONTOLOGY_IRI = "https://w3id.org/ldexport/ontology"
#: The IRI of the JSON-LD context that every per-document JSON-LD file also carries inline.
CONTEXT_IRI = "https://w3id.org/ldexport/context.jsonld"

PREFIXES = {
    "eli": ELI._NS,
    "eli-dl": ELI_DL._NS,
    "ldx": LDX._NS,
    "dcterms": DCTERMS._NS,
    "skos": SKOS._NS,
    "org": ORG,
    "xsd": XSD._NS,
    "rdfs": RDFS._NS,
    "owl": OWL._NS,
    "prov": PROV._NS,
    "dcat": DCAT._NS,
}

__all__ = [
    "CONTEXT_IRI",
    "DCAT",
    "DCTERMS",
    "ELI",
    "ELI_DL",
    "EU_LANGUAGE",
    "LDX",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
]
