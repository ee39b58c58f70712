"""Milliseconds of CPU per document that SHACL validation costs, on the dev corpus.

    .venv/bin/python benchmarks/validation_speed.py [--repeat 5] [--only A_RES_58_136]

Each document of tests/data/corpus and examples/ is converted once; its graph is then
validated `--repeat` times by each path and the median CPU time is printed:

- reference: pySHACL on rdflib alone (`validate(graph, label, reference=True)`);
- fast: the default path of `ldexport.validate.validate`.

The first call of each path (reading the shapes) is made before timing.  The last row is
the mean over the documents.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ldexport.convert import parse_file  # noqa: E402
from ldexport.errors import LdexportError  # noqa: E402
from ldexport.iris import Iris  # noqa: E402
from ldexport.mapping import to_graph  # noqa: E402
from ldexport.validate import validate  # noqa: E402

from conftest import DOCUMENTS  # noqa: E402


def graphs(only: str) -> list[tuple[str, Graph]]:
    """(symbol, graph) of every convertible dev-corpus document whose file name has `only`."""
    out = []
    for path in DOCUMENTS:
        if only not in path.name:
            continue
        try:
            resolutions = parse_file(path)
        except LdexportError:
            continue
        out += [(res.symbol, to_graph(res, Iris())) for res in resolutions]
    return out


def cpu_ms(check: Callable[[], object], repeat: int) -> float:
    """The median CPU time of `check` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        check()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="part of a file name, e.g. A_RES_58_136")
    args = parser.parse_args()
    docs = graphs(args.only)
    paths: dict[str, Callable[[Graph, str], object]] = {
        "reference": lambda g, label: validate(g, label, reference=True),
        "fast": lambda g, label: validate(g, label, reference=False),
    }
    for check in paths.values():
        check(*docs[0][::-1])  # read the shapes
    print(f"{'document':<28} {'triples':>7} " + " ".join(f"{name:>10}" for name in paths))
    rows = []
    for label, graph in docs:
        row = [
            cpu_ms(lambda c=check, g=graph, lb=label: c(g, lb), args.repeat)  # type: ignore[misc]
            for check in paths.values()
        ]
        rows.append(row)
        print(f"{label:<28} {len(graph):>7} " + " ".join(f"{ms:>10.2f}" for ms in row))
    means = [statistics.mean(column) for column in zip(*rows, strict=True)]
    mean_triples = statistics.mean(len(g) for _, g in docs)
    print(f"{'mean (ms/doc)':<28} {mean_triples:>7.0f} " + " ".join(f"{ms:>10.2f}" for ms in means))


if __name__ == "__main__":
    main()
