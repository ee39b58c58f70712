"""Citations: every resolution and document a paragraph or footnote cites, as canonical symbols.

`find_citations` reads one paragraph or footnote and returns the works it cites, in text order,
each with its canonical symbol (`ldexport.symbols.canonical`), kind, the exact text and span it
was printed at, and the pin ("para. 7", "annex II.A") where one is printed.

The patterns are data: `citation_patterns.yaml`, each regex stored with the examples it must
match (tests/test_citation_patterns.py runs them all).  This module only assembles them:

* "resolution(s)" / "decision(s)" and the list after it ("its resolutions 1547 (2004) of
  11 June 2004, ..., 1585 of 10 March 2005 and 1588 (2005)"), read item by item.  What a bare
  number means depends on the citing organ (`body`) and on the organ named before the keyword:
  "57/173" is a General Assembly resolution, "1373 (2001)" a Security Council one in any text,
  "1585" a Council resolution only in a Council text or after "Security Council".  A Council
  resolution printed without its year takes it from the "of <date>" after it, else from
  `sc_years.json` (the first resolution number of each year).
* document symbols anywhere ("A/58/499", "S/PRST/2006/5"), with their families: in
  "A/57/152 and Corr.1 and Add.1 and Add.1/Corr.1 and 2 and Add.2" an "Add." or "Rev." member
  belongs to the base document, a "Corr." member corrects the document named just before it,
  and a bare number ("and 2") repeats the last member's type under the same parent, so
  "Add.1/Corr.1 and 2" is Add.1/Corr.1 and Add.1/Corr.2 (the UN writes "Corr.1 and 2" for two
  corrigenda of one document).
* Official Records supplements: their bracketed symbols are reports; a General Assembly
  supplement printed without one gets the symbol the UN gives it (A/<session>/<number>).
* "Ibid." repeats the previous citation of the footnote, or `previous` (the last citation of
  the previous footnote), with the pin printed after it or else the previous pin.

Kinds: /RES/, /DEC/, /PRST/, /PV., /L. decide from the symbol; otherwise "draft resolution"
or "report" (or an Official Records supplement) in the words before it, else a document.

Out of scope (not UN document symbols): treaties ("United Nations, Treaty Series, vol. 2187"),
other organisations' resolutions (World Health Assembly 69.2, IAEA GC(69)/RES/7, CBD decisions),
Sales-number publications.  The document's own symbol in a masthead is the caller's business.

Known limits, chosen for precision: a number cited without "resolution" ("paragraphs 15 and 16
of 1970") is not found; a bare Council number after the first of a list counts only with its
"of <date>"; a Council number past the table (`last_known_number`) with no date gets no
citation rather than a guessed year; "its resolution" takes the Human Rights Council or ECOSOC
as its organ only when that organ is named just before it in the same clause.
"""

from __future__ import annotations

import bisect
import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ldexport.model import Citation, CitationKind, Span
from ldexport.symbols import canonical

_HERE = Path(__file__).resolve().parent
PATTERNS_FILE = _HERE / "citation_patterns.yaml"
SC_YEARS_FILE = _HERE / "sc_years.json"

BODIES = ("un-ga", "un-sc")

# The first session numbered in the "58/136" form (1976); older resolutions are "181 (II)".
_FIRST_SLASH_SESSION = 31


# --- the pattern data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One named regex of citation_patterns.yaml, compiled, with its examples."""

    name: str
    regex: re.Pattern[str]
    examples: tuple[dict[str, Any], ...]
    requires: tuple[str, ...] = ()  # one of these is in every match

    def may_match(self, text: str) -> bool:
        """False when `text` holds none of `requires`: then the pattern has no match there."""
        return not self.requires or any(s in text for s in self.requires)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches in `text`; a text holding none of `requires` is not scanned."""
        return self.regex.finditer(text) if self.may_match(text) else iter(())


_FRAGMENT_REF = re.compile(r"<<(\w+)>>")


def _expand(source: str, fragments: dict[str, str], depth: int = 0) -> str:
    if depth > 10:
        raise ValueError(f"citation pattern fragments nest too deep: {source[:60]}")

    def sub(m: re.Match[str]) -> str:
        name = m[1]
        if name not in fragments:
            raise KeyError(f"citation pattern uses unknown fragment <<{name}>>")
        return f"(?:{_expand(fragments[name], fragments, depth + 1)})"

    return _FRAGMENT_REF.sub(sub, source)


#: libyaml's parser with PyYAML's safe constructor, when PyYAML has it: the patterns file
#: read in 5 ms instead of 80, at every start of a worker (the same data: tested)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_patterns(path: Path = PATTERNS_FILE) -> dict[str, Pattern]:
    """The patterns of `path`, fragments expanded and compiled (re.VERBOSE)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader
    fragments = {str(k): str(v) for k, v in data["fragments"].items()}
    fragments["series"] = "|".join(re.escape(s) for s in data["series"])
    out: dict[str, Pattern] = {}
    for entry in data["patterns"]:
        name = entry["name"]
        try:
            regex = re.compile(_expand(entry["regex"], fragments), re.VERBOSE)
        except re.error as exc:
            raise ValueError(f"{path.name}: pattern {name!r} does not compile: {exc}") from exc
        requires = tuple(str(s) for s in entry.get("requires", ()))
        out[name] = Pattern(name, regex, tuple(entry.get("examples", ())), requires)
    return out


