"""Constants shared by the dataset tests (a module of its own: `conftest` is ambiguous)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
