"""Fixtures of the serve tests: the examples published and served once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ldexport.cli import expand_inputs
from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.settings import Settings

from .serve_support import CONTACT, EXAMPLES, Served, free_port, start, stop


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The bundled examples published with the base IRI of the port the server will use."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("serve") / "output"
    settings = Settings(base_iri=base, contact_email=CONTACT, title="Test resolutions")
    result = publish_dataset(expand_inputs([str(EXAMPLES)]), out, Iris(base), settings)
    assert result.manifest.documents, result.summary()
    return out, port


@pytest.fixture(scope="session")
def served(published: tuple[Path, int]) -> Iterator[Served]:
    out, port = published
    log = out.parent / "serve.log"
    proc = start(out, port, log)
    try:
        yield Served(f"http://127.0.0.1:{port}/", out, log, proc)
    finally:
        stop(proc)
    # whatever the tests sent, the server never failed in a way it did not expect
    text = log.read_text(errors="replace")
    if "Traceback" in text or "ERROR" in text:
        pytest.fail(f"the server logged errors:\n{text[-4000:]}")
