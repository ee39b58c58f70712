"""Recorded votes: read the UN's voting records, link them to resolutions, write votes graphs.

Three sources are read (docs/votes.md says what each holds and how it is mapped):

- UN Digital Library voting records, MARCXML (`read_undl`): 791 $a the resolution's symbol,
  952 $a the meeting record, 269 the date, 993 the draft, 967 one field per Member State
  ($c ISO 3166 alpha-3, $e the name as the Library writes it, $d the vote Y / N / A, no $d
  when the State did not vote), 996 the totals ($b yes, $c no, $d abstentions, $e non-voting,
  $f total voting membership);
- the Voeten / unvotes tables, CSV (`read_voeten`): roll-call descriptions with counts
  (`descriptions1-70latestversion.csv`), roll calls without counts (`un_roll_calls.csv`), and
  per-country votes (`un_votes.csv`: rcid, country, country_code ISO alpha-2, vote; or
  Voeten's own rcid, ccode COW, vote 1-3) where they are given;
- UniteIdeas Security Council member votes, XML (`read_uniteideas`): `<image name="GRBR"
  vote="y"/>` per Council member, with the project's own country codes.

Each record becomes, in the resolution's votes graph `B graph/<name>/votes`:

    <W#adoption> eli-dl:consists_of <W#vote> ; eli-dl:created_a_realization_of <W> .
    <W#vote> a eli-dl:Vote ; eli-dl:had_activity_type ldx:Voting ;
        eli-dl:decision_outcome ldx:Adopted ; eli-dl:decision_method ldx:RecordedVote ;
        eli-dl:number_of_votes_favor 115 ; ... ; eli-dl:had_voter_favor <B org/state/ALB> ... .
    <B org/state/ALB> a eli:Organization, org:Organization ;
        skos:prefLabel "Albania"@en ; skos:notation "ALB" .

Member States come from `ldexport/data/states.csv` (ldexport/data/states.md: sources, former
States, codes that cannot be mapped).
"""

from __future__ import annotations

import csv
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal as Kind

from rdflib import Graph, Literal, URIRef

from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.namespaces import DCTERMS, ELI, ELI_DL, LDX, ORG, PREFIXES, RDF, SKOS, XSD
from ldexport.problems import Problem, ValidationReport
from ldexport.symbols import canonical, describe, file_name, is_symbol
from ldexport.validate import _path_text

VoteKind = Kind["favor", "against", "abstention", "non-voting"]
KINDS: tuple[VoteKind, ...] = ("favor", "against", "abstention", "non-voting")

#: The property that lists the voters of each kind, and the one that counts them.
VOTER_PROPERTY: Mapping[VoteKind, URIRef] = {
    "favor": ELI_DL.had_voter_favor,
    "against": ELI_DL.had_voter_against,
    "abstention": ELI_DL.had_voter_abstention,
    "non-voting": LDX.hadVoterNonVoting,
}
COUNT_PROPERTY: Mapping[VoteKind, URIRef] = {
    "favor": ELI_DL.number_of_votes_favor,
    "against": ELI_DL.number_of_votes_against,
    "abstention": ELI_DL.number_of_votes_abstention,
    "non-voting": LDX.numberOfVotesNonVoting,
}
METHODS = {"recorded-vote": LDX.RecordedVote, "without-vote": LDX.WithoutVote}

STATES_CSV = Path(__file__).resolve().parent / "data" / "states.csv"
VOTES_SHAPES = "votes.shacl.ttl"
UNDL_RECORD = "https://digitallibrary.un.org/record/"


class VotesError(LdexportError):
    """A voting record that cannot be read or mapped; the message names the file."""


# --- Member States ------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """One row of states.csv: a Member State (or a former one) and its codes."""

    iso3: str
    iso2: str
    cow: str
    un_name: str
    undl_name: str
    admitted: str
    valid_from: str  # when this entry began to name the seat (YYYY-MM-DD), "" = always
    valid_to: str  # when it stopped, "" = still
    note: str

    def covers(self, date: str | None) -> bool:
        """Whether this entry names its seat on `date` (any date when None)."""
        if date is None:
            return True
        return (not self.valid_from or self.valid_from <= date) and (
            not self.valid_to or date < self.valid_to
        )


