"""The catalogue, VoID, context and dumps at stable paths: media types, validators, 304,
gzip (the precompressed twin of a dump, or compressed on the fly), ranges, HEAD."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from .serve_support import Served, free_port, start, stop


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("data/catalog.ttl", "text/turtle"),
        ("data/catalog.jsonld", "application/ld+json"),
        ("data/context.jsonld", "application/ld+json"),
        ("data/ontology.ttl", "text/turtle"),
        ("data/provenance.ttl", "text/turtle"),
        ("data/dumps/shards/ga-session-58.nq", "application/n-quads"),
        ("data/dumps/shards/ga-session-58.trig", "application/trig"),
        ("data/dumps/shards/ga-session-58.ttl", "text/turtle"),
        ("data/dumps/shards/ga-session-58.jsonld", "application/ld+json"),
        ("data/dumps/corpus.nq.gz", "application/gzip"),
        ("data/dumps/corpus.jsonld.gz", "application/gzip"),
        ("data/A_RES_58_136.ttl", "text/turtle"),
        ("data/A_RES_58_136.jsonld", "application/ld+json"),
        ("data/A_RES_58_136.json", "application/json"),
        ("data/A_RES_58_136.marc.xml", "application/marcxml+xml"),
        ("data/A_RES_58_136.dc.xml", "application/xml"),
    ],
)
def test_media_types_and_validators(served: Served, path: str, media: str) -> None:
    r = requests.get(served.url(path), timeout=10)
    assert r.status_code == 200, path
    assert r.headers["Content-Type"].split(";")[0] == media
    assert r.headers["ETag"].startswith('"')
    assert r.headers["Last-Modified"].endswith("GMT")
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_files_are_the_published_bytes(served: Served) -> None:
    manifest = json.loads((served.out / "manifest.json").read_text())
    for rel in ("catalog.ttl", "dumps/corpus.nq.gz", "A_RES_58_136.ttl", "context.jsonld"):
        r = requests.get(served.url("data/" + rel), headers={"Accept-Encoding": "identity"})
        assert hashlib.sha256(r.content).hexdigest() == manifest["files"][rel]["sha256"], rel


def test_catalogue_download_urls_all_answer(served: Served) -> None:
    g = Graph().parse(served.url("data/catalog.ttl"), format="turtle")
    urls = sorted({str(o) for o in g.objects(None, DCAT.downloadURL)})
    assert len(urls) > 10
    for url in urls:
        assert url.startswith(served.base)
        r = requests.head(url, timeout=10)
        assert r.status_code == 200, url
    assert any(g.subjects(RDF.type, VOID.Dataset))


def test_well_known_void_and_catalog_negotiation(served: Served) -> None:
    r = requests.get(served.url(".well-known/void"), allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"] == "/data/catalog.ttl"
    r = requests.get(
        served.url("data/catalog"),
        headers={"Accept": "application/ld+json"},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 303 and r.headers["Location"] == "/data/catalog.jsonld"
    # RDF clients that ask the site's root for RDF are sent to the catalogue
    r = requests.get(served.base, headers={"Accept": "text/turtle"}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/data/catalog.ttl"


def test_conditional_requests(served: Served) -> None:
    for path in ("data/catalog.ttl", "data/A_RES_58_136.html", "data/A_RES_58_136.nt"):
        first = requests.get(served.url(path), timeout=10)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = requests.get(served.url(path), headers={"If-None-Match": etag}, timeout=10)
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["ETag"] == etag
        since = requests.get(served.url(path), headers={"If-Modified-Since": modified})
        assert since.status_code == 304, path
        other = requests.get(served.url(path), headers={"If-None-Match": '"nope"'})
        assert other.status_code == 200


SHARD = "data/dumps/shards/ga-session-58.nq"


def test_dumps_come_precompressed(served: Served) -> None:
    plain = requests.get(served.url(SHARD), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    raw = requests.get(served.url(SHARD), headers={"Accept-Encoding": "gzip"}, stream=True)
    body = raw.raw.read(decode_content=False)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in raw.headers["Vary"]
    assert body == (served.out / f"{SHARD[5:]}.gz").read_bytes()
    assert gzip.decompress(body) == plain.content
    assert raw.headers["ETag"] != plain.headers["ETag"]
    # the gzip ETag validates the same file
    again = requests.get(
        served.url(SHARD),
        headers={"Accept-Encoding": "gzip", "If-None-Match": raw.headers["ETag"]},
    )
    assert again.status_code == 304


def test_pages_are_compressed_on_the_fly(served: Served) -> None:
    r = requests.get(
        served.url("data/A_RES_58_136.html"), headers={"Accept-Encoding": "gzip"}, stream=True
    )
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.headers["ETag"].endswith('-gzip"')
    assert b"<html" in gzip.decompress(r.raw.read(decode_content=False))


def test_range_and_head(served: Served) -> None:
    r = requests.get(
        served.url(SHARD),
        headers={"Range": "bytes=0-99", "Accept-Encoding": "identity"},
    )
    assert r.status_code == 206 and len(r.content) == 100
    h = requests.head(served.url("data/catalog.ttl"))
    assert h.status_code == 200 and h.content == b""
    assert int(h.headers["Content-Length"]) == (served.out / "catalog.ttl").stat().st_size


def test_context_and_per_document_jsonld(served: Served) -> None:
    ctx = requests.get(served.url("data/context.jsonld")).json()
    assert ctx["@context"]["eli"] == "http://data.europa.eu/eli/ontology#"
    g = Graph().parse(served.url("data/A_RES_58_136.jsonld"), format="json-ld")
    assert (URIRef(served.url("doc/A/RES/58/136")), None, None) in g


def test_exports_made_when_missing(served: Served, tmp_path: Path) -> None:
    """An output without the Akoma Ntoso, MARCXML and Dublin Core files (as publish wrote
    before it made them): ldexport serve makes them from <name>.json, the same bytes as
    publish would, and OAI-PMH still has both formats."""
    from ldexport.export import render
    from ldexport.iris import Iris
    from ldexport.model import resolution_from_dict

    out = tmp_path / "output"
    shutil.copytree(served.out, out)
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["documents"].values():
        for rel in [f for f in entry["files"] if f.endswith((".akn.xml", ".marc.xml", ".dc.xml"))]:
            (out / rel).unlink()
            entry["files"].remove(rel)
            del manifest["files"][rel]
    (out / "manifest.json").write_text(json.dumps(manifest))
    port = free_port()
    proc = start(out, port, tmp_path / "serve.log")
    try:
        base = f"http://127.0.0.1:{port}/"
        res = resolution_from_dict(json.loads((out / "S_RES_1709_2006.json").read_text()))
        iris = Iris(served.base)  # the base IRI the output was published with
        for ext, fmt in (("akn.xml", "akn"), ("marc.xml", "marcxml"), ("dc.xml", "dc")):
            r = requests.get(f"{base}data/S_RES_1709_2006.{ext}", timeout=10)
            assert r.status_code == 200, ext
            assert r.content == render(fmt, res, iris), ext
            expected = (served.out / f"S_RES_1709_2006.{ext}").read_bytes()
            assert r.content == expected, ext
        for prefix in ("oai_dc", "marcxml"):
            r = requests.get(
                f"{base}oai",
                params={
                    "verb": "GetRecord",
                    "metadataPrefix": prefix,
                    "identifier": served.url("doc/S/RES/1709(2006)"),
                },
                timeout=10,
            )
            assert b"<error" not in r.content and b"S/RES/1709(2006)" in r.content
    finally:
        stop(proc)
