"""The fast validation path (the compiled shapes of ldexport.shacl_fast) reports exactly what
pySHACL on rdflib alone reports (`reference=True`): the same problems - focus node, path,
shape, value and message - on every dev-corpus document, every bundled example and every
shapes test case, conforming (ok_*) or not (bad_*).  tests/test_shacl_fast.py adds edge cases
and random damage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from shapes.test_shapes import case_files, load_case

from ldexport.convert import parse_file
from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.mapping import to_graph
from ldexport.validate import REFERENCE_ENV, reference_validator, validate

from conftest import DOCUMENTS


def same_report(graph: Graph, label: str) -> None:
    fast = validate(graph, label, reference=False)
    reference = validate(graph, label, reference=True)
    assert fast == reference


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.name)
def test_shapes_cases(path: Path) -> None:
    same_report(load_case(path), path.name)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_documents(path: Path) -> None:
    try:
        resolutions = parse_file(path)
    except LdexportError:  # bad input on purpose (tests/test_bad_input.py)
        return
    for res in resolutions:
        same_report(to_graph(res, Iris()), res.symbol)


def test_reference_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REFERENCE_ENV, "1")
    assert reference_validator()
    monkeypatch.setenv(REFERENCE_ENV, "0")
    assert not reference_validator()