PATTERNS = load_patterns()
_REQUIRED = [
    "keyword",
    "item_ga",
    "item_ga_old",
    "letter_sibling",
    "item_sc",
    "item_sc_bare",
    "item_ecosoc",
    "item_ga_symbol_slip",
    "separator",
    "loose_separator",
    "date_tail",
    "topic",
    "pre_pin",
    "post_pin",
    "report_pre_pin",
    "symbol",
    "res_suffix",
    "family_member",
    "official_records",
    "ibid",
    "antecedent",
    "report_context",
    "draft_context",
]
if missing := [n for n in _REQUIRED if n not in PATTERNS]:
    raise ValueError(f"{PATTERNS_FILE.name} lacks the patterns {missing}")


def _rx(name: str) -> re.Pattern[str]:
    return PATTERNS[name].regex


# The four patterns run over whole paragraphs are kept as Patterns: their `finditer` skips a
# paragraph that holds none of the strings the pattern `requires`.
KEYWORD = PATTERNS["keyword"]
ITEM_GA = _rx("item_ga")
ITEM_GA_OLD = _rx("item_ga_old")
ITEM_SC = _rx("item_sc")
ITEM_SC_BARE = _rx("item_sc_bare")
ITEM_ECOSOC = _rx("item_ecosoc")
ITEM_GA_SLIP = _rx("item_ga_symbol_slip")
LETTER_SIBLING = _rx("letter_sibling")
SEPARATOR = _rx("separator")
LOOSE_SEPARATOR = _rx("loose_separator")
DATE_TAIL = _rx("date_tail")
TOPIC = _rx("topic")
PRE_PIN = _rx("pre_pin")
POST_PIN = _rx("post_pin")
REPORT_PRE_PIN = _rx("report_pre_pin")
SYMBOL = PATTERNS["symbol"]
RES_SUFFIX = _rx("res_suffix")
FAMILY_MEMBER = _rx("family_member")
OFFICIAL_RECORDS = PATTERNS["official_records"]
IBID = PATTERNS["ibid"]
ANTECEDENT = _rx("antecedent")
REPORT_CONTEXT = _rx("report_context")
DRAFT_CONTEXT = _rx("draft_context")

# Pins that are not pins of a UN document: "Ibid., vol. 1577, No. 27531" (a treaty).
_TREATY_IBID = re.compile(r"\s*,\s*(?:vols?\.|No\.|pp?\.)")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_WS = re.compile(r"\s+")
_FAMILY_PART = re.compile(r"^(?:Add|Corr|Rev|Amend)\.\d+$")


# --- Security Council years ------------------------------------------------------------------


@dataclass(frozen=True)
class ScYears:
    """Year of a Security Council resolution from its number: the first number of each year."""

    firsts: tuple[int, ...]  # first resolution number of each year, ascending
    years: tuple[int, ...]
    last_known: int  # the highest number whose year the table knows

    def year_of(self, number: int) -> int | None:
        """The year of resolution `number`, None past what the table knows."""
        if number < 1 or number > self.last_known:
            return None
        return self.years[bisect.bisect_right(self.firsts, number) - 1]


