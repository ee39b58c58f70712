"""Fixtures of the load tests: a fresh Oxigraph server per test, the examples published."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.settings import Settings

from .load_support import EXAMPLES, OxigraphServer


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "store").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in EXAMPLES:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def output(sources: Path, tmp_path: Path) -> Path:
    out = tmp_path / "output"
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert result.exit_status == 0 and len(result.manifest.documents) == 3
    return out
