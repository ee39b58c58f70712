"""The publish manifest and the safe swap that makes a publish all-or-nothing.

`manifest.json` (in the output folder) records what made every file: the source sha256 of
each document, the ldexport version, base IRI and the hashes of shapes/ and ontology/ (a
change to any of these changes every output, so nothing is reused), the shards of the dumps
and every file's size and sha256.  A second publish converts only the sources whose sha256
it has not seen, reuses the rest, and drops documents whose source has gone.

A publish never writes into the live output folder.  `Staging` builds the new output in a
hidden sibling folder (`.output.tmp-XXXX`, same file system), hard-links what is reused from
the previous output, and swaps the two folders at the end with one `renameat2(RENAME_EXCHANGE)`
(Linux) — atomic: the output folder is at every instant either wholly the old or wholly the
new one.  Where that call is missing it falls back to two renames, and a publish that was
killed between them is repaired by the next one (the old folder, parked as `.output.old-XXXX`,
is put back).  A publish that fails or is killed before the swap leaves the previous output
untouched; the next publish removes the leftover staging folder.  The swapped-out old
output is renamed `.output.trash-XXXX` and removed by a detached `rm -rf` (`remove_later`).
A lock file
(`.output.lock`, `flock`) keeps two publishes from building the same output at once.
"""

from __future__ import annotations

import builtins
import ctypes
import dataclasses
import errno
import fcntl
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import (
    Callable,
    Collection,
    ItemsView,
    Iterable,
    Iterator,
    MutableMapping,
    Sequence,
    ValuesView,
)
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

import orjson

from ldexport import __version__
from ldexport.errors import LdexportError
from ldexport.resources import data_dir

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
#: Hidden state kept in the output for incremental publishes (per-shard subject lists).
STATE_DIR = ".ldexport"
#: The manifest's documents, files, failed sources and problems as SQLite tables (`Table`,
#: `Lines`), beside manifest.json, whose sha256 it records: what the next publish reads
#: instead of parsing manifest.json.
MANIFEST_DB = f"{STATE_DIR}/manifest.sqlite"

_CHUNK = 1 << 20


class PublishError(LdexportError):
    """The dataset could not be built or swapped in; the previous output is untouched."""


# --- hashing ---------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def tree_sha256(folder: Path) -> str:
    """One hash of every file under `folder`: relative paths and contents, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if "__pycache__" in rel:
            continue
        h.update(rel.encode() + b"\0")
        h.update(sha256_file(path).encode() + b"\n")
    return h.hexdigest()


#: Changes when the per-document files are written differently for the same sources
#: (2: JSON-LD node objects without spaces after ":" and ","), so that a previous output's
#: files are not carried over as they are: the same sources give the same bytes, whatever
#: came before.
FILES_LAYOUT = 2


def fingerprint(base_iri: str) -> dict[str, str]:
    """What changes every output: ldexport's version, how it writes the per-document files
    (`FILES_LAYOUT`), the base IRI, shapes/ and ontology/."""
    return {
        "ldexport_version": __version__,
        "files_layout": str(FILES_LAYOUT),
        "base_iri": base_iri,
        "shapes_sha256": tree_sha256(data_dir("shapes")),
        "ontology_sha256": tree_sha256(data_dir("ontology")),
    }


class HashingWriter:
    """A binary file writer that counts bytes and hashes them as they are written."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.size = 0
        self._sha = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.raw.write(data)
        self._sha.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()


# --- the manifest ------------------------------------------------------------------------------


@dataclass(slots=True)
class FileInfo:
    """A file of the output: its size and sha256 (what the catalogue states)."""

    bytes: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileInfo:
        return cls(path.stat().st_size, sha256_file(path))

    @classmethod
    def of_bytes(cls, data: builtins.bytes) -> FileInfo:
        return cls(len(data), hashlib.sha256(data).hexdigest())


@dataclass(slots=True)
class DocumentEntry:
    """One published resolution: where it came from and what it became."""

    symbol: str
    name: str
    graph: str
    shard: str
    source_sha256: str
    source_path: str
    converted_at: str  # ISO 8601, UTC; SOURCE_DATE_EPOCH when set
    ldexport_version: str
    triples: int
    adoption_date: str | None = None
    session: str | None = None
    body: str | None = None
    files: list[str] = field(default_factory=list)  # per-document files, relative paths
    #: the source file's size, mtime and ctime (ns) when its sha256 was taken: a later
    #: publish trusts `source_sha256` for a file whose stat is the same (`SourceDigests`)
    source_stat: list[int] | None = None

    @property
    def source_name(self) -> str:
        """The source's file name: with its bytes, what the conversion was a function of (a
        symbol may come from the name alone: identical texts under several names are
        several documents)."""
        return self.source_path.rsplit("/", 1)[-1]


@dataclass
class VotesEntry:
    """The votes graph of one resolution (`ldexport votes`): `B graph/<name>/votes`, written
    as `<name>.votes.ttl` and `.jsonld`; kept across publishes of the text."""

    symbol: str
    name: str
    graph: str
    shard: str
    triples: int
    sources: list[str]  # the voting records it was made from (file and record)
    source_sha256: list[str]  # of the import files
    imported_at: str  # ISO 8601, UTC; SOURCE_DATE_EPOCH when set
    ldexport_version: str
    date: str | None = None  # of the vote, where the record gives it
    files: list[str] = field(default_factory=list)


@dataclass
class ShardEntry:
    """One shard of the dumps: which documents it holds (a hash of their Turtle) and its
    statistics, kept so that an unchanged shard is reused without being read."""

    label: str
    documents: list[str]
    digest: str
    triples: int
    distinct_subjects: int
    predicates: list[str]
    classes: list[str]
    first_date: str | None
    last_date: str | None
    #: for each gzip dump file of the shard, the byte range of its body (the members between
    #: the format's header and footer), so that the whole-corpus dumps are assembled by
    #: copying bytes.
    bodies: dict[str, list[int]] = field(default_factory=dict)
    #: the votes graphs in the shard, by name (beside their documents' graphs)
    votes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FailedSource:
    """An input that gave no document: what was wrong.  A later publish with the same
    fingerprint reports these lines again for the same bytes at the same path instead of
    converting them again (a conversion is a pure function of the bytes and the fingerprint);
    an input that could not be read is not remembered."""

    source_path: str
    source_stat: list[int] | None
    problems: list[str]
    warnings: list[str] = field(default_factory=list)


