"""Third-party tables as a cross-check of symbols and adoption dates.

Two tables are read:

* the Voeten / unvotes General Assembly roll calls (`un_roll_calls.csv`, or the
  `descriptions*.csv` export): one row per recorded vote, `unres` like "R/61/295" or
  "R/36/120E", `date` ISO, `amend` / `para` set when the vote was on an amendment or a
  paragraph rather than on the resolution;
* the Security Council resolutions list (`UNSC_Resolutions.csv`, ";"-separated):
  "S/RES/1590", number, year, date ("27 January 2014" or NA).

Their symbols are mapped to the canonical form and compared with ours where both name the same
resolution.  Only recorded votes are in the Voeten tables, so most resolutions adopted without
a vote have nothing to compare with.  Caveat: before session 31 Voeten's `unres` numbers and
dates do not always match the official resolution numbering, so old records are indicative.

    python -m ldexport.gold FACTS_DIR TABLE.csv...   # disagreements between facts and tables
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from ldexport.symbols import canonical

_VOETEN = re.compile(r"^(?P<kind>R|SS|ESS)/(?P<session>\d+)/(?P<num>\d+)(?P<letter>[A-Z]{0,2})$")
_SC = re.compile(r"^S/RES/(?P<num>\d+)(?:\((?P<year>\d{4})\))?$")
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """The Roman numeral of a positive integer (26 -> "XXVI")."""
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def voeten_symbol(unres: str) -> str | None:
    """The canonical symbol of a Voeten `unres`; None if it is not a resolution reference.

    "R/61/295" -> "A/RES/61/295"; "R/36/120E" -> "A/RES/36/120E"; before session 31,
    "R/15/1273D" -> "A/RES/1273(XV)D"; "SS/4/23" -> "A/RES/S-4/23"; "ESS/5/100" ->
    "A/RES/ES-5/100".
    """
    m = _VOETEN.match(unres.strip())
    if not m:
        return None
    session, num, letter = int(m["session"]), m["num"], m["letter"]
    if m["kind"] == "SS":
        return f"A/RES/S-{session}/{num}{letter}"
    if m["kind"] == "ESS":
        return f"A/RES/ES-{session}/{num}{letter}"
    if session < 31:
        return f"A/RES/{num}({roman(session)}){letter}"
    return f"A/RES/{session}/{num}{letter}"


def sc_symbol(resolution: str, year: str | None) -> str | None:
    """ "S/RES/1590" of 2005 -> "S/RES/1590(2005)"; None if it is not an SC resolution."""
    m = _SC.match(canonical(resolution))
    if not m:
        return None
    year = m["year"] or (year.strip() if year and year.strip().isdigit() else None)
    return f"S/RES/{m['num']}({year})" if year else f"S/RES/{m['num']}"


def _year(symbol: str) -> str | None:
    m = _SC.match(symbol)
    return m["year"] if m else None


def _iso(text: str | None) -> str | None:
    if not text or text.strip().upper() in ("NA", ""):
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class GoldRecord:
    """One row of a third-party table, as a canonical symbol and an adoption date."""

    symbol: str
    date: str | None
    table: str
    key: str  # the row's own identifier: Voeten rcid, list row number
    whole: bool = True  # False: a vote on an amendment or a paragraph only


@dataclass
class GoldTables:
    """Records by canonical symbol, and by base symbol (without a resolution letter)."""

    records: dict[str, list[GoldRecord]] = field(default_factory=dict)

    def add(self, record: GoldRecord) -> None:
        self.records.setdefault(record.symbol, []).append(record)

    def lookup(self, symbol: str) -> list[GoldRecord]:
        return self.records.get(canonical(symbol), [])

    def sc_number(self, number: str) -> list[GoldRecord]:
        """Security Council records of resolution `number`, whatever their year."""
        return [
            r
            for sym, recs in self.records.items()
            if (m := _SC.match(sym)) and m["num"] == number
            for r in recs
        ]

    def ga_base(self, base: str) -> list[GoldRecord]:
        """General Assembly records of "A/RES/36/120" and its lettered parts A/RES/36/120A..."""
        pattern = re.compile(re.escape(base) + r"[A-Z]{0,2}$")
        return [r for sym, recs in self.records.items() if pattern.match(sym) for r in recs]


def _flag(value: str | None) -> bool:
    return (value or "").strip() in ("1", "1.0", "TRUE", "True")


def read_voeten(path: str | Path) -> list[GoldRecord]:
    """Records of a Voeten roll-call CSV (un_roll_calls.csv or descriptions*.csv)."""
    path = Path(path)
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            symbol = voeten_symbol(row.get("unres") or "")
            if symbol is None:
                continue
            whole = not (_flag(row.get("amend")) or _flag(row.get("para")))
            out.append(GoldRecord(symbol, _iso(row.get("date")), path.name, row["rcid"], whole))
    return out


def read_sc_list(path: str | Path) -> list[GoldRecord]:
    """Records of the Security Council resolutions list (";"-separated)."""
    path = Path(path)
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            symbol = sc_symbol(row.get("Resolution") or "", row.get("Year"))
            if symbol is None:
                continue
            out.append(GoldRecord(symbol, _iso(row.get("Date")), path.name, row.get("", "")))
    return out


def read_table(path: str | Path) -> list[GoldRecord]:
    """Records of either kind of table, told apart by their header line."""
    with Path(path).open(encoding="utf-8") as fh:
        header = fh.readline()
    if '"Resolution"' in header and ";" in header:
        return read_sc_list(path)
    if "unres" in header:
        return read_voeten(path)
    raise ValueError(f"{path}: neither a Voeten roll-call table nor the SC resolutions list")


def load_tables(paths: Iterable[str | Path]) -> GoldTables:
    """All records of the given tables."""
    tables = GoldTables()
    for path in paths:
        for record in read_table(path):
            tables.add(record)
    return tables


@dataclass(frozen=True)
class GoldCheck:
    """One comparison of our value with a table's: field is "symbol" or "adoption_date"."""

    symbol: str
    table: str
    field: str
    ours: str | None
    theirs: str | None
    agrees: bool

    def describe(self) -> str:
        verdict = "agrees" if self.agrees else "DISAGREES"
        return (
            f"{self.symbol} {self.field}: ours {self.ours!r}, {self.table} {self.theirs!r} "
            f"-> {verdict}"
        )


