"""The re-publish of a published corpus after 10 sources changed, or with `--first` a first
publish into an empty folder, for several versions of ldexport side by side (one round: each
version once, in turn), so that the machine's neighbours weigh on all of them alike: a change
of a few per cent shows here, not between two runs of `benchmark.py`.

    git worktree add /tmp/ldx-old <commit>
    .venv/bin/python benchmarks/republish.py --rounds 3 old=/tmp/ldx-old new=.
    .venv/bin/python benchmarks/republish.py --first --corpus /tmp/ldx-bench/corpus-2500 \
        old=/tmp/ldx-old new=.

For a re-publish, the output folder (`--out`) must hold a publish of the corpus already
(`benchmark.py` leaves one in WORK/b2; each version should have published it once, since a
version may keep state there that another does not write).  Each run appends a new number of
blank lines to the first 10 text sources, so that they are converted again, and puts them
back after.  With `--first`, each run publishes into an emptied folder, WORK/first-LABEL
(`SOURCE_DATE_EPOCH` set, so that the versions' outputs can be compared with `diff -r`; the
last run's folder of each version is kept, beside the publish's lock file).  Prints, per
run and per version (minimum and median): wall seconds, the CPU seconds of the whole process
tree and of the main process alone (the critical path of a re-publish).  A run that fails
(an exit status other than 0 or 1, which some documents failing gives, or a traceback)
stops the script, its error output in WORK/republish-LABEL.log.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: runs the command line in-process and writes its own CPU seconds to the file LDX_CPU names
_MAIN = """
import atexit, os, resource, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["LDX_CPU"], "w") as f:
        f.write(str(r.ru_utime + r.ru_stime))
atexit.register(cpu)
sys.argv = ["ldexport", *sys.argv[1:]]
from ldexport.cli import main
main()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", help="LABEL=FOLDER (a checkout of ldexport)")
    parser.add_argument("--rounds", type=int, default=3)
    work = Path(tempfile.gettempdir()) / "ldx-bench"
    parser.add_argument("--corpus", type=Path, default=work / "corpus-25000")
    parser.add_argument("--out", type=Path, help="the published corpus (default WORK/b2)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--first", action="store_true", help="a first publish, not a re-publish")
    args = parser.parse_args()
    if args.first and args.out is not None:
        parser.error("--first publishes into WORK/first-LABEL: no --out")
    versions = dict(v.split("=", 1) for v in args.versions)
    for folder in versions.values():  # byte-compiled, as pip leaves an installed package
        compileall.compile_dir(Path(folder) / "ldexport", quiet=1)
    corpus = args.corpus.resolve()
    sources = sorted(p for p in corpus.iterdir() if p.suffix != ".pdf")
    changed = [] if args.first else sources[:10]
    originals = {p: p.read_bytes() for p in changed}
    cpu_file = work / "republish-cpu.txt"
    runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label in versions}
    edit = int(time.time())  # a new number of blank lines each run: new bytes to convert
    cmd = [sys.executable, "-c", _MAIN, "publish", "-q", "-j", str(args.jobs), str(corpus)]
    for _ in range(args.rounds):
        for label, folder in versions.items():
            edit += 1
            env = dict(os.environ, PYTHONPATH=str(Path(folder).resolve()), LDX_CPU=str(cpu_file))
            out = args.out or work / "b2"
            if args.first:
                out = work / f"first-{label}"
                shutil.rmtree(out, ignore_errors=True)
                assert not out.exists(), f"{out} could not be emptied"
                env["SOURCE_DATE_EPOCH"] = "1700000000"
            cpu_file.unlink(missing_ok=True)
            time.sleep(3)  # the previous run's files deleted and written back settle
            log = work / f"republish-{label}.log"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            try:
                for p in changed:
                    p.write_bytes(originals[p] + b"\n" * (edit % 1000 + 1))
                start = time.perf_counter()
                with log.open("wb") as errors:
                    run = [*cmd, "-o", str(out)]
                    done = subprocess.run(run, env=env, stderr=errors, cwd=work, check=False)
                wall = time.perf_counter() - start
            finally:
                for p, data in originals.items():
                    p.write_bytes(data)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode not in (0, 1) or b"Traceback" in log.read_bytes():
                sys.exit(f"{label}: the publish failed (exit status {done.returncode}), see {log}")
            tree = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            main_cpu = float(cpu_file.read_text())
            runs[label].append((wall, tree, main_cpu))
            print(f"{label}: {wall:.2f} s, CPU {tree:.2f} s (tree), {main_cpu:.2f} s (main)")
    print("| version | wall s (min / median) | tree CPU s | main process CPU s |")
    print("|---|---:|---:|---:|")
    for label, got in runs.items():
        cells = [f"{min(x):.1f} / {statistics.median(x):.1f}" for x in zip(*got, strict=True)]
        print(f"| {label} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