#: Codes that name a seat only for part of its history (states.md, "Codes by period"):
#: (code system, code) -> (ISO alpha-3, valid from, valid to).
COW_ALIASES: Mapping[str, tuple[str, str, str]] = {
    "713": ("CHN", "", "1971-10-25"),  # Republic of China, in the seat of China until 1971
    "260": ("DEU", "", "1990-10-03"),  # German Federal Republic until unification
    "678": ("YEM", "", "1990-05-22"),  # Yemen Arab Republic until the union with YMD
}

#: UniteIdeas' own codes for Security Council members (votes_NNNN.xml), as ISO alpha-3.
#: Read from the eight files of gold/uniteideas_unsc_unmis and the Council's membership in
#: those years (2005-2010); "COD" there is the Republic of the Congo, a member in 2006-2007
#: (the Democratic Republic of the Congo was not), and "AUST" is Austria (2009-2010).
UNITEIDEAS: Mapping[str, str] = {
    "USA": "USA", "GRBR": "GBR", "RUS": "RUS", "FRAN": "FRA", "CHIN": "CHN",
    "ALGR": "DZA", "ARG": "ARG", "BENN": "BEN", "BRZL": "BRA", "DEN": "DNK", "GRC": "GRC",
    "JPN": "JPN", "PHIL": "PHL", "ROM": "ROU", "TAZN": "TZA", "COD": "COG", "GHAN": "GHA",
    "PERU": "PER", "QTAR": "QAT", "SVK": "SVK", "BELG": "BEL", "IDSA": "IDN", "ITLY": "ITA",
    "PAN": "PAN", "SAFR": "ZAF", "BURK": "BFA", "CSTR": "CRI", "HRV": "HRV", "LBYA": "LBY",
    "VTNM": "VNM", "AUST": "AUT", "BIH": "BIH", "GABN": "GAB", "LEBN": "LBN", "MEX": "MEX",
    "NRA": "NGA", "TRKY": "TUR", "UGAN": "UGA",
}  # fmt: skip


class StateTable:
    """The Member States of states.csv, looked up by ISO alpha-3 or alpha-2, COW code or
    name; where a code named different States over time, the date decides."""

    def __init__(self, states: Iterable[State]) -> None:
        self.states = tuple(states)
        self.by_iso3 = {s.iso3: s for s in self.states}

    @classmethod
    def read(cls, path: Path = STATES_CSV) -> StateTable:
        with path.open(encoding="utf-8", newline="") as f:
            return cls(State(**row) for row in csv.DictReader(f))

    def _pick(self, candidates: Iterable[State], date: str | None, what: str) -> State:
        found = [s for s in candidates if s.covers(date)]
        if not found:
            raise KeyError(what)
        # the most specific entry: the one that began to name the seat last (ZAR over COD)
        return max(found, key=lambda s: s.valid_from)

    def iso3(self, code: str, date: str | None = None) -> State:
        """A State by ISO alpha-3; a current code on a date its former entry covers gives the
        former State (COD in 1980 is Zaire, ZAR)."""
        state = self.by_iso3.get(code.strip().upper())
        if state is None:
            raise KeyError(f"ISO alpha-3 {code!r}")
        if date is None or not state.cow:
            return state
        seat = [s for s in self.states if s.cow == state.cow and s.covers(date)]
        return max(seat, key=lambda s: s.valid_from) if seat else state

    def iso2(self, code: str, date: str | None = None) -> State:
        code = code.strip().upper()
        return self._pick((s for s in self.states if s.iso2 == code), date, f"ISO alpha-2 {code!r}")

    def cow(self, code: str, date: str | None = None) -> State:
        """A State by Correlates of War code (Voeten's ccode)."""
        code = str(int(float(code))) if re.match(r"^\d+(\.0)?$", code.strip()) else code.strip()
        if code in COW_ALIASES:
            iso3, start, end = COW_ALIASES[code]
            if date is None or ((not start or start <= date) and (not end or date < end)):
                return self.by_iso3[iso3]
            raise KeyError(f"COW {code} after {end}")
        return self._pick((s for s in self.states if s.cow == code), date, f"COW {code!r}")

    def name(self, name: str, date: str | None = None) -> State:
        """A State by the name the UN or the Digital Library writes (case and accents aside)."""
        key = _name_key(name)
        return self._pick(
            (s for s in self.states if key in (_name_key(s.un_name), _name_key(s.undl_name))),
            date,
            f"name {name!r}",
        )