def load_sc_years(path: Path = SC_YEARS_FILE) -> ScYears:
    """The table of sc_years.json: the CSV-derived years and the ones beyond the CSV."""
    data = json.loads(path.read_text(encoding="utf-8"))
    table = {int(y): int(n) for y, n in data["first_number_by_year"].items()}
    table.update({int(y): int(n) for y, n in data["beyond_source"]["first_number_by_year"].items()})
    pairs = sorted((n, y) for y, n in table.items())
    if [y for _, y in pairs] != sorted(table):
        raise ValueError(f"{path.name}: first numbers do not rise with the years")
    return ScYears(
        tuple(n for n, _ in pairs), tuple(y for _, y in pairs), int(data["last_known_number"])
    )


def first_numbers_from_csv(csv_path: Path) -> dict[int, int]:
    """{year: first resolution number} from the n-klotz/UNSC-Resolutions list (`;`-separated)."""
    first: dict[int, int] = {}
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            year, number = int(row["Year"]), int(row["Number"])
            first[year] = min(number, first.get(year, number))
    return dict(sorted(first.items()))


SC_YEARS = load_sc_years()


# --- the result of one match, before offsets -------------------------------------------------


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    symbol: str
    kind: CitationKind
    pin: str | None = None


def _clean_pin(pin: str | None) -> str | None:
    if not pin:
        return None
    pin = _WS.sub(" ", pin).strip().rstrip(",")
    return pin[:-1] if pin.endswith(".") and not pin.endswith(("para.", "chap.", "sect.")) else pin


def _post_pin(text: str, pos: int) -> str | None:
    m = POST_PIN.match(text, pos)
    return _clean_pin(m["pin"]) if m else None


# --- resolutions and decisions cited by number -----------------------------------------------

# organ as printed -> "A" (General Assembly), "S" (Security Council), "E" (ECOSOC),
# "HRC" (Human Rights Council), "foreign" (another organisation's organ: not a UN symbol).
_ORGANS = {
    "economic and social council": "E",
    "human rights council": "HRC",
    "peace and security council": "foreign",  # African Union
    "world health assembly": "foreign",
    "general conference": "foreign",  # IAEA, UNESCO
    "security council": "S",
    "council": "S",
    "general assembly": "A",
    "assembly": "A",
}


def _organ(name: str | None) -> str | None:
    return _ORGANS[_WS.sub(" ", name).lower()] if name else None


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    symbol: str | None  # None: a bare Council number still waiting for its year
    number: int = 0
    typed: bool = True
    letter: str = ""  # "E" of 36/120 E: "36/120 A to F", "59/1 A and B" share the number


def _read_item(
    text: str,
    pos: int,
    organ: str | None,
    decision: bool,
    sc_ok: bool,
    *,
    typed_only: bool,
    first: bool = False,
) -> _Item | None:
    """The resolution or decision number at `pos`, if it is one in this context.

    `first`: right after the keyword (only there may "resolution A/76/3" name A/RES/76/3);
    `typed_only`: only numbers that are resolutions by their form ("1612 (2005)", "58/136").
    """
    if decision:
        if not (m := ITEM_GA.match(text, pos)):
            return None
        session, number = m["session"].translate(_HYPHENS), int(m["number"])
        letter = m["letter"] or ""
        if organ == "HRC":
            return _Item(m.start(), m.end(), f"A/HRC/DEC/{session}/{number}")
        if organ in (None, "A") and _ga_session_ok(session) and 300 <= number < 700:
            symbol = f"A/DEC/{session}/{number}{letter}"
            return _Item(m.start(), m.end(), symbol, letter=letter)
        return None
    if organ == "E":
        if m := ITEM_ECOSOC.match(text, pos):
            return _Item(m.start(), m.end(), f"E/RES/{m['session']}/{m['number']}")
        return None
    m = ITEM_GA_SLIP.match(text, pos) if first and organ in (None, "A") else None
    if m and int(m["session"]) >= _FIRST_SLASH_SESSION:
        return _Item(m.start(), m.end(), f"A/RES/{m['session']}/{m['number']}")
    if m := ITEM_GA.match(text, pos):
        session = m["session"].translate(_HYPHENS)
        letter = m["letter"] or ""
        if organ == "HRC":
            return _Item(m.start(), m.end(), f"A/HRC/RES/{session}/{m['number']}{letter}")
        if organ in (None, "A") and _ga_session_ok(session):
            symbol = f"A/RES/{session}/{m['number']}{letter}"
            return _Item(m.start(), m.end(), symbol, letter=letter)
        return None
    if organ == "HRC":
        return None
    if m := ITEM_SC.match(text, pos):
        if organ not in (None, "S"):
            return None
        return _Item(m.start(), m.end(), f"S/RES/{int(m['number'])}({m['year']})")
    if m := ITEM_GA_OLD.match(text, pos):
        if organ not in (None, "A"):
            return None
        roman = m["roman"].translate(_HYPHENS)
        return _Item(m.start(), m.end(), f"A/RES/{int(m['number'])}({roman}){m['letter'] or ''}")
    if not typed_only and sc_ok and (m := ITEM_SC_BARE.match(text, pos)):
        number = int(m["number"])
        if number >= 1:
            return _Item(m.start(), m.end(), None, number, typed=False)
    return None


