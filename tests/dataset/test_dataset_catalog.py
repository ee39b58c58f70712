"""The DCAT-AP 3 / VoID catalogue: it conforms, and what it states is true of the files."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from ldexport.dataset import PublishResult, publish_dataset, validate_catalog
from ldexport.iris import Iris
from ldexport.settings import Settings

from .dataset_support import EPOCH, EXAMPLES

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT, DCTERMS, PROV, RDF, VOID, XSD = (
    Namespace(str(n)) for n in (ns.DCAT, ns.DCTERMS, ns.PROV, ns.RDF, ns.VOID, ns.XSD)
)
DOWN = "http://localhost:8000/data/"
CC_BY = URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
UN_TERMS = URIRef("https://www.un.org/en/about-us/terms-of-use")


def catalog(out: Path) -> Graph:
    return Graph().parse(out / "catalog.ttl")


def test_the_catalogue_conforms_to_the_dcat_ap_shapes(published: PublishResult) -> None:
    assert validate_catalog(catalog(published.out_dir)) == []


def test_the_shapes_reject_a_distribution_without_checksum(published: PublishResult) -> None:
    g = catalog(published.out_dir)
    dist = URIRef(f"{DOWN}catalog#dumps/corpus.nq.gz")
    g.remove((dist, SPDX.checksum, None))
    g.remove((dist, DCAT.compressFormat, None))
    problems = validate_catalog(g)
    assert any("corpus.nq.gz" in p and "checksum" in p for p in problems), problems
    assert any("compressFormat" in p for p in problems), problems


def test_every_distribution_states_the_size_and_sha256_of_its_file(
    published: PublishResult,
) -> None:
    out = published.out_dir
    g = catalog(out)
    dists = set(g.subjects(RDF.type, DCAT.Distribution))
    # 4 corpus files (gzip), 8 per shard, the ontology, the thesaurus, the context, the
    # provenance
    assert len(dists) == 4 + 8 * len(published.manifest.shards) + 4
    for dist in dists:
        url = str(g.value(dist, DCAT.downloadURL))
        assert url.startswith(DOWN)
        path = out / url.removeprefix(DOWN)
        data = path.read_bytes()
        assert g.value(dist, DCAT.byteSize) == Literal(len(data), datatype=XSD.nonNegativeInteger)
        checksum = g.value(dist, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        media = str(g.value(dist, DCAT.mediaType))
        assert media.startswith("https://www.iana.org/assignments/media-types/")
        if url.endswith(".gz"):
            assert g.value(dist, DCAT.compressFormat) == URIRef(
                "https://www.iana.org/assignments/media-types/application/gzip"
            )
            assert not media.endswith("gzip")  # the media type of what is inside
        else:
            assert g.value(dist, DCAT.compressFormat) is None
    assert (out / "context.jsonld").is_file() and (out / "ontology.ttl").is_file()


def test_json_ld_catalogue_is_the_same_graph(published: PublishResult) -> None:
    """The same graph as catalog.ttl, indented by two spaces, keys sorted (written by
    orjson: the bytes json.dumps writes)."""
    out = published.out_dir
    assert isomorphic(catalog(out), Graph().parse(out / "catalog.jsonld", format="json-ld"))
    text = (out / "catalog.jsonld").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_void_statistics_are_counted_from_the_data(published: PublishResult) -> None:
    out = published.out_dir
    g = catalog(out)
    ds = URIRef(f"{DOWN}catalog#dataset")
    triples, subjects, predicates = 0, set(), set()
    for name in published.manifest.documents:
        doc = list(ox.parse(path=out / f"{name}.ttl", format=ox.RdfFormat.TURTLE))
        triples += len(doc)
        subjects |= {str(t.subject) for t in doc}
        predicates |= {t.predicate.value for t in doc}
    assert g.value(ds, VOID.triples).toPython() == triples
    assert g.value(ds, VOID.distinctSubjects).toPython() == len(subjects)
    # Entities are the subjects the dataset names under its base IRI (not the UNBIS concepts
    # described beside the subjects they are assigned as).
    ours = {s for s in subjects if s.startswith("<http://localhost:8000/")}  # N-Triples form
    assert len(ours) < len(subjects)
    assert g.value(ds, VOID.entities).toPython() == len(ours)
    assert g.value(ds, VOID.properties).toPython() == len(predicates)
    vocabularies = {str(v) for v in g.objects(ds, VOID.vocabulary)}
    assert "http://data.europa.eu/eli/ontology#" in vocabularies
    assert "https://w3id.org/ldexport/ontology#" in vocabularies
    dumps = {str(u) for u in g.objects(ds, VOID.dataDump)}
    assert f"{DOWN}dumps/corpus.nq.gz" in dumps
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef("http://localhost:8000/sparql")
    assert URIRef("http://localhost:8000/doc/A/RES/58/136") in set(
        g.objects(ds, VOID.exampleResource)
    )
    period = g.value(ds, DCTERMS.temporal)
    assert str(g.value(period, DCAT.startDate)) == "2003-12-22"  # A/RES/58/136
    assert str(g.value(period, DCAT.endDate)) == "2006-09-22"  # S/RES/1709 (2006), 5532nd meeting


def test_licences_are_stated_truthfully(published: PublishResult) -> None:
    g = catalog(published.out_dir)
    ds = URIRef(f"{DOWN}catalog#dataset")
    assert g.value(ds, DCTERMS.license) == CC_BY
    rights = g.value(ds, DCTERMS.rights)
    statement = str(g.value(rights, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert str(UN_TERMS) in statement and "Creative Commons" in statement
    for dist in g.subjects(RDF.type, DCAT.Distribution):
        assert g.value(dist, DCTERMS.license) == CC_BY
        assert g.value(dist, DCTERMS.rights) == rights


def test_no_licence_set_means_not_stated_and_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = publish_dataset(EXAMPLES[:1], tmp_path / "out", Iris(), Settings())
    g = catalog(tmp_path / "out")
    assert list(g.objects(None, DCTERMS.license)) == []
    labels = " ".join(
        str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    )
    assert "has not stated" in labels
    assert any("no licence" in w for w in result.warnings)
    assert "warning: no licence" in (tmp_path / "out/validation-report.txt").read_text()
    assert validate_catalog(g) == []


def test_provenance_names_source_hash_version_and_time(published: PublishResult) -> None:
    g = Graph().parse(published.out_dir / "provenance.ttl")
    for path in EXAMPLES:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        graphs = list(g.subjects(PROV.wasDerivedFrom, URIRef(f"urn:sha256:{digest}")))
        assert len(graphs) == 1
        assert str(graphs[0]).startswith("http://localhost:8000/graph/")
        when = g.value(graphs[0], PROV.generatedAtTime)
        assert when.toPython() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
        agent = g.value(graphs[0], PROV.wasAttributedTo)
        assert "ldexport" in str(
            g.value(agent, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        )
    manifest = json.loads((published.out_dir / "manifest.json").read_text())
    assert manifest["fingerprint"]["base_iri"] == "http://localhost:8000/"


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 16])
def test_subjects_are_counted_across_shards_once(tmp_path: Path, block: int) -> None:
    """`count_subjects` reads the shards' sorted subject files a block at a time: a subject
    in several shards, wherever the blocks end, is counted once."""
    import gzip
    import random

    from ldexport.dataset import count_subjects

    rng = random.Random(7)
    pool = [f"<http://localhost:8000/doc/A/RES/{n}>" for n in range(300)]
    pool += [f"<http://other.example/{n}>" for n in range(100)] + ["_:b1", "_:b2"]
    shards = [set(rng.sample(pool, rng.randint(0, 120))) for _ in range(9)]
    paths = []
    for i, subjects in enumerate(shards):
        paths.append(tmp_path / f"s{i}.txt.gz")
        paths[-1].write_bytes(gzip.compress("".join(f"{s}\n" for s in sorted(subjects)).encode()))
    union = set().union(*shards)
    ours = {s for s in union if s.startswith("<http://localhost:8000/")}
    assert len(union) > len(ours) > 0
    assert count_subjects(paths, "http://localhost:8000/", block) == (len(union), len(ours))
