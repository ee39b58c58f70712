"""The corpus dumps: every encoding holds the same named graphs as the per-document files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef

from ldexport.dataset import FORMATS, PublishResult, publish_dataset
from ldexport.iris import Iris

from .dataset_support import EPOCH, EXAMPLES

QUAD_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def quads(path: Path) -> set[str]:
    ext = path.name.removesuffix(".gz").rsplit(".", 1)[1]
    return {str(q) for q in ox.parse(read(path), format=QUAD_FORMATS[ext])}


def expected_quads(out: Path, result: PublishResult, names: list[str] | None = None) -> set[str]:
    """The per-document Turtle files, each put into its named graph B graph/<name>."""
    out_quads = set()
    for name, entry in result.manifest.documents.items():
        if names is not None and name not in names:
            continue
        assert entry.graph == f"http://localhost:8000/graph/{name}"
        g = ox.NamedNode(entry.graph)
        for t in ox.parse(path=out / f"{name}.ttl", format=ox.RdfFormat.TURTLE):
            out_quads.add(str(ox.Quad(t.subject, t.predicate, t.object, g)))
    return out_quads


def test_every_quad_format_of_the_corpus_holds_the_per_document_graphs(
    published: PublishResult,
) -> None:
    out = published.out_dir
    want = expected_quads(out, published)
    assert len(want) == sum(e.triples for e in published.manifest.documents.values())
    for ext in QUAD_FORMATS:
        assert quads(out / f"dumps/corpus.{ext}.gz") == want, ext
    assert not list((out / "dumps").glob("corpus.*[!z]")), "the corpus dumps are gzip only"


def test_the_turtle_dump_is_the_union_of_the_documents(published: PublishResult) -> None:
    out = published.out_dir
    want = {str(q.triple) for q in map(_quad, expected_quads(out, published))}
    got = {str(t) for t in ox.parse(read(out / "dumps/corpus.ttl.gz"), format=ox.RdfFormat.TURTLE)}
    assert got == want


def _quad(text: str) -> ox.Quad:
    return next(iter(ox.parse(text + " .", format=ox.RdfFormat.N_QUADS)))


def test_rdflib_reads_the_json_ld_dump_as_the_same_named_graphs(published: PublishResult) -> None:
    """An independent JSON-LD parser (rdflib's) agrees with the N-Quads dump."""
    out = published.out_dir
    ds = Dataset()
    ds.parse(data=read(out / "dumps/corpus.jsonld.gz"), format="json-ld")
    nq = Dataset()
    nq.parse(data=read(out / "dumps/corpus.nq.gz"), format="nquads")
    got = {
        (s, p, o, c)
        for s, p, o, c in ds.quads((None, None, None, None))
        if c != ds.default_graph.identifier
    }
    want = {
        (s, p, o, c)
        for s, p, o, c in nq.quads((None, None, None, None))
        if c != nq.default_graph.identifier
    }
    assert got == want
    assert {c for *_, c in got} == {URIRef(e.graph) for e in published.manifest.documents.values()}


def test_shards_are_sessions_and_years_and_add_up_to_the_corpus(published: PublishResult) -> None:
    out = published.out_dir
    shards = published.manifest.shards
    assert {s: v.documents for s, v in shards.items()} == {
        "ga-session-58": ["A_RES_58_136"],
        "sc-2005": ["S_RES_1590_2005"],
        "sc-2006": ["S_RES_1709_2006"],
    }
    for shard, entry in shards.items():
        want = expected_quads(out, published, entry.documents)
        for fmt in FORMATS:
            if fmt.ext in QUAD_FORMATS:
                assert quads(out / f"dumps/shards/{shard}.{fmt.ext}.gz") == want
        assert entry.triples == len(want)


def test_gzip_files_are_the_plain_files_compressed(published: PublishResult) -> None:
    dumps = published.out_dir / "dumps"
    plain = [p for p in dumps.rglob("*") if p.is_file() and p.suffix != ".gz"]
    assert len(plain) == 4 * len(published.manifest.shards)  # the corpus is gzip only
    for path in plain:
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
    # N-Quads have no header: the corpus is the shards one after the other
    shards = b"".join(p.read_bytes() for p in sorted((dumps / "shards").glob("*.nq")))
    assert gzip.decompress((dumps / "corpus.nq.gz").read_bytes()) == shards


def test_the_same_inputs_give_byte_identical_files(
    published: PublishResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Determinism: a second publish elsewhere, from scratch, writes the same bytes (the
    catalogue too: download URLs do not depend on the output folder)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    from ldexport.settings import Settings

    settings = Settings(**published.manifest.settings)
    again = publish_dataset(EXAMPLES, tmp_path / "again", Iris(), settings)
    first, second = published.manifest.files, again.manifest.files
    differing = [
        rel for rel in first if rel != "validation-report.txt" and first[rel] != second.get(rel)
    ]
    assert differing == []
    assert set(first) == set(second)