def _name_key(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]+", " ", text).strip()


@cache
def states() -> StateTable:
    """The table shipped in the package, read once."""
    return StateTable.read()


# --- the records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """The counts a voting record states (None where it states none)."""

    favor: int | None = None
    against: int | None = None
    abstention: int | None = None
    non_voting: int | None = None
    membership: int | None = None

    def of(self, kind: VoteKind) -> int | None:
        return {
            "favor": self.favor,
            "against": self.against,
            "abstention": self.abstention,
            "non-voting": self.non_voting,
        }[kind]


@dataclass(frozen=True)
class VoteRecord:
    """One vote on one resolution as a source records it.

    `symbol` is canonical; a Security Council number without its year (UniteIdeas) is
    `S/RES/1663` with `sc_number` set, resolved against the output by `link`.  `voters` are
    (ISO alpha-3, kind) pairs, sorted; `source` names the file and the record in it."""

    symbol: str
    source: str
    method: str = "recorded-vote"  # or "without-vote"
    date: str | None = None
    meeting_record: str | None = None
    drafts: tuple[str, ...] = ()
    totals: Totals = field(default_factory=Totals)
    voters: tuple[tuple[str, VoteKind], ...] = ()
    title: str | None = None
    record_url: str | None = None
    sc_number: str | None = None
    source_sha256: str = ""
    priority: int = 0  # which record wins when several sources vote on one resolution
    warnings: tuple[str, ...] = ()

    def count(self, kind: VoteKind) -> int:
        return sum(1 for _, k in self.voters if k == kind)

    def total(self, kind: VoteKind) -> int | None:
        """The count of a kind: as stated, else from the roll call when there is one."""
        stated = self.totals.of(kind)
        if stated is not None:
            return stated
        return self.count(kind) if self.voters and kind != "non-voting" else None


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_votes(paths: Sequence[Path]) -> tuple[list[VoteRecord], list[str]]:
    """Every record in the import files, and a warning line for each row or field that could
    not be used.  XML files are told apart by their root element, CSV files by their header;
    the Voeten tables are read together (per-country votes need the roll calls' symbols)."""
    records: list[VoteRecord] = []
    warnings: list[str] = []
    tables: list[Path] = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            tables.append(path)
        elif suffix == ".xml":
            root = _xml_root(path)
            if _local(root.tag) in ("collection", "record"):
                records.extend(read_undl(path, root))
            elif _local(root.tag) == "images":
                records.append(read_uniteideas(path, root))
            else:
                raise VotesError(f"{path}: not a voting record ldexport reads (<{root.tag}>)")
        else:
            raise VotesError(f"{path}: not a voting record ldexport reads (.xml or .csv)")
    if tables:
        found, skipped = read_voeten(tables)
        records.extend(found)
        warnings.extend(skipped)
    for record in records:
        warnings.extend(record.warnings)
    return records, warnings


