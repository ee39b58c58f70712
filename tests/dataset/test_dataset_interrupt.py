"""A publish killed at any moment leaves the previous output intact and usable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.manifest import read_manifest, verify
from ldexport.settings import Settings

from .dataset_support import ROOT

CORPUS = ROOT / "tests/data/corpus"
SCRIPT = """
import sys
from pathlib import Path
from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
inputs = [Path(p) for p in sys.argv[2:]]
publish_dataset(inputs, Path(sys.argv[1]), Iris())
"""


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def start(out: Path, inputs: list[Path]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(out), *map(str, inputs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killing_a_publish_mid_way_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "output"
    old_inputs = sorted(CORPUS.glob("S_RES_*.txt"))[:2]
    publish_dataset(old_inputs, out, Iris(), Settings())
    before = snapshot(out)
    new_inputs = sorted(
        p for p in CORPUS.iterdir() if p.is_file() and p.suffix in {".md", ".txt", ".pdf"}
    )
    proc = start(out, new_inputs)
    deadline = time.monotonic() + 120
    staged: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        staged = [p for d in tmp_path.glob(".output.tmp-*") for p in d.glob("*.ttl")]
        if len(staged) >= 3:  # mid-way: some documents written, more to come
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the publish finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(staged) >= 3
    assert snapshot(out) == before
    assert verify(out) == []
    assert list(tmp_path.glob(".output.tmp-*")), "the killed run's staging folder is left"
    # the next publish cleans up and completes
    result = publish_dataset(new_inputs, out, Iris(), Settings())
    assert not list(tmp_path.glob(".output.tmp-*"))
    assert verify(out) == []
    assert len(result.manifest.documents) > 2
    # the output it replaced is removed after the swap, by a process of its own
    deadline = time.monotonic() + 60
    while list(tmp_path.glob(".output.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output"]


def test_killed_at_any_moment_the_output_is_old_or_new_never_half(tmp_path: Path) -> None:
    out = tmp_path / "output"
    old_inputs = sorted(CORPUS.glob("S_RES_*.txt"))[:2]
    new_inputs = sorted(CORPUS.glob("S_RES_*.txt"))
    publish_dataset(old_inputs, out, Iris(), Settings())
    old = read_manifest(out)
    assert old is not None
    # measure how long a full publish takes, then kill at points spread over it
    t0 = time.monotonic()
    proc = start(tmp_path / "timing", new_inputs)
    proc.wait()
    took = time.monotonic() - t0
    complete = read_manifest(tmp_path / "timing")
    assert complete is not None
    new_documents = set(complete.documents)  # what a finished run publishes
    assert new_documents != set(old.documents)
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.95, 1.0):
        proc = start(out, new_inputs)
        time.sleep(took * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        publish_dataset(old_inputs, tmp_path / "scratch", Iris(), Settings())  # recover nothing
        now = read_manifest(out)
        assert now is not None and verify(out) == [], fraction
        assert set(now.documents) in (set(old.documents), new_documents), fraction
        # put the old output back for the next round
        publish_dataset(old_inputs, out, Iris(), Settings())
