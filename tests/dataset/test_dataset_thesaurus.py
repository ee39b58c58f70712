"""The thesaurus file (unbis.ttl): the full description of every UNBIS concept, published once
for the dataset, while each document's graph names its concepts by type and English label."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ldexport.dataset import THESAURUS, PublishResult, publish_dataset
from ldexport.iris import Iris
from ldexport.manifest import FileInfo
from ldexport.namespaces import ELI
from ldexport.validate import validate

from .dataset_support import EXAMPLES

LANGUAGES = {"en", "fr", "es", "ru", "ar", "zh"}


def test_every_concept_of_a_document_is_described_in_six_languages(
    published: PublishResult,
) -> None:
    out = published.out_dir
    thesaurus = Graph().parse(out / THESAURUS)
    named: set[URIRef] = set()
    for name in published.manifest.documents:
        doc = Graph().parse(out / f"{name}.ttl")
        for concept in doc.objects(None, ELI.is_about):
            assert isinstance(concept, URIRef)
            named.add(concept)
            # in the document: its type and English label, nothing more
            assert set(doc.predicate_objects(concept)) == {
                (RDF.type, SKOS.Concept),
                (SKOS.prefLabel, doc.value(concept, SKOS.prefLabel)),
            }
            english = doc.value(concept, SKOS.prefLabel)
            assert isinstance(english, Literal) and english.language == "en"
            assert english in set(thesaurus.objects(concept, SKOS.prefLabel))
    assert named, "the examples have subjects"
    for concept in named:
        labels = set(thesaurus.objects(concept, SKOS.prefLabel))
        assert {label.language for label in labels if isinstance(label, Literal)} == LANGUAGES
        for broader in thesaurus.objects(concept, SKOS.broader):
            assert (broader, RDF.type, SKOS.Concept) in thesaurus


def test_the_thesaurus_conforms_to_the_subject_shapes(published: PublishResult) -> None:
    report = validate(Graph().parse(published.out_dir / THESAURUS), THESAURUS)
    assert report.conforms, report.lines()[:5]


def test_the_catalogue_lists_it_and_the_manifest_checks_it(published: PublishResult) -> None:
    out = published.out_dir
    assert published.manifest.files[THESAURUS] == FileInfo.of(out / THESAURUS)
    catalog = (out / "catalog.ttl").read_text()
    assert "catalog#unbis.ttl" in catalog
    triples = list(ox.parse(path=out / THESAURUS, format=ox.RdfFormat.TURTLE))
    assert len(triples) > 50_000  # the whole shipped extract, not only the concepts in use


def test_an_incremental_publish_reuses_it(tmp_path: Path) -> None:
    out = tmp_path / "output"
    publish_dataset(EXAMPLES[:2], out, Iris())
    first = os.stat(out / THESAURUS)
    again = publish_dataset(EXAMPLES[:3], out, Iris())
    assert again.exit_status == 0
    second = os.stat(out / THESAURUS)
    assert (second.st_ino, second.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