E = TypeVar("E")


class Table(MutableMapping[str, E]):
    """A large section of the manifest (name -> entry) in an SQLite table instead of memory.

    At 25,000 documents the entries of the documents and of their 150,000 files took 100 MiB
    of the publishing process and grew with the corpus; here they take SQLite's page cache
    (2 MB).  Each entry is stored as the JSON text manifest.json holds for it, so the
    manifest is written by copying rows.  Iteration is in key order (SQLite's BINARY
    collation compares UTF-8 bytes: code point order, as `sorted`).  Writes are buffered and
    sent `batch` rows at a time (fewer for large entries); `columns` (fields of the entries)
    are kept beside the JSON and indexed, for `where`, `has` and `select`."""

    def __init__(
        self,
        db: sqlite3.Connection,
        name: str,
        kind: Callable[..., E],
        columns: tuple[str, ...] = (),
        path: Path | None = None,
        create: bool = True,
        batch: int = 2000,
    ) -> None:
        self.db = db
        self.name = name
        self.kind = kind
        self.columns = columns
        self._batch = batch
        #: the database file (None: a temporary one), for another process (`__reduce__`)
        self.path = path
        self._pending: dict[str, E] = {}
        #: rows copied as their JSON text (`put_raw`): key -> (text, *column values)
        self._pending_raw: dict[str, tuple[Any, ...]] = {}
        cols = "".join(f', "{c}" TEXT' for c in columns)
        marks = ", ?" * len(columns)
        self._insert = f'INSERT OR REPLACE INTO "{name}" VALUES (?, ?{marks})'
        self._get = f'SELECT value FROM "{name}" WHERE key = ?'
        if create:
            db.execute(
                f'CREATE TABLE IF NOT EXISTS "{name}" '
                f"(key TEXT PRIMARY KEY, value TEXT NOT NULL{cols}) WITHOUT ROWID"
            )
            for c in columns:
                db.execute(f'CREATE INDEX IF NOT EXISTS "{name}_{c}" ON "{name}" ("{c}")')

    @classmethod
    def of(
        cls, kind: Callable[..., E], rows: dict[str, E], columns: tuple[str, ...] = ()
    ) -> Table[E]:
        """A table holding `rows`, in a private temporary database (SQLite keeps it in its
        page cache, and in a file it deletes once past that)."""
        table = cls(scratch_database(), "rows", kind, columns)
        table.update(rows)
        return table

    # -- Mapping
    def __getitem__(self, key: str) -> E:
        value = self._lookup(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._lookup(key)
        return default if value is None else value

    def _lookup(self, key: str) -> E | None:
        pending = self._pending.get(key)
        if pending is not None:
            return pending
        text = self.raw(key)
        return None if text is None else self.kind(**_loads(text))

    def raw(self, key: str) -> str | None:
        """An entry's JSON text, as manifest.json holds it (or None)."""
        pending = self._pending.get(key)
        if pending is not None:
            return _json(_fields(pending))
        copied = self._pending_raw.get(key)
        if copied is not None:
            return str(copied[0])
        row = self.db.execute(self._get, (key,)).fetchone()
        return None if row is None else str(row[0])

    def holds_under(self, name: str) -> bool:
        """Whether a key is `name` or a path inside it (`name/...`): a top-level name of an
        output folder that its manifest's files account for."""
        self.flush()
        query = f'SELECT 1 FROM "{self.name}" WHERE key = ? OR (key > ? AND key < ?) LIMIT 1'
        return self.db.execute(query, (name, f"{name}/", f"{name}0")).fetchone() is not None

    def raw_many(self, keys: Sequence[str]) -> dict[str, str]:
        """`raw` of several keys (those present), a query per 500 of them: the files of a
        document, the Turtle files of a shard."""
        out: dict[str, str] = {}
        for rows in self._rows_of(keys):
            out.update(rows)
        return out

    def _rows_of(self, keys: Sequence[str], columns: bool = False) -> Iterator[list[Any]]:
        """The rows of those `keys` present (key, JSON text, and with `columns` the
        columns' values), a list per query of 500 keys."""
        self.flush()
        extra = "".join(f', "{c}"' for c in self.columns) if columns else ""
        for chunk, test in _key_chunks(keys):
            query = f'SELECT key, value{extra} FROM "{self.name}" {test}'
            yield self.db.execute(query, chunk).fetchall()

    def copy_from(self, source: Table[E], keys: Sequence[str]) -> list[str]:
        """Copy the rows of `keys` from `source` (a table of the same kind, in another
        database) as they are, 500 keys a statement: the files of the documents a publish
        carries over (a query and six `put_raw` a document were a third of the loop over
        25,000 unchanged documents).  A source in a database file is attached and read by
        SQLite itself, the rows never made Python objects (a quarter of the CPU time);
        otherwise they pass through here.  Returns the keys `source` does not hold, in the
        order given."""
        assert source.columns == self.columns, "the same columns on both sides"
        self.flush()
        source.flush()
        file = _database_file(source.db)
        if (
            file is None
            or source.path is None
            or file != source.path.resolve()  # its connection writes elsewhere (`Manifest.write`)
            or source.db.in_transaction  # rows the file does not hold yet
            or file == _database_file(self.db)  # SQLite would lock itself out of it
        ):
            found: set[str] = set()
            for rows in source._rows_of(keys, columns=True):
                self.db.executemany(self._insert, rows)
                found.update(row[0] for row in rows)
            return [key for key in keys if key not in found]
        schema = self._attached(file)
        columns = ", ".join(["key", "value", *(f'"{c}"' for c in self.columns)])
        missing: list[str] = []
        for chunk, test in _key_chunks(keys):
            copy = (
                f'INSERT OR REPLACE INTO main."{self.name}" ({columns}) '
                f'SELECT {columns} FROM {schema}."{source.name}" {test}'
            )
            if self.db.execute(copy, chunk).rowcount != len(set(chunk)):  # some are not there
                there = f'SELECT key FROM {schema}."{source.name}" {test}'
                held = {key for (key,) in self.db.execute(there, chunk)}
                missing += [key for key in chunk if key not in held]
        return missing

    def _attached(self, path: Path) -> str:
        """The name under which this table's connection reads the database file `path`,
        attached read-only (once: it stays attached, as SQLite cannot detach a database
        inside the transaction the copies are in)."""
        name = "source_" + hashlib.blake2b(str(path).encode(), digest_size=6).hexdigest()
        if name not in {row[1] for row in self.db.execute("PRAGMA database_list")}:
            self.db.execute(f"ATTACH DATABASE ? AS {name}", (f"{path.as_uri()}?mode=ro",))
        return name

    def put_raw(self, key: str, text: str, entry: E | None = None) -> None:
        """Set an entry from its JSON text (`raw` of another table): a carried-over row is
        copied, not encoded again.  The `columns`, if any, are `entry`'s (what `text` holds)."""
        assert entry is not None or not self.columns, "the columns' values come from the entry"
        self._pending.pop(key, None)
        self._pending_raw[key] = (text, *(getattr(entry, c) for c in self.columns))
        if len(self._pending_raw) >= self._batch:
            self.flush()

    def __contains__(self, key: object) -> bool:
        if key in self._pending or key in self._pending_raw:
            return True
        return self.db.execute(self._get, (key,)).fetchone() is not None

    def __len__(self) -> int:
        self.flush()
        return int(self.db.execute(f'SELECT count(*) FROM "{self.name}"').fetchone()[0])

    def __iter__(self) -> Iterator[str]:
        self.flush()
        return (key for (key,) in self.db.execute(f'SELECT key FROM "{self.name}" ORDER BY key'))

    def missing_from(self, other: Table[Any]) -> Iterator[str]:
        """The keys of this table that `other` does not hold, in key order (both tables
        read in key order side by side, not a lookup per key)."""
        theirs = iter(other)
        their = next(theirs, None)
        for key in self:
            while their is not None and their < key:
                their = next(theirs, None)
            if their != key:
                yield key

    def items(self) -> ItemsView[str, E]:
        return _Items(self)

    def values(self) -> ValuesView[E]:
        return _Values(self)

    def raw_items(self) -> Iterator[tuple[str, str]]:
        """(key, JSON text) in key order."""
        self.flush()
        return iter(self.db.execute(f'SELECT key, value FROM "{self.name}" ORDER BY key'))

    def where(self, **equal: str) -> list[E]:
        """The entries whose fields have these values, in key order."""
        return [entry for entry, _ in self.where_raw(**equal)]

    def where_raw(self, **equal: str) -> list[tuple[E, str]]:
        """`where`, each entry with its JSON text."""
        self.flush()
        test, args = self._condition(equal)
        rows = self.db.execute(f'SELECT value FROM "{self.name}"{test} ORDER BY key', args)
        return [(self.kind(**_loads(v)), str(v)) for (v,) in rows]

    def select(
        self,
        fields: tuple[str, ...],
        *,
        where: dict[str, str] | None = None,
        distinct: bool = False,
        order_by: tuple[str, ...] = (),
        order_by_iri: str | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Fields of the entries, read by SQLite from their JSON (no entry is made), of those
        whose fields have the values `where` gives; in the order of the fields `order_by`
        (code point order, as `sorted`), or with `order_by_iri` in the order Turtle sorts
        the IRIs a field holds (`<iri>`, where "a>" comes after "a/b>")."""
        assert not (order_by and order_by_iri), "one order"
        self.flush()
        columns = ", ".join(map(self._read, fields))
        test, args = self._condition(where or {})
        sql = f'SELECT {"DISTINCT " if distinct else ""}{columns} FROM "{self.name}"{test}'
        if order_by:
            sql += " ORDER BY " + ", ".join(map(self._read, order_by))
        elif order_by_iri is not None:
            sql += f" ORDER BY '<' || {self._read(order_by_iri)} || '>'"
        return iter(self.db.execute(sql, args))

    def _read(self, field: str) -> str:
        """SQL for a field: its column where it has one, else read from the JSON."""
        return f'"{field}"' if field in self.columns else _field(field)

    def select_in(
        self, fields: tuple[str, ...], column: str, values: Sequence[str]
    ) -> Iterator[tuple[Any, ...]]:
        """The distinct `fields` of the entries whose `column` (one of `columns`) is one of
        `values`, each row led by that column's value: a query per 500 values, not one per
        value (the look-ahead of a re-publish asked 25,000 times)."""
        assert column in self.columns, column
        self.flush()
        read = ", ".join(map(self._read, fields))
        for chunk, test in _key_chunks(values, column):
            sql = f'SELECT DISTINCT "{column}", {read} FROM "{self.name}" {test}'
            yield from self.db.execute(sql, chunk)

    def has(self, **equal: str) -> bool:
        """Whether an entry's fields have these values."""
        self.flush()
        test, args = self._condition(equal)
        query = f'SELECT 1 FROM "{self.name}"{test} LIMIT 1'
        return self.db.execute(query, args).fetchone() is not None

    def _condition(self, equal: dict[str, str]) -> tuple[str, tuple[str, ...]]:
        """A WHERE clause testing fields for equality: by their indexed column where they
        have one (`columns`), else in the JSON."""
        if not equal:
            return "", ()
        tests = (f"{self._read(f)} = ?" for f in equal)
        return " WHERE " + " AND ".join(tests), tuple(equal.values())

    # -- MutableMapping
    def __setitem__(self, key: str, value: E) -> None:
        self._pending_raw.pop(key, None)
        self._pending[key] = value
        if len(self._pending) >= self._batch:
            self.flush()

    def __delitem__(self, key: str) -> None:
        pending = self._pending.pop(key, None) or self._pending_raw.pop(key, None)
        self.flush()
        cursor = self.db.execute(f'DELETE FROM "{self.name}" WHERE key = ?', (key,))
        if pending is None and cursor.rowcount == 0:
            raise KeyError(key)

    def flush(self) -> None:
        """Send the buffered writes to SQLite."""
        if not self._pending and not self._pending_raw:
            return
        rows = [
            (key, _json(_fields(v)), *(getattr(v, c) for c in self.columns))
            for key, v in self._pending.items()
        ]
        rows += ((key, *copied) for key, copied in self._pending_raw.items())
        self._pending.clear()
        self._pending_raw.clear()
        self.db.executemany(self._insert, rows)

    def __reduce__(self) -> tuple[Any, ...]:
        """A table of a database file travels to another process as its file, opened there
        read-only: it reads what was committed (`Manifest.commit`)."""
        if self.path is None:
            raise TypeError(f"table {self.name} is in a temporary database: it cannot be sent")
        return (_open_table, (self.path, self.name, self.kind, self.columns))

    def _rows(self) -> Iterator[tuple[str, E]]:
        for key, value in self.raw_items():
            yield key, self.kind(**_loads(value))


def _field(name: str) -> str:
    """An entry's field, read from its JSON row by SQLite."""
    return f"json_extract(value, '$.{name}')"


class _Items(ItemsView[str, E]):
    _mapping: Table[E]

    def __iter__(self) -> Iterator[tuple[str, E]]:
        return self._mapping._rows()


class _Values(ValuesView[E]):
    _mapping: Table[E]

    def __iter__(self) -> Iterator[E]:
        return (value for _, value in self._mapping._rows())


class Rows(Collection[E]):
    """A list of flat dataclass entries (`Table`'s JSON rows) in a private temporary SQLite
    database: what a publish reports per input, which must not grow the process with the
    corpus.  The entry appended last is held as it is and may still be changed until the
    next is appended."""

    def __init__(self, kind: Callable[..., E]) -> None:
        self.kind = kind
        self._db: sqlite3.Connection | None = None  # made at the second entry
        self._last: E | None = None
        self._len = 0

    def append(self, entry: E, text: str | None = None) -> None:
        """Add an entry; with its JSON `text` (a row carried over), one that will not change."""
        if self._last is not None:
            self._insert(_json(_fields(self._last)))
            self._last = None
        if text is None:
            self._last = entry
        else:
            self._insert(text)
        self._len += 1

    def _insert(self, text: str) -> None:
        if self._db is None:
            self._db = scratch_database()
            self._db.execute("CREATE TABLE rows (value TEXT NOT NULL)")
        self._db.execute("INSERT INTO rows VALUES (?)", (text,))

    def __len__(self) -> int:
        return self._len

    def select(self, fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        """Fields of the entries in order, read by SQLite from their JSON (no entry is made:
        the report of a re-publish decoded 25,000 of them for three fields each)."""
        if self._db is not None:
            columns = ", ".join(map(_field, fields))
            yield from self._db.execute(f"SELECT {columns} FROM rows ORDER BY rowid")
        if self._last is not None:
            yield tuple(getattr(self._last, f) for f in fields)

    def __iter__(self) -> Iterator[E]:
        if self._db is not None:
            for (value,) in self._db.execute("SELECT value FROM rows ORDER BY rowid"):
                yield self.kind(**_loads(value))
        if self._last is not None:
            yield self._last

    def __contains__(self, entry: object) -> bool:
        return any(e == entry for e in self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, Rows)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"


class Lines(Collection[str]):
    """Lines of text in an SQLite table, in the order they were added: the manifest's
    problems.  At 25,000 inputs of the benchmark corpus, the 1,000 that fail have 24,000
    lines: held as a list, and again as the JSON of the manifest's database, they were
    20 MiB of the publishing process at its end."""

    def __init__(
        self, db: sqlite3.Connection | None = None, name: str = "lines", create: bool = True
    ) -> None:
        self.db = scratch_database() if db is None else db
        self.name = name
        if create:  # an INTEGER PRIMARY KEY: VACUUM keeps it (not a rowid of its own)
            self.db.execute(
                f'CREATE TABLE IF NOT EXISTS "{name}" (n INTEGER PRIMARY KEY, line TEXT NOT NULL)'
            )

    @classmethod
    def of(cls, lines: Iterable[str]) -> Lines:
        """Lines holding `lines`, in a private temporary database (as `Table.of`)."""
        out = cls()
        out.extend(lines)
        return out

    def extend(self, lines: Iterable[str]) -> None:
        self.db.executemany(f'INSERT INTO "{self.name}" (line) VALUES (?)', ((s,) for s in lines))

    def __iter__(self) -> Iterator[str]:
        return (line for (line,) in self.db.execute(f'SELECT line FROM "{self.name}" ORDER BY n'))

    def __len__(self) -> int:
        return int(self.db.execute(f'SELECT count(*) FROM "{self.name}"').fetchone()[0])

    def __contains__(self, line: object) -> bool:
        query = f'SELECT 1 FROM "{self.name}" WHERE line = ? LIMIT 1'
        return isinstance(line, str) and self.db.execute(query, (line,)).fetchone() is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, Lines)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Lines({list(self)!r})"


def _open_table(
    path: Path, name: str, kind: Callable[..., E], columns: tuple[str, ...]
) -> Table[E]:
    return Table(_connect(path, read_only=True), name, kind, columns, path, create=False)


def _connect(
    path: Path | str, read_only: bool = False, immutable: bool = False
) -> sqlite3.Connection:
    """A connection for a table.  The database in the staging folder is scratch until the
    folder is swapped in (a publish that fails discards it), so it has no journal and no
    fsync; `immutable`: a published output's, never written again.  Every connection reads
    file names as URIs, so that `Table.copy_from` can attach a database read-only whatever
    SQLite was built with ("" stays a temporary database)."""
    if read_only:
        flags = "mode=ro&immutable=1" if immutable else "mode=ro"
        uri = f"{Path(path).absolute().as_uri()}?{flags}"
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=60)
    target = Path(path).absolute().as_uri() if path else ""
    db = sqlite3.connect(target, uri=True, check_same_thread=False, timeout=60)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    return db


def _key_chunks(keys: Sequence[str], column: str = "key") -> Iterator[tuple[tuple[str, ...], str]]:
    """The keys 500 at a time, each chunk with its `WHERE key IN (?, ...)` clause (or
    another column's)."""
    for at in range(0, len(keys), 500):
        chunk = tuple(keys[at : at + 500])
        yield chunk, f'WHERE "{column}" IN ({", ".join("?" * len(chunk))})'


def _database_file(db: sqlite3.Connection) -> Path | None:
    """The file of a connection's main database (None: a temporary one)."""
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file).resolve() if file else None
    return None


