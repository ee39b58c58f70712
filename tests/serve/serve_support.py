"""A real `ldexport serve` for the serve tests: the bundled examples published with a base
IRI on 127.0.0.1 and a free port, then served there by a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
# The settings the server starts with in these tests: a short time limit and small pages,
# so that the limits and the resumption tokens are exercised on a few documents.
SPARQL_TIMEOUT = 3.0
SPARQL_LIMIT = 500
OAI_PAGE_SIZE = 2
CONTACT = "data@example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command() -> list[str]:
    """`python -m ldexport serve` once the command is in ldexport's command group; until
    then the same click command run as `python -m ldexport.serve`."""
    from ldexport.cli import main

    if "serve" in getattr(main, "commands", {}):
        return [sys.executable, "-m", "ldexport", "serve"]
    return [sys.executable, "-m", "ldexport.serve"]


@dataclass
class Served:
    base: str  # the base IRI, which is also where the server listens
    out: Path
    log: Path
    proc: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start(out: Path, port: int, log: Path, *extra: str, root: str = "/") -> subprocess.Popen[bytes]:
    """Start `ldexport serve` on `out` and wait (90 s at most) until `root` answers 200."""
    cmd = [
        *serve_command(),
        str(out),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--sparql-timeout",
        str(SPARQL_TIMEOUT),
        "--sparql-limit",
        str(SPARQL_LIMIT),
        "--oai-page-size",
        str(OAI_PAGE_SIZE),
        *extra,
    ]
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}{root}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ldexport serve exited ({proc.returncode}):\n{log.read_text()}")
        try:
            if requests.get(base, timeout=2).status_code == 200:
                return proc
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"ldexport serve did not answer within 90 s:\n{log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own PID, then SIGKILL if it has not ended in 10 s."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
