"""The fast validation path (the compiled shapes of ldexport.shacl_fast) reports exactly what
pySHACL on rdflib alone reports (`reference=True`): the same problems - focus node, path,
shape, value and message - on every dev-corpus document, every bundled example and every
shapes test case, conforming (ok_*) or not (bad_*).  tests/test_shacl_fast.py adds edge cases
and random damage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from shapes.test_shapes import CASES, case_files, load_case

from ldexport.convert import parse_file
from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.mapping import graph_of, to_graph
from ldexport.validate import REFERENCE_ENV, reference_validator, validate

from conftest import DOCUMENTS


def same_report(graph: Graph, label: str) -> None:
    """The same report from pySHACL and the compiled shapes, given the graph or its triples
    as a set (what the batch pipeline validates)."""
    reference = validate(graph, label, reference=True)
    assert validate(graph, label, reference=False) == reference
    triples = set(graph)  # a SPARQL constraint then runs on graph_of(triples)
    assert validate(triples, label) == validate(graph_of(triples), label, reference=True)


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


def test_report_does_not_depend_on_the_hash_seed() -> None:
    """The same lines whatever Python's hash seed, for triples given as a set (as the batch
    pipeline gives them): a SPARQL constraint lists values (GROUP_CONCAT) in the order rdflib
    holds the triples, so graph_of must add them in an order of their own."""
    import subprocess
    import sys

    case = CASES / "bad_LetteredMember_missing.trig"  # two footnotes ordered 5, 6
    script = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path; from shapes.test_shapes import load_case\n"
        "from ldexport.validate import validate\n"
        "print(*validate(set(load_case(Path(sys.argv[1]))), 'case').lines(), sep='\\n')"
    )
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        result = subprocess.run(
            [sys.executable, "-c", script, str(case), str(Path(__file__).parent)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert "ldx:order 5, 6" in outputs.pop()