def _ga_session_ok(session: str) -> bool:
    return not session.isdigit() or int(session) >= _FIRST_SLASH_SESSION


def _context_organ(text: str, m: re.Match[str]) -> str | None:
    """The organ of a keyword: printed before it, or the antecedent of "its"."""
    if m["organ"]:
        return _organ(m["organ"])
    if m["pronoun"]:
        window = text[max(0, m.start() - 100) : m.start()]
        if a := ANTECEDENT.search(window):
            return _organ(a["organ"])
    return None


def _keyword_citations(text: str, body: str) -> list[_Found]:
    out: list[_Found] = []
    for m in KEYWORD.finditer(text):
        organ = _context_organ(text, m)
        if organ == "foreign":
            continue
        decision = m["keyword"].lower().startswith("decision")
        sc_ok = organ == "S" or (organ is None and body == "un-sc")
        items: list[tuple[_Item, int | None]] = []  # item, year of its "of <date>"
        pos = m.end()
        item = _read_item(text, pos, organ, decision, sc_ok, typed_only=False, first=True)
        while item is not None:
            group = [item, *_letter_siblings(text, item)]
            pos = group[-1].end
            year = None
            if d := DATE_TAIL.match(text, pos):
                year, pos = int(d["date"][-4:]), d.end()
            if not item.typed and items and year is None:
                break  # "..., 11 of resolution 2362", "2000,\n1. Calls": a bare number later
                # in a list counts only with its date ("1585 of 10 March 2005")
            nxt, nxt_pos = _next_item(text, pos, organ, decision, sc_ok)
            items.extend((g, year) for g in group)
            item = nxt
            if nxt is not None:
                pos = nxt_pos
        if not items:
            continue
        pre = PRE_PIN.search(text[max(0, m.start() - 250) : m.start()])
        pre_pin = _clean_pin(pre["pin"]) if pre else None
        last_end = items[-1][0].end
        post_pin = _post_pin(text, _after_date(text, last_end))
        kind = CitationKind.DECISION if decision else CitationKind.RESOLUTION
        first_start = m.start("organ") if m["organ"] else m.start("keyword")
        for i, (it, year) in enumerate(items):
            symbol = it.symbol or _sc_symbol(it.number, year)
            if symbol is None:
                continue
            pin = pre_pin or (post_pin if i == len(items) - 1 else None)
            out.append(_Found(first_start if i == 0 else it.start, it.end, symbol, kind, pin))
    return out


def _letter_siblings(text: str, item: _Item) -> list[_Item]:
    """The other lettered parts printed after one: "59/1 A and B", "36/120 A to F"."""
    if not item.letter or item.symbol is None:
        return []
    base = item.symbol[: -len(item.letter)]
    out: list[_Item] = []
    last, pos = item.letter, item.end
    while m := LETTER_SIBLING.match(text, pos):
        letter = m["letter"]
        letters = [letter]
        if m["range"] and len(last) == len(letter) == 1 and last < letter:
            letters = [chr(c) for c in range(ord(last) + 1, ord(letter) + 1)]
        out.extend(_Item(m.start("letter"), m.end("letter"), base + x, letter=x) for x in letters)
        last, pos = letter, m.end()
    return out


def _after_date(text: str, pos: int) -> int:
    d = DATE_TAIL.match(text, pos)
    return d.end() if d else pos


def _next_item(
    text: str, pos: int, organ: str | None, decision: bool, sc_ok: bool
) -> tuple[_Item | None, int]:
    """The next item of a list after `pos`: after a separator, a missing comma or a topic."""
    candidates: list[tuple[int, bool]] = []  # where the item would start, typed items only
    if s := SEPARATOR.match(text, pos):
        candidates.append((s.end(), False))
    if s := LOOSE_SEPARATOR.match(text, pos):
        candidates.append((s.end(), True))
    if (t := TOPIC.match(text, pos)) and (s := SEPARATOR.match(text, t.end())):
        candidates.append((s.end(), True))
    for at, typed_only in candidates:
        if nxt := _read_item(text, at, organ, decision, sc_ok, typed_only=typed_only):
            return nxt, at
    return None, pos


