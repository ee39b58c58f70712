"""ldexport.vocab: terms no shipped vocabulary defines are found; defined ones are not."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ldexport.namespaces import ELI, ELI_DL, LDX
from ldexport.vocab import VOCABULARIES, defined_terms, undefined_terms

CASES = Path(__file__).parent / "shapes" / "cases"
ELI_NS = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL_NS = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
LDX_NS = Namespace("https://w3id.org/ldexport/ontology#")
WORK = URIRef("http://localhost:8000/doc/A/RES/58/136")


def test_a_correct_graph_uses_only_defined_terms() -> None:
    for name in ("ok_ga_resolution.ttl", "ok_sc_resolution.ttl", "ok_sections_annex.ttl"):
        assert undefined_terms(Graph().parse(CASES / name)) == set(), name


def test_made_up_terms_are_reported_and_nothing_else() -> None:
    graph = Graph().parse(CASES / "ok_ga_resolution.ttl")
    made_up_property = ELI_NS.date_adopted  # ELI writes eli:date_document
    made_up_class = LDX_NS.Paragraph  # the project types parts eli:LegalResourceSubdivision
    graph.add((WORK, made_up_property, Literal("2003-12-22")))
    graph.add((WORK, RDF.type, made_up_class))
    assert undefined_terms(graph) == {made_up_property, made_up_class}


def test_retired_eli_dl_spelling_is_reported() -> None:
    """ELI-DL v3 renamed had_decision_outcome to decision_outcome (EP profile, 2024-08-24)."""
    graph = Graph()
    graph.add((WORK, ELI_DL_NS.had_decision_outcome, LDX.Adopted))
    graph.add((WORK, ELI_DL.decision_outcome, LDX.Adopted))
    assert undefined_terms(graph) == {ELI_DL_NS.had_decision_outcome}


def test_terms_of_vocabularies_without_a_file_are_reported() -> None:
    schema = Namespace("http://schema.org/")
    geo_spatial_thing = URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#SpatialThing")
    graph = Graph()
    graph.add((WORK, RDF.type, schema.Legislation))
    # foaf.ttl mentions geo:SpatialThing, but a file only defines its own namespace's terms.
    graph.add((WORK, RDF.type, geo_spatial_thing))
    assert undefined_terms(graph) == {schema.Legislation, geo_spatial_thing}


def test_w3c_dcmi_and_rdf_terms_are_defined() -> None:
    graph = Graph()
    graph.add((WORK, DCTERMS.identifier, Literal("A/RES/58/136")))
    graph.add((WORK, SKOS.notation, Literal("58")))
    graph.add((WORK, RDFS.label, Literal("x")))
    graph.add((WORK, RDF.type, ELI.LegalResource))
    graph.add((WORK, RDF["_3"], Literal("third member")))
    graph.add((WORK, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), WORK))
    graph.add((WORK, URIRef("http://www.w3.org/ns/dcat#distribution"), WORK))
    graph.add((WORK, URIRef("http://rdfs.org/ns/void#triples"), Literal(1)))
    graph.add((WORK, URIRef("http://www.w3.org/ns/org#subOrganizationOf"), WORK))
    assert undefined_terms(graph) == set()


def test_every_term_of_the_project_namespaces_is_defined() -> None:
    """The generated closed namespaces and the vocabulary files agree."""
    known = defined_terms()
    for namespace in (ELI, ELI_DL, LDX):
        names = [n for n in namespace.__annotations__ if not n.startswith("_")]
        assert names
        assert {URIRef(str(namespace._NS) + n) for n in names} <= known, namespace


def test_vocabulary_files_are_shipped() -> None:
    from ldexport.resources import data_dir

    for vocabulary in VOCABULARIES:
        assert (data_dir("ontology") / vocabulary.path).is_file(), vocabulary.path


def test_golden_graphs_use_only_defined_terms() -> None:
    golden = sorted((Path(__file__).parent / "golden").glob("*.ttl"))
    for path in golden:
        assert undefined_terms(Graph().parse(path)) == set(), path.name
