"""Loading a published dataset into a fresh Oxigraph server, three ways side by side.

    .venv/bin/python benchmarks/make_corpus.py 1000 /tmp/corpus
    .venv/bin/ldexport publish /tmp/corpus -o /tmp/out -j 2
    .venv/bin/python benchmarks/load_benchmark.py /tmp/out [--runs 3]

For every run and every way, a new `oxigraph serve` on an empty folder (so no run inherits
another's index files or caches), then:

* `raw`: one `POST /store?no_transaction` of every shard's N-Quads (`dumps/shards/*.nq`)
  concatenated into one file, streamed by `requests` (what `curl --data-binary @corpus.nq`
  does) — the reference; `raw again` the
  same POST into the store it has just filled (the second is timed);
* `bulk`: `ldexport load --method bulk` (hash check of the dump, a count, the same POST,
  provenance and catalogue PUTs, the count check), timed in-process (`load()`); `bulk again`
  the same on the store it has just filled (the second load is timed); `bulk cli` the whole
  `ldexport load` command, Python's start and imports included;
* `gsp`: `ldexport load --method gsp`, one PUT per graph.

Prints the median seconds and quads per second of each (the dump's quads over the time), and
each one's rate as a share of `raw`'s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from ldexport.load import Endpoints, Store, load

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Oxigraph:
    """`oxigraph serve` on an empty folder; stopped with SIGTERM to its PID."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
        self.proc = subprocess.Popen(
            [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("oxigraph did not start") from None
                time.sleep(0.05)
        self.store = f"http://127.0.0.1:{self.port}/store"

    def quads(self) -> int:
        response = requests.post(
            f"http://127.0.0.1:{self.port}/query",
            data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=600,
        )
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def corpus_nquads(out: Path) -> Path:
    """Every shard's N-Quads in one file beside the output (made once): what `ldexport load`
    streams, as one file for the reference POST."""
    path = out.parent / f"{out.name}-corpus.nq"
    if not path.is_file():
        with path.open("wb") as body:
            for shard in sorted((out / "dumps" / "shards").glob("*.nq")):
                with shard.open("rb") as f:
                    shutil.copyfileobj(f, body)
    return path


def raw_post(out: Path, server: Oxigraph, times: int = 1) -> float:
    seconds = 0.0
    for _ in range(times):  # only the last is timed
        started = time.monotonic()
        with corpus_nquads(out).open("rb") as body:
            response = requests.post(
                server.store,
                params={"no_transaction": ""},
                data=body,
                headers={"Content-Type": "application/n-quads"},
                timeout=3600,
            )
        response.raise_for_status()
        seconds = time.monotonic() - started
    return seconds


def ldexport_load(method: str, times: int = 1) -> Callable[[Path, Oxigraph], float]:
    def run(out: Path, server: Oxigraph) -> float:
        endpoints = Endpoints.guess(server.store)
        seconds = 0.0
        for _ in range(times):  # only the last is timed
            report = load(out, endpoints, method=method, store=Store(endpoints, timeout=600))
            if not report.ok:
                raise RuntimeError(f"{method}: {report.mismatches[:3]}")
            seconds = report.seconds
        return seconds

    return run


def ldexport_command(out: Path, server: Oxigraph) -> float:
    """The whole command, Python's start and imports included."""
    command = [str(Path(sys.executable).parent / "ldexport"), "load", str(out)]
    command += ["--endpoint", server.store, "--method", "bulk", "--timeout", "600", "-q"]
    started = time.monotonic()
    subprocess.run(command, check=True)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="a published output folder")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-gsp", action="store_true", help="skip the (slow) GSP runs")
    args = parser.parse_args()
    manifest = json.loads((args.output / "manifest.json").read_text())
    in_dump = sum(s["triples"] for s in manifest["shards"].values())
    ways: dict[str, Callable[[Path, Oxigraph], float]] = {
        "raw": raw_post,
        "raw again": lambda out, server: raw_post(out, server, times=2),
        "bulk": ldexport_load("bulk"),
        "bulk again": ldexport_load("bulk", times=2),
        "bulk cli": ldexport_command,
    }
    if not args.no_gsp:
        ways["gsp"] = ldexport_load("gsp")
    seconds: dict[str, list[float]] = {way: [] for way in ways}
    quads: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        for run in range(args.runs):
            for way, fn in ways.items():  # interleaved, so that drift hits every way alike
                server = Oxigraph(Path(tmp) / f"{way.replace(' ', '-')}-{run}")
                try:
                    seconds[way].append(fn(args.output, server))
                    quads[way] = server.quads()
                finally:
                    server.stop()
                print(f"run {run + 1} {way:<10} {seconds[way][-1]:7.2f} s", file=sys.stderr)
    docs = len(manifest["documents"])
    print(f"{docs} documents, {in_dump} quads in the N-Quads dumps, {args.runs} run(s), medians")
    raw = statistics.median(seconds["raw"])
    for way, times in seconds.items():
        median = statistics.median(times)
        rate = in_dump / median
        # each run's rate against the raw POST of the same run, then the median of those
        paired = statistics.median(r / t for r, t in zip(seconds["raw"], times, strict=True))
        print(
            f"{way:<10} {median:7.2f} s  {rate:>10,.0f} quads/s  {raw / median:6.1%} of raw "
            f"(paired {paired:6.1%})  store holds {quads[way]} quads"
        )


if __name__ == "__main__":
    main()
