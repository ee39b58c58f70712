"""Fixtures for the dataset tests: the bundled examples published once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ldexport.dataset import PublishResult, publish_dataset
from ldexport.iris import Iris
from ldexport.settings import Settings

from .dataset_support import EPOCH, EXAMPLES


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> PublishResult:
    """The examples published with SOURCE_DATE_EPOCH set and a publisher's settings."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        settings = Settings(
            licence="http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            licence_label="Creative Commons Attribution 4.0 International",
            publisher="Example Legal Data Lab",
            contact_email="data@example.org",
            sparql_endpoint="http://localhost:8000/sparql",
        )
        out = tmp_path_factory.mktemp("published") / "output"
        result = publish_dataset(EXAMPLES, out, Iris(), settings)
    finally:
        mp.undo()
    assert result.exit_status == 0, result.manifest.problems
    assert len(result.manifest.documents) == len(EXAMPLES)
    return result


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A private copy of the examples that a test may edit or delete."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in EXAMPLES:
        shutil.copy(path, folder / path.name)
    return folder
