"""Where a worker's time goes: CPU milliseconds per document for each stage of converting and
rendering one document, on the text documents of tests/data/corpus (converted twice: the
first pass warms the caches, the second is measured).

    .venv/bin/python benchmarks/stages.py
    .venv/bin/python benchmarks/stages.py /tmp/corpus-2500 [N]

The dev documents' second pass finds every per-document cache warm (the subjects assigned
to a text, its IRIs and literals), which a worker converting documents it has not seen does
not: given a folder (benchmarks/make_corpus.py), the first 50 of its files warm up and the
next N (default all) are measured once each, with the garbage collector set up as in a
worker (`ldexport.executor.init_worker`, then `gc.freeze`); the time the cyclic collector
takes is included in the stages and also shown on its own.
"""

from __future__ import annotations

import gc
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ldexport import serialize, sources
from ldexport.dataset import dump_pieces
from ldexport.errors import LdexportError
from ldexport.executor import init_worker
from ldexport.export import FORMATS, render
from ldexport.iris import Iris
from ldexport.mapping import to_triples
from ldexport.parse import normalise, structure
from ldexport.publish import model_json
from ldexport.sources import pdf
from ldexport.validate import validate

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
SPENT: dict[str, float] = defaultdict(float)


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.process_time()
    yield
    SPENT[name] += time.process_time() - start


def run(files: list[Path], iris: Iris) -> tuple[int, int]:
    """Convert and render every file; the number of conforming documents and their triples."""
    documents = triples_total = 0
    for path in files:
        try:
            with stage("read + parse"):
                doc = sources.read(path)
                resolutions = structure.parse(doc, normalise.normalise(doc))
        except LdexportError:  # bad input on purpose in the corpus
            continue
        for res in resolutions:
            with stage("map (triples)"):
                triples = to_triples(res, iris)
            with stage("validate"):
                report = validate(triples, res.symbol)
            if not report.conforms:
                continue
            documents += 1
            triples_total += len(triples)
            with stage("sorted, N-Triples"):
                rows = serialize.sorted_rows(triples)
                nt = serialize.ntriples(rows)
            with stage("Turtle"):
                body = serialize.turtle_body(nt)
                serialize.turtle_header() + body
            with stage("JSON-LD"):
                lines = serialize.jsonld_lines(rows)
                serialize.jsonld_document(lines)
            with stage("model JSON + schema"):
                model_json(res)
            for fmt in FORMATS:
                with stage(f"{fmt} + schema"):
                    render(fmt, res, iris)
            with stage("dump pieces (4 formats, gzip), terms"):
                rdf = serialize.Serialized(len(rows), nt, body, lines, serialize.terms_of(rows))
                dump_pieces(iris.graph(res.symbol), rdf)
    return documents, triples_total


COLLECTING: list[float] = [0.0, 0.0]  # when the running collection started, total seconds


def _collector(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        COLLECTING[0] = time.process_time()
    else:
        COLLECTING[1] += time.process_time() - COLLECTING[0]


def main() -> None:
    iris = Iris()
    if len(sys.argv) > 1:
        folder = sorted(Path(sys.argv[1]).iterdir())
        count = int(sys.argv[2]) if len(sys.argv) > 2 else len(folder)
        init_worker()
        pdf.ISOLATE = False  # a PDF's parse timed here, not in a child process
        run(folder[:50], iris)
        gc.collect()
        gc.freeze()
        files = folder[50 : 50 + count]
    else:
        files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md"))
        run(files, iris)
    SPENT.clear()
    gc.callbacks.append(_collector)
    documents, triples = run(files, iris)
    gc.callbacks.remove(_collector)
    total = sum(SPENT.values())
    print(f"{documents} documents, {triples / documents:.0f} triples each")
    print("| stage | ms per document | share |")
    print("|---|---:|---:|")
    for name, seconds in SPENT.items():
        print(f"| {name} | {1000 * seconds / documents:.1f} | {seconds / total:.0%} |")
    print(f"| **total** | **{1000 * total / documents:.1f}** | |")
    print(f"| of which the cyclic garbage collector | {1000 * COLLECTING[1] / documents:.1f} | |")


if __name__ == "__main__":
    main()
