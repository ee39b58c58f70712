"""The three queries of the README give the documented rows on the bundled examples,
loaded into a real Oxigraph server with `ldexport load`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ldexport.load import Endpoints, Store, load

from .load_support import EXAMPLES, ROOT, OxigraphServer

W = "http://localhost:8000/doc/A/RES/58/136#"


def documented_queries() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Querying the data", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sparql\n(.*?)```", section, flags=re.S)


@pytest.fixture
def store(output: Path, oxigraph: OxigraphServer) -> Store:
    endpoints = Endpoints.guess(f"{oxigraph.url}/store")
    assert load(output, endpoints).ok
    return Store(endpoints)


def test_there_are_three_documented_queries() -> None:
    assert len(documented_queries()) == 3


def test_resolutions_of_the_58th_session_citing_1373(store: Store) -> None:
    rows = store.select(documented_queries()[0])
    assert [(r["resolution"], r["paragraph"], r.get("number")) for r in rows] == [
        ("A/RES/58/136", f"{W}para_1", "1"),
        ("A/RES/58/136", f"{W}para_5", "5"),
        ("A/RES/58/136", f"{W}preamble__container_1", None),
        ("A/RES/58/136", f"{W}preamble__container_3", None),
        ("A/RES/58/136", f"{W}preamble__container_8", None),
    ]


def test_operative_verbs_most_used(store: Store) -> None:
    """The expected counts come from the source texts themselves: numbered paragraphs that
    open with the verb."""
    expected = []
    for verb in ("Requests", "Decides", "Calls upon", "Urges"):
        pattern = re.compile(rf"^\s*\d+\.\s+{verb}\b", re.M)
        expected.append((verb, sum(len(pattern.findall(p.read_text())) for p in EXAMPLES)))
    rows = store.select(documented_queries()[1])
    assert [(r["verb"], int(r["paragraphs"])) for r in rows] == expected
    assert expected == [("Requests", 10), ("Decides", 5), ("Calls upon", 4), ("Urges", 2)]


def test_citation_graph_between_resolutions(store: Store) -> None:
    rows = {
        (r["citing"], r["cited"]): int(r["passages"]) for r in store.select(documented_queries()[2])
    }
    assert rows[("A/RES/58/136", "S/RES/1373(2001)")] == 5
    assert ("A/RES/58/136", "A/RES/57/173") in rows
    assert ("S/RES/1709(2006)", "S/RES/1590(2005)") in rows
    inside = {p.stem for p in EXAMPLES}
    between_examples = {(a, b) for a, b in rows if _name(a) in inside and _name(b) in inside}
    assert between_examples == {("S/RES/1709(2006)", "S/RES/1590(2005)")}


def _name(symbol: str) -> str:
    return symbol.replace("/", "_").replace("(", "_").replace(")", "")
