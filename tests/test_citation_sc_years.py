"""The Security Council year table (ldexport/parse/sc_years.json) against its sources.

Its CSV part must be exactly what `first_numbers_from_csv` derives from the n-klotz list; every
"NNNN (YYYY)" the dev corpus prints must fall in the year the table gives NNNN (this checks the
part beyond the CSV too, as far as the corpus reaches).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ldexport.parse.citations import SC_YEARS, SC_YEARS_FILE, first_numbers_from_csv

HERE = Path(__file__).resolve().parent
# The full list first; tests/data/gold also holds the excerpt that tests/test_gold.py reads.
CSV_CANDIDATES = [
    HERE / "data" / "gold" / "sc_resolutions_list" / "UNSC_Resolutions_full.csv",
    HERE / "data" / "gold" / "sc_resolutions_list" / "UNSC_Resolutions.csv",
]
CORPUS = [HERE / "data" / "corpus"]


def _csv() -> Path:
    for path in CSV_CANDIDATES:
        if path.is_file():
            return path
    pytest.skip("UNSC_Resolutions.csv is not in this checkout")


def test_table_is_derived_from_the_csv() -> None:
    path = CSV_CANDIDATES[0]
    data = json.loads(SC_YEARS_FILE.read_text(encoding="utf-8"))
    derived = {str(y): n for y, n in first_numbers_from_csv(path).items()}
    assert data["first_number_by_year"] == derived


def test_every_csv_row_gets_its_year() -> None:
    import csv

    with _csv().open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            assert SC_YEARS.year_of(int(row["Number"])) == int(row["Year"]), row["Resolution"]


_PAIR = re.compile(r"(?<![\d/.,])(\d{3,4})\s*\(\s*((?:19|20)\d\d)\s*\)")
_JUNK = re.compile(r"(?:No\.|Supplement|Series|vol\.)\s*$")


def test_corpus_pairs_agree_with_the_table() -> None:
    """Every "resolution NNNN (YYYY)" in the dev texts: the printed year is the table's year."""
    seen = 0
    for folder in CORPUS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".txt", ".md", ".json"}:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in _PAIR.finditer(text):
                if _JUNK.search(text[max(0, m.start() - 20) : m.start()]):
                    continue
                number, year = int(m[1]), int(m[2])
                if number > SC_YEARS.last_known:
                    continue
                assert SC_YEARS.year_of(number) == year, (path.name, m.group())
                seen += 1
    if not seen:
        pytest.skip("no corpus in this checkout")