def scratch_database() -> sqlite3.Connection:
    """A private temporary database: in SQLite's page cache, in a file it deletes once past
    that; for what a process would otherwise hold per document."""
    return _connect("")


#: the documents' fields kept as columns (`Table.where`): what an incremental publish looks up
_DOCUMENT_COLUMNS = ("source_sha256", "source_path", "source_name")


def _source(digest: str, path: Path) -> dict[str, str]:
    """What identifies a source for reuse: its bytes and its file name."""
    return {"source_sha256": digest, "source_name": path.name}


def _documents() -> Table[DocumentEntry]:
    return Table.of(DocumentEntry, {}, _DOCUMENT_COLUMNS)


def _files() -> Table[FileInfo]:
    return Table.of(FileInfo, {})


def _failed() -> Table[FailedSource]:
    return Table.of(FailedSource, {})


#: the manifest database's tables and their columns (an older database is not read: its
#: manifest.json is)
_LAYOUT = {"documents": _DOCUMENT_COLUMNS, "failed": (), "files": (), "problems": ()}


@dataclass(eq=False)
class Manifest:
    fingerprint: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)
    documents: Table[DocumentEntry] = field(default_factory=_documents)  # by name
    shards: dict[str, ShardEntry] = field(default_factory=dict)
    #: every file but manifest.json and MANIFEST_DB
    files: Table[FileInfo] = field(default_factory=_files)
    problems: Lines = field(default_factory=Lines)
    format: int = MANIFEST_FORMAT
    votes: dict[str, VotesEntry] = field(default_factory=dict)  # by name
    failed: Table[FailedSource] = field(default_factory=_failed)  # by source sha256

    @classmethod
    def create(cls, path: Path, fingerprint: dict[str, str], settings: dict[str, Any]) -> Manifest:
        """An empty manifest whose tables (documents, files, failed sources, problems) are
        kept in a database beside `path` while it is built, and copied to `path` by `write`."""
        scratch = path.with_name(f"{path.name}.tmp")
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.unlink(missing_ok=True)
        db = _connect(scratch)
        return cls(
            fingerprint,
            settings,
            documents=Table(db, "documents", DocumentEntry, _DOCUMENT_COLUMNS, scratch),
            files=Table(db, "files", FileInfo, (), scratch),
            problems=Lines(db, "problems"),
            # a failed source holds its problems' lines (3.5 KB each in the benchmark corpus)
            failed=Table(db, "failed", FailedSource, (), scratch, batch=50),
        )

    @classmethod
    def open(cls, out_dir: Path) -> Manifest | None:
        """The manifest of a published output from its database, when that was written with
        this manifest.json (same sha256); else None."""
        path = out_dir / MANIFEST_DB
        if not path.is_file():
            return None
        try:
            db = _connect(path, read_only=True, immutable=True)
            meta = dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error:
            return None
        try:  # made by this ldexport's tables, and for this manifest.json
            stands = meta.get("layout") == _line(_LAYOUT) and meta.get(
                "manifest_sha256"
            ) == sha256_file(out_dir / MANIFEST_NAME)
        except OSError:
            stands = False
        if not stands:
            db.close()
            return None
        head = json.loads(meta["head"])
        return cls._of(
            head,
            Table(db, "documents", DocumentEntry, _DOCUMENT_COLUMNS, path, create=False),
            Table(db, "files", FileInfo, (), path, create=False),
            Table(db, "failed", FailedSource, (), path, create=False),
            Lines(db, "problems", create=False),
        )

    def made_from(self, digest: str, path: Path) -> list[tuple[DocumentEntry, str]]:
        """The documents converted from these bytes under this file name, each with its
        row's JSON text: what a publish may carry over for the source `path` (a symbol may
        come from the file name, so the same bytes under another name are other documents)."""
        return self.documents.where_raw(**_source(digest, path))

    def knows(self, digest: str, path: Path) -> bool:
        """Whether the bytes `digest` at `path` gave documents (`made_from`), or failed at
        this same path: a publish need not convert them."""
        failed = self.failed.get(digest)
        if failed is not None and failed.source_path == str(path):
            return True
        return self.documents.has(**_source(digest, path))

    def commit(self) -> None:
        """Send every buffered entry to the database (another process may then read it)."""
        for table in (self.documents, self.files, self.failed):
            table.flush()
            table.db.commit()
        self.problems.db.commit()

    def write(self, out_dir: Path) -> None:
        """manifest.json in `out_dir`; and, for a `create`d manifest, `MANIFEST_DB` beside it,
        which records that manifest.json (sha256) and the sections that are not tables, so
        that `open` can stand for it.  The database is copied (VACUUM INTO) with its rows in
        key order whatever order they came in: the same manifest makes the same bytes.  The
        tables stay readable here."""
        json_path = out_dir / MANIFEST_NAME
        self.write_json(json_path)
        db = self.documents.db
        scratch = self.documents.path
        if self.files.db is not db or scratch is None:
            return
        head = {
            "fingerprint": self.fingerprint,
            "format": self.format,
            "settings": self.settings,
            "shards": {k: _fields(v) for k, v in self.shards.items()},
            "votes": {k: _fields(v) for k, v in self.votes.items()},
        }
        self.commit()
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [
                ("head", _line(head)),
                ("manifest_sha256", sha256_file(json_path)),
                ("layout", _line(_LAYOUT)),
            ],
        )
        db.commit()
        target = out_dir / MANIFEST_DB
        target.unlink(missing_ok=True)
        db.execute("VACUUM INTO ?", (str(target),))
        scratch.unlink()  # open here until this manifest is gone
        self.documents.path = self.files.path = self.failed.path = target

    def graphs(self) -> dict[str, int]:
        """Named graph IRI -> number of triples, for every document and votes graph."""
        graphs = {e.graph: e.triples for e in self.documents.values()}
        graphs.update({e.graph: e.triples for e in self.votes.values()})
        return graphs

    def to_json(self) -> bytes:
        out = io.StringIO()
        self._write_json(out)
        return out.getvalue().encode()

    def write_json(self, path: Path) -> None:
        """`to_json` streamed into a file: the text of 25,000 entries is never whole."""
        with path.open("w", encoding="utf-8") as out:
            self._write_json(out)

    def _write_json(self, out: IO[str]) -> None:
        """Sorted JSON, one line per document, shard, file, votes graph, failed source and
        problem: json's C encoder writes each line (the indented output of its pure-Python
        encoder, and `asdict`, took 1.5 s for 2,500 documents and grew with them); the
        tables' rows are that JSON already."""
        maps: dict[str, dict[str, Any]] = {"shards": self.shards, "votes": self.votes}
        tables: dict[str, Table[Any]] = {
            "documents": self.documents,
            "failed": self.failed,
            "files": self.files,
        }
        top: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "format": self.format,
            "settings": self.settings,
        }
        out.write("{")
        for i, key in enumerate(sorted([*maps, *tables, *top, "problems"])):
            out.write(f"{',' if i else ''}\n {_line(key)}: ")
            if key in top:
                out.write(_line(top[key]))
                continue
            rows: Iterable[str]
            if key in tables:
                rows = (f"  {_line(k)}: {v}" for k, v in tables[key].raw_items())
            elif key in maps:
                rows = (f"  {_line(k)}: {_json(_fields(v))}" for k, v in sorted(maps[key].items()))
            else:
                rows = (f"  {_line(v)}" for v in self.problems)
            start, end = ("[", "]") if key == "problems" else ("{", "}")
            out.write(start)
            empty = True
            for row in rows:
                out.write(f"\n{row}" if empty else f",\n{row}")
                empty = False
            out.write(end if empty else f"\n {end}")
        out.write("\n}\n")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        failed = data.get("failed", {})
        problems = data.get("problems", [])
        if not all(isinstance(line, str) for line in problems):
            raise ValueError("a problem of the manifest is not a line of text")
        return cls._of(
            data,
            Table.of(
                DocumentEntry,
                {k: DocumentEntry(**v) for k, v in data["documents"].items()},
                _DOCUMENT_COLUMNS,
            ),
            Table.of(FileInfo, {k: FileInfo(**v) for k, v in data["files"].items()}),
            Table.of(FailedSource, {k: FailedSource(**v) for k, v in failed.items()}),
            Lines.of(problems),
        )

    @classmethod
    def _of(
        cls,
        data: dict[str, Any],
        documents: Table[DocumentEntry],
        files: Table[FileInfo],
        failed: Table[FailedSource],
        problems: Lines,
    ) -> Manifest:
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"manifest format {data.get('format')!r} is not {MANIFEST_FORMAT}")
        return cls(
            fingerprint=data["fingerprint"],
            settings=data.get("settings", {}),
            documents=documents,
            shards={k: ShardEntry(**v) for k, v in data["shards"].items()},
            files=files,
            problems=problems,
            votes={k: VotesEntry(**v) for k, v in data.get("votes", {}).items()},
            failed=failed,
        )