def _xml_root(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise VotesError(f"{path}: not well-formed XML: {exc}") from exc
    except OSError as exc:
        raise VotesError(f"{path}: cannot read: {exc.strerror}") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# --- UN Digital Library MARCXML ------------------------------------------------------------------

_UNDL_VOTE: Mapping[str, VoteKind] = {"Y": "favor", "N": "against", "A": "abstention"}


def read_undl(path: Path, root: ET.Element | None = None) -> list[VoteRecord]:
    """The voting records of a Digital Library MARCXML file (a collection or one record)."""
    root = _xml_root(path) if root is None else root
    records = [root] if _local(root.tag) == "record" else _children(root, "record")
    digest = sha256_of(path)
    return [_undl_record(path, record, digest) for record in records]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _fields(record: ET.Element, tag: str) -> list[dict[str, str]]:
    out = []
    for datafield in _children(record, "datafield"):
        if datafield.get("tag") == tag:
            subfields: dict[str, str] = {}
            for sub in _children(datafield, "subfield"):
                code = sub.get("code") or ""
                if code not in subfields and sub.text and sub.text.strip():
                    subfields[code] = sub.text.strip()
            out.append(subfields)
    return out


def _first(record: ET.Element, tag: str, code: str) -> str | None:
    return next((f[code] for f in _fields(record, tag) if code in f), None)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    digits = re.sub(r"\D", "", value)
    return int(digits) if digits else None


def _undl_record(path: Path, record: ET.Element, digest: str) -> VoteRecord:
    control = {c.get("tag"): (c.text or "").strip() for c in _children(record, "controlfield")}
    record_id = control.get("001")
    symbol = _first(record, "791", "a")
    where = f"{path}" + (f" (record {record_id})" if record_id else "")
    if not symbol:
        raise VotesError(f"{where}: no 791 $a (the resolution's symbol)")
    symbol = canonical(symbol)
    date = _first(record, "269", "a") or _first(record, "992", "a")
    if date and not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        date = None
    note = " ".join(f.get("a", "") for f in _fields(record, "591")).upper()
    method = "without-vote" if "WITHOUT VOTE" in note else "recorded-vote"
    warnings: list[str] = []
    voters: list[tuple[str, VoteKind]] = []
    table = states()
    for member in _fields(record, "967"):
        code, name, letter = member.get("c"), member.get("e"), member.get("d")
        try:
            state = table.iso3(code, date) if code else table.name(name or "", date)
        except KeyError:
            warnings.append(f"{where}: 967 {code or ''} {name or ''}: not a Member State in "
                            "ldexport/data/states.csv; left out")  # fmt: skip
            continue
        if letter is not None and letter.upper() not in _UNDL_VOTE:
            warnings.append(f"{where}: 967 {code}: vote {letter!r} is not Y, N or A; left out")
            continue
        voters.append((state.iso3, _UNDL_VOTE[letter.upper()] if letter else "non-voting"))
    totals = Totals()
    for t in _fields(record, "996"):
        totals = Totals(
            favor=_int(t.get("b")),
            against=_int(t.get("c")),
            abstention=_int(t.get("d")),
            non_voting=_int(t.get("e")),
            membership=_int(t.get("f")),
        )
    title = " ".join(
        v for f in _fields(record, "245") for k, v in sorted(f.items()) if k in "ab"
    ).strip(" :/")
    drafts = tuple(canonical(f["a"]) for f in _fields(record, "993") if "a" in f)
    meeting = _first(record, "952", "a")
    return VoteRecord(
        symbol=symbol,
        source=f"{path.name} (UN Digital Library record {record_id})",
        method=method,
        date=date,
        meeting_record=canonical(meeting) if meeting else None,
        drafts=tuple(d for d in drafts if is_symbol(d)),
        totals=totals,
        voters=tuple(sorted(voters)),
        title=title or None,
        record_url=f"{UNDL_RECORD}{record_id}" if record_id else None,
        source_sha256=digest,
        priority=2,
        warnings=tuple(warnings),
    )


# --- UniteIdeas Security Council votes ------------------------------------------------------------

_UNITEIDEAS_VOTE: Mapping[str, VoteKind] = {"y": "favor", "n": "against", "a": "abstention"}


def read_uniteideas(path: Path, root: ET.Element | None = None) -> VoteRecord:
    """One Security Council resolution's member votes (UniteIdeas `votes_NNNN.xml`)."""
    root = _xml_root(path) if root is None else root
    number = (root.findtext("title") or "").strip()
    if not number.isdigit():
        raise VotesError(f"{path}: <title> is not a Security Council resolution number")
    voters: list[tuple[str, VoteKind]] = []
    warnings: list[str] = []
    for image in root.iter("image"):
        code, vote = image.get("name", ""), image.get("vote", "")
        if vote == "blankspot" or not code:
            continue  # the gap the explorer draws between permanent and elected members
        iso3 = UNITEIDEAS.get(code)
        if iso3 is None or vote not in _UNITEIDEAS_VOTE:
            warnings.append(f"{path}: member {code!r} vote {vote!r} cannot be mapped; left out")
            continue
        voters.append((iso3, _UNITEIDEAS_VOTE[vote]))
    return VoteRecord(
        symbol=f"S/RES/{number}",
        source=f"{path.name} (UniteIdeas Security Council votes)",
        voters=tuple(sorted(voters)),
        totals=Totals(membership=15),
        sc_number=number,
        source_sha256=sha256_of(path),
        priority=1,
        warnings=tuple(warnings),
    )


# --- Voeten / unvotes ---------------------------------------------------------------------------

#: Votes in per-country tables: unvotes' words and Voeten's numeric codes (1 yes, 2 abstain,
#: 3 no; 8 absent and 9 not a member are not votes).
_VOETEN_VOTE: Mapping[str, VoteKind] = {
    "yes": "favor", "no": "against", "abstain": "abstention", "abstention": "abstention",
    "1": "favor", "2": "abstention", "3": "against", "8": "non-voting",
}  # fmt: skip

_UNRES = re.compile(r"^(?:A/RES/|R/)(\d+)/(\d+)(?:/?([A-Z]))?$")


def voeten_symbol(unres: str, session: str) -> str | None:
    """The symbol of a Voeten `unres` ("R/61/295" -> "A/RES/61/295", "R/42/209/A" ->
    "A/RES/42/209A"), for sessions 31 onward only: before that resolutions are numbered
    across sessions (A/RES/2758(XXVI)) and the table's numbers are often not theirs."""
    m = _UNRES.match(unres.strip())
    if not m:
        return None
    if int(m[1]) < 31 or (session and int(float(session)) != int(m[1])):
        return None
    return f"A/RES/{m[1]}/{m[2]}{m[3] or ''}"


@dataclass
class _RollCall:
    rcid: str
    symbol: str | None
    unres: str
    session: str
    date: str | None
    whole: bool  # a vote on the resolution as a whole, not on an amendment or a paragraph
    totals: Totals | None
    source: str
    sha256: str


def read_voeten(paths: Sequence[Path]) -> tuple[list[VoteRecord], list[str]]:
    """Records from the Voeten / unvotes tables given together: one per resolution voted on
    as a whole (amend and para 0 or empty), with the counts where a table gives them and
    the per-country votes where a table of them is given."""
    calls: dict[str, _RollCall] = {}
    country_tables: list[Path] = []
    warnings: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), [])
        columns = {c.strip().lower() for c in header}
        if "rcid" in columns and "vote" in columns:
            country_tables.append(path)
        elif {"rcid", "unres"} <= columns:
            digest = sha256_of(path)
            for row in _rows(path):
                call = _roll_call(row, path, digest)
                old = calls.get(call.rcid)
                if old is None or (call.totals and not old.totals):
                    calls[call.rcid] = call
        else:
            raise VotesError(f"{path}: not a Voeten / unvotes table (no rcid and unres columns)")
    votes: dict[str, list[tuple[str, VoteKind]]] = {}
    table = states()
    for path in country_tables:
        for row in _rows(path):
            roll = calls.get(row.get("rcid", "").strip())
            if roll is None or not roll.whole or roll.symbol is None:
                continue
            vote = _VOETEN_VOTE.get(row.get("vote", "").strip().lower())
            if vote is None:
                continue  # 9: not a member
            try:
                state = _voeten_state(table, row, roll.date)
            except KeyError as exc:
                warnings.append(f"{path}: rcid {roll.rcid}: {exc.args[0]} cannot be mapped")
                continue
            votes.setdefault(roll.rcid, []).append((state.iso3, vote))
    by_symbol: dict[str, list[_RollCall]] = {}
    unmapped: dict[str, list[str]] = {}
    for call in calls.values():
        if call.whole and call.symbol:
            by_symbol.setdefault(call.symbol, []).append(call)
        elif call.whole and call.unres:
            unmapped.setdefault(call.source, []).append(f"rcid {call.rcid} {call.unres}")
    for source, calls_left in sorted(unmapped.items()):
        warnings.append(
            f"{source}: {len(calls_left)} roll call(s) name no symbol ldexport can build (before "
            f"session 31, or a part of a resolution; docs/votes.md), e.g. {_some(calls_left)}"
        )
    records = []
    for symbol, found in sorted(by_symbol.items()):
        if len(found) > 1:
            ids = ", ".join(c.rcid for c in found)
            warnings.append(
                f"{symbol}: several roll calls on the whole resolution ({ids}); none used"
            )
            continue
        call = found[0]
        records.append(
            VoteRecord(
                symbol=symbol,
                source=f"{call.source} (Voeten rcid {call.rcid})",
                date=call.date,
                totals=call.totals or Totals(),
                voters=tuple(sorted(votes.get(call.rcid, []))),
                source_sha256=call.sha256,
                priority=0,
            )
        )
    return records, warnings


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield {(k or "").strip().lower(): (v or "") for k, v in row.items()}


