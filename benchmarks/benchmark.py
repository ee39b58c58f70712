"""Throughput and peak memory of ldexport publish, side by side with the straightforward
pipeline and the raw floor, in one run.

    .venv/bin/python benchmarks/benchmark.py --docs 2500 [--jobs 2] [--baseline-docs 200]

Runs, each in a fresh process whose whole process tree's RSS is sampled every 50 ms:

(a) straightforward: per document an rdflib graph (ldexport's parser and mapping),
    pyshacl.validate with the shapes file read again each time, rdflib's Turtle and
    JSON-LD serializers, the model JSON; on `--baseline-docs` text documents spread over the
    corpus only (its rate does not depend on the corpus size, the whole corpus would take
    hours, and leaving the slow PDFs out only flatters it);
(b) `ldexport publish -j J` as it is (documents, exports, dumps, catalogue, manifest), once
    with one job and once with J;
(b') incremental: the same output re-published after 10 sources changed;
(a') the straightforward pipeline again, after (b): the machine's speed moves in the minutes
    (b) takes, and the ratios are given against the baseline on either side;
(c) floor: pyoxigraph writing the same quads (per-document Turtle and JSON-LD, one N-Quads
    dump), read beforehand from (b)'s output.

Prints a table: documents, triples, seconds, documents/s, triples/s, peak RSS and PSS, and the
ratios of (b) to (a) and of (c) to (b).  Absolute figures drift on a shared machine;
compare the ratios.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def tree_pss(proc: psutil.Process) -> int:
    """The process tree's proportional set size: a page shared by processes (a worker and
    the child it forks to read a PDF, the workers and the process they were forked from)
    counted once, where the sum of their RSS counts it in each."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(OSError), open(f"/proc/{p.pid}/smaps_rollup") as f:
            total += sum(1024 * int(line.split()[1]) for line in f if line.startswith("Pss:"))
    return total


