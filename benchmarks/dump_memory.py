"""The main process of `ldexport publish` alone, at N and 10N documents: its time per
document, its peak memory (which must not grow with N), and an incremental re-publish after
10 sources changed.

    .venv/bin/python benchmarks/dump_memory.py [N] [--sizes N1,N2,...]   (default N = 2500)

Each size runs in a fresh process.  What workers send back is made up here instead of
converted: one bundled example is converted and rendered once (`render_and_dump`, what a
worker returns), then re-minted under distinct symbols and sessions by replacing its symbol
in the rendered files and the dump pieces (so that the documents spread over 80 shards, like
the General Assembly's history; the gzip pieces are the template's, not recompressed).  The
sources are small distinct files.  `publish_dataset` then does all that the main process
does: writes every file into the staging folder, spools the dump pieces, writes the shards,
corpus dumps, provenance, catalogue (and checks it), manifest, and swaps the folder in.

Printed per size: documents, seconds and ms per document of the full publish, peak RSS of
the process (ru_maxrss: the high-water mark, so the largest of the runs), then the seconds
of the re-publish after 10 sources changed and where they went.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "examples" / "A_RES_58_136.txt"


def child(n: int, profile: bool) -> None:
    from ldexport.convert import Converted, convert_file
    from ldexport.dataset import DocumentDump, publish_dataset
    from ldexport.executor import render_and_dump
    from ldexport.iris import Iris
    from ldexport.manifest import FileInfo
    from ldexport.model import Session, SourceInfo
    from ldexport.serialize import Terms

    iris = Iris()
    template = render_and_dump(convert_file(TEMPLATE, iris)[0], iris)
    assert template.rendered is not None and template.dump is not None
    res0 = template.resolution

    def mint(k: int, path: Path, sha256: str) -> Converted:
        session = 1 + k % 80
        number = 1000 + k
        pairs = [
            (b"A/RES/58/136", f"A/RES/{session}/{number}".encode()),
            (b"A_RES_58_136", f"A_RES_{session}_{number}".encode()),
            (b"58-136", f"{session}-{number}".encode()),
            (b"session/58", f"session/{session}".encode()),
        ]

        def sub(data: bytes) -> bytes:
            for old, new in pairs:
                data = data.replace(old, new)
            return data

        assert template.rendered is not None and template.dump is not None
        rendered = {sub(k.encode()).decode(): sub(v) for k, v in template.rendered.items()}
        symbol = f"A/RES/{session}/{number}"
        dump = DocumentDump(
            iris.graph(symbol),
            template.dump.triples,
            {k: sub(v) for k, v in template.dump.plain.items()},
            dict(template.dump.gz),
            Terms(
                *(frozenset(sub(t.encode()).decode() for t in part) for part in template.dump.terms)
            ),
        )
        res = replace(
            res0,
            symbol=symbol,
            number=f"{session}/{number}",
            session=Session(str(session)),
            source=SourceInfo(str(path), "text", sha256),
        )
        return Converted(
            res,
            template.graph,
            template.report,
            rendered=rendered,
            triples=template.triples,
            file_info={k: FileInfo.of_bytes(v) for k, v in rendered.items()},
            dump=dump,
        )

    def convert(path: Path, iris: Iris) -> list[Converted]:
        from ldexport.manifest import sha256_file

        k = int(re.sub(r"\D", "", path.stem))
        return [mint(k, path, sha256_file(path))]

    work = Path(tempfile.mkdtemp(prefix="ldx-main-"))
    try:
        sources = work / "sources"
        sources.mkdir()
        inputs = []
        for k in range(n):
            path = sources / f"doc{k:06d}.txt"
            path.write_text(f"document {k}\n")
            inputs.append(path)
        out = work / "out"
        started = time.perf_counter()
        result = publish_dataset(inputs, out, iris, convert=convert)
        full = time.perf_counter() - started
        assert len(result.manifest.documents) == n, list(result.manifest.problems)[:3]
        del result
        peak_full = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        time.sleep(1.1)  # the sources are older than the manifest by a second: not "racy"
        for path in inputs[:10]:
            path.write_text(path.read_text() + "changed\n")
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        again = publish_dataset(inputs, out, iris, convert=convert)
        if profiler:
            profiler.disable()
        incremental = time.perf_counter() - started
        assert len(again.outcomes) == 10 and len(again.unchanged) == n - 10
        breakdown = {}
        if profiler:
            stats = pstats.Stats(profiler)
            for (file, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
                if "ldexport" in file and name in WATCH:
                    breakdown[name] = round(row[3], 3)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "documents": n,
                "seconds": full,
                "ms_per_doc": 1000 * full / n,
                "peak_rss_mib": peak_full,
                "incremental_seconds": incremental,
                "breakdown": breakdown,
            }
        )
    )


#: Functions whose cumulative time the incremental run reports (with --profile).
WATCH = {
    "publish_dataset",
    "reuse",
    "__call__",  # SourceDigests
    "keep",
    "close",
    "_build_shard",
    "_corpus",
    "_provenance",
    "write_catalog",
    "validate_catalog",
    "to_json",
    "read_manifest",
    "keep_foreign",
    "commit",
    "write_report",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2500)
    parser.add_argument("--sizes", help="comma-separated sizes (default: N and 10N)")
    parser.add_argument("--profile", action="store_true", help="break the re-publish down")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile)
        return
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.n, 10 * args.n]
    print(
        f"{'documents':>10} {'seconds':>8} {'ms/doc':>7} {'peak RSS MiB':>13} {'re-publish s':>13}"
    )
    for size in sizes:
        cmd = [sys.executable, __file__, "--child", str(size)]
        run = subprocess.run(
            cmd + (["--profile"] if args.profile else []),
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{r['documents']:>10} {r['seconds']:>8.1f} {r['ms_per_doc']:>7.2f} "
            f"{r['peak_rss_mib']:>13.0f} {r['incremental_seconds']:>13.1f}"
        )
        if r["breakdown"]:
            print("    " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["breakdown"].items())))


if __name__ == "__main__":
    main()