def _sc_symbol(number: int, year: int | None) -> str | None:
    """A Council resolution's symbol; its year from "of <date>", else from the table."""
    year = year or SC_YEARS.year_of(number)
    return f"S/RES/{number}({year})" if year else None


# --- document symbols ------------------------------------------------------------------------


def _root(symbol: str) -> str:
    """The document an addendum or corrigendum belongs to: A/57/152/Add.1/Corr.1 -> A/57/152."""
    parts = symbol.split("/")
    while len(parts) > 2 and _FAMILY_PART.match(parts[-1]):
        parts.pop()
    return "/".join(parts)


def _family(text: str, base: str, pos: int) -> tuple[list[tuple[str, int, int]], int]:
    """The members after a symbol: "and Corr.1 and Add.1 and Add.1/Corr.1 and 2" (see above)."""
    members: list[tuple[str, int, int]] = []
    last_doc = base
    last_parent: str | None = None
    last_type: str | None = None
    while m := FAMILY_MEMBER.match(text, pos):
        member = m["member"]
        if member.isdigit():
            if last_parent is None or last_type is None:
                break
            symbol = f"{last_parent}/{last_type}.{member}"
        else:
            kind = member.split(".", 1)[0]
            if kind == "Corr":
                parent = last_doc
                if parent.rsplit("/", 1)[-1].startswith("Corr."):
                    parent = parent.rsplit("/", 1)[0]
            else:
                parent = _root(base)
            symbol = f"{parent}/{member}"
        last_parent, last_tail = symbol.rsplit("/", 1)
        last_type = last_tail.split(".", 1)[0]
        last_doc = symbol
        members.append((symbol, m.start("member"), m.end("member")))
        pos = m.end()
    return members, pos


def _symbol_kind(symbol: str) -> CitationKind | None:
    if "/RES/" in symbol:
        return CitationKind.RESOLUTION
    if "/DEC/" in symbol:
        return CitationKind.DECISION
    if "/PRST/" in symbol:
        return CitationKind.PRESIDENTIAL_STATEMENT
    if re.search(r"/PV\.\d", symbol):
        return CitationKind.MEETING_RECORD
    if re.search(r"/L\.\d", symbol):
        return CitationKind.DRAFT
    return None


def _context_kind(text: str, start: int) -> CitationKind:
    window = text[max(0, start - 300) : start]
    if DRAFT_CONTEXT.search(window):
        return CitationKind.DRAFT
    if REPORT_CONTEXT.search(window):
        return CitationKind.REPORT
    return CitationKind.DOCUMENT


_JOIN = re.compile(r"\s*(?:[-–]|,\s*and|,|and)?\s*")


def _symbol_citations(text: str) -> list[_Found]:
    # groups of symbols that share a pin: "A/67/828-S/2013/210, annex", "X and X/Corr.1), chap. II"
    groups: list[list[tuple[str, int, int]]] = []
    group_end = -1
    for m in SYMBOL.finditer(text):
        raw = m["symbol"]
        if not any(c.isdigit() for c in raw):
            continue
        end = m.end()
        if "RES/" in raw and (r := RES_SUFFIX.match(text, end)):
            raw, end = raw + r.group(), r.end()
        symbol = canonical(raw.translate(_HYPHENS))
        members, after = _family(text, symbol, end)
        entries = [(symbol, m.start(), end), *members]
        if groups and _JOIN.fullmatch(text, group_end, m.start()):
            groups[-1].extend(entries)
        else:
            groups.append(entries)
        group_end = after
    out: list[_Found] = []
    for group in groups:
        start, end = group[0][1], group[-1][2]
        pin = _post_pin(text, end)
        if pin is None and (pre := REPORT_PRE_PIN.search(text[max(0, start - 300) : start])):
            pin = _clean_pin(pre["pin"])
        context = _context_kind(text, start)
        for symbol, s, e in group:
            out.append(_Found(s, e, symbol, _symbol_kind(symbol) or context, pin))
    return out


# --- Official Records ------------------------------------------------------------------------

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TENTHS = [
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
]