def _roll_call(row: Mapping[str, str], path: Path, digest: str) -> _RollCall:
    unres = row.get("unres", "").strip()
    session = row.get("session", "").strip()
    date = row.get("date", "").strip() or None
    flags = (row.get("amend", "").strip(), row.get("para", "").strip())
    totals = None
    if all(row.get(k, "").strip() for k in ("yes", "no", "abstain")):
        totals = Totals(
            favor=_int(row["yes"]), against=_int(row["no"]), abstention=_int(row["abstain"])
        )
    return _RollCall(
        rcid=row.get("rcid", "").strip(),
        symbol=voeten_symbol(unres, session) if unres else None,
        unres=unres,
        session=session,
        date=date if date and re.match(r"^\d{4}-\d{2}-\d{2}$", date) else None,
        whole=all(f in ("", "0", "0.0") for f in flags),
        totals=totals,
        source=path.name,
        sha256=digest,
    )


def _voeten_state(table: StateTable, row: Mapping[str, str], date: str | None) -> State:
    if code := row.get("country_code", "").strip():
        return table.iso2(code, date)
    if code := row.get("ccode", "").strip():
        return table.cow(code, date)
    return table.name(row.get("country", ""), date)


# --- linking to the resolutions of an output folder ----------------------------------------------


@dataclass(frozen=True)
class Linked:
    """A record whose resolution is settled: the symbol, and its document graph if present."""

    record: VoteRecord
    symbol: str
    document: Path | None
    others: tuple[VoteRecord, ...] = ()  # further records of the same vote, checked against it


