"""A base IRI with a path (`http://host/un/`, as behind a reverse proxy): everything is
served under that path, and links, redirects and IRIs keep it."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest
import requests
from rdflib import Graph, URIRef

from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.settings import Settings

from .serve_support import EXAMPLES, free_port, start, stop


@pytest.fixture(scope="module")
def under_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/un/"
    folder = tmp_path_factory.mktemp("base-path")
    inputs = [EXAMPLES / "S_RES_1590_2005.txt", EXAMPLES / "S_RES_1709_2006.txt"]
    publish_dataset(inputs, folder / "output", Iris(base), Settings(base_iri=base))
    proc = start(folder / "output", port, folder / "serve.log", root="/un/")
    try:
        yield base
    finally:
        stop(proc)
    assert "Traceback" not in (folder / "serve.log").read_text()


def test_root_redirects_to_the_base_path(under_path: str) -> None:
    origin = under_path[: -len("un/")]
    r = requests.get(origin, allow_redirects=False, timeout=10)
    assert r.status_code == 302 and r.headers["Location"] == "/un/"
    assert requests.get(origin + "doc/S/RES/1709(2006)", timeout=10).status_code == 404


def test_iris_resolve_under_the_base_path(under_path: str) -> None:
    work = under_path + "doc/S/RES/1709(2006)"
    r = requests.get(work, headers={"Accept": "text/turtle"}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/un/data/S_RES_1709_2006.ttl"
    g = Graph().parse(work, format="turtle")
    assert (
        URIRef(work),
        URIRef("http://data.europa.eu/eli/ontology#cites"),
        URIRef(under_path + "doc/S/RES/1590(2005)"),
    ) in g
    r = requests.get(under_path + "doc/S/RES/1709%20(2006)", allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] == "/un/doc/S/RES/1709(2006)"


def test_page_links_keep_the_base_path(under_path: str) -> None:
    r = requests.get(under_path + "data/S_RES_1709_2006.html", timeout=10)
    doc = lxml.html.fromstring(r.content)
    hrefs = [a.get("href") for a in doc.cssselect("a[href]")]
    local = [h for h in hrefs if h.startswith("/")]
    assert local and all(h.startswith("/un/") for h in local)
    assert "/un/doc/S/RES/1590(2005)" in hrefs
    for h in {h.split("#")[0] for h in local}:
        assert requests.get(under_path[:-4] + h, timeout=10).status_code == 200, h