#: CPU seconds (user + system) of the last command's main process, sampled every 50 ms
#: until it exits (its workers not included): what the main process costs per document.
MAIN_CPU: list[float] = [0.0]
#: Peak PSS (`tree_pss`) of the last command's process tree, sampled every 0.5 s (reading
#: it costs about 1 ms a process).
PEAK_PSS: list[int] = [0]
#: CPU seconds of the last command's whole process tree (its workers, reaped by it,
#: included): less sensitive than wall time to other work on a shared machine.
TREE_CPU: list[float] = [0.0]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Seconds, peak RSS of the process tree, stdout.

    The run starts once what the runs before it wrote is on the disk (`sync`, not timed):
    the re-publish that follows the publish of 25,000 documents (8 GB) otherwise waits for
    that writeback, and a re-publish made with 2 GB not yet written took 25.1 s, 5.8 s once
    they were."""
    os.sync()
    start, cpu_before = time.perf_counter(), children_cpu()
    with tempfile.TemporaryFile() as out:
        popen = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        proc = psutil.Process(popen.pid)
        peak = 0
        MAIN_CPU[0] = 0.0
        PEAK_PSS[0] = 0
        samples = 0
        while popen.poll() is None:
            peak = max(peak, tree_rss(proc))
            if samples % 10 == 0:
                PEAK_PSS[0] = max(PEAK_PSS[0], tree_pss(proc))
            samples += 1
            with contextlib.suppress(psutil.Error):
                cpu = proc.cpu_times()
                MAIN_CPU[0] = cpu.user + cpu.system
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        TREE_CPU[0] = children_cpu() - cpu_before
        out.seek(0)
        text = out.read().decode()
    if popen.returncode not in (0, 1):  # 1: some documents did not conform (real ones)
        raise SystemExit(f"{cmd} failed with {popen.returncode}")
    return seconds, peak, text


# -- the variants that run in a child process -----------------------------------------


def straightforward(corpus: Path, out: Path, limit: int) -> None:
    from pyshacl import validate
    from rdflib import Graph

    from ldexport.convert import parse_file
    from ldexport.errors import LdexportError
    from ldexport.iris import Iris
    from ldexport.mapping import to_graph
    from ldexport.publish import context, model_json
    from ldexport.resources import data_dir
    from ldexport.symbols import file_name

    iris = Iris()
    shapes = data_dir("shapes") / "ldexport.shacl.ttl"
    out.mkdir(parents=True, exist_ok=True)
    docs = triples = 0
    texts = sorted(p for p in corpus.iterdir() if p.suffix != ".pdf")
    for path in texts[:: max(1, len(texts) // limit)][:limit]:  # spread over the corpus
        try:
            resolutions = parse_file(path)
        except LdexportError:
            continue
        for res in resolutions:
            graph = to_graph(res, iris)
            conforms, _report, _text = validate(
                graph, shacl_graph=Graph().parse(shapes, format="turtle"), inference="none"
            )
            if not conforms:
                continue
            name = file_name(res.symbol)
            (out / f"{name}.ttl").write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
            text = graph.serialize(format="json-ld", context=context(), auto_compact=False)
            (out / f"{name}.jsonld").write_text(text)
            (out / f"{name}.json").write_bytes(model_json(res))
            docs += 1
            triples += len(graph)
    print(json.dumps({"docs": docs, "triples": triples}))


def floor(published: Path, out: Path) -> None:
    import pyoxigraph as ox

    manifest = json.loads((published / "manifest.json").read_text())
    docs = []
    for name, entry in sorted(manifest["documents"].items()):
        g = ox.NamedNode(entry["graph"])
        triples = list(ox.parse(path=published / f"{name}.ttl", format=ox.RdfFormat.TURTLE))
        docs.append((name, g, triples))
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    total = 0
    with (out / "all.nq").open("wb") as dump:
        for name, g, triples in docs:
            (out / f"{name}.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
            (out / f"{name}.jsonld").write_bytes(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
            quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
            dump.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
            total += len(triples)
    seconds = time.perf_counter() - start
    print(json.dumps({"docs": len(docs), "triples": total, "seconds": seconds}))


# -- the parent --------------------------------------------------------------------------


def published_counts(out: Path) -> tuple[int, int]:
    manifest = json.loads((out / "manifest.json").read_text())
    docs = manifest["documents"]
    return len(docs), sum(int(e["triples"]) for e in docs.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-docs", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ldx-bench")
    parser.add_argument("--skip-one-job", action="store_true", help="no (b) run with -j 1")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant == "straightforward":
        return straightforward(args.corpus, args.out, args.baseline_docs)
    if args.variant == "floor":
        return floor(args.corpus, args.out)

    from make_corpus import make

    work: Path = args.work
    corpus = work / f"corpus-{args.docs}"
    if not corpus.is_dir() or len(list(corpus.iterdir())) != args.docs:
        make(args.docs, corpus)
    # The ldexport measured, byte-compiled as pip leaves an installed package: an editable
    # install is not, and where PYTHONDONTWRITEBYTECODE is set each process would compile it.
    import ldexport as measured

    compileall.compile_dir(Path(measured.__file__).parent, quiet=1)
    py = sys.executable
    me = str(Path(__file__).resolve())
    ldexport = str(Path(py).parent / "ldexport")
    rows: list[tuple[str, int, int, float, int, int, float | None]] = []
    main_ms: dict[int, float] = {}

    def baseline(label: str) -> None:
        shutil.rmtree(work / "a", ignore_errors=True)
        secs, peak, text = run(
            [py, me, "--variant", "straightforward", "--corpus", str(corpus), "--out",
             str(work / "a"), "--baseline-docs", str(args.baseline_docs)]
        )  # fmt: skip
        got = json.loads(text)
        rows.append((label, got["docs"], got["triples"], secs, peak, PEAK_PSS[0], TREE_CPU[0]))

    baseline(f"(a) straightforward, {args.baseline_docs} text docs")

    for jobs in ([] if args.skip_one_job else [1]) + [args.jobs]:
        out = work / f"b{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        secs, peak, _ = run(
            [ldexport, "publish", "-q", "-j", str(jobs), "-o", str(out), str(corpus)]
        )
        docs, triples = published_counts(out)
        rows.append(
            (f"(b) ldexport publish -j {jobs}", docs, triples, secs, peak, PEAK_PSS[0], TREE_CPU[0])
        )
        main_ms[jobs] = 1000 * MAIN_CPU[0] / docs

    out = work / f"b{args.jobs}"
    changed = sorted(p for p in corpus.iterdir() if p.suffix != ".pdf")[:10]
    originals = {p: p.read_bytes() for p in changed}
    try:
        for p in changed:
            p.write_bytes(originals[p] + b"\n")
        secs, peak, _ = run(
            [ldexport, "publish", "-q", "-j", str(args.jobs), "-o", str(out), str(corpus)]
        )
    finally:
        for p, data in originals.items():
            p.write_bytes(data)
    docs, triples = published_counts(out)
    rows.append(
        ("(b') re-publish, 10 sources changed", docs, triples, secs, peak, PEAK_PSS[0], TREE_CPU[0])
    )

    # the baseline again: a shared machine's speed moves in the minutes (b) takes (its two
    # runs were 748 and 1,025 ms a document half an hour apart, session 9), so (b) is compared
    # with the baseline on either side of it
    baseline("(a') straightforward again, after (b)")

    shutil.rmtree(work / "c", ignore_errors=True)
    _, peak, text = run(
        [py, me, "--variant", "floor", "--corpus", str(out), "--out", str(work / "c")]
    )
    got = json.loads(text)
    rows.append(("(c) floor: pyoxigraph writes the quads", got["docs"], got["triples"],
                 got["seconds"], peak, PEAK_PSS[0], None))  # fmt: skip

    print(f"corpus: {args.docs} documents ({corpus}); {os.cpu_count()} cores; jobs {args.jobs}")
    print("| run | documents | triples | seconds | documents/s | triples/s | peak RSS MiB "
          "| peak PSS MiB | CPU ms/document |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    rates = {}
    for label, docs, triples, secs, peak, pss, cpu in rows:
        rates[label] = docs / secs
        per_doc = f"{1000 * cpu / docs:.1f}" if cpu is not None else "-"
        print(f"| {label} | {docs} | {triples} | {secs:.1f} | {docs / secs:.1f} | "
              f"{triples / secs:,.0f} | {peak / 2**20:.0f} | {pss / 2**20:.0f} | "
              f"{per_doc} |")  # fmt: skip
    a, again = rows[0], next(r for r in rows if r[0].startswith("(a') "))
    b = [r for r in rows if r[0].startswith("(b) ")][-1]
    c = rows[-1]
    print(f"\n(b) -j {args.jobs} / (a), (a'): {rates[b[0]] / rates[a[0]]:.2f}x, "
          f"{rates[b[0]] / rates[again[0]]:.2f}x documents/s")  # fmt: skip
    print(f"(c) / (b) -j {args.jobs}: {rates[c[0]] / rates[b[0]]:.1f}x documents/s")
    cpu_ms = {r[0]: 1000 * r[6] / r[1] for r in rows if r[6] is not None}
    before, after = cpu_ms[a[0]] / cpu_ms[b[0]], cpu_ms[again[0]] / cpu_ms[b[0]]
    print(f"(b) -j {args.jobs} / (a), (a') in CPU per document: {before:.2f}x, {after:.2f}x; "
          f"{os.cpu_count()} cores fully used would publish "
          f"{(os.cpu_count() or 1) * 1000 / cpu_ms[b[0]]:.0f} documents/s")  # fmt: skip
    for jobs, ms in main_ms.items():
        print(f"(b) -j {jobs}: main process {ms:.1f} ms CPU per document (workers not counted)")


if __name__ == "__main__":
    main()
