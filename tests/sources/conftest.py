"""Fixtures of the reader tests: documents of the corpus copy, read once; built Word files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ldexport.sources import SourceDocument, read

from .helpers import build_seed_docx, corpus


@pytest.fixture(scope="session")
def read_corpus() -> Callable[[str], SourceDocument]:
    cache: dict[str, SourceDocument] = {}

    def _read(name: str) -> SourceDocument:
        if name not in cache:
            cache[name] = read(corpus(name))
        return cache[name]

    return _read


@pytest.fixture(scope="session")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "A_RES_58_136.docx"
    build_seed_docx(path)
    return path
