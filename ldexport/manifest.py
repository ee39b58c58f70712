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
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ldexport import __version__
from ldexport.errors import LdexportError
from ldexport.resources import data_dir

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
#: Hidden state kept in the output for incremental publishes (per-shard subject lists).
STATE_DIR = ".ldexport"

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


def fingerprint(base_iri: str) -> dict[str, str]:
    """What changes every output: ldexport's version, the base IRI, shapes/ and ontology/."""
    return {
        "ldexport_version": __version__,
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


@dataclass
class Manifest:
    fingerprint: dict[str, str]
    settings: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, DocumentEntry] = field(default_factory=dict)  # by name
    shards: dict[str, ShardEntry] = field(default_factory=dict)
    files: dict[str, FileInfo] = field(default_factory=dict)  # every file but manifest.json
    problems: list[str] = field(default_factory=list)
    format: int = MANIFEST_FORMAT
    votes: dict[str, VotesEntry] = field(default_factory=dict)  # by name
    failed: dict[str, FailedSource] = field(default_factory=dict)  # by source sha256

    def by_source(self) -> dict[str, list[DocumentEntry]]:
        out: dict[str, list[DocumentEntry]] = {}
        for entry in self.documents.values():
            out.setdefault(entry.source_sha256, []).append(entry)
        return out

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
        encoder, and `asdict`, took 1.5 s for 2,500 documents and grew with them)."""
        maps: dict[str, dict[str, Any]] = {
            "documents": self.documents,
            "failed": self.failed,
            "files": self.files,
            "shards": self.shards,
            "votes": self.votes,
        }
        top: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "format": self.format,
            "settings": self.settings,
        }
        out.write("{")
        for i, key in enumerate(sorted([*maps, *top, "problems"])):
            out.write(f"{',' if i else ''}\n {_line(key)}: ")
            if key in top:
                out.write(_line(top[key]))
                continue
            rows: Iterable[str] = (
                (f"  {_line(k)}: {_json(_fields(v))}" for k, v in sorted(maps[key].items()))
                if key in maps
                else (f"  {_line(v)}" for v in self.problems)
            )
            start, end = ("{", "}") if key in maps else ("[", "]")
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
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"manifest format {data.get('format')!r} is not {MANIFEST_FORMAT}")
        return cls(
            fingerprint=data["fingerprint"],
            settings=data.get("settings", {}),
            documents={k: DocumentEntry(**v) for k, v in data["documents"].items()},
            shards={k: ShardEntry(**v) for k, v in data["shards"].items()},
            files={k: FileInfo(**v) for k, v in data["files"].items()},
            problems=list(data.get("problems", [])),
            votes={k: VotesEntry(**v) for k, v in data.get("votes", {}).items()},
            failed={k: FailedSource(**v) for k, v in data.get("failed", {}).items()},
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

    def __init__(self, previous: Manifest | None = None, manifest: Path | None = None) -> None:
        self._known: dict[str, tuple[tuple[int, ...], str]] = {}
        if previous is None or manifest is None:
            return
        try:
            racy = manifest.stat().st_mtime_ns - 1_000_000_000
        except OSError:
            return
        known = [
            (e.source_path, e.source_stat, e.source_sha256) for e in previous.documents.values()
        ]
        known += [(f.source_path, f.source_stat, sha) for sha, f in previous.failed.items()]
        for path, stat, sha256 in known:
            if stat and len(stat) == 3 and stat[2] < racy:
                self._known[path] = (tuple(stat), sha256)

    def __call__(self, path: Path) -> tuple[str, list[int]]:
        """The file's sha256 and its stat (`stat_key`); raises OSError."""
        key = stat_key(path.stat())
        known = self._known.get(str(path))
        if known is not None and known[0] == tuple(key):
            return known[1], key
        return sha256_file(path), key


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest of an output folder, or None (no folder, no manifest, unreadable one)."""
    path = out_dir / MANIFEST_NAME
    try:
        return Manifest.from_json(path.read_bytes())
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


class Staging:
    """Build a new output folder beside the old one and swap it in at the end.

        with Staging(out_dir) as stage:
            ...write files under stage.path, stage.reuse(rel) to keep a previous file...
            stage.commit()

    Leaving the block without `commit()` (an exception) removes the staging folder; the
    previous output is untouched.  A process killed at any point leaves either the old or the
    new output in place, and garbage that the next `Staging` removes.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.absolute()
        self.parent = self.out_dir.parent
        self.name = self.out_dir.name
        self.path = self.out_dir  # replaced by the staging folder on enter
        self._lock: IO[str] | None = None
        self._fds: tuple[int, int] | None = None
        self._previous: Path | None = None
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
            try:
                os.link(rel, rel, src_dir_fd=self._fds[0], dst_dir_fd=self._fds[1])
                return
            except OSError:
                pass
        link_or_copy(self.previous / rel, self.path / rel)

    def _close_fds(self) -> None:
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
            self._fds = None

    def keep_foreign(self, generated: Iterable[str]) -> list[str]:
        """Carry over the top-level entries of the previous output that ldexport did not
        write (a README, a .gitignore); `generated` are the names ldexport owns."""
        if self.previous is None:
            return []
        owned = set(generated)
        kept = []
        for name in sorted(os.listdir(self.previous)):  # names: Paths sort slowly
            if name in owned or (self.path / name).exists():
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