def present_documents(out_dir: Path) -> dict[str, Path]:
    """Canonical symbol -> document Turtle, for every resolution published in `out_dir`."""
    from ldexport.manifest import read_manifest

    manifest = read_manifest(out_dir)
    if manifest is None:
        return {}
    return {
        e.symbol: out_dir / f"{e.name}.ttl"
        for e in manifest.documents.values()
        if (out_dir / f"{e.name}.ttl").is_file()
    }


def link(
    records: Iterable[VoteRecord], documents: Mapping[str, Path], include_absent: bool
) -> tuple[list[Linked], list[str]]:
    """Settle each record's resolution against the published documents; one record per
    resolution (the Digital Library's first, then UniteIdeas, then Voeten; the others are
    compared with it).  A record whose resolution is not published is skipped with a
    warning, or linked all the same with `include_absent`."""
    warnings: list[str] = []
    groups: dict[str, list[VoteRecord]] = {}
    absent: dict[str, list[str]] = {}
    for record in records:
        symbol = record.symbol
        if record.sc_number is not None:
            found = [
                s for s in documents if re.fullmatch(rf"S/RES/{record.sc_number}\(\d{{4}}\)", s)
            ]
            if len(found) != 1:
                warnings.append(
                    f"{record.source}: Security Council resolution {record.sc_number} is not "
                    "published in the output, and the record does not give its year; skipped"
                )
                continue
            symbol = found[0]
        if symbol not in documents and not include_absent:
            absent.setdefault(record.source.split(" (", 1)[0], []).append(symbol)
            continue
        if not describe(symbol).is_resolution:
            warnings.append(f"{record.source}: {symbol} is not a resolution symbol; skipped")
            continue
        groups.setdefault(symbol, []).append(replace(record, symbol=symbol))
    for source, symbols in sorted(absent.items()):
        warnings.append(
            f"{source}: {len(symbols)} record(s) of resolutions not published in the output "
            f"skipped (--include-absent writes them all the same): {_some(sorted(symbols))}"
        )
    linked = []
    for symbol, group in sorted(groups.items()):
        group.sort(key=lambda r: -r.priority)
        first, others = group[0], tuple(group[1:])
        for other in others:
            for kind in KINDS:
                a, b = first.total(kind), other.total(kind)
                if a is not None and b is not None and a != b:
                    warnings.append(
                        f"{symbol}: {other.source} counts {b} {kind}, {first.source} {a}; "
                        f"the latter is used"
                    )
        if symbol not in documents:
            warnings.append(f"{symbol}: votes written without the resolution's text")
        linked.append(Linked(first, symbol, documents.get(symbol), others))
    return linked, warnings


