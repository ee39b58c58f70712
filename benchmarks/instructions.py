"""Instructions a document costs: `ldexport publish -j 2` of two nested slices of a corpus
run under valgrind (cachegrind, counting only), for several versions of ldexport side by
side.  The count does not move with the machine's neighbours, where its CPU time moves by up
to a factor of two: a change of 1% shows, and a version can be compared with one measured
on another day.

    sudo apt-get install valgrind
    git worktree add /tmp/ldx-old <commit>
    .venv/bin/python benchmarks/instructions.py old=/tmp/ldx-old new=.
    .venv/bin/python benchmarks/instructions.py --corpus /tmp/ldx-bench/corpus-2500 \
        --base 20 --docs 100 new=.

Each version's modules are byte-compiled first (as pip does for an installed package), then
it publishes the first `--base` inputs of the corpus (after `--skip`), then the
first `--base` + `--docs`, into emptied folders (`SOURCE_DATE_EPOCH` and `PYTHONHASHSEED`
set, so that a run is repeatable); the instructions of every process (the main one and the
forked workers) are added up.  The difference of the two runs is what `--docs` more inputs
cost, start-up, the catalogue and the dumps' fixed costs left out.  Instructions are not
seconds: a system call's work in the kernel is not counted, nor a cache miss; they measure
the work the code asks for, not how fast a machine does it.  About 80 s a version at the
defaults (valgrind runs Python some 40 times slower).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_REFS = re.compile(rb"^==\d+== I\s+refs:\s+([\d,]+)", re.MULTILINE)


def instructions(folder: Path, inputs: Path, out: Path, jobs: int) -> int:
    """The instructions of `ldexport publish` of `inputs` into `out`, with the code at
    `folder`, in all its processes."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(
        os.environ,
        PYTHONPATH=str(folder.resolve()),
        PYTHONHASHSEED="0",
        SOURCE_DATE_EPOCH="1700000000",
    )
    cmd = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "ldexport",
        "publish",
        "-q",
        "-j",
        str(jobs),
        str(inputs),
        "-o",
        str(out),
    ]
    # not run from a checkout: `python -m` would import the ldexport of the working folder
    done = subprocess.run(cmd, env=env, cwd=out.parent, capture_output=True, check=False)
    counts = [int(n.replace(b",", b"")) for n in _REFS.findall(done.stderr)]
    if done.returncode not in (0, 1) or b"Traceback" in done.stderr or not counts:
        tail = done.stderr.decode(errors="replace")[-2000:]
        sys.exit(f"{folder}: the publish failed (exit status {done.returncode}):\n{tail}")
    return sum(counts)


def slice_of(corpus: Path, start: int, count: int, into: Path) -> Path:
    """A folder holding `count` inputs of `corpus` from the `start`th on (sorted by name)."""
    into.mkdir(parents=True)
    files = sorted(p for p in corpus.iterdir() if p.is_file())[start : start + count]
    if len(files) < count:
        sys.exit(f"{corpus} has fewer than {start + count} inputs")
    for path in files:
        shutil.copyfile(path, into / path.name)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", help="LABEL=FOLDER (a checkout of ldexport)")
    work = Path(tempfile.gettempdir()) / "ldx-bench"
    parser.add_argument("--corpus", type=Path, default=work / "corpus-2500")
    parser.add_argument("--skip", type=int, default=100, help="inputs passed over first")
    parser.add_argument("--base", type=int, default=20, help="inputs of the smaller slice")
    parser.add_argument("--docs", type=int, default=100, help="inputs the larger one adds")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    versions = {label: Path(folder) for label, folder in (v.split("=", 1) for v in args.versions)}
    rows = []
    with tempfile.TemporaryDirectory(prefix="ldx-instructions-") as tmp:
        small = slice_of(args.corpus, args.skip, args.base, Path(tmp) / "small")
        large = slice_of(args.corpus, args.skip, args.base + args.docs, Path(tmp) / "large")
        for label, folder in versions.items():
            # the same state for every version and both runs: no module compiled from source
            compileall.compile_dir(folder / "ldexport", quiet=1)
            counts = []
            for inputs in (small, large):
                start = time.perf_counter()
                counts.append(instructions(folder, inputs, Path(tmp) / "out", args.jobs))
                seconds = time.perf_counter() - start
                print(
                    f"{label}: {inputs.name}, {counts[-1]:,} instructions ({seconds:.0f} s)",
                    flush=True,
                )
            rows.append((label, counts[0], counts[1], (counts[1] - counts[0]) / args.docs))
    first = rows[0][3]
    print(f"\n| version | {args.base} inputs | {args.base + args.docs} inputs | "
          f"an input more | against {rows[0][0]} |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for label, small_count, large_count, each in rows:
        print(
            f"| {label} | {small_count / 1e9:.2f} G | {large_count / 1e9:.2f} G | "
            f"{each / 1e6:.1f} M | {each / first:.3f} |"
        )


if __name__ == "__main__":
    main()