#: one encoder for every line (`json.dumps` with arguments builds an encoder per call)
_line = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _fields(entry: Any) -> dict[str, Any] | _Raw:
    """A flat dataclass (its fields hold JSON values) as a dict, without `asdict`'s copies;
    a FileInfo (150,000 of them at 25,000 documents) as its JSON text."""
    if type(entry) is FileInfo:
        return _Raw(f'{{"bytes": {entry.bytes:d}, "sha256": {_line(entry.sha256)}}}')
    names = _FIELDS.get(type(entry))
    if names is None:
        names = _FIELDS[type(entry)] = tuple(f.name for f in dataclasses.fields(entry))
    return {name: getattr(entry, name) for name in names}


_FIELDS: dict[type, tuple[str, ...]] = {}


class _Raw(str):
    """JSON text already written."""


def _loads(text: str) -> Any:
    """A row's JSON text read by orjson (an entry in a quarter of json's time: 24,000 of
    them in a re-publish), or by json where orjson refuses it (an escaped lone surrogate,
    NaN): the same values, but for an integer of 2**64 or more, a float to orjson.  Rows'
    largest integers are a source's times in nanoseconds: a file dated after the year 2554
    then does not match its recorded stat, and is hashed again."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _json(value: Any) -> str:
    return value if isinstance(value, _Raw) else _line(value)


def stat_key(st: os.stat_result) -> list[int]:
    """What `SourceDigests` compares: size, mtime and ctime in nanoseconds."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class SourceDigests:
    """The sha256 of input files, read again only for the files that may have changed.

    A source whose path, size, mtime and ctime (nanoseconds) are those the previous manifest
    recorded with its sha256 is taken to still have that sha256, provided its ctime is more
    than a second older than that manifest.json: a file changed in the instant it was hashed
    (the "racy" case git's index also guards against) is hashed again.  ctime cannot be set
    back by a program (`touch -d`, `rsync -t` or `tar` restore the mtime, not the ctime), so
    a file rewritten with its old size and mtime is hashed again too; so is every file of a
    folder that was copied or moved elsewhere (new path or ctime).  Otherwise: sha256."""

    #: an answer kept by `ahead`: 8 bytes of the path's hash, the sha256 (zeros: the file
    #: could not be read), size, mtime, ctime
    _KEPT = struct.Struct("<8s32sQqq")

    def __init__(self, previous: Manifest | None = None, manifest: Path | None = None) -> None:
        self._kept = bytearray()
        self._next = 0  # the offset in `_kept` of the answer the next call may take
        self._documents: Table[DocumentEntry] | None = None
        self._failed: dict[str, list[tuple[list[int] | None, str]]] = {}
        self._racy = 0
        if previous is None or manifest is None:
            return
        try:
            self._racy = manifest.stat().st_mtime_ns - 1_000_000_000
        except OSError:
            return
        self._documents = previous.documents
        for sha, f in previous.failed.items():
            self._failed.setdefault(f.source_path, []).append((f.source_stat, sha))

    def ahead(self, paths: Iterable[Path]) -> Iterator[tuple[Path, str | None, bool]]:
        """Each path with its sha256 (None: the file cannot be read) and whether the previous
        manifest recorded that sha256 for this path and stat (then it holds this source, as
        documents or as a failure: no need to ask it), the answers kept, 64 bytes each, for
        the calls that follow for the same paths in the same order: a publish looks its
        inputs up once to know what to convert ahead, then once more as it goes (a lookup
        took 25 microseconds; 25,000 of them, twice, were 1.2 s).  The manifest is asked
        about 500 paths at a time."""
        scan = iter(paths)
        while chunk := list(islice(scan, 500)):
            recorded_for = self._recorded([str(path) for path in chunk])
            for path in chunk:
                try:
                    digest, key, recorded = self._look_up(path, recorded_for)
                except OSError:
                    self._kept += self._KEPT.pack(_path_hash(path), bytes(32), 0, 0, 0)
                    yield path, None, False
                    continue
                self._kept += self._KEPT.pack(_path_hash(path), bytes.fromhex(digest), *key)
                yield path, digest, recorded

    def __call__(self, path: Path) -> tuple[str, list[int]]:
        """The file's sha256 and its stat (`stat_key`); raises OSError."""
        if self._next < len(self._kept):
            hashed, digest, *key = self._KEPT.unpack_from(self._kept, self._next)
            self._next += self._KEPT.size
            if self._next == len(self._kept):  # all taken
                self._kept, self._next = bytearray(), 0
            if hashed == _path_hash(path) and digest != bytes(32):
                return digest.hex(), key
        return self._look_up(path, self._recorded([str(path)]))[:2]

    def _look_up(
        self, path: Path, recorded_for: dict[str, list[tuple[list[int], str]]]
    ) -> tuple[str, list[int], bool]:
        key = stat_key(path.stat())
        name = str(path)
        for stat, sha256 in [*self._failed.get(name, []), *recorded_for.get(name, [])]:
            if stat == key and stat[2] < self._racy:
                return sha256, key, True
        return sha256_file(path), key, False

    def _recorded(self, names: Sequence[str]) -> dict[str, list[tuple[list[int], str]]]:
        """The stats and sha256 the previous manifest's documents record for these source
        paths."""
        found: dict[str, list[tuple[list[int], str]]] = {}
        if self._documents is not None:
            rows = self._documents.select_in(("source_stat", "source_sha256"), "source_path", names)
            for name, stat, sha256 in rows:
                if stat:
                    found.setdefault(name, []).append((_loads(stat), sha256))
        return found


