"""`ldexport fetch` against a local HTTP server that plays the UN's documents service.

The server answers with recorded files (real UN PDFs and a real Digital Library MARCXML
record from tests/data) and misbehaves on purpose: slow answers, 503 before success, 404,
a body cut short of its Content-Length.  Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from ldexport.fetch import Fetcher, FetchError, fetch_documents

from conftest import CORPUS, DATA

RECORDED = {
    "A/RES/73/3": CORPUS / "A_RES_73_3.pdf",
    "A/RES/73/6": CORPUS / "A_RES_73_6.pdf",
    "S/2016/1100": CORPUS / "sc_drafts" / "S_2016_1100.pdf",
}
MARC_RECORD = DATA / "gold" / "undl" / "A_RES_78_264_votingrecord_marcxml.xml"


class Service:
    """What the fake service does, and what it saw."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.fail_first: dict[str, int] = {}  # symbol -> how many 503s before success
        self.slow: dict[str, float] = {}  # symbol -> seconds to wait before answering
        self.truncate: dict[str, int] = {}  # symbol -> how many truncated answers first
        self.lock = threading.Lock()


def handler(service: Service) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = parse_qs(url.query)
            with service.lock:
                service.requests.append(self.path)
            if url.path.startswith("/record/"):
                self.answer(200, MARC_RECORD.read_bytes(), "application/xml")
                return
            symbol = query.get("s", [""])[0]
            assert self.headers["User-Agent"].startswith("ldexport/")
            if delay := service.slow.pop(symbol, 0.0):
                time.sleep(delay)
            with service.lock:
                failures = service.fail_first.get(symbol, 0)
                if failures:
                    service.fail_first[symbol] = failures - 1
                truncations = service.truncate.get(symbol, 0)
                if truncations:
                    service.truncate[symbol] = truncations - 1
            if failures:
                self.answer(503, b"busy", "text/plain")
            elif symbol not in RECORDED:
                self.answer(404, b"no such document", "text/plain")
            elif truncations:
                body = RECORDED[symbol].read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3])
                self.close_connection = True
            else:
                self.answer(200, RECORDED[symbol].read_bytes(), "application/pdf")

        def answer(self, status: int, body: bytes, media_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def service() -> Iterator[tuple[Service, str]]:
    state = Service()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetcher(url: str, cache: Path, **kw: float) -> Fetcher:
    options: dict[str, float] = {"timeout": 2.0, "retries": 2, "backoff": 0.05, "min_interval": 0.0}
    options.update(kw)
    return Fetcher(
        documents_url=url,
        library_url=url,
        cache_dir=cache,
        timeout=options["timeout"],
        retries=int(options["retries"]),
        backoff=options["backoff"],
        min_interval=options["min_interval"],
    )


def test_fetch_then_cache(service: tuple[Service, str], tmp_path: Path) -> None:
    state, url = service
    client = fetcher(url, tmp_path / "cache")
    written, failures = fetch_documents(["A/RES/73/3"], ["en", "fr"], tmp_path / "out", client)
    assert failures == []
    assert [p.name for p in written] == ["A_RES_73_3.pdf", "A_RES_73_3.fr.pdf"]
    assert written[0].read_bytes() == RECORDED["A/RES/73/3"].read_bytes()
    assert len(state.requests) == 2
    assert "s=A%2FRES%2F73%2F3&l=en&t=pdf" in state.requests[0]
    # A second fetch, by a new client, is answered from the cache: no request.
    again = fetcher(url, tmp_path / "cache")
    fetch_documents(["A/RES/73/3"], ["en"], tmp_path / "out2", again)
    assert len(state.requests) == 2


def test_503_then_success_is_retried(service: tuple[Service, str], tmp_path: Path) -> None:
    state, url = service
    state.fail_first["A/RES/73/6"] = 2
    data = fetcher(url, tmp_path).document("A/RES/73/6")
    assert data == RECORDED["A/RES/73/6"].read_bytes()
    assert len(state.requests) == 3


def test_retries_run_out(service: tuple[Service, str], tmp_path: Path) -> None:
    state, url = service
    state.fail_first["A/RES/73/6"] = 10
    with pytest.raises(FetchError, match=r"A/RES/73/6 \(en\): status 503 after 3 tries"):
        fetcher(url, tmp_path).document("A/RES/73/6")


def test_not_found_is_not_retried(service: tuple[Service, str], tmp_path: Path) -> None:
    state, url = service
    with pytest.raises(FetchError, match=r"A/RES/99/999 \(en\): not found \(404\)"):
        fetcher(url, tmp_path).document("A/RES/99/999")
    assert len(state.requests) == 1


def test_truncated_body_is_fetched_again(service: tuple[Service, str], tmp_path: Path) -> None:
    state, url = service
    state.truncate["S/2016/1100"] = 1
    data = fetcher(url, tmp_path).document("S/2016/1100")
    assert data == RECORDED["S/2016/1100"].read_bytes()
    assert len(state.requests) == 2
    assert not list(tmp_path.glob(".*.tmp"))  # nothing half-written in the cache


def test_slow_answer_times_out_then_succeeds(service: tuple[Service, str], tmp_path: Path) -> None:
    state, url = service
    state.slow["A/RES/73/3"] = 1.5
    data = fetcher(url, tmp_path, timeout=0.5).document("A/RES/73/3")
    assert data.startswith(b"%PDF-")
    assert len(state.requests) == 2


def test_rate_limit_spaces_requests(service: tuple[Service, str], tmp_path: Path) -> None:
    _, url = service
    client = fetcher(url, tmp_path, min_interval=0.3)
    started = time.monotonic()
    fetch_documents(["A/RES/73/3", "A/RES/73/6"], ["en"], tmp_path / "out", client)
    assert time.monotonic() - started >= 0.3


def test_command_line(service: tuple[Service, str], tmp_path: Path) -> None:
    _, url = service
    result = subprocess.run(
        [
            sys.executable, "-m", "ldexport", "fetch", "A/RES/73/3", "A/RES/99/999",
            "--record", "4040686", "-o", str(tmp_path / "out"),
            "--service-url", url, "--library-url", url, "--cache", str(tmp_path / "cache"),
            "--interval", "0", "--retries", "0",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: A/RES/99/999 (en): not found (404) at {url}"
        "/api/symbol/access?s=A%2FRES%2F99%2F999&l=en&t=pdf"
    ]
    assert (tmp_path / "out" / "A_RES_73_3.pdf").is_file()
    record = (tmp_path / "out" / "record_4040686.marc.xml").read_bytes()
    assert b"A/RES/78/264" in record
