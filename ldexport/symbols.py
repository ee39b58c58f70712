"""UN document symbols: the one canonicaliser, and what a symbol tells about its document.

A citation names only a symbol, so every IRI ldexport mints is built from the canonical
symbol (DESIGN.md, "Identifiers"): spaces removed, letters as printed.

>>> canonical("A/RES/36/120 E")
'A/RES/36/120E'
>>> canonical(" S/RES/1373 (2001)")
'S/RES/1373(2001)'
>>> file_name("S/RES/1373 (2001)")
'S_RES_1373_2001'
>>> describe("A/RES/ES-10/19").session
'ES-10'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every kind of white space a document or a URL may put inside a symbol.
_SPACE = re.compile(r"[\s\u00a0\u2007\u202f]+")

# The form of a canonical symbol: a series ("A", "S", "CEDAW", "NPT"), then "/"-separated
# components of letters, digits, dots and hyphens ("RES", "58", "Add.1", "PV.77", "ES-10",
# "828-S"), each optionally with a bracketed part and a letter after it ("1373(2001)",
# "2200(XXI)A", "24(PartI)").  The same pattern stands in shapes/ldexport.shacl.ttl and in the
# JSON Schema; tests/test_symbols.py checks that the three agree.
SYMBOL_PATTERN = r"^[A-Z][A-Z0-9]*(/[A-Za-z0-9.\-]+(\([A-Za-z0-9.\-]+\)[A-Z]?)?)+$"
SYMBOL_FORM = re.compile(SYMBOL_PATTERN)

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def canonical(symbol: str) -> str:
    """The canonical spelling of a symbol: no spaces, letters as printed."""
    return _SPACE.sub("", symbol).strip()


def is_symbol(text: str) -> bool:
    """Whether `text` has the form of a canonical UN document symbol."""
    return bool(SYMBOL_FORM.match(text))


def file_name(symbol: str) -> str:
    """The name of a symbol's output files: "/" and "(" as "_", ")" dropped."""
    return canonical(symbol).replace("/", "_").replace("(", "_").replace(")", "")


def roman_to_int(numeral: str) -> int:
    """The value of a Roman numeral ("XXVI" -> 26); ValueError if it is not one."""
    total = 0
    values = [_ROMAN[c] for c in numeral.upper()]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


@dataclass(frozen=True)
class SymbolInfo:
    """What the symbol alone says: the organ (AKN4UN actor), session, resolution number."""

    symbol: str
    body: str | None  # "un-ga", "un-sc"
    is_resolution: bool
    session: str | None  # "58", "ES-10", "2" (from "181 (II)"); None for the Security Council
    number: str | None  # "58/136", "36/120 E", "1373", "181 (II)"
    year: str | None  # "2001" for S/RES/1373(2001)
    letter: str | None  # "E" for A/RES/36/120E

    @property
    def parent(self) -> str | None:
        """The symbol of the resolution a lettered one is a member of (36/120 E -> 36/120)."""
        return self.symbol[: -len(self.letter)] if self.letter else None


_GA_RES = re.compile(r"^A/RES/(?P<session>ES-\d+|S-\d+|\d+)/(?P<num>\d+)(?P<letter>[A-Z]?)$")
_GA_OLD_RES = re.compile(r"^A/RES/(?P<num>\d+)\((?P<roman>[IVXLC]+)\)(?P<letter>[A-Z]?)$")
_SC_RES = re.compile(r"^S/RES/(?P<num>\d+)(?:\((?P<year>\d{4})\))?$")
_GA_DOC = re.compile(r"^A/(?:(?P<special>ES-\d+|S-\d+)|(?P<session>\d+))/")


def describe(symbol: str) -> SymbolInfo:
    """Read what a symbol says about its document (it need not be a resolution)."""
    sym = canonical(symbol)
    if m := _GA_RES.match(sym):
        letter = m["letter"] or None
        number = f"{m['session']}/{m['num']}" + (f" {letter}" if letter else "")
        return SymbolInfo(sym, "un-ga", True, m["session"], number, None, letter)
    if m := _GA_OLD_RES.match(sym):
        letter = m["letter"] or None
        number = f"{m['num']} ({m['roman']})" + (f" {letter}" if letter else "")
        session = str(roman_to_int(m["roman"]))
        return SymbolInfo(sym, "un-ga", True, session, number, None, letter)
    if m := _SC_RES.match(sym):
        return SymbolInfo(sym, "un-sc", True, None, m["num"], m["year"], None)
    if m := _GA_DOC.match(sym):
        session = m["special"] or m["session"]
        return SymbolInfo(sym, "un-ga", False, session, None, None, None)
    body = "un-sc" if sym.startswith("S/") else "un-ga" if sym.startswith("A/") else None
    return SymbolInfo(sym, body, False, None, None, None, None)