def _path_hash(path: Path) -> bytes:
    return hashlib.blake2b(str(path).encode(), digest_size=8).digest()


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of an output folder, or None (no folder, no manifest, unreadable one):
    from its database (`Manifest.open`) when that stands for its manifest.json."""
    try:
        return Manifest.open(out_dir) or Manifest.from_json((out_dir / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def verify(out_dir: Path, manifest: Manifest | None = None) -> list[str]:
    """Files of an output folder whose size or sha256 differ from its manifest (or are gone)."""
    manifest = manifest or read_manifest(out_dir)
    if manifest is None:
        return [f"{out_dir / MANIFEST_NAME}: missing or unreadable"]
    bad = []
    for rel, info in sorted(manifest.files.items()):
        path = out_dir / rel
        if not path.is_file():
            bad.append(f"{rel}: missing")
        elif FileInfo.of(path) != info:
            bad.append(f"{rel}: differs from the manifest")
    return bad


# --- the safe swap ---------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, f"cannot swap {a} and {b}: {os.strerror(err)}")


def link_or_copy(src: Path, dst: Path) -> None:
    """Put `src` at `dst` by a hard link (free, and safe: no file is ever written in place)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def link_files(src_dir: Path, dst_dir: Path, names: Sequence[str]) -> None:
    """`link_or_copy` of top-level files of one folder into another, by folder fds (a
    worker process may do it: `Staging.reuse_later`)."""
    flags = os.O_RDONLY | os.O_DIRECTORY
    fds = (os.open(src_dir, flags), os.open(dst_dir, flags))
    try:
        for name in names:
            _link_at(fds, name, src_dir, dst_dir)
    finally:
        for fd in fds:
            os.close(fd)


