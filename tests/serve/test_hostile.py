"""Requests meant to hurt: path traversal in every spelling, very long addresses, unknown
IRIs, queries that never end.  Each gets a short 4xx/5xx answer and no stack trace, and the
server keeps answering everyone else."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from .serve_support import SPARQL_TIMEOUT, Served, free_port, start, stop

SECRET_NAMES = ("root:", "[tool.ldexport]", "source_path", "BEGIN", "Traceback")


def raw_get(
    served: Served, target: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """GET exactly `target` (no client-side normalisation of dot segments or escapes)."""
    parts = urlsplit(served.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "target",
    [
        "/data/../manifest.json",
        "/data/../../../../etc/passwd",
        "/data/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/data/%2E%2E%2Fmanifest.json",
        "/data/..%2f..%2f..%2fetc%2fpasswd",
        "/data/..%5c..%5cetc%5cpasswd",
        "/data/%252e%252e%252fmanifest.json",
        "/data/dumps/../../pyproject.toml",
        "/data/.ldexport/subjects/ga-session-58.txt.gz",
        "/data/manifest.json",
        "/data/validation-report.txt",
        "/static/../site.py",
        "/static/%2e%2e/site.py",
        "/static/..%2fapp.py",
        "/doc/../../etc/passwd",
        "/org/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/data//etc/passwd",
        "/data/%00",
        "/data/A_RES_58_136.ttl%00.html",
    ],
)
def test_path_traversal_is_impossible(served: Served, target: str) -> None:
    status, body = raw_get(served, target)
    assert status in (400, 404), (target, status)
    for secret in SECRET_NAMES:
        assert secret.encode() not in body, (target, secret)


def test_only_the_published_files_are_served(served: Served) -> None:
    """Every file of the output folder that is not listed as published is a 404."""
    published = {
        "catalog.ttl",
        "catalog.jsonld",
        "context.jsonld",
        "ontology.ttl",
        "provenance.ttl",
    }
    for path in served.out.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(served.out).as_posix()
        status, _ = raw_get(served, "/data/" + rel)
        hidden = rel.startswith(".") or rel in ("manifest.json", "validation-report.txt")
        if hidden:
            assert status == 404, rel
        elif ("/" not in rel and rel in published) or rel.startswith(("dumps/", "A_", "S_")):
            assert status == 200, rel


@pytest.mark.parametrize("length", [3000, 10_000, 60_000])
def test_very_long_iris(served: Served, length: int) -> None:
    target = "/doc/A/RES/" + "9" * length
    try:
        status, body = raw_get(served, target)
    except (ConnectionError, http.client.RemoteDisconnected):
        return  # the HTTP layer may close the connection on an oversized request line
    assert status in (400, 414), status
    assert b"Traceback" not in body


def test_long_query_string_and_headers(served: Served) -> None:
    status, _ = raw_get(served, "/?q=" + "x" * 9000)
    assert status == 414
    status, _ = raw_get(served, "/?q=" + "x" * 5000)
    assert status == 200
    status, _ = raw_get(served, "/", {"Accept": "text/html;q=0.5, " * 2000})
    assert status in (200, 400, 431)


def test_unknown_iris_404_without_trace(served: Served) -> None:
    for target in (
        "/doc/X/Y/Z",
        "/org/nowhere",
        "/data/NOPE.ttl",
        "/data/doc/S/RES/9999(2099).ttl",
        "/data/A_RES_58_136.exe",
        "/graph/nothing",
        "/%ff%fe",
        "/data/%ff.ttl",
    ):
        status, body = raw_get(served, target, {"Accept": "text/turtle"})
        assert status == 404, target
        assert b"Traceback" not in body and b'File "' not in body


def test_methods(served: Served) -> None:
    r = requests.delete(served.url("data/catalog.ttl"), timeout=10)
    assert r.status_code == 405
    r = requests.put(served.url("sparql"), data=b"x", timeout=10)
    assert r.status_code == 405
    r = requests.post(served.url("sparql"), data=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = requests.post(
        served.url("sparql"),
        data=b"q" * (2 << 20),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413


def test_never_ending_query_is_stopped_while_others_are_answered(served: Served) -> None:
    """Two cross products that would run for hours: each is stopped at the time limit, and
    meanwhile pages, files, OAI-PMH and short queries are answered at once."""
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcomes: list[tuple[int, float, str]] = []

    def run() -> None:
        started = time.monotonic()
        r = requests.get(
            served.url("sparql"),
            params={"query": endless},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        outcomes.append((r.status_code, time.monotonic() - started, r.text))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # both workers are busy with the endless queries now
    latencies = []
    deadline = time.monotonic() + SPARQL_TIMEOUT - 1
    while time.monotonic() < deadline:  # bounded by time and, below, by count
        for path in (
            "data/A_RES_58_136.html",
            "data/catalog.ttl",
            "oai?verb=Identify",
            "doc/A/RES/58/136",
            "org/un-ga/session/58",
        ):
            started = time.monotonic()
            r = requests.get(served.url(path), timeout=10, allow_redirects=False)
            latencies.append(time.monotonic() - started)
            assert r.status_code in (200, 303), path
        if len(latencies) > 200:
            break
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2
    for status, seconds, text in outcomes:
        assert status == 503, text
        assert "stopped after" in text
        assert SPARQL_TIMEOUT - 0.5 < seconds < SPARQL_TIMEOUT + 5, seconds
    assert max(latencies) < 1.0, max(latencies)
    # the pool is whole again: a short query is answered
    deadline = time.monotonic() + 30
    while True:
        r = requests.get(
            served.url("sparql"),
            params={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_query_answered_while_another_never_ends(served: Served) -> None:
    """One worker stuck on an endless query; the other answers short queries meanwhile."""
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    done: list[int] = []
    t = threading.Thread(
        target=lambda: done.append(
            requests.get(served.url("sparql"), params={"query": endless}, timeout=60).status_code
        )
    )
    t.start()
    time.sleep(0.5)
    for _ in range(5):
        started = time.monotonic()
        r = requests.get(
            served.url("sparql"),
            params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"},
            headers={"Accept": "text/csv"},
            timeout=30,
        )
        assert r.status_code == 200
        assert time.monotonic() - started < 1.0
    t.join(60)
    assert done == [503]


def test_client_that_hangs_up_mid_query(served: Served) -> None:
    """A client gone while its endless query runs: the worker is still stopped at the limit."""
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    parts = urlsplit(served.base)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as s:
        q = requests.Request("GET", served.url("sparql"), params={"query": endless}).prepare()
        target = q.path_url
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        time.sleep(0.3)
    time.sleep(SPARQL_TIMEOUT + 1.5)
    r = requests.get(
        served.url("sparql"),
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200


def test_query_past_the_memory_limit_ends_only_its_worker(served: Served, tmp_path: Path) -> None:
    """A second server whose workers may use 300 MiB: a query that sorts a cross product
    of the whole dataset runs out of memory in its worker, which is replaced; the server
    and the next query are fine."""
    port = free_port()
    log = tmp_path / "serve.log"
    proc = start(served.out, port, log, "--sparql-memory", "300", "--sparql-timeout", "60")
    base = f"http://127.0.0.1:{port}/"
    try:
        hungry = "SELECT ?a ?b ?c ?d (STR(?a) AS ?x) { ?a ?p ?b . ?c ?q ?d } ORDER BY ?x"
        started = time.monotonic()
        r = requests.get(f"{base}sparql", params={"query": hungry}, timeout=90)
        assert r.status_code == 500, r.text
        assert "memory limit" in r.text
        assert time.monotonic() - started < 30
        deadline = time.monotonic() + 30
        while True:
            r = requests.get(
                f"{base}sparql",
                params={"query": "ASK { ?s ?p ?o }"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
            if r.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.json()["boolean"] is True
    finally:
        stop(proc)
    assert "Traceback" not in log.read_text(errors="replace")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended already


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_no_query_worker_outlives_the_server(served: Served, tmp_path: Path, how: str) -> None:
    """Stopped politely or killed, the server leaves no worker behind, even one that is in
    the middle of a query that never ends."""
    port = free_port()
    proc = start(served.out, port, tmp_path / "serve.log", "--sparql-timeout", "600")
    workers = _children(proc.pid)
    assert len(workers) == 2
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

    def ask() -> None:
        with contextlib.suppress(requests.RequestException):  # the server goes away
            requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": endless}, timeout=30)

    t = threading.Thread(target=ask, daemon=True)
    t.start()
    time.sleep(0.5)
    os.kill(proc.pid, getattr(signal, how))
    proc.wait(15)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
