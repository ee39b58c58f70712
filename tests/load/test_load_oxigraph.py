"""`ldexport load` against a real Oxigraph server: replace semantics, counts, pruning,
a server that goes away mid-load — by GSP PUTs and by the bulk path alike."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.load import Endpoints, Store, StoreError, dataset_graphs, load
from ldexport.manifest import read_manifest
from ldexport.settings import Settings

from .load_support import OxigraphServer

GRAPHS = "http://localhost:8000/graph/"
METHODS = pytest.mark.parametrize("method", ["gsp", "bulk"])


def gsp(server: OxigraphServer) -> Endpoints:
    return Endpoints.guess(f"{server.url}/store")


def graph_digests(store: Store) -> dict[str, str]:
    """A hash of each graph's content as the store returns it."""
    rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o")
    out: dict[str, hashlib._Hash] = {}
    for row in rows:
        out.setdefault(row["g"], hashlib.sha256()).update(
            f"{row['s']} {row['p']} {row['o']}\n".encode()
        )
    return {g: h.hexdigest() for g, h in out.items()}


@METHODS
def test_load_counts_and_loading_again_changes_nothing(
    output: Path, oxigraph: OxigraphServer, method: str
) -> None:
    manifest = read_manifest(output)
    assert manifest is not None
    report = load(output, gsp(oxigraph), method=method)
    assert report.ok, report.mismatches
    assert report.method == method
    store = Store(gsp(oxigraph))
    counts = store.graph_counts(GRAPHS)
    for entry in manifest.documents.values():
        assert counts[entry.graph] == entry.triples
    assert f"{GRAPHS}provenance" in counts and f"{GRAPHS}catalog" in counts
    before = graph_digests(store)
    again = load(output, gsp(oxigraph), method=method)
    assert again.ok and again.counts == report.counts
    assert graph_digests(store) == before
    assert "verified" in "\n".join(again.lines())


def test_the_update_endpoint_path_loads_the_same(output: Path, oxigraph: OxigraphServer) -> None:
    via_update = Endpoints.guess(None, update=f"{oxigraph.url}/update")
    report = load(output, via_update, batch_bytes=50_000)  # several requests
    assert report.ok and report.requests > 3
    store = Store(gsp(oxigraph))
    first = graph_digests(store)
    assert load(output, via_update).ok
    assert graph_digests(store) == first
    assert load(output, gsp(oxigraph)).ok  # and GSP gives the very same graphs
    assert graph_digests(store) == first


@METHODS
def test_a_changed_document_changes_only_its_graph(
    output: Path, sources: Path, oxigraph: OxigraphServer, method: str
) -> None:
    assert load(output, gsp(oxigraph), method=method).ok
    store = Store(gsp(oxigraph))
    before = graph_digests(store)
    path = sources / "S_RES_1709_2006.txt"
    path.write_text(path.read_text().replace("Decides", "Decides also", 1))
    publish_dataset(sorted(sources.iterdir()), output, Iris(), Settings())
    assert load(output, gsp(oxigraph), method=method).ok
    after = graph_digests(store)
    changed = {g for g in before if before[g] != after.get(g)}
    # the document, and the two dataset-level graphs that describe it
    assert changed == {f"{GRAPHS}S_RES_1709_2006", f"{GRAPHS}provenance", f"{GRAPHS}catalog"}


@METHODS
def test_graphs_of_removed_documents_are_pruned(
    output: Path, sources: Path, oxigraph: OxigraphServer, method: str
) -> None:
    assert load(output, gsp(oxigraph), method=method).ok
    (sources / "S_RES_1709_2006.txt").unlink()
    publish_dataset(sorted(sources.iterdir()), output, Iris(), Settings())
    report = load(output, gsp(oxigraph), method=method)
    assert report.pruned == [f"{GRAPHS}S_RES_1709_2006"]
    assert f"{GRAPHS}S_RES_1709_2006" not in Store(gsp(oxigraph)).graph_counts(GRAPHS)


@METHODS
def test_pruning_is_off_by_default_when_others_write_the_store(
    output: Path, sources: Path, oxigraph: OxigraphServer, method: str
) -> None:
    store = Store(gsp(oxigraph))
    store.put_graph("http://example.org/someone-else", b"<http://a> <http://b> <http://c> .")
    assert load(output, gsp(oxigraph), method=method).ok
    (sources / "S_RES_1709_2006.txt").unlink()
    publish_dataset(sorted(sources.iterdir()), output, Iris(), Settings())
    report = load(output, gsp(oxigraph), method=method)
    assert report.pruned == [] and report.stale == [f"{GRAPHS}S_RES_1709_2006"]
    assert any("--prune" in line for line in report.lines())
    forced = load(output, gsp(oxigraph), prune=True, method=method)
    assert forced.pruned == [f"{GRAPHS}S_RES_1709_2006"]
    assert store.graph_counts("http://example.org/") == {"http://example.org/someone-else": 1}


def test_a_server_stopped_mid_load_gives_a_clear_error_and_a_retry_completes(
    output: Path, oxigraph: OxigraphServer
) -> None:
    graphs = dataset_graphs(output)[1]

    def stop_after_first(i: int, graph: str) -> None:
        if i == 0:
            oxigraph.stop()

    store = Store(gsp(oxigraph), retries=2, backoff=0.05)
    with pytest.raises(StoreError) as err:
        load(output, gsp(oxigraph), method="gsp", store=store, on_graph=stop_after_first)
    message = str(err.value)
    assert "cannot reach the store" in message and graphs[1].iri in message
    assert "again" in message
    oxigraph.start()  # same location, same port
    report = load(output, gsp(oxigraph))
    assert report.ok and len(report.loaded) == len(graphs)


def test_a_4xx_names_the_graph_and_quotes_the_server(oxigraph: OxigraphServer) -> None:
    store = Store(gsp(oxigraph))
    with pytest.raises(StoreError) as err:
        store.put_graph(f"{GRAPHS}Broken", b"<http://a> <http://b> .")
    message = str(err.value)
    assert f"<{GRAPHS}Broken>" in message and "HTTP 400" in message
    assert len(message.split(": ", 2)[-1]) > 5  # the server's own words follow


def test_a_file_edited_after_publishing_is_not_loaded(
    output: Path, oxigraph: OxigraphServer
) -> None:
    path = output / "S_RES_1709_2006.ttl"
    path.write_bytes(path.read_bytes() + b"\n# edited\n")
    with pytest.raises(StoreError, match="changed since it was published"):
        load(output, gsp(oxigraph), method="gsp")