def _link_at(fds: tuple[int, int], name: str, src_dir: Path, dst_dir: Path) -> None:
    try:
        os.link(name, name, src_dir_fd=fds[0], dst_dir_fd=fds[1])
    except OSError:
        link_or_copy(src_dir / name, dst_dir / name)


class Staging:
    """Build a new output folder beside the old one and swap it in at the end.

        with Staging(out_dir) as stage:
            ...write files under stage.path, stage.reuse(rel) to keep a previous file...
            stage.commit()

    Leaving the block without `commit()` (an exception) removes the staging folder; the
    previous output is untouched.  A process killed at any point leaves either the old or the
    new output in place, and garbage that the next `Staging` removes.
    """

    #: how many names `reuse_later` hands to a worker at a time
    _LINK_BATCH = 5000

    def __init__(self, out_dir: Path, background: Any = None) -> None:
        self.out_dir = out_dir.absolute()
        self.parent = self.out_dir.parent
        self.name = self.out_dir.name
        self.path = self.out_dir  # replaced by the staging folder on enter
        #: worker processes that see this file system (`submit`), for `reuse_later`
        self.background = background
        self._lock: IO[str] | None = None
        self._fds: tuple[int, int] | None = None
        self._previous: Path | None = None
        self._later: list[str] = []
        self._linking: list[Future[None]] = []
        self.committed = False

    # names of the hidden siblings
    def _lock_path(self) -> Path:
        return self.parent / f".{self.name}.lock"

    def _siblings(self, kind: str) -> Iterator[Path]:
        return (p for p in self.parent.glob(f".{self.name}.{kind}-*") if p.is_dir())

    def __enter__(self) -> Staging:
        self.parent.mkdir(parents=True, exist_ok=True)
        lock = self._lock_path().open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            lock.close()
            raise PublishError(f"another publish is writing {self.out_dir}") from exc
        self._lock = lock
        self.recover()
        self.path = Path(tempfile.mkdtemp(dir=self.parent, prefix=f".{self.name}.tmp-"))
        self._previous = self.out_dir if self.out_dir.is_dir() else None
        return self

    def recover(self) -> None:
        """Repair what a killed publish left: put a parked old output back if the new one
        never arrived, and remove staging folders and swapped-out outputs."""
        parked = sorted(self._siblings("old"), key=lambda p: p.stat().st_mtime)
        if parked and not self.out_dir.exists():
            os.rename(parked.pop(), self.out_dir)
        for leftover in [*parked, *self._siblings("tmp"), *self._siblings("trash")]:
            shutil.rmtree(leftover, ignore_errors=True)

    @property
    def previous(self) -> Path | None:
        """The output folder as it was when the lock was taken, if there was one."""
        return self._previous

    def reuse(self, rel: str) -> None:
        """Carry the previous output's file `rel` over into the new output unchanged."""
        assert self.previous is not None
        if "/" not in rel:  # a top-level file (every per-document file): link by folder fds
            if self._fds is None:
                flags = os.O_RDONLY | os.O_DIRECTORY
                self._fds = (os.open(self.previous, flags), os.open(self.path, flags))
            _link_at(self._fds, rel, self.previous, self.path)
        else:
            link_or_copy(self.previous / rel, self.path / rel)

    def reuse_later(self, rel: str) -> None:
        """`reuse` of a top-level file, done by a `background` worker, a batch of names at a
        time, while this process goes on (a publish of 25,000 unchanged documents spent 2 s
        linking their 150,000 files); `settle` waits until they are in place."""
        if self.background is None or "/" in rel:
            self.reuse(rel)
            return
        self._later.append(rel)
        if len(self._later) >= self._LINK_BATCH:
            self._send_links()

    def _send_links(self) -> None:
        if self._later:
            assert self.previous is not None
            job = self.background.submit(link_files, self.previous, self.path, self._later)
            self._linking.append(job)
            self._later = []

    def settle(self) -> None:
        """Wait until the files given to `reuse_later` are in place; raise what failed."""
        self._send_links()
        linking, self._linking = self._linking, []
        try:
            for job in linking:
                job.result()
        finally:
            wait(linking)

    def _close_fds(self) -> None:
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
            self._fds = None

    def keep_foreign(self, owned: Callable[[str], bool]) -> list[str]:
        """Carry over the top-level entries of the previous output that ldexport did not
        write (a README, a .gitignore): of those the new output does not hold, the names
        `owned` does not claim.  (The new folder is listed, not each name looked up: a
        publish that carries 25,000 documents over holds 150,000 of them; the previous one
        is read as a stream: both listings at once were 20 MiB at the end of a re-publish.)"""
        if self.previous is None:
            return []
        here = set(os.listdir(self.path))
        with os.scandir(self.previous) as entries:
            gone = sorted(e.name for e in entries if e.name not in here)
        del here
        kept = []
        for name in gone:
            if owned(name):
                continue
            entry = self.previous / name
            if entry.is_dir():
                shutil.copytree(entry, self.path / entry.name, copy_function=_link_copy)
            else:
                link_or_copy(entry, self.path / entry.name)
            kept.append(entry.name)
        return kept

    def commit(self) -> None:
        """Swap the staging folder in as the output; the old output is removed after
        (`remove_later`)."""
        self.settle()
        self._close_fds()
        os.chmod(self.path, 0o755 & ~_umask())
        _fsync_dir(self.path)
        old: Path | None = None
        if not self.out_dir.exists():
            os.rename(self.path, self.out_dir)
        elif _exchange(self.path, self.out_dir):
            old = self.path  # now the old output
        else:
            old = Path(tempfile.mkdtemp(dir=self.parent, prefix=f".{self.name}.old-"))
            os.rmdir(old)
            os.rename(self.out_dir, old)
            os.rename(self.path, self.out_dir)
        _fsync_dir(self.parent)
        self.committed = True
        if old is not None:  # out of the way under a name of its own, then removed
            trash = Path(tempfile.mkdtemp(dir=self.parent, prefix=f".{self.name}.trash-"))
            os.rename(old, trash)
            remove_later(trash)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close_fds()
        self._later = []
        wait(self._linking)  # no worker may still be linking into the folder removed here
        try:
            if not self.committed and self.path != self.out_dir:
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            if self._lock is not None:
                fcntl.flock(self._lock, fcntl.LOCK_UN)
                self._lock.close()
                self._lock = None


def remove_later(folder: Path) -> None:
    """Remove a folder that nothing reads any more (the old output, swapped out) in a
    detached `rm -rf`, so that the command is done once the new output is in place: with
    25,000 documents the old output is 150,000 names, about a second of unlinking.  The
    name stays hidden (`.output.trash-*`) until it is gone, and whatever a failed removal
    leaves, the next publish's `Staging.recover` removes."""
    rm = shutil.which("rm")
    if rm is not None:
        try:
            subprocess.Popen(
                [rm, "-rf", "--", str(folder)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _link_copy(src: str, dst: str) -> None:
    link_or_copy(Path(src), Path(dst))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