def _some(items: Sequence[str], shown: int = 3) -> str:
    """The first few of a list, and how many more."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


# --- the votes graph ------------------------------------------------------------------------------


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def votes_graph(linked: Linked, iris: Iris, table: StateTable | None = None) -> Graph:
    """The votes graph of one resolution (module docstring); no blank nodes."""
    table = table or states()
    record, symbol = linked.record, linked.symbol
    g = new_graph()
    work = URIRef(iris.work(symbol))
    adoption = URIRef(iris.adoption(symbol))
    vote = URIRef(iris.vote(symbol))
    g.add((adoption, ELI_DL.consists_of, vote))
    g.add((adoption, ELI_DL.created_a_realization_of, work))
    g.add((vote, RDF.type, ELI_DL.Vote))
    g.add((vote, ELI_DL.had_activity_type, LDX.Voting))
    g.add((vote, ELI_DL.decision_outcome, LDX.Adopted))
    g.add((vote, ELI_DL.decision_method, METHODS[record.method]))
    if record.date:
        g.add((vote, ELI_DL.activity_date, Literal(record.date, datatype=XSD.date)))
    if record.method == "recorded-vote":
        for kind in KINDS:
            total = record.total(kind)
            if total is not None:
                g.add((vote, COUNT_PROPERTY[kind], Literal(total, datatype=XSD.integer)))
        if record.totals.membership is not None:
            membership = Literal(record.totals.membership, datatype=XSD.integer)
            g.add((vote, LDX.votingMembership, membership))
        for iso3, kind in record.voters:
            state = table.by_iso3[iso3]
            node = URIRef(iris.state(iso3))
            g.add((vote, VOTER_PROPERTY[kind], node))
            g.add((node, RDF.type, ELI.Organization))
            g.add((node, RDF.type, ORG.Organization))
            g.add((node, SKOS.prefLabel, Literal(state.un_name, lang="en")))
            g.add((node, SKOS.notation, Literal(state.iso3)))
    if record.meeting_record:
        meeting = URIRef(iris.work(record.meeting_record))
        g.add((vote, ELI_DL.recorded_in_a_realization_of, meeting))
        _stub(g, meeting, record.meeting_record, LDX.MeetingRecord)
    for draft in record.drafts:
        node = URIRef(iris.work(draft))
        g.add((vote, ELI_DL.decided_on_a_realization_of, node))
        _stub(g, node, draft, LDX.DraftResolution)
    if record.record_url:
        g.add((vote, DCTERMS.source, URIRef(record.record_url)))
    return g


def _stub(g: Graph, node: URIRef, symbol: str, kind: URIRef) -> None:
    g.add((node, RDF.type, ELI.Work))
    g.add((node, ELI.work_type, kind))
    g.add((node, DCTERMS.identifier, Literal(symbol)))


# --- validation ----------------------------------------------------------------------------------


def validate_votes(votes: Graph, document: Graph | None, label: str) -> ValidationReport:
    """Check a votes graph with shapes/votes.shacl.ttl, together with its resolution's
    document graph where that is published (the meeting rule needs both)."""
    from pyshacl import validate as shacl_validate

    data = Graph()
    for source in (votes, document):
        if source is not None:
            for triple in source:
                data.add(triple)
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=_votes_shapes(), inference="none", advanced=True
    )
    SH = URIRef("http://www.w3.org/ns/shacl#")
    problems = []
    for result in report.objects(None, URIRef(f"{SH}result")):
        focus = report.value(result, URIRef(f"{SH}focusNode"))
        path = report.value(result, URIRef(f"{SH}resultPath"))
        messages = sorted(str(m) for m in report.objects(result, URIRef(f"{SH}resultMessage")))
        problems.append(
            Problem(
                focus=focus if focus is not None else URIRef(label),
                path=_path_text(report, path) if path is not None else None,
                message=" ".join(messages) or "does not conform",
                shape=report.value(result, URIRef(f"{SH}sourceShape")) or URIRef(label),
                value=report.value(result, URIRef(f"{SH}value")),
            )
        )
    problems.sort(key=lambda p: (str(p.focus), p.path or "", str(p.shape), p.message))
    return ValidationReport(label, not problems, tuple(problems))


def is_votes_file(path: Path) -> bool:
    """Whether a file is a votes graph (`<name>.votes.ttl`, `.votes.jsonld`)."""
    return path.name.endswith((".votes.ttl", ".votes.jsonld"))


def validate_votes_file(path: Path) -> ValidationReport:
    """Validate a votes file with the votes shapes, together with the document graph beside it
    (`<name>.ttl`) where there is one: what `ldexport validate` should do for such a file."""
    fmt = "json-ld" if path.suffix == ".jsonld" else "turtle"
    try:
        votes = Graph().parse(path, format=fmt)
    except FileNotFoundError as exc:
        raise VotesError(f"{path}: no such file") from exc
    except (SyntaxError, ValueError) as exc:
        raise VotesError(f"{path}: not valid {fmt}: {exc}") from exc
    beside = path.with_name(path.name.split(".votes.", 1)[0] + ".ttl")
    document = Graph().parse(beside, format="turtle") if beside.is_file() else None
    return validate_votes(votes, document, str(path))


@cache
def _votes_shapes() -> Graph:
    from ldexport.resources import data_dir

    return Graph().parse(data_dir("shapes") / VOTES_SHAPES, format="turtle")


# --- files -------------------------------------------------------------------------------------


def votes_files(symbol: str) -> list[str]:
    """The files of a resolution's votes graph in the output folder."""
    name = file_name(symbol)
    return [f"{name}.votes.ttl", f"{name}.votes.jsonld"]


def serialise(graph: Graph) -> dict[str, bytes]:
    """Turtle and JSON-LD of a votes graph, byte-identical for the same graph."""
    from ldexport.publish import to_jsonld, to_turtle

    return {"ttl": to_turtle(graph), "jsonld": to_jsonld(graph)}