def _check_dates(symbol: str, ours: str | None, records: Sequence[GoldRecord]) -> list[GoldCheck]:
    whole = [r for r in records if r.whole] or list(records)
    out = []
    for table in sorted({r.table for r in whole}):
        dates = sorted({r.date for r in whole if r.table == table and r.date})
        if ours is None or not dates:
            continue
        out.append(GoldCheck(symbol, table, "adoption_date", ours, ", ".join(dates), ours in dates))
    return out


def cross_check(items: Iterable[Mapping[str, str | None]], tables: GoldTables) -> list[GoldCheck]:
    """Compare symbol and adoption date of each item ({symbol, adoption_date}) with the tables.

    A Security Council resolution is found by its number: the symbol check is then whether
    the years agree (and, when our adoption date is known, whether its year is the table's).
    A General Assembly resolution is found by its symbol; if only the unlettered or lettered
    form is in the table, the symbol check fails.  Items the tables do not know give nothing.
    """
    checks: list[GoldCheck] = []
    for item in items:
        symbol = canonical(item.get("symbol") or "")
        ours_date = item.get("adoption_date")
        if m := _SC.match(symbol):
            records = tables.sc_number(m["num"])
            for table in sorted({r.table for r in records}):
                theirs = sorted({r.symbol for r in records if r.table == table})
                checks.append(
                    GoldCheck(symbol, table, "symbol", symbol, ", ".join(theirs), symbol in theirs)
                )
                if ours_date:
                    years = sorted(
                        {y for r in records if r.table == table if (y := _year(r.symbol))}
                    )
                    checks.append(
                        GoldCheck(
                            symbol,
                            table,
                            "adoption_year",
                            ours_date[:4],
                            ", ".join(years),
                            ours_date[:4] in years,
                        )
                    )
            checks.extend(_check_dates(symbol, ours_date, records))
            continue
        records = tables.lookup(symbol)
        if records:
            for table in sorted({r.table for r in records}):
                checks.append(GoldCheck(symbol, table, "symbol", symbol, symbol, True))
            checks.extend(_check_dates(symbol, ours_date, records))
            continue
        base = re.sub(r"(?<=\d)[A-Z]{1,2}$", "", symbol)
        related = tables.ga_base(base) if symbol.startswith("A/RES/") else []
        for table in sorted({r.table for r in related}):
            theirs = sorted({r.symbol for r in related if r.table == table})
            checks.append(GoldCheck(symbol, table, "symbol", symbol, ", ".join(theirs), False))
    return checks


def facts_items(facts_dir: str | Path) -> list[dict[str, str | None]]:
    """{symbol, adoption_date} of every resolution in the golden files under `facts_dir`."""
    items: list[dict[str, str | None]] = []
    for path in sorted(Path(facts_dir).rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for res in data.get("resolutions", ()):
            items.append({"symbol": res["symbol"], "adoption_date": res.get("adoption_date")})
    return items


def main(argv: Sequence[str] | None = None) -> int:
    """Print every check of the facts against the tables; exit 1 if one disagrees."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: python -m ldexport.gold FACTS_DIR TABLE.csv...", file=sys.stderr)
        return 2
    seen: set[tuple[str, str | None]] = set()
    items = []
    for item in facts_items(args[0]):
        key = (str(item["symbol"]), item["adoption_date"])
        if key not in seen:
            seen.add(key)
            items.append(item)
    checks = cross_check(items, load_tables(args[1:]))
    for check in checks:
        print(check.describe())
    bad = [c for c in checks if not c.agrees]
    print(f"{len(checks) - len(bad)} of {len(checks)} checks agree")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