def ordinal(word: str) -> int | None:
    """The number an English ordinal names: "Fifty-eighth" -> 58, "Eightieth" -> 80."""
    w = word.lower().translate(_HYPHENS)
    if w in _UNITS:
        return _UNITS.index(w) + 1
    if w in _TEENS:
        return _TEENS.index(w) + 10
    if w in _TENTHS:
        return _TENTHS.index(w) * 10 + 20
    tens, _, unit = w.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS.index(tens) * 10 + 20 + _UNITS.index(unit) + 1
    return None


_BRACKET = re.compile(r"\s*\(")


def _official_records(text: str, symbol_starts: set[int]) -> list[_Found]:
    """A General Assembly supplement printed without its symbol gets A/<session>/<number>."""
    out: list[_Found] = []
    for m in OFFICIAL_RECORDS.finditer(text):
        b = _BRACKET.match(text, m.end())
        if b and any(b.end() <= s <= b.end() + 2 for s in symbol_starts):
            continue  # its symbols are printed: the symbol scan has them
        session = ordinal(m["session"])
        organ = _WS.sub(" ", m["organ"])
        if organ != "General Assembly" or session is None or not m["supplement"].isdigit():
            continue
        if session < _FIRST_SLASH_SESSION:
            continue
        symbol = f"A/{session}/{int(m['supplement'])}"
        out.append(
            _Found(m.start(), m.end(), symbol, CitationKind.REPORT, _post_pin(text, m.end()))
        )
    return out


# --- the entry point -------------------------------------------------------------------------


def find_citations(
    text: str, *, body: str, offset: int = 0, previous: Citation | None = None
) -> list[Citation]:
    """The citations in one paragraph or footnote, in text order.

    `body` is the citing organ ("un-ga" or "un-sc"): it decides what a bare "its resolution
    1585" means.  `offset` is added to every span so that spans point into the source text.
    `previous` is the last citation of the previous footnote: "Ibid." repeats it (the caller
    passes None when the previous footnote cited nothing, e.g. a treaty).
    """
    if body not in BODIES:
        raise ValueError(f"body must be one of {BODIES}, not {body!r}")
    if not any(p.may_match(text) for p in (KEYWORD, SYMBOL, OFFICIAL_RECORDS, IBID)):
        return []  # what most paragraphs hold: none of the patterns can match
    found = _keyword_citations(text, body)
    taken = [(f.start, f.end) for f in found]
    for f in _symbol_citations(text):
        if not any(f.start < e and s < f.end for s, e in taken):
            found.append(f)
    found.extend(_official_records(text, {f.start for f in found}))
    found.sort(key=lambda f: (f.start, f.end))
    found = _resolve_ibid(text, found, previous)
    return [
        Citation(
            symbol=f.symbol,
            kind=f.kind,
            text=text[f.start : f.end],
            span=Span(f.start + offset, f.end + offset),
            pin=f.pin,
        )
        for f in found
    ]


def _resolve_ibid(text: str, found: list[_Found], previous: Citation | None) -> list[_Found]:
    """Put "Ibid." in its place: the citation before it in this text, else `previous`."""
    ibids = [m for m in IBID.finditer(text) if not _TREATY_IBID.match(text, m.end())]
    if not ibids:
        return found
    prev: _Found | None = None
    if previous is not None:
        prev = _Found(-1, -1, previous.symbol, previous.kind, previous.pin)
    out: list[_Found] = []
    queue = sorted(
        found + [_Found(m.start(), m.end(), "", CitationKind.DOCUMENT) for m in ibids],
        key=lambda f: (f.start, f.end),
    )
    for f in queue:
        if f.symbol:
            out.append(f)
            prev = f
        elif prev is not None:
            ibid = replace(prev, start=f.start, end=f.end, pin=_post_pin(text, f.end) or prev.pin)
            out.append(ibid)
            prev = ibid
    return out


def _rebuild_sc_years(csv_path: Path) -> None:  # pragma: no cover - maintenance command
    """Rewrite the CSV part of sc_years.json (python -m ldexport.parse.citations CSV)."""
    data = json.loads(SC_YEARS_FILE.read_text(encoding="utf-8"))
    data["first_number_by_year"] = {str(y): n for y, n in first_numbers_from_csv(csv_path).items()}
    SC_YEARS_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":  # pragma: no cover
    _rebuild_sc_years(Path(sys.argv[1]))
