"""provenance.ttl, written a few hundred subjects at a time from the manifest's table: the
same bytes as one pyoxigraph serialisation of all its triples in Turtle's order."""

from __future__ import annotations

import pyoxigraph as ox

from ldexport.dataset import provenance_turtle
from ldexport.iris import Iris
from ldexport.manifest import DocumentEntry, VotesEntry
from ldexport.symbols import file_name

PROV = "http://www.w3.org/ns/prov#"


def test_provenance_is_one_serialisation_of_its_sorted_triples() -> None:
    iris = Iris()
    entries = []
    for i in range(1, 30):
        for j in range(1, 25):  # A/RES/1/1 sorts after A/RES/1/10 in Turtle: "1>" > "10>"
            symbol = f"A/RES/{i}/{j}"
            entries.append(
                DocumentEntry(
                    symbol=symbol,
                    name=file_name(symbol),
                    graph=iris.graph(symbol),
                    shard=f"ga-{i}",
                    source_sha256=f"{(i * j) % 50:064x}",  # 50 sources, shared
                    source_path=f"/in/{i}-{j % 3}.txt",
                    converted_at="2026-11-28T10:00:00Z" if i % 2 else "2026-11-28T11:00:00Z",
                    ldexport_version="0.1.0" if i < 20 else "0.2.0",
                    triples=1,
                )
            )
    votes = [
        VotesEntry(
            symbol="A/RES/1/1",
            name="A_RES_1_1",
            graph=f"{iris.graph('A/RES/1/1')}/votes",
            shard="ga-1",
            triples=1,
            sources=["votes.csv (1)"],
            source_sha256=[f"{1:064x}", f"{99:064x}"],  # one a document's source too
            imported_at="2026-11-28T12:00:00Z",
            ldexport_version="0.2.0",
        )
    ]
    data = provenance_turtle(entries, iris, votes)
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    sources = {e.source_sha256 for e in entries} | set(votes[0].source_sha256)
    runs = {e.converted_at for e in entries} | {votes[0].imported_at}
    assert len(sources) == 51 and len(runs) == 3
    assert len(subjects) == len(entries) + 1 + len(sources) + len(runs) + 2  # and 2 agents
    used = {(stamp, e.source_sha256) for stamp in runs for e in entries if e.converted_at == stamp}
    assert sum(1 for t in triples if t.predicate.value == PROV + "used") == len(used) + 2
    one = f"urn:sha256:{1:064x}"
    labels = {t.object.value for t in triples if t.subject.value == one and "label" in str(t)}
    assert labels == {e.source_path[4:] for e in entries if e.source_sha256 == f"{1:064x}"}

    def key(t: ox.Triple) -> tuple[str, str, str]:
        return (f"<{t.subject.value}>", t.predicate.value, str(t.object))

    whole = ox.serialize(
        sorted(triples, key=key),
        format=ox.RdfFormat.TURTLE,
        prefixes={
            "prov": PROV,
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "dcterms": "http://purl.org/dc/terms/",
            "spdx": "http://spdx.org/rdf/terms#",
        },
    )
    assert data == whole
