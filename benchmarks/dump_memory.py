"""Peak memory of the dataset writer for N and 10N documents: it must not grow with N.

    .venv/bin/python benchmarks/dump_memory.py [N]        (default N = 300)

Each size runs in a fresh process.  The documents are the bundled examples, converted once
with the real pipeline, then re-minted under distinct symbols and sessions (so that they
spread over ~80 shards, like the General Assembly's history); the writer then streams every
dump (4 formats, plain and gzip, corpus and shards), the provenance and the DCAT/VoID
catalogue.  Printed: documents, triples, seconds, peak RSS, and RSS before the writer ran.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(n: int) -> None:
    from ldexport.convert import convert_file
    from ldexport.dataset import DatasetWriter
    from ldexport.iris import Iris
    from ldexport.manifest import DocumentEntry
    from ldexport.publish import to_turtle
    from ldexport.settings import Settings

    iris = Iris()
    item = convert_file(ROOT / "examples/A_RES_58_136.txt", iris)[0]
    template = to_turtle(item.graph).decode()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        writer = DatasetWriter(out, iris, Settings())
        for k in range(n):
            session = 1 + k % 80
            symbol, name = f"A/RES/{session}/{1000 + k}", f"A_RES_{session}_{1000 + k}"
            text = (
                template.replace("A/RES/58/136", symbol)
                .replace("A_RES_58_136", name)
                .replace("58-136", f"{session}-{1000 + k}")
                .replace("session/58", f"session/{session}")
            )
            (out / f"{name}.ttl").write_text(text)
            entry = DocumentEntry(
                symbol=symbol,
                name=name,
                graph=iris.graph(symbol),
                shard=f"ga-session-{session}",
                source_sha256=f"{k:064x}",
                source_path=f"{name}.txt",
                converted_at="2024-01-01T00:00:00Z",
                ldexport_version="bench",
                triples=len(item.graph),
                adoption_date="2003-12-22",
                files=[f"{name}.ttl"],
            )
            writer.keep(entry, f"General Assembly, session {session}")
        manifest = writer.close()
        triples = sum(s.triples for s in manifest.shards.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "documents": n,
                "triples": triples,
                "seconds": time.monotonic() - started,
                "peak_rss_mib": peak / 1024,
                "baseline_rss_mib": baseline / 1024,
            }
        )
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(
        f"{'documents':>10} {'triples':>10} {'seconds':>8} {'peak RSS MiB':>13} {'before MiB':>11}"
    )
    for size in (n, 10 * n):
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{r['documents']:>10} {r['triples']:>10} {r['seconds']:>8.1f} "
            f"{r['peak_rss_mib']:>13.1f} {r['baseline_rss_mib']:>11.1f}"
        )


if __name__ == "__main__":
    main()
