"""The bulk path (`--method bulk`, Oxigraph): drop the dataset's graphs, one
`no_transaction` POST of the shards' `dumps/shards/*.nq`, PUT provenance and catalogue — the
same store as GSP, replace semantics, other graphs untouched, clear errors."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from ldexport.cli import main
from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.load import (
    DumpFile,
    Endpoints,
    GraphFile,
    Store,
    StoreError,
    _Body,
    check_dump,
    choose_method,
    drop_batches,
    load,
)
from ldexport.manifest import read_manifest
from ldexport.settings import Settings
from ldexport.votes_cli import run

from .load_support import ROOT, OxigraphServer
from .test_load_oxigraph import GRAPHS, graph_digests

OTHER = "http://example.org/someone-else"
VOTES = f"{GRAPHS}S_RES_1590_2005/votes"


def endpoints(server: OxigraphServer) -> Endpoints:
    return Endpoints.guess(f"{server.url}/store")


@pytest.fixture
def second(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "store2").start()
    try:
        yield server
    finally:
        server.stop()


def test_auto_is_bulk_on_oxigraph_and_equals_a_gsp_load(
    output: Path, oxigraph: OxigraphServer, second: OxigraphServer
) -> None:
    bulk = load(output, endpoints(oxigraph))
    assert bulk.ok and bulk.method == "bulk", bulk.mismatches
    # HEAD, a count, the POST (dump, provenance, catalogue), a count: nothing to drop
    assert bulk.requests == 4 and bulk.replaced == []
    gsp = load(output, endpoints(second), method="gsp")
    assert gsp.ok and gsp.counts == bulk.counts
    assert graph_digests(Store(endpoints(oxigraph))) == graph_digests(Store(endpoints(second)))
    assert sorted(bulk.loaded) == sorted(gsp.loaded)


def test_loading_twice_gives_the_same_store(output: Path, oxigraph: OxigraphServer) -> None:
    store = Store(endpoints(oxigraph))
    assert load(output, endpoints(oxigraph), method="bulk").ok
    first = graph_digests(store)
    again = load(output, endpoints(oxigraph), method="bulk")
    assert again.ok and again.requests == 4 and again.replaced == []  # nothing dropped
    assert graph_digests(store) == first


def test_a_changed_document_is_replaced_not_merged(
    output: Path, sources: Path, oxigraph: OxigraphServer, second: OxigraphServer
) -> None:
    store = Store(endpoints(oxigraph))
    assert load(output, endpoints(oxigraph), method="bulk").ok
    graph = f"{GRAPHS}S_RES_1709_2006"
    path = sources / "S_RES_1709_2006.txt"
    text = path.read_text()
    # drop the last operative paragraph: its triples must leave the store
    paragraphs = re.findall(r"^\s*\d+\.\s.*$", text, flags=re.M)
    assert len(paragraphs) >= 2
    path.write_text(text.replace(paragraphs[-1], "", 1))
    publish_dataset(sorted(sources.iterdir()), output, Iris(), Settings())
    manifest = read_manifest(output)
    assert manifest is not None
    before = store.graph_counts(graph)[graph]
    report = load(output, endpoints(oxigraph), method="bulk")
    assert report.ok, report.mismatches
    # its count changed: dropped before the POST (and the dataset's own graphs changed)
    assert graph in report.replaced
    assert set(report.replaced) <= {graph, f"{GRAPHS}provenance", f"{GRAPHS}catalog"}
    assert store.graph_counts(graph)[graph] == manifest.documents["S_RES_1709_2006"].triples
    assert store.graph_counts(graph)[graph] < before
    assert load(output, endpoints(second), method="gsp").ok
    assert graph_digests(store) == graph_digests(Store(endpoints(second)))


def test_a_change_that_keeps_the_count_is_replaced_too(
    output: Path, sources: Path, oxigraph: OxigraphServer, second: OxigraphServer
) -> None:
    store = Store(endpoints(oxigraph))
    assert load(output, endpoints(oxigraph), method="bulk").ok
    before = graph_digests(store)
    path = sources / "S_RES_1709_2006.txt"
    path.write_text(path.read_text().replace("Decides", "Resolves", 1))
    publish_dataset(sorted(sources.iterdir()), output, Iris(), Settings())
    graph = f"{GRAPHS}S_RES_1709_2006"
    manifest = read_manifest(output)
    assert manifest is not None
    assert store.graph_counts(graph)[graph] == manifest.documents["S_RES_1709_2006"].triples
    report = load(output, endpoints(oxigraph), method="bulk")
    assert report.ok and graph in report.replaced, report.mismatches
    assert set(report.replaced) <= {graph, f"{GRAPHS}provenance", f"{GRAPHS}catalog"}
    assert load(output, endpoints(second), method="gsp").ok
    after = graph_digests(store)
    assert after == graph_digests(Store(endpoints(second)))
    assert {g for g in before if before[g] != after[g]} == {
        graph,
        f"{GRAPHS}provenance",
        f"{GRAPHS}catalog",
    }


def test_graphs_of_other_tools_are_untouched(output: Path, oxigraph: OxigraphServer) -> None:
    store = Store(endpoints(oxigraph))
    store.put_graph(OTHER, b"<http://a> <http://b> <http://c> .")
    stale = f"{GRAPHS}S_RES_9999_2099"  # under graph/ but not in the dataset
    store.put_graph(stale, b"<http://a> <http://b> <http://d> .")
    report = load(output, endpoints(oxigraph), method="bulk")
    assert report.ok and report.stale == [stale] and report.pruned == []
    assert store.graph_counts("http://example.org/") == {OTHER: 1}
    assert store.graph_counts(stale) == {stale: 1}
    assert load(output, endpoints(oxigraph), method="bulk", prune=True).pruned == [stale]
    assert store.graph_counts("http://example.org/") == {OTHER: 1}


def test_votes_graphs_come_with_the_dump(output: Path, oxigraph: OxigraphServer) -> None:
    assert run([ROOT / "tests" / "data" / "votes" / "votes_1590.xml"], output, quiet=True) == 0
    report = load(output, endpoints(oxigraph), method="bulk", prune=True)
    assert report.ok and report.pruned == [] and VOTES in report.loaded
    counts = Store(endpoints(oxigraph)).graph_counts(GRAPHS)
    assert counts[VOTES] == report.expected[VOTES] > 15
    assert load(output, endpoints(oxigraph), method="bulk", prune=True).ok


def test_a_server_stopped_midway_gives_a_clear_error_and_a_rerun_repairs(
    output: Path, sources: Path, oxigraph: OxigraphServer, second: OxigraphServer
) -> None:
    assert load(output, endpoints(oxigraph), method="bulk").ok
    store = Store(endpoints(oxigraph))
    path = sources / "S_RES_1709_2006.txt"
    text = path.read_text()
    path.write_text(text.replace(re.findall(r"^\s*\d+\.\s.*$", text, flags=re.M)[-1], "", 1))
    publish_dataset(sorted(sources.iterdir()), output, Iris(), Settings())

    def stop_after_the_drops(graphs: list[GraphFile]) -> list[GraphFile]:
        oxigraph.stop()  # the graphs are dropped, the POST has not started
        return graphs

    with pytest.raises(StoreError) as err:
        load(
            output,
            endpoints(oxigraph),
            method="bulk",
            store=Store(endpoints(oxigraph), retries=2, backoff=0.05),
            progress=stop_after_the_drops,  # type: ignore[arg-type]
        )
    message = str(err.value)
    assert "cannot reach the store" in message and "shard(s)" in message
    assert "again" in message and "\n" not in message
    oxigraph.start()
    # not atomic: the changed document's graph was dropped, its new triples never came
    assert f"{GRAPHS}S_RES_1709_2006" not in store.graph_counts(GRAPHS)
    assert load(output, endpoints(oxigraph), method="bulk").ok
    assert load(output, endpoints(second), method="gsp").ok
    assert graph_digests(store) == graph_digests(Store(endpoints(second)))


def test_an_edited_dump_is_refused_before_anything_changes(
    output: Path, oxigraph: OxigraphServer
) -> None:
    assert load(output, endpoints(oxigraph), method="bulk").ok
    store = Store(endpoints(oxigraph))
    first = graph_digests(store)
    dump = sorted((output / "dumps" / "shards").glob("*.nq"))[-1]
    dump.write_bytes(dump.read_bytes() + b"<http://a> <http://b> <http://c> <http://g> .\n")
    with pytest.raises(StoreError, match=rf"{dump.name} changed since it was published"):
        load(output, endpoints(oxigraph), method="bulk")
    assert graph_digests(store) == first


def test_bulk_is_refused_on_a_store_that_is_not_oxigraph() -> None:
    ends = Endpoints.guess("http://127.0.0.1:1/ds/data")
    store = Store(ends)
    store.server = "Apache Jena Fuseki (4.5.0)"
    assert choose_method("auto", ends, store) == "gsp"
    with pytest.raises(StoreError, match=r"needs an Oxigraph server.*--method gsp"):
        choose_method("bulk", ends, store)
    update_only = Endpoints.guess(None, update="http://127.0.0.1:1/update")
    assert choose_method("auto", update_only, store) == "update"
    with pytest.raises(StoreError, match="needs a Graph Store endpoint"):
        choose_method("bulk", update_only, store)


def test_the_command(output: Path, oxigraph: OxigraphServer) -> None:
    runner = CliRunner()
    args = ["load", str(output), "--endpoint", f"{oxigraph.url}/store", "--quiet"]
    done = runner.invoke(main, [*args, "--method", "bulk"])
    assert done.exit_code == 0, done.output
    loud = runner.invoke(main, args[:-1])
    assert loud.exit_code == 0 and "method bulk" in loud.output and "verified" in loud.output
    oxigraph.stop()
    failed = runner.invoke(main, [*args, "--retries", "0"])
    assert failed.exit_code == 1
    errors = [line for line in failed.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot reach the store" in errors[0]


def test_the_request_body_reads_in_blocks_and_rewinds_for_a_retry(tmp_path: Path) -> None:
    files = []
    for name, data in (("a.nq", b"0123"), ("empty.nq", b""), ("b.nq", b"456789")):
        (tmp_path / name).write_bytes(data)
        files.append((tmp_path / name, len(data)))
    with _Body(files, b"tail") as body:
        assert len(body) == 14
        assert b"".join(iter(lambda: body.read(3), b"")) == b"0123456789tail"
        assert body.seek(0) == 0 and body.read() == b"0123456789tail"
        body.seek(2)
        assert body.read(5) == b"23" and body.read(5) == b"45678"  # a block ends with a file
        body.seek(8)
        assert body.read(4) == b"89" and body.read(2) == b"ta" and body.tell() == 12
    (tmp_path / "b.nq").write_bytes(b"45")
    with _Body(files, b"") as body, pytest.raises(StoreError, match=r"b\.nq became shorter"):
        body.read()


def test_drops_are_batched_by_triples() -> None:
    graphs = [GraphFile(f"http://g/{i}", Path("x"), 40) for i in range(5)]
    assert [len(b) for b in drop_batches(graphs, 100)] == [2, 2, 1]


class FlakyOxigraph(BaseHTTPRequestHandler):
    """Answers as Oxigraph; the first bulk POST gets a 503, the next ones a 204."""

    bodies: ClassVar[list[bytes]] = []

    def log_message(self, *args: object) -> None:
        pass

    def version_string(self) -> str:  # the `Server` header
        return "Oxigraph/0.5.13"

    def _answer(self, status: int, body: bytes = b"", kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer(200)

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/query"):
            empty = b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}'
            return self._answer(200, empty, "application/sparql-results+json")
        if self.path.startswith("/store"):
            self.bodies.append(data)
            if len(self.bodies) == 1:
                return self._answer(503, b"busy")
        self._answer(204)


def test_a_retried_bulk_post_sends_the_whole_body_again(output: Path) -> None:
    handler = type("Handler", (FlakyOxigraph,), {"bodies": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ends = Endpoints.guess(f"http://127.0.0.1:{server.server_address[1]}/store")
        report = load(output, ends, store=Store(ends, retries=2, backoff=0.01))
    finally:
        server.shutdown()
        server.server_close()
    assert report.method == "bulk" and not report.ok  # this stand-in stores nothing
    # the shards' N-Quads one after the other, then the graphs in no dump, twice
    shards = b"".join(p.read_bytes() for p in sorted((output / "dumps" / "shards").glob("*.nq")))
    assert len(handler.bodies) == 2 and handler.bodies[0] == handler.bodies[1]
    assert handler.bodies[0].startswith(shards) and len(handler.bodies[0]) > len(shards)


def test_a_dump_that_may_hold_blank_nodes_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "dump.nq"
    path.write_bytes(b"<http://a> <http://b> <http://c> <http://g> .\n")
    assert check_dump(DumpFile(path, [])) == (path.stat().st_size, False)
    path.write_bytes(b"_:b0 <http://b> <http://c> <http://g> .\n")
    assert check_dump(DumpFile(path, []))[1]
