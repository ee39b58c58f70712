"""Every golden facts file is well-formed: known keys, canonical symbols, ISO dates, counts."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest

from ldexport.evaluate import COUNT_KEYS, FACT_KEYS, facts_files, read_facts_file
from ldexport.symbols import canonical, describe

from conftest import CORPUS, GOLDEN

FACTS = GOLDEN / "facts"
FILES = facts_files(FACTS)
# The series whose symbols are scored (tests/golden/README.md, "Citation rules").
UN_SERIES = re.compile(r"^(?:A|S|E|ST|TD|UNEP|DP|CRC|CCPR)/")
COMMITTEES = {f"un-ga-c{n}" for n in range(1, 7)}
# Resolution symbols: 58/136, 36/120E, 53/77AA (letters run past Z), S-10/2, ES-10/19,
# 169(II), 2200(XXI)A, 1373(2001). ldexport.symbols.describe reads all but the double letters.
RESOLUTION = re.compile(
    r"^(?:A/RES/(?:(?:ES-|S-)?\d+/\d+[A-Z]{0,2}|\d+\([IVXLC]+\)[A-Z]?)|S/RES/\d+\(\d{4}\))$"
)


def test_there_are_facts() -> None:
    assert len(FILES) >= 30


def _iso(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    datetime.date.fromisoformat(value)
    return True


def _symbol(value: Any) -> bool:
    return isinstance(value, str) and value != "" and canonical(value) == value


def _sorted_unique(values: list[str]) -> bool:
    return values == sorted(set(values))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FACTS)))
def test_facts_file_is_well_formed(path: Path) -> None:
    facts = read_facts_file(path)
    sub = path.parent.relative_to(FACTS)
    for source in facts.sources:
        assert (CORPUS / sub / source).is_file(), f"{source} is not in tests/data/corpus/{sub}"
    assert facts.resolutions, "no resolutions"
    assert all(isinstance(n, str) for n in facts.notes)
    for res in facts.resolutions:
        check_resolution(dict(res))


def check_resolution(res: dict[str, Any]) -> None:
    unknown = set(res) - FACT_KEYS
    assert not unknown, f"unknown keys {unknown}"
    symbol = res["symbol"]
    assert _symbol(symbol) and UN_SERIES.match(symbol), symbol
    assert res["body"] in ("un-ga", "un-sc")
    assert res["doc_type"] in ("resolution", "draft-resolution", "decision")
    info = describe(symbol)
    if res["doc_type"] == "resolution":
        assert info.is_resolution and info.body == res["body"], symbol
    if res["body"] == "un-sc":
        assert "title" not in res, "Security Council texts have no printed title"
        assert "session" not in res and "committee" not in res
    for key in ("title", "sponsors"):
        if key in res:
            assert isinstance(res[key], str) and res[key].strip() == res[key] and res[key]
    for key in ("adoption_date", "distribution_date"):
        if key in res:
            assert _iso(res[key]), f"{key} {res[key]!r} is not an ISO date"
    if "session" in res:
        session = res["session"]
        assert set(session) <= {"number", "label"} and isinstance(session["number"], str)
        if info.session is not None:
            assert session["number"] == info.session
        assert isinstance(session.get("label", ""), str)
    for item in res.get("agenda_items", ()):
        assert set(item) <= {"number", "label"}
        assert isinstance(item["number"], str)
        assert re.fullmatch(r"[0-9]+[a-z]?", item["number"]), item["number"]
        assert isinstance(item.get("label", ""), str)
    if "committee" in res:
        assert res["committee"] is None or res["committee"] in COMMITTEES
    for key in ("report_symbols", "draft_symbols"):
        if key in res:
            assert isinstance(res[key], list) and all(_symbol(s) for s in res[key])
    if "meeting" in res:
        assert isinstance(res["meeting"], str) and res["meeting"].isdigit()
    if "vote" in res:
        assert res["vote"] in ("without-vote", "recorded-vote", "unanimous")
    counts = res.get("counts", {})
    assert set(counts) <= set(COUNT_KEYS), set(counts) - set(COUNT_KEYS)
    for key, value in counts.items():
        assert type(value) is int and value >= 0, f"{key}: {value!r}"
    cites = res.get("citations", [])
    assert isinstance(cites, list) and _sorted_unique(cites), "citations not sorted and unique"
    for cited in cites:
        assert _symbol(cited) and UN_SERIES.match(cited), cited
        assert cited != symbol, "a document does not cite itself"
        if cited.startswith(("A/RES/", "S/RES/")):
            assert RESOLUTION.match(cited), f"{cited}: not a resolution symbol (SC: with year)"
    other = res.get("other_citations", [])
    assert _sorted_unique(other) and all(_symbol(s) for s in other)
    assert not set(other) & set(cites)
    assert all(isinstance(n, str) for n in res.get("notes", ()))


def test_every_corpus_document_with_facts_is_described_once() -> None:
    seen: dict[Path, Path] = {}
    for path in FILES:
        sub = path.parent.relative_to(FACTS)
        for source in read_facts_file(path).sources:
            doc = sub / source
            assert doc not in seen, f"{doc} is described by {seen[doc]} and {path}"
            seen[doc] = path
