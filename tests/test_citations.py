"""Citations in real sentences of every dev-corpus document (tests/data/citations_dev.yaml).

Each row is checked on its own (the symbols, and pins / kinds where the table gives them), and
the whole table is scored like eyecite's benchmark: precision and recall of the cited symbols
over every row, against the targets of the issue (precision >= 0.98, recall >= 0.95).
Plus the API's promises: spans point into the source, offsets shift them, Ibid. follows
`previous`, "the present resolution" is no citation, `body` decides bare numbers.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from ldexport.model import Citation, CitationKind, Span
from ldexport.parse.citations import SC_YEARS, find_citations, ordinal

HERE = Path(__file__).resolve().parent
TABLE = HERE / "data" / "citations_dev.yaml"
CORPUS_DIRS = [HERE / "data" / "corpus"]

DOCUMENTS: list[dict[str, Any]] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))["documents"]
ROWS = [
    pytest.param(doc["file"], doc["body"], row, id=f"{doc['file']}-{i}")
    for doc in DOCUMENTS
    for i, row in enumerate(doc["rows"])
]


def _previous(row: dict[str, Any]) -> Citation | None:
    prev = row.get("previous")
    if not prev:
        return None
    symbol = prev["symbol"]
    kind = CitationKind.RESOLUTION if "/RES/" in symbol else CitationKind.REPORT
    return Citation(symbol, kind, symbol, Span(0, len(symbol)), prev.get("pin"))


def _run(body: str, row: dict[str, Any]) -> list[Citation]:
    return find_citations(row["text"], body=body, previous=_previous(row))


@pytest.mark.parametrize(("file", "body", "row"), ROWS)
def test_row(file: str, body: str, row: dict[str, Any]) -> None:
    found = _run(body, row)
    gold: list[str] = row["symbols"]
    missed = Counter(row.get("missed", []))
    expected = []
    for symbol in gold:  # the gold without the misses the table admits to
        if missed[symbol]:
            missed[symbol] -= 1
        else:
            expected.append(symbol)
    assert [c.symbol for c in found] == expected, row["text"]
    if "pins" in row:
        assert [c.pin for c in found] == row["pins"]
    if "kinds" in row:
        assert [c.kind.value for c in found] == row["kinds"]
    for c in found:
        assert row["text"][c.span.start : c.span.end] == c.text


_DOC_NAME = re.compile(r"^(?:A_RES_|S_RES_|S_\d{4}_|UNBench)")


def test_every_dev_document_has_rows() -> None:
    listed = {doc["file"] for doc in DOCUMENTS}
    for folder in CORPUS_DIRS:
        if folder.is_dir():
            files = {
                str(p.relative_to(folder))
                for p in folder.rglob("*")
                if p.suffix in {".txt", ".md", ".pdf", ".json"} and _DOC_NAME.match(p.name)
            }
            # A draft's PDF and JSON are one document: either may carry its rows.
            docs = {f.rsplit(".", 1)[0] for f in files}
            assert docs <= {f.rsplit(".", 1)[0] for f in listed}, docs - {
                f.rsplit(".", 1)[0] for f in listed
            }


# --- the rows are real sentences -------------------------------------------------------------

_FOLD = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text).strip()


@cache
def _source_text(file: str) -> str | None:
    for folder in CORPUS_DIRS:
        path = folder / file
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            pdfplumber = pytest.importorskip("pdfplumber")
            with pdfplumber.open(path) as pdf:
                return _fold("\n".join(page.extract_text() or "" for page in pdf.pages))
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            parts = data["drafts"] if "drafts" in data else [data["Content"]]
            return _fold("\n".join(parts))
        return _fold(path.read_text(encoding="utf-8"))
    return None


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["file"] for d in DOCUMENTS])
def test_rows_are_in_their_document(doc: dict[str, Any]) -> None:
    source = _source_text(doc["file"])
    if source is None:
        pytest.skip(f"{doc['file']} is not in this checkout")
    for row in doc["rows"]:
        for line in row["text"].splitlines():
            assert _fold(line) in source, (doc["file"], line)


# --- the score over the whole table ----------------------------------------------------------


def score() -> tuple[int, int, int]:
    """True positives, found, gold: symbols compared as multisets, row by row."""
    tp = found_n = gold_n = 0
    for doc in DOCUMENTS:
        for row in doc["rows"]:
            found = Counter(c.symbol for c in _run(doc["body"], row))
            gold = Counter(row["symbols"])
            tp += sum((found & gold).values())
            found_n += sum(found.values())
            gold_n += sum(gold.values())
    return tp, found_n, gold_n


def test_precision_and_recall_on_the_dev_table() -> None:
    tp, found_n, gold_n = score()
    precision, recall = tp / found_n, tp / gold_n
    print(
        f"citations: {tp} right of {found_n} found, {gold_n} in the table: P={precision:.4f}"
        f" R={recall:.4f}"
    )
    assert precision >= 0.98
    assert recall >= 0.95


# --- the API's promises ----------------------------------------------------------------------


def test_offset_shifts_spans_into_the_source() -> None:
    source = "Preamble.\nRecalling its resolution 57/173 of 18 December 2002,"
    start = source.index("Recalling")
    [c] = find_citations(source[start:], body="un-ga", offset=start)
    assert source[c.span.start : c.span.end] == c.text == "resolution 57/173"
    assert c.symbol == "A/RES/57/173"


def test_body_decides_a_bare_number() -> None:
    text = "Recalling its resolution 1585 of 10 March 2005,"
    assert [c.symbol for c in find_citations(text, body="un-sc")] == ["S/RES/1585(2005)"]
    assert find_citations(text, body="un-ga") == []
    sc = "Recalling also Security Council resolution 1585,"
    assert [c.symbol for c in find_citations(sc, body="un-ga")] == ["S/RES/1585(2005)"]


def test_year_in_brackets_is_a_council_resolution_in_any_text() -> None:
    for body in ("un-ga", "un-sc"):
        found = find_citations("pursuant to resolution 1373 (2001)", body=body)
        assert [c.symbol for c in found] == ["S/RES/1373(2001)"]


def test_a_decision_is_not_a_resolution() -> None:
    [c] = find_citations("Recalling its decision 60/519 of 22 December 2005,", body="un-ga")
    assert (c.symbol, c.kind) == ("A/DEC/60/519", CitationKind.DECISION)


def test_present_resolution_is_no_citation() -> None:
    for text in ("the implementation of the present resolution;", "paragraph 1 of this resolution"):
        assert find_citations(text, body="un-sc") == []


def test_ibid_follows_the_previous_citation_within_a_footnote() -> None:
    text = "A/58/874, annex; ibid., para. 3."
    found = find_citations(text, body="un-ga")
    assert [(c.symbol, c.pin) for c in found] == [("A/58/874", "annex"), ("A/58/874", "para. 3")]


def test_ibid_without_previous_is_dropped() -> None:
    assert find_citations("Ibid., annex II.B.", body="un-ga") == []


def test_unknown_body_is_refused() -> None:
    with pytest.raises(ValueError, match="body"):
        find_citations("resolution 57/173", body="un-ecosoc")


def test_sc_years_table() -> None:
    assert SC_YEARS.year_of(1) == 1946
    assert SC_YEARS.year_of(1373) == 2001
    assert SC_YEARS.year_of(1585) == 2005
    assert SC_YEARS.year_of(2008) == 2011  # a resolution number that looks like a year
    assert SC_YEARS.year_of(2259) == 2015 and SC_YEARS.year_of(2260) == 2016
    assert SC_YEARS.year_of(2767) == 2024
    assert SC_YEARS.year_of(2768) is None  # past what the table knows: no guess


def test_ordinal_sessions() -> None:
    assert [ordinal(w) for w in ("First", "Tenth", "Fifty-eighth", "Eightieth", "Sixty")] == [
        1,
        10,
        58,
        80,
        None,
    ]
