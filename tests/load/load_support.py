"""A real Oxigraph server for the load tests, and the bundled examples published once."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Three of the bundled examples, named, so that what the tests expect (shards, counts, the
# citation between 1709 and 1590) does not move when examples/ grows.
EXAMPLES = [
    ROOT / "examples" / name
    for name in ("A_RES_58_136.txt", "S_RES_1590_2005.txt", "S_RES_1709_2006.txt")
]


def oxigraph_binary() -> str:
    """The `oxigraph` server of the PyPI package `oxigraph`, in this venv's bin/ first."""
    here = Path(sys.executable).parent
    found = shutil.which("oxigraph", path=str(here)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is missing: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """`oxigraph serve` on 127.0.0.1 and a free port; stop() sends SIGTERM to its PID."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = location
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        self.proc = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph did not start listening within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
