"""Third-party tables: symbol mapping, reading, and the cross-check of our facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldexport.gold import (
    GoldRecord,
    GoldTables,
    cross_check,
    facts_items,
    load_tables,
    main,
    read_sc_list,
    read_voeten,
    sc_symbol,
    voeten_symbol,
)

from conftest import DATA, GOLDEN

GOLD = DATA / "gold"
VOETEN = GOLD / "voeten_unvotes" / "un_roll_calls.csv"
DESCRIPTIONS = GOLD / "voeten_unvotes" / "descriptions1-70latestversion.csv"
SC_LIST = GOLD / "sc_resolutions_list" / "UNSC_Resolutions.csv"
TABLES = [VOETEN, DESCRIPTIONS, SC_LIST]


@pytest.mark.parametrize(
    ("unres", "symbol"),
    [
        ("R/61/295", "A/RES/61/295"),
        ("R/36/120E", "A/RES/36/120E"),
        ("R/53/77AA", "A/RES/53/77AA"),
        ("R/30/3375", "A/RES/3375(XXX)"),
        ("R/15/1273D", "A/RES/1273(XV)D"),
        ("SS/4/23C", "A/RES/S-4/23C"),
        ("ESS/5/100", "A/RES/ES-5/100"),
        ("", None),
        ("SS/5", None),
    ],
)
def test_voeten_symbols(unres: str, symbol: str | None) -> None:
    assert voeten_symbol(unres) == symbol


def test_sc_list_symbols() -> None:
    assert sc_symbol("S/RES/1590", "2005") == "S/RES/1590(2005)"
    assert sc_symbol("S/RES/1590 (2005)", None) == "S/RES/1590(2005)"
    assert sc_symbol("S/RES/1590", "NA") == "S/RES/1590"
    assert sc_symbol("A/RES/1/1", "1946") is None


def test_reading_the_excerpts() -> None:
    [roll_call] = read_voeten(VOETEN)
    assert (roll_call.symbol, roll_call.date, roll_call.whole) == (
        "A/RES/61/295",
        "2007-09-13",
        True,
    )
    [description] = read_voeten(DESCRIPTIONS)
    assert description.symbol == "A/RES/61/295"
    sc = read_sc_list(SC_LIST)
    assert len(sc) == 8
    assert {r.symbol for r in sc} >= {"S/RES/1590(2005)", "S/RES/1919(2010)"}
    assert all(r.date is None for r in sc)  # NA in the table


def test_the_golden_facts_agree_with_the_tables() -> None:
    checks = cross_check(facts_items(GOLDEN / "facts"), load_tables(TABLES))
    assert checks, "the dev corpus overlaps the tables"
    assert [c.describe() for c in checks if not c.agrees] == []
    checked = {c.symbol for c in checks}
    assert "A/RES/61/295" in checked and "S/RES/1919(2010)" in checked
    dated = {(c.symbol, c.table) for c in checks if c.field == "adoption_date"}
    assert ("A/RES/61/295", "un_roll_calls.csv") in dated


def test_disagreements_are_reported() -> None:
    tables = load_tables(TABLES)
    items: list[dict[str, str | None]] = [
        {"symbol": "A/RES/61/295", "adoption_date": "2007-09-14"},  # wrong day
        {"symbol": "S/RES/1590(2004)", "adoption_date": "2004-03-24"},  # wrong year
        {"symbol": "A/RES/99/1", "adoption_date": "2044-01-01"},  # not in the tables
    ]
    bad = [(c.symbol, c.field) for c in cross_check(items, tables) if not c.agrees]
    assert ("A/RES/61/295", "adoption_date") in bad
    assert ("S/RES/1590(2004)", "symbol") in bad
    assert ("S/RES/1590(2004)", "adoption_year") in bad
    assert not any(symbol == "A/RES/99/1" for symbol, _ in bad)


def test_lettered_and_unlettered_forms_disagree() -> None:
    tables = GoldTables()
    for letter in "AB":
        tables.add(GoldRecord(f"A/RES/36/120{letter}", "1981-12-10", "t.csv", letter))
    [check] = cross_check([{"symbol": "A/RES/36/120", "adoption_date": None}], tables)
    assert (check.field, check.agrees, check.theirs) == (
        "symbol",
        False,
        "A/RES/36/120A, A/RES/36/120B",
    )


def test_amendment_votes_do_not_decide_the_date() -> None:
    tables = GoldTables()
    tables.add(GoldRecord("A/RES/57/79", "2002-11-07", "t.csv", "1"))
    tables.add(GoldRecord("A/RES/57/79", "2002-11-22", "t.csv", "2", whole=False))
    [_, date] = cross_check([{"symbol": "A/RES/57/79", "adoption_date": "2002-11-22"}], tables)
    assert (date.theirs, date.agrees) == ("2002-11-07", False)


def test_unknown_table_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="neither"):
        load_tables([other])


def test_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(GOLDEN / "facts"), *map(str, TABLES)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("checks agree")
    assert main([]) == 2
