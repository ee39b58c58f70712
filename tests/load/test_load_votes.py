"""Votes graphs (`ldexport votes`) are loaded as `B graph/<name>/votes` and never pruned while
the dataset has them."""

from __future__ import annotations

from pathlib import Path

from ldexport.load import Endpoints, Store, load
from ldexport.votes_cli import run

from .load_support import ROOT, OxigraphServer

VOTES = "http://localhost:8000/graph/S_RES_1590_2005/votes"


def test_votes_graphs_are_loaded_and_kept(output: Path, oxigraph: OxigraphServer) -> None:
    assert run([ROOT / "tests" / "data" / "votes" / "votes_1590.xml"], output, quiet=True) == 0
    endpoints = Endpoints.guess(f"{oxigraph.url}/store")
    report = load(output, endpoints, prune=True)
    assert report.ok and report.pruned == []
    assert VOTES in report.loaded
    store = Store(endpoints)
    counts = store.graph_counts("http://localhost:8000/graph/")
    assert counts[VOTES] == report.expected[VOTES] > 15
    again = load(output, endpoints, prune=True)
    assert again.ok and again.pruned == [] and VOTES in again.counts
    rows = store.select(
        "SELECT (COUNT(?s) AS ?n) WHERE { GRAPH <" + VOTES + "> { "
        "<http://localhost:8000/doc/S/RES/1590(2005)#vote> "
        "<http://data.europa.eu/eli/eli-draft-legislation-ontology#had_voter_favor> ?s } }"
    )
    assert rows == [{"n": "15"}]
