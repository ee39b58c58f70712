"""Constants shared by the dataset tests (a module of its own: `conftest` is ambiguous)."""

from __future__ import annotations

import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Three of the bundled examples, named, so that what the tests expect (shards, counts, the
# citation between 1709 and 1590) does not move when examples/ grows.
EXAMPLES = [
    ROOT / "examples" / name
    for name in ("A_RES_58_136.txt", "S_RES_1590_2005.txt", "S_RES_1709_2006.txt")
]
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def corpus_nquads(out: Path) -> str:
    """The whole corpus as N-Quads, from the published `dumps/corpus.nq.gz`."""
    return gzip.decompress((out / "dumps" / "corpus.nq.gz").read_bytes()).decode()
