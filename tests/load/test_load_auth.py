"""Credentials: a store that demands them (a small local server, the one stand-in of these
tests), Basic or Digest as the server asks, never taken from the URL, never printed."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from ldexport.load import Endpoints, StoreError, load

USER, PASSWORD = "loader", "s3cret-pa55"


class AuthStore(BaseHTTPRequestHandler):
    """Demands credentials (`scheme`) on every request, or only on PUT when `head_open`."""

    scheme = "Basic"
    head_open = False
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization")
        self.seen.append((self.command, header))
        if self.scheme == "Basic":
            token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            return header == f"Basic {token}"
        return (
            header is not None and header.startswith("Digest ") and f'username="{USER}"' in header
        )

    def _challenge(self) -> None:
        body = b"Unauthorized: this store needs a login"
        self.send_response(401)
        if self.scheme == "Basic":
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
        else:
            self.send_header("WWW-Authenticate", 'Digest realm="store", nonce="abc123", qop="auth"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        if not self.head_open and not self._authorised():
            return self._challenge()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self._authorised():
            return self._challenge()
        self.send_response(204)
        self.end_headers()

    def do_POST(self) -> None:  # the count query: nothing is stored here
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def auth_store() -> Iterator[tuple[str, type[AuthStore]]]:
    handler = type("Handler", (AuthStore,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("LDEXPORT_STORE_USER", "LDEXPORT_STORE_PASSWORD", "LDEXPORT_STORE_AUTH"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def endpoints(url: str) -> Endpoints:
    return Endpoints(query=f"{url}/query", store=f"{url}/store")


def test_a_401_without_credentials_says_what_to_set(
    output: Path, auth_store: tuple[str, type[AuthStore]]
) -> None:
    url, _ = auth_store
    with pytest.raises(StoreError) as err:
        load(output, endpoints(url))
    message = str(err.value)
    assert "HTTP 401 Unauthorized" in message  # a HEAD answer has no body to quote
    assert "LDEXPORT_STORE_USER" in message and "netrc" in message


def test_a_401_on_a_graph_names_the_graph(
    output: Path, auth_store: tuple[str, type[AuthStore]]
) -> None:
    url, handler = auth_store
    handler.head_open = True  # the store lets HEAD through and refuses the PUT
    with pytest.raises(StoreError) as err:
        load(output, endpoints(url))
    message = str(err.value)
    assert "graph <http://localhost:8000/graph/A_RES_58_136>" in message
    assert "HTTP 401" in message and "this store needs a login" in message


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_credentials_from_the_environment_in_the_scheme_the_server_asks(
    output: Path,
    auth_store: tuple[str, type[AuthStore]],
    monkeypatch: pytest.MonkeyPatch,
    scheme: str,
) -> None:
    url, handler = auth_store
    handler.scheme = scheme
    monkeypatch.setenv("LDEXPORT_STORE_USER", USER)
    monkeypatch.setenv("LDEXPORT_STORE_PASSWORD", PASSWORD)
    report = load(output, endpoints(url))
    puts = [header for method, header in handler.seen if method == "PUT"]
    assert len(puts) == len(report.loaded) == 6  # 3 documents, provenance, catalogue, unbis
    assert all(h is not None and h.startswith(scheme) for h in puts)  # no body sent twice
    text = "\n".join(report.lines())
    assert PASSWORD not in text and not report.ok  # this stand-in stores nothing


def test_credentials_from_netrc(
    output: Path,
    auth_store: tuple[str, type[AuthStore]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    url, handler = auth_store
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    load(output, endpoints(url))
    assert any(m == "PUT" and h and h.startswith("Basic") for m, h in handler.seen)


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(StoreError) as err:
        Endpoints.guess(f"http://{USER}:{PASSWORD}@127.0.0.1:1/store")
    assert PASSWORD not in str(err.value) and "LDEXPORT_STORE_USER" in str(err.value)
