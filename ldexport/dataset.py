"""The dataset around the per-document files: corpus dumps, shards, catalogue, provenance.

Layout of a published output folder (`D` = the download base, by default `B data/`):

    <name>.ttl .jsonld .json          per document (ldexport.publish.write_document)
    <name>.votes.ttl .votes.jsonld    a resolution's recorded votes (ldexport votes), graph
                                      `B graph/<name>/votes`, kept when the text is published again
    dumps/corpus.{nq,trig,ttl,jsonld}.gz         the whole corpus, one named graph per resolution
    dumps/shards/<shard>.{nq,trig,ttl,jsonld}[.gz]   the same, one file per GA session / SC year
    catalog.ttl, catalog.jsonld       DCAT-AP 3 + VoID description, checked with shapes/dcat-ap
    provenance.ttl                    PROV-O: which source, when, which ldexport made each graph
    context.jsonld, ontology.ttl      the JSON-LD context and the project ontology
    validation-report.txt, manifest.json, .ldexport/ (state for incremental publishes)

Streaming: `DatasetWriter.add` records a document whose per-document Turtle is already on
disk; `close` writes each shard by reading its documents' Turtle one at a time (pyoxigraph),
so memory holds one document's quads and one shard's subject set, never the corpus.  The
corpus dumps (gzip only) are then assembled by copying each shard's compressed body (the gzip
files are multi-member, RFC 1952 §2.2), which is what lets an incremental publish rewrite
only the shards that changed.  A dump is a pure function of the
documents' Turtle, so it is byte-identical whether a document was converted now or reused.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import io
import json
import os
import re
import shutil
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cache, partial
from itertools import dropwhile, groupby, islice, pairwise, takewhile
from operator import itemgetter, methodcaller
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import orjson
import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD
from zlib_ng import gzip_ng

from ldexport import __version__
from ldexport.iris import Iris
from ldexport.manifest import (
    MANIFEST_DB,
    STATE_DIR,
    DocumentEntry,
    FailedSource,
    FileInfo,
    HashingWriter,
    Manifest,
    Rows,
    ShardEntry,
    Staging,
    Table,
    VotesEntry,
    fingerprint,
    read_manifest,
    scratch_database,
    sha256_file,
)
from ldexport.model import Resolution
from ldexport.namespaces import ONTOLOGY_IRI
from ldexport.resources import data_dir
from ldexport.serialize import (
    Compactor,
    Serialized,
    Terms,
    jsonld_nodes,
    ntriples,
    parsed_rows,
    prefix_lines,
    prefix_map,
    sorted_rows,
    strip_prefix_lines,
    turtle_header,
    turtle_of,
)
from ldexport.settings import Settings
from ldexport.symbols import describe, file_name

if TYPE_CHECKING:
    from ldexport.convert import Converted

DUMPS = "dumps"
SHARDS = f"{DUMPS}/shards"
CORPUS = "corpus"
CATALOG = "catalog"
PROVENANCE = "provenance.ttl"
ONTOLOGY = "ontology.ttl"
#: The UNBIS Thesaurus concepts subjects are taken from (six-language labels, domains, broader
#: concepts): described once here, named only by type and English label in each document.
THESAURUS = "unbis.ttl"
#: What `THESAURUS` was made from (the lexicon's digest and ldexport's version), so that an
#: incremental publish reuses it instead of writing 73,000 triples again.
THESAURUS_KEY = f"{STATE_DIR}/unbis.key"
CONTEXT = "context.jsonld"
REPORT = "validation-report.txt"
SUBJECTS = f"{STATE_DIR}/subjects"
#: Per shard, where each member's pieces are in its dump files (so that a shard written again
#: copies the documents that did not change): rows [name, votes, graph, Turtle sha256,
#: triples, then p0, p1, g0, g1 for each format] in the shard's order.
MEMBERS = f"{STATE_DIR}/members"
#: zlib-ng's level 5: the dumps' gzip members 0.7% larger than at level 6 (the default), in
#: 60-80% of the time (1.12-1.54 -> 0.86-0.90 ms a document, of a worker's 24-33)
GZIP_LEVEL = 5

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
UN_TERMS = URIRef("https://www.un.org/en/about-us/terms-of-use")
EARTH = URIRef("https://sws.geonames.org/6295630/")
RDF_TYPE = str(RDF.type)


@dataclass(frozen=True)
class DumpFormat:
    ext: str
    media_type: str
    file_type: str  # EU file-type authority code
    label: str


FORMATS = (
    DumpFormat("nq", "application/n-quads", "RDF_N_QUADS", "N-Quads"),
    DumpFormat("trig", "application/trig", "RDF_TRIG", "TriG"),
    DumpFormat("ttl", "text/turtle", "RDF_TURTLE", "Turtle"),
    DumpFormat("jsonld", "application/ld+json", "JSON_LD", "JSON-LD"),
)
_FORMAT = {f.ext: f for f in FORMATS}


# --- shards ----------------------------------------------------------------------------------


def shard_of(res: Resolution) -> tuple[str, str]:
    """The shard of a document and its label: a General Assembly session, a Security Council
    year; anything else by organ and year."""
    info = describe(res.symbol)
    session = res.session.number if res.session else info.session
    label = res.session.label if res.session and res.session.label else None
    year = info.year or _year(res.adoption_date) or _year(res.distribution_date)
    return _shard(res.body, session, label, year)


def _shard(
    body: str | None, session: str | None, label: str | None, year: str | None
) -> tuple[str, str]:
    """A shard's name and label: a General Assembly session, else the organ and the year."""
    if body == "un-ga" and session:
        return f"ga-session-{session}", f"General Assembly, {label or f'session {session}'}"
    if body == "un-sc":
        return (
            (f"sc-{year}", f"Security Council, {year}")
            if year
            else ("sc-undated", "Security Council, undated")
        )
    body = body or "other"
    return f"{body}-{year or 'undated'}", f"{body}, {year or 'undated'}"


def _year(date: str | None) -> str | None:
    return date[:4] if date else None


def votes_shard(symbol: str, date: str | None) -> tuple[str, str]:
    """The shard of a votes graph whose resolution is not published (otherwise it is the
    resolution's): from the symbol, as `shard_of` does for documents."""
    info = describe(symbol)
    return _shard(info.body, info.session, None, info.year or _year(date))


@dataclass(frozen=True)
class _Member:
    """One named graph of a shard: a document's or a votes graph, and its Turtle file."""

    name: str
    graph: str
    ttl: str
    triples: int
    votes: bool


# --- one named graph as the dumps hold it ---------------------------------------------------------


class Fragments:
    """Each dump format's header, footer and separator between named graphs."""

    def __init__(self, prefix_map: dict[str, str]) -> None:
        # the Turtle and TriG dumps carry the sorted @prefix lines once, the graphs' bodies
        # written with the same prefixes
        ctx = json.dumps(prefix_map, ensure_ascii=False, sort_keys=True)
        self.headers = {
            "nq": b"",
            "trig": prefix_lines(prefix_map),
            "ttl": prefix_lines(prefix_map),
            "jsonld": f'{{"@context": {ctx},\n "@graph": [\n'.encode(),
        }
        self.footers = {"nq": b"", "trig": b"", "ttl": b"", "jsonld": b"\n]}\n"}
        self.separators = {"nq": b"", "trig": b"", "ttl": b"", "jsonld": b",\n"}


@cache
def fragments() -> Fragments:
    return Fragments(prefix_map())


@dataclass(frozen=True)
class DocumentDump:
    """One named graph encoded in every dump format (`plain`, by format extension) and each
    encoding as one gzip member (`gz`): `dump_pieces` of the document's sorted triples,
    computed by the worker that rendered its files, or `document_dump` of the Turtle file of
    a document carried over (the same bytes).  Shards are these pieces, concatenated; their
    statistics count the `terms`."""

    graph: str
    triples: int
    plain: dict[str, bytes]
    gz: dict[str, bytes]
    terms: Terms


def dump_pieces(graph: str, rdf: Serialized) -> DocumentDump:
    """A named graph's dump pieces from what its per-document files were written from (its
    sorted triples in N-Triples, their Turtle body and JSON-LD node lines), so that nothing
    is parsed or serialised twice: N-Quads are its N-Triples with the graph before each
    line's final " ." (N-Triples escapes line breaks in literals); TriG wraps the Turtle
    body in the graph's braces."""
    g = str(ox.NamedNode(graph))
    opening = f"{g} {{\n".encode()
    turtle_body = rdf.turtle_body
    plain = {
        "nq": rdf.ntriples.replace(b" .\n", f" {g} .\n".encode()),
        "trig": opening + turtle_body + _TRIG_CLOSING,
        "ttl": turtle_body,
        # orjson.dumps({"@id": graph, "@graph": nodes}, option=orjson.OPT_SORT_KEYS)
        "jsonld": b'{"@graph":[%s],"@id":%s}' % (b",".join(rdf.jsonld_lines), orjson.dumps(graph)),
    }
    gz = {k: _gzip_bytes(v) for k, v in plain.items() if k != "trig"}
    # TriG's piece is Turtle's between two lines: its gzip twin, members for the two lines
    # around the Turtle's (RFC 1952 §2.2), compresses the body once, not twice
    gz["trig"] = _gzip_bytes(opening) + gz["ttl"] + _gzip_separator(_TRIG_CLOSING)
    return DocumentDump(graph, rdf.triples, plain, gz, rdf.terms)


_TRIG_CLOSING = b"}\n"


def document_dump(ttl: bytes, graph: str) -> DocumentDump:
    """The dump pieces of a named graph from its Turtle file (a document carried over)."""
    rows = parsed_rows(q.triple for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    header = turtle_header()
    body = ttl[len(header) :] if ttl.startswith(header) else None
    return dump_pieces(graph, Serialized.of_rows(rows, body))


_RDF_TYPE_NQ = f"<{RDF_TYPE}>".encode()


#: The subjects (as N-Quads writes them), predicates and classes (IRIs) of a named graph.
Stats = tuple[set[bytes], set[bytes], set[bytes]]


def nquads_stats(nq: bytes) -> Stats:
    """The `Stats` of N-Quads (the pieces of a previous shard, whose rows are not known)."""
    subjects: set[bytes] = set()
    predicates: set[bytes] = set()
    classes: set[bytes] = set()
    for line in nq.splitlines():
        s, p, rest = line.split(b" ", 2)
        subjects.add(s)
        predicates.add(p)
        if p == _RDF_TYPE_NQ and rest.startswith(b"<"):
            classes.add(rest[1 : rest.index(b">")])
    return subjects, {p[1:-1] for p in predicates}, classes


def terms_bytes(terms: Terms) -> bytes:
    """`Terms` as the spool keeps them: a line a term, the three parts separated by NUL (no
    IRI, nor a subject as N-Triples writes it, holds a line break or a NUL)."""
    return "\0".join("\n".join(part) for part in terms).encode()


def stats_of(data: bytes) -> Stats:
    """The `Stats` of `terms_bytes`."""
    subjects, predicates, classes = (
        set(part.split(b"\n")) if part else set() for part in data.split(b"\0")
    )
    return subjects, predicates, classes


# --- files made of a header, a body and a footer ----------------------------------------------


def _gzip_bytes(data: bytes) -> bytes:
    """One gzip member (deterministic: mtime 0, no name); nothing for nothing.  zlib-ng
    compresses the dumps' RDF in 60% of zlib's time at the same level, and a little smaller
    (at `GZIP_LEVEL`)."""
    if not data:
        return b""
    member: bytes = gzip_ng.compress(data, GZIP_LEVEL, mtime=0)  # type: ignore[no-untyped-call]
    return member


class SplitFile:
    """A dump file written as header, body, footer; the gzip twin as members: one for the
    header, one per piece of the body (a document's graph, a separator), one for the footer.
    Records the byte range of each piece in both files, and of the compressed body, so that
    pieces and bodies can be copied into other dump files as they are (RFC 1952 §2.2)."""

    def __init__(self, path: Path, header: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.gz_path = path.with_name(path.name + ".gz")
        self._plain_raw = path.open("wb")
        self._gz_raw = self.gz_path.open("wb")
        self.plain = HashingWriter(self._plain_raw)
        self.gz = HashingWriter(self._gz_raw)
        self.plain.write(header)
        self.gz.write(_gzip_bytes(header))
        self.body_gz = [self.gz.size, self.gz.size]

    def write(self, data: bytes, gz: bytes | None = None) -> list[int]:
        """Append a piece of the body, and `gz` (its gzip member; made here when None).
        Returns the ranges of the piece in the plain and the gzip file: [p0, p1, g0, g1]."""
        p0, g0 = self.plain.size, self.gz.size
        if data:
            self.plain.write(data)
            self.gz.write(_gzip_bytes(data) if gz is None else gz)
        return [p0, self.plain.size, g0, self.gz.size]

    def close(self, footer: bytes) -> tuple[FileInfo, FileInfo]:
        self.body_gz[1] = self.gz.size
        self.plain.write(footer)
        self.gz.write(_gzip_bytes(footer))
        self._plain_raw.close()
        self._gz_raw.close()
        return FileInfo(self.plain.size, self.plain.sha256), FileInfo(self.gz.size, self.gz.sha256)

    def abort(self) -> None:
        self._plain_raw.close()
        self._gz_raw.close()


def _copy_range(path: Path, span: Sequence[int], out: HashingWriter) -> None:
    start, end = span
    with path.open("rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            chunk = f.read(min(left, 1 << 20))
            if not chunk:
                raise OSError(f"{path} is shorter than its manifest says")
            out.write(chunk)
            left -= len(chunk)


# --- the writer --------------------------------------------------------------------------------


@dataclass
class DatasetStats:
    triples: int = 0
    distinct_subjects: int = 0
    entities: int = 0
    predicates: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    first_date: str | None = None
    last_date: str | None = None


#: Shard jobs handed to the background workers at a time, enough to keep eight busy: a job
#: holds its members, their digests and spool places, and all of them at once held every
#: document's (the main process's high-water mark after `close` at 25,000 documents: 127
#: MiB then, 120 since).
SHARD_JOBS_AHEAD = 8
#: The dump files of a shard in the order of a member row's ranges (`MEMBERS`).
_PIECES = tuple(fmt.ext for fmt in FORMATS)
#: A document's place in a spool file: its offset and the lengths of its plain and gzip
#: pieces and of its `terms_bytes`.
_SPOOLED = struct.Struct(f"<{2 + 2 * len(_PIECES)}Q")
#: Where, in a staging output, what the workers made of the documents converted in a publish
#: waits: their files until the main process moves them into place (`spool_files`), their
#: dump pieces until `DatasetWriter.close` (`spool_dump`: one file a process).
SPOOL_DIR = f"{STATE_DIR}/spool"


@dataclass(frozen=True)
class SpooledDump:
    """A `DocumentDump` written to a spool file (`spool_dump`): where its pieces are.

    A worker process that sees the output folder spools the pieces it made itself and sends
    back only this.  Otherwise about 340 KiB a document are pickled, sent through a pipe,
    unpickled and written by the main process: 1.9 M instructions a document more (1.4% of
    a publish's), the pipe's copies in the kernel not counted."""

    graph: str
    triples: int
    file: str  #: the spool file's name, in the spool folder
    at: bytes  #: `_SPOOLED`: the offset of the pieces and their lengths


def spool_dump(folder: Path, dump: DocumentDump) -> SpooledDump:
    """Append a document's dump pieces to this process's spool file in `folder`."""
    spool = _Spool.of(folder)
    pieces = [dump.plain[ext] for ext in _PIECES] + [dump.gz[ext] for ext in _PIECES]
    pieces.append(terms_bytes(dump.terms))
    return SpooledDump(dump.graph, dump.triples, spool.name, spool.append(pieces))


def spool_files(folder: Path, files: dict[str, bytes]) -> dict[str, str]:
    """Write a document's files into `folder`, each under a name of its own there (file name
    -> that name), for the main process to move into place: a worker that sees the output
    sends back these names, not the files (about 190 KiB a document)."""
    return _Spool.of(folder).place(files)


def close_spool(folder: Path) -> None:
    """Close this process's spool file if it is in `folder` (a worker's stays open until it
    spools to another folder or ends: its pieces are on disk after every document)."""
    spool = _Spool.current
    if spool is not None and spool.folder == folder and spool.pid == os.getpid():
        spool.file.close()
        _Spool.current = None


class _Spool:
    """What this process spools in one folder: the dump pieces, appended to a file named
    after the process, and the documents' files, each under a name of its own."""

    #: the spool this process appends to (a process forked from one that spooled starts its own)
    current: _Spool | None = None

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.pid = os.getpid()
        self.name = f"{self.pid}.spool"
        self.file = (folder / self.name).open("wb")
        self.placed = 0  # documents whose files `place` wrote

    @classmethod
    def of(cls, folder: Path) -> _Spool:
        """This process's spool in `folder`, opened on first use."""
        spool = cls.current
        if spool is None or spool.folder != folder or spool.pid != os.getpid() or spool.file.closed:
            spool = cls.current = cls(folder)
        return spool

    def place(self, files: dict[str, bytes]) -> dict[str, str]:
        """Write each file as `<pid>.<n>.<file name>`, n counting the documents."""
        self.placed += 1
        names = {}
        for name, data in files.items():
            names[name] = spooled = f"{self.pid}.{self.placed}.{name}"
            (self.folder / spooled).write_bytes(data)
        return names

    def append(self, pieces: list[bytes]) -> bytes:
        """Write `pieces` one after the other; where they are (`_SPOOLED`).  Flushed: the
        process that writes the shards reads them, while this one goes on."""
        offset = self.file.tell()
        for piece in pieces:
            self.file.write(piece)
        self.file.flush()
        return _SPOOLED.pack(offset, *map(len, pieces))


class DatasetWriter:
    """Writes the dumps, catalogue and provenance of a dataset into `out_dir`.

        with DatasetWriter(stage_dir, iris, settings, previous, previous_dir) as writer:
            writer.add(resolution, None, source_path, converted_at, files, dump=dump)
            writer.keep(entry)                                          # per reused doc
        manifest = writer.manifest

    A document's per-document Turtle (`<name>.ttl`) must be in `out_dir` before `add`/`keep`.
    `add` with a `DocumentDump` (made by the worker from the Turtle) spools its pieces to a
    temporary file until `close` writes the shards (with a `SpooledDump`, a worker process
    spooled them already); without one (or for `keep`), a shard
    that must be written again takes the document's pieces from the previous output's shard
    files when its Turtle is the same (`MEMBERS` records where each one is), else from the
    Turtle file.  Per document, memory holds its manifest entry and a few offsets.
    `previous` (the manifest of `previous_dir`) lets unchanged shards be reused as they are.
    """

    def __init__(
        self,
        out_dir: Path,
        iris: Iris,
        settings: Settings,
        previous: Manifest | None = None,
        previous_dir: Path | None = None,
        reuse: Callable[[str], None] | None = None,
        background: Any = None,
    ) -> None:
        self.out_dir = out_dir
        #: where `close` writes shards, provenance and the thesaurus and checks the catalogue
        #: while this process does the rest: worker processes that see this file system
        #: (`LocalExecutor.background`), or this process, one job after the other
        self.background = background or InlineExecutor()
        self.iris = iris
        self.settings = settings
        self.previous = previous
        self.previous_dir = previous_dir
        self._reuse = reuse
        self.manifest = Manifest.create(
            out_dir / MANIFEST_DB, fingerprint(iris.base), settings.fingerprint()
        )
        self._votes: dict[str, VotesEntry] = {}
        self._labels: dict[str, str] = {}
        self.fragments = fragments()
        #: the spool of this process and of the workers (`spool_dump`, `spool_files`)
        self.spool_folder = out_dir / SPOOL_DIR
        #: name -> which spool file holds its pieces and where: offset and lengths, packed
        #: (`_SPOOLED`), in a private temporary database (as the manifest's entries: not in
        #: memory)
        self._spooled = scratch_database()
        self._spooled.execute(
            "CREATE TABLE spooled (name TEXT PRIMARY KEY, file TEXT, at BLOB) WITHOUT ROWID"
        )
        self.catalog = Graph(bind_namespaces="none")  # filled by close()
        self._catalog_check: Future[list[str]] | None = None

    # -- recording documents
    def add(
        self,
        res: Resolution,
        graph: Graph | None = None,
        source_path: str = "",
        converted_at: str | None = None,
        files: Sequence[str] = (),
        *,
        triples: int | None = None,
        dump: DocumentDump | SpooledDump | None = None,
        source_stat: list[int] | None = None,
    ) -> DocumentEntry:
        """Record one conforming document whose files are already written: its graph, or
        its number of `triples` and its `dump` (`document_dump` of its Turtle)."""
        name = file_name(res.symbol)
        shard, label = shard_of(res)
        assert res.source is not None, "a converted document knows its source"
        if triples is None:
            assert graph is not None, "add() needs the graph or the number of triples"
            triples = len(graph)
        entry = DocumentEntry(
            symbol=res.symbol,
            name=name,
            graph=self.iris.graph(res.symbol),
            shard=sys.intern(shard),
            source_sha256=res.source.sha256,
            source_path=source_path or res.source.path,
            converted_at=converted_at or now_iso(),
            ldexport_version=__version__,
            triples=triples,
            # values many documents share, held once (an entry stays until the end)
            adoption_date=_shared(res.adoption_date),
            session=_shared(res.session.number if res.session else None),
            body=_shared(res.body),
            files=list(files) or [f"{name}.ttl", f"{name}.jsonld", f"{name}.json"],
            source_stat=source_stat,
        )
        self.keep(entry, label)
        if dump is not None:
            if dump.graph != entry.graph or dump.triples != triples:
                raise ValueError(f"{res.symbol}: the dump is not of this document")
            self._spool_dump(name, dump)
        return entry

    def _spool_dump(self, name: str, dump: DocumentDump | SpooledDump) -> None:
        if isinstance(dump, DocumentDump):
            dump = spool_dump(self.spool_folder, dump)
        self._spooled.execute("INSERT INTO spooled VALUES (?, ?, ?)", (name, dump.file, dump.at))

    def keep(
        self,
        entry: DocumentEntry,
        label: str | None = None,
        linked: bool = False,
        text: str | None = None,
    ) -> None:
        """Record a document carried over from the previous output (`linked`: its files
        are known to be in place: no need to look; `text`: its manifest row, unchanged)."""
        if entry.name in self.manifest.documents:
            raise ValueError(f"{entry.symbol} is already in the dataset")
        if not linked and not (self.out_dir / f"{entry.name}.ttl").is_file():
            raise FileNotFoundError(f"{entry.name}.ttl must be written before it is added")
        if entry.shard not in self._labels:
            self._labels[entry.shard] = (
                label or _previous_label(self.previous, entry.shard) or entry.shard
            )
        if text is None:
            self.manifest.documents[entry.name] = entry
        else:
            self.manifest.documents.put_raw(entry.name, text, entry)

    def add_votes(self, entry: VotesEntry, label: str | None = None) -> None:
        """Record a votes graph whose files are already in `out_dir`."""
        if entry.name in self._votes:
            raise ValueError(f"the votes of {entry.symbol} are already in the dataset")
        if not (self.out_dir / entry.files[0]).is_file():
            raise FileNotFoundError(f"{entry.files[0]} must be written before it is added")
        label = (
            self._labels.get(entry.shard)
            or _previous_label(self.previous, entry.shard)
            or label
            or entry.shard
        )
        self._labels.setdefault(entry.shard, label)
        self._votes[entry.name] = entry
        self.manifest.votes[entry.name] = entry

    # -- writing
    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self._drop_spool()

    def _drop_spool(self) -> None:
        close_spool(self.spool_folder)
        shutil.rmtree(self.spool_folder, ignore_errors=True)

    def close(self) -> Manifest:
        """Write shards, corpus dumps, ontology, provenance and catalogue; fill the manifest.
        The shards that changed, the provenance (two parts), the thesaurus and the
        catalogue check are jobs for `background`; the main process meanwhile copies the
        corpus dumps, counts the distinct subjects and writes the catalogue."""
        thesaurus = self._thesaurus()
        # The shards' jobs go out a few at a time (`SHARD_JOBS_AHEAD`), recorded in order.
        jobs: deque[tuple[str, ShardEntry | Future[tuple[ShardEntry, dict[str, FileInfo]]]]]
        jobs = deque()
        try:
            for shard, members in self._shards_members():
                jobs.append((shard, self._shard(shard, members)))
                while jobs and (len(jobs) > SHARD_JOBS_AHEAD or not isinstance(jobs[0][1], Future)):
                    self._shard_done(*jobs.popleft())
            while jobs:
                self._shard_done(*jobs.popleft())
        finally:
            _settle(job for _, job in jobs)
            self._drop_spool()
        del jobs
        self.manifest.commit()  # the provenance jobs read the documents
        votes = list(self.manifest.votes.values())
        parts = [self.out_dir / PROVENANCE]  # the first part in place, the others appended
        parts += [
            self.out_dir / STATE_DIR / f"prov-{i}.ttl" for i in range(1, len(PROVENANCE_PARTS))
        ]
        provenance = [
            self.background.submit(
                write_provenance_file, path, self.manifest.documents, self.iris, votes, part
            )
            for path, part in zip(parts, PROVENANCE_PARTS, strict=True)
        ]
        corpus: list[Future[tuple[str, FileInfo]]] = []
        try:
            corpus = self._corpus()
            self._copy_ontology()
            if thesaurus is not None:
                for rel, info in thesaurus.result().items():
                    self._record(rel, info)
            subjects = count_subjects(  # meanwhile: the workers write the provenance, and
                # two threads of this process copy the corpus dumps (without the GIL, mostly)
                [self.out_dir / SUBJECTS / f"{s}.txt.gz" for s in sorted(self.manifest.shards)],
                self.iris.base,
            )
            for job in provenance:
                job.result()
            self._record(PROVENANCE, append_files(parts[0], parts[1:]))
            for dump in corpus:
                self._record(*dump.result())
            stats = self._stats(*subjects)
        finally:
            _settle([*provenance, *([thesaurus] if thesaurus else []), *corpus])
        #: the catalogue graph, as catalog.ttl and catalog.jsonld hold it
        self.catalog = write_catalog(
            self.out_dir, self.manifest, stats, self.iris, self.settings, self._labels
        )
        self._catalog_check = self.background.submit(
            catalog_problems, self.out_dir / f"{CATALOG}.ttl"
        )
        return self.manifest

    def _shards_members(self) -> Iterator[tuple[str, list[_Member]]]:
        """Each shard with its members (documents and votes graphs, in name order), in shard
        order: the documents read by SQLite in that order (no entry is made), one shard's
        at a time.  All members at once were 25,000 objects at 25,000 documents, and their
        memory, freed in the middle of the process's, was not given back."""
        fields = ("name", "graph", "triples", "shard")
        rows = self.manifest.documents.select(fields, order_by=("shard", "name"))
        documents = (
            (shard, [_Member(n, g, f"{n}.ttl", t, False) for n, g, t, _ in group])
            for shard, group in groupby(rows, key=itemgetter(3))
        )
        votes: dict[str, list[_Member]] = {}
        for v in self._votes.values():
            votes.setdefault(v.shard, []).append(
                _Member(v.name, v.graph, v.files[0], v.triples, True)
            )
        both = heapq.merge(documents, sorted(votes.items()), key=itemgetter(0))
        for shard, parts in groupby(both, key=itemgetter(0)):
            members = [m for _, part in parts for m in part]
            yield shard, sorted(members, key=lambda m: (m.name, m.votes))

    def check(self) -> None:
        """Raise PublishError, listing the problems, when the catalogue `close` wrote does not
        conform to the DCAT-AP shapes (checked in the background since)."""
        if self._catalog_check is None:
            raise RuntimeError("check() comes after close()")
        _raise_catalog_problems(self._catalog_check.result())

    def _record(self, rel: str, info: FileInfo) -> None:
        self.manifest.files[rel] = info

    def _ttl_digests(self, members: list[_Member]) -> list[str]:
        """The sha256 of the members' Turtle: from the manifest's files, read for the others."""
        rows = self.manifest.files.raw_many([m.ttl for m in members])
        return [
            json.loads(rows[m.ttl])["sha256"]
            if m.ttl in rows
            else sha256_file(self.out_dir / m.ttl)
            for m in members
        ]

    def _shard_done(
        self, shard: str, job: ShardEntry | Future[tuple[ShardEntry, dict[str, FileInfo]]]
    ) -> None:
        """Record a shard: its entry and, for one written now, its files."""
        if isinstance(job, Future):
            entry, files = job.result()
            for rel, info in files.items():
                self._record(rel, info)
            job = entry
        self.manifest.shards[shard] = job

    def _shard(
        self, shard: str, entries: list[_Member]
    ) -> ShardEntry | Future[tuple[ShardEntry, dict[str, FileInfo]]]:
        """The previous output's shard, reused, when its graphs are the same; else the
        background job that writes it (`build_shard`)."""
        digests = self._ttl_digests(entries)
        digest = _shard_digest(entries, digests)
        prev = self.previous.shards.get(shard) if self.previous else None
        files = shard_files(shard)
        if (
            prev is not None
            and prev.digest == digest
            and self.previous is not None
            and self.previous_dir is not None
            and self._reuse is not None
            and all(rel in self.previous.files for rel in files)
        ):
            for rel in files:
                self._reuse(rel)
                self._record(rel, self.previous.files[rel])
            return prev
        documents = [self.manifest.documents[m.name] for m in entries if not m.votes]
        dates = [e.adoption_date for e in documents if e.adoption_date]
        entry = ShardEntry(
            label=self._labels.get(shard, shard),
            documents=[e.name for e in documents],
            digest=digest,
            triples=0,
            distinct_subjects=0,
            predicates=[],
            classes=[],
            first_date=min(dates, default=None),
            last_date=max(dates, default=None),
            votes=[m.name for m in entries if m.votes],
        )
        job = ShardJob(
            out_dir=self.out_dir,
            shard=shard,
            entry=entry,
            members=entries,
            ttl_digests=digests,
            spool=self.spool_folder,
            spooled=self._spooled_of(entries),
            previous_dir=self._previous_shard_dir(shard),
        )
        return self.background.submit(build_shard, job)

    def _spooled_of(self, members: list[_Member]) -> dict[str, tuple[str, bytes]]:
        """Which spool file holds the members' pieces and where (those added with a dump)."""
        query = "SELECT file, at FROM spooled WHERE name = ?"
        out = {}
        for m in members:
            row = self._spooled.execute(query, (m.name,)).fetchone()
            if row is not None:
                out[m.name] = (row[0], row[1])
        return out

    def _previous_shard_dir(self, shard: str) -> Path | None:
        """The previous output, when it has the shard's files and their index (`MEMBERS`)."""
        rel = f"{MEMBERS}/{shard}.json"
        if self.previous is None or self.previous_dir is None or rel not in self.previous.files:
            return None
        if not all(f"{SHARDS}/{shard}.{ext}" in self.previous.files for ext in _PIECES):
            return None
        return self.previous_dir

    def _corpus(self) -> list[Future[tuple[str, FileInfo]]]:
        """The whole-corpus dumps, gzip only: the shards' compressed bodies copied as they
        are (one gzip member per graph), the four formats on two threads, started here and
        done when their futures are (copying and hashing release the GIL: at 25,000
        documents, 508 MB in about 1 s, while this thread counts the subjects).  Written
        again whenever a shard changed, so they are kept small: the plain corpus would be
        the corpus's size again in each format (about 5 GB at 25,000 documents), and
        whoever needs plain N-Quads has the shards' (`ldexport load` streams them)."""
        pool = ThreadPoolExecutor(max_workers=2)
        try:
            return [pool.submit(self._corpus_file, fmt) for fmt in FORMATS]
        finally:
            pool.shutdown(wait=False)  # its threads end after the last copy

    def _corpus_file(self, fmt: DumpFormat) -> tuple[str, FileInfo]:
        rel = f"{DUMPS}/{CORPUS}.{fmt.ext}.gz"
        path = self.out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        sep = _gzip_separator(self.fragments.separators[fmt.ext])
        with path.open("wb") as raw:
            out = HashingWriter(raw)
            out.write(_gzip_bytes(self.fragments.headers[fmt.ext]))
            for i, shard in enumerate(sorted(self.manifest.shards)):
                if i:
                    out.write(sep)
                srel = f"{SHARDS}/{shard}.{fmt.ext}.gz"
                _copy_range(self.out_dir / srel, self.manifest.shards[shard].bodies[srel], out)
            out.write(_gzip_bytes(self.fragments.footers[fmt.ext]))
        return rel, FileInfo(out.size, out.sha256)

    def _copy_ontology(self) -> None:
        target = self.out_dir / ONTOLOGY
        shutil.copyfile(data_dir("ontology") / "ldexport.ttl", target)
        self._record(ONTOLOGY, FileInfo.of(target))

    def _thesaurus(self) -> Future[dict[str, FileInfo]] | None:
        """`THESAURUS`, reused from the previous output when made from the same lexicon by the
        same ldexport; else the background job that writes it (about 2 s)."""
        from ldexport.subjects import lexicon_digest

        key = f"{lexicon_digest()} {__version__}\n".encode()
        prev = self.previous
        if (
            prev is not None
            and self.previous_dir is not None
            and self._reuse is not None
            and THESAURUS in prev.files
            and THESAURUS_KEY in prev.files
            and (self.previous_dir / THESAURUS_KEY).read_bytes() == key
        ):
            for rel in (THESAURUS, THESAURUS_KEY):
                self._reuse(rel)
                self._record(rel, prev.files[rel])
            return None
        future: Future[dict[str, FileInfo]] = self.background.submit(
            write_thesaurus, self.out_dir, key
        )
        return future

    def _stats(self, distinct_subjects: int, entities: int) -> DatasetStats:
        stats = DatasetStats(distinct_subjects=distinct_subjects, entities=entities)
        for shard in self.manifest.shards.values():
            stats.triples += shard.triples
            stats.predicates.update(shard.predicates)
            stats.classes.update(shard.classes)
            for d in (shard.first_date, shard.last_date):
                if d:
                    stats.first_date = min(stats.first_date or d, d)
                    stats.last_date = max(stats.last_date or d, d)
        return stats


@dataclass(frozen=True)
class ShardJob:
    """What `build_shard` needs to write a shard's files (picklable: a worker process may)."""

    out_dir: Path
    shard: str
    entry: ShardEntry  # filled in by build_shard
    members: list[_Member]
    ttl_digests: list[str]
    #: the folder of the spool files of the dump pieces made in this publish, and which
    #: file holds each document's and where
    spool: Path
    spooled: dict[str, tuple[str, bytes]]
    #: the previous output, when it has the shard's files and their index (`MEMBERS`)
    previous_dir: Path | None


def build_shard(job: ShardJob) -> tuple[ShardEntry, dict[str, FileInfo]]:
    """Write one shard's dump files (plain and gzip), its index of pieces (`MEMBERS`) and
    its sorted subjects (`SUBJECTS`); return its entry and the files written.  Each graph's
    pieces come from the spool (converted in this publish), else from the previous shard
    files when its Turtle is the same, else from its Turtle file."""
    entry = replace(job.entry, bodies={})
    frags = fragments()
    files: dict[str, FileInfo] = {}
    subjects: set[bytes] = set()
    predicates: set[bytes] = set()
    classes: set[bytes] = set()
    triples = 0
    previous = _previous_rows(job.previous_dir, job.shard)
    rows: list[list[Any]] = []
    with ExitStack() as stack:
        spools: dict[str, IO[bytes]] = {}  # by file name, opened when first read
        outs: dict[str, SplitFile] = {}
        for fmt in FORMATS:
            out = SplitFile(job.out_dir / SHARDS / f"{job.shard}.{fmt.ext}", frags.headers[fmt.ext])
            stack.callback(out.abort)
            outs[fmt.ext] = out
        old: dict[str, tuple[IO[bytes], IO[bytes]]] = {}
        if previous:
            assert job.previous_dir is not None
            for ext in _PIECES:
                rel = f"{SHARDS}/{job.shard}.{ext}"
                old[ext] = (
                    stack.enter_context((job.previous_dir / rel).open("rb")),
                    stack.enter_context((job.previous_dir / f"{rel}.gz").open("rb")),
                )
        for i, (doc, ttl_sha) in enumerate(zip(job.members, job.ttl_digests, strict=True)):
            row = previous.get(f"{doc.name} {int(doc.votes)}")
            if not doc.votes and doc.name in job.spooled:
                file, at = job.spooled[doc.name]
                if file not in spools:
                    spools[file] = stack.enter_context((job.spool / file).open("rb"))
                plain, gz, stats = _unspool(spools[file], at)
            elif row is not None and row[2] == doc.graph and row[3] == ttl_sha:
                plain, gz = _read_pieces(old, row[5:])
                if row[4] != doc.triples:
                    raise ValueError(f"{doc.ttl}: {row[4]} triples, {doc.triples} expected")
                stats = nquads_stats(plain["nq"])
            else:
                dump = document_dump((job.out_dir / doc.ttl).read_bytes(), doc.graph)
                if dump.triples != doc.triples:
                    raise ValueError(
                        f"{doc.ttl} has {dump.triples} triples, {doc.triples} expected"
                    )
                plain, gz, stats = dump.plain, dump.gz, stats_of(terms_bytes(dump.terms))
            triples += doc.triples
            s, p, c = stats
            subjects |= s
            predicates |= p
            classes |= c
            ranges: list[int] = []
            for ext, out in outs.items():
                if i:
                    sep = frags.separators[ext]
                    out.write(sep, _gzip_separator(sep))
                ranges += out.write(plain[ext], gz[ext])
            rows.append([doc.name, int(doc.votes), doc.graph, ttl_sha, doc.triples, *ranges])
            del plain, gz
        for ext, out in outs.items():
            plain_info, gz_info = out.close(frags.footers[ext])
            rel = f"{SHARDS}/{job.shard}.{ext}"
            files[rel] = plain_info
            files[f"{rel}.gz"] = gz_info
            entry.bodies[f"{rel}.gz"] = list(out.body_gz)
    members_rel = f"{MEMBERS}/{job.shard}.json"
    path = job.out_dir / members_rel
    path.parent.mkdir(parents=True, exist_ok=True)
    index = {"layout": _DUMP_LAYOUT, "members": rows}
    path.write_bytes(json.dumps(index, separators=(",", ":")).encode())
    files[members_rel] = FileInfo.of(path)
    subjects_rel = f"{SUBJECTS}/{job.shard}.txt.gz"
    path = job.out_dir / subjects_rel
    path.parent.mkdir(parents=True, exist_ok=True)
    text = b"".join(sorted(s + b"\n" for s in subjects))
    path.write_bytes(_gzip_bytes(text))
    files[subjects_rel] = FileInfo.of(path)
    entry.triples = triples
    entry.distinct_subjects = len(subjects)
    entry.predicates = sorted(p.decode() for p in predicates)
    entry.classes = sorted(c.decode() for c in classes)
    return entry, files


def _previous_rows(previous_dir: Path | None, shard: str) -> dict[str, list[Any]]:
    """The previous output's index of a shard's pieces (`MEMBERS`), by member key; nothing
    when its pieces were written in another layout (`_DUMP_LAYOUT`)."""
    if previous_dir is None:
        return {}
    try:
        index = json.loads((previous_dir / MEMBERS / f"{shard}.json").read_bytes())
        if index.get("layout") != _DUMP_LAYOUT:
            return {}
        rows = index["members"]
    except (OSError, ValueError, KeyError, AttributeError):
        return {}
    return {f"{row[0]} {row[1]}": row for row in rows}


def _shared(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def _unspool(spool: IO[bytes], where: bytes) -> tuple[dict[str, bytes], dict[str, bytes], Stats]:
    """A document's dump pieces from the spool (plain, then gzip, in `_PIECES` order) and
    the `Stats` of its terms."""
    offset, *lengths = _SPOOLED.unpack(where)
    spool.seek(offset)
    pieces = [spool.read(n) for n in lengths]
    k = len(_PIECES)
    plain = dict(zip(_PIECES, pieces[:k], strict=True))
    return plain, dict(zip(_PIECES, pieces[k : 2 * k], strict=True)), stats_of(pieces[2 * k])


def count_subjects(paths: Sequence[Path], base: str, block: int = 1 << 16) -> tuple[int, int]:
    """The distinct subjects of the shards' sorted subject files, and how many of them are
    the dataset's own (under `base`, as N-Quads writes them: `<base...>`).

    The files are read `block` bytes at a time; each round takes, from every file, the
    lines up to the smallest of the last lines read (every file has read all of its lines
    up to there, since they are sorted), so that a line's copies in all files meet in the
    same round and one set per round counts them.  Memory holds a block per file; the
    work per line is done by C (a k-way merge in Python took 1.2 s at 25,000 documents)."""
    is_own = methodcaller("startswith", f"<{base}".encode())
    distinct = entities = 0
    with ExitStack() as stack:
        files = [stack.enter_context(_gunzip(p)) for p in paths]
        readers = [_Lines(f, block) for f in files]
        readers = [r for r in readers if r.left]
        while readers:
            bound = min(r.lines[-1] for r in readers)
            batch: set[bytes] = set()
            for r in readers:
                batch.update(r.take(bound))
            distinct += len(batch)
            entities += sum(map(is_own, batch))
            readers = [r for r in readers if r.left]
    return distinct, entities


def _gunzip(path: Path) -> IO[bytes]:
    f: IO[bytes] = gzip_ng.open(path, "rb")  # type: ignore[no-untyped-call]
    return f


class _Lines:
    """The lines of a sorted file, a block at a time."""

    def __init__(self, f: IO[bytes], block: int) -> None:
        self._f = f
        self._block = block
        self._rest = b""
        self.lines: list[bytes] = []
        self._at = 0
        self._fill()

    @property
    def left(self) -> bool:
        return self._at < len(self.lines)

    def _fill(self) -> None:
        self.lines, self._at = [], 0
        while not self.lines:
            data = self._f.read(self._block)
            if not data:
                self.lines, self._rest = ([self._rest] if self._rest else []), b""
                return
            data = self._rest + data
            cut = data.rfind(b"\n") + 1
            self.lines, self._rest = data[:cut].splitlines(), data[cut:]

    def take(self, bound: bytes) -> list[bytes]:
        """The buffered lines up to `bound`; reads the next block when none are left."""
        k = bisect.bisect_right(self.lines, bound, self._at)
        out = self.lines[self._at : k]
        self._at = k
        if not self.left:
            self._fill()
        return out


def write_provenance_file(
    path: Path,
    entries: Table[DocumentEntry],
    iris: Iris,
    votes: Sequence[VotesEntry],
    part: tuple[str | None, str | None] = (None, None),
) -> None:
    """A part of provenance.ttl (`write_provenance`) in a file of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_provenance(out, entries, iris, votes, part)


def append_files(target: Path, parts: Sequence[Path]) -> FileInfo:
    """Append `parts` to `target` (and remove them); the size and sha256 of the whole."""
    with target.open("ab") as out:
        for path in parts:
            with path.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
            path.unlink()
    return FileInfo.of(target)


def write_thesaurus(out_dir: Path, key: bytes) -> dict[str, FileInfo]:
    """`THESAURUS`, and `THESAURUS_KEY` (what it was made from)."""
    from ldexport.mapping_subjects import thesaurus_turtle

    (out_dir / THESAURUS).write_bytes(thesaurus_turtle())
    (out_dir / THESAURUS_KEY).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / THESAURUS_KEY).write_bytes(key)
    return {rel: FileInfo.of(out_dir / rel) for rel in (THESAURUS, THESAURUS_KEY)}


def catalog_problems(path: Path) -> list[str]:
    """`validate_catalog` of a catalogue file."""
    return validate_catalog(Graph().parse(path, format="turtle"))


class InlineExecutor:
    """`submit` runs the call at once: the jobs of `DatasetWriter.close` where there are no
    worker processes that see this file system."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)
        return future


def _settle(futures: Iterable[Any]) -> None:
    """Wait for background jobs that were started (after an error: none may still be writing
    into the staging folder when it is removed); results and errors are the caller's."""
    pending = [f for f in futures if isinstance(f, Future) and not f.cancel()]
    wait(pending)


@cache
def _gzip_separator(sep: bytes) -> bytes:
    """A separator's gzip member (a few bytes, each time the same: compressed once, where a
    compression costs 8 us, mostly setting up)."""
    return _gzip_bytes(sep)


def _read_pieces(
    old: dict[str, tuple[IO[bytes], IO[bytes]]], ranges: Sequence[int]
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A member's pieces in the previous shard files, from its ranges [p0, p1, g0, g1]..."""
    plain: dict[str, bytes] = {}
    gz: dict[str, bytes] = {}
    for k, ext in enumerate(_PIECES):
        p0, p1, g0, g1 = ranges[4 * k : 4 * k + 4]
        plain_file, gz_file = old[ext]
        plain_file.seek(p0)
        plain[ext] = plain_file.read(p1 - p0)
        gz_file.seek(g0)
        gz[ext] = gz_file.read(g1 - g0)
        if len(plain[ext]) != p1 - p0 or len(gz[ext]) != g1 - g0:
            raise OSError("a shard file of the previous output is shorter than its index says")
    return plain, gz


def _previous_label(previous: Manifest | None, shard: str) -> str | None:
    entry = previous.shards.get(shard) if previous else None
    return entry.label if entry and entry.label else None


def shard_files(shard: str) -> list[str]:
    out = []
    for fmt in FORMATS:
        rel = f"{SHARDS}/{shard}.{fmt.ext}"
        out += [rel, f"{rel}.gz"]
    out.append(f"{SUBJECTS}/{shard}.txt.gz")
    out.append(f"{MEMBERS}/{shard}.json")
    return out


#: Changes when the dumps are written differently for the same Turtle (2: a gzip member per
#: document; 3: graphs in `serialize.sorted_rows` order, TriG the Turtle body in braces,
#: gzip members by zlib-ng; 4: TriG's gzip piece the Turtle's member between two others;
#: 5: gzip level 5; 6: JSON-LD without spaces after ":" and ","),
#: so that neither a previous output's shards nor their pieces (`MEMBERS`, which records it)
#: are reused as they are: the same sources give the same bytes, whatever came before.
_DUMP_LAYOUT = 6


def _shard_digest(entries: Sequence[_Member], ttl_digests: Sequence[str]) -> str:
    """What a shard's files are a function of: its graphs' names, IRIs and Turtle."""
    h = hashlib.sha256(f"{__version__} {_DUMP_LAYOUT}\n".encode())
    for e, ttl in zip(entries, ttl_digests, strict=True):
        h.update(f"{e.name} {e.graph} {ttl}\n".encode())
    return h.hexdigest()


def now_iso() -> str:
    from ldexport.publish import conversion_time

    return conversion_time().isoformat().replace("+00:00", "Z")


# --- provenance ----------------------------------------------------------------------------


def provenance_turtle(
    entries: Iterable[DocumentEntry], iris: Iris, votes: Iterable[VotesEntry] = ()
) -> bytes:
    """PROV-O for every document's graph: the source (file name, sha256), the conversion
    (time, ldexport version); for every votes graph, the voting records it was read from.
    Kept out of the document graphs so they stay byte-identical."""
    out = io.BytesIO()
    table = Table.of(DocumentEntry, {e.name: e for e in entries})
    votes = list(votes)
    for part in PROVENANCE_PARTS:
        write_provenance(out, table, iris, votes, part)
    return out.getvalue()


#: provenance.ttl in two parts that two workers write at once (the file is their
#: concatenation): its subjects, in Turtle's order (`<iri>`), before "<urn:" (the graphs,
#: runs and agents: http(s) IRIs, when the base IRI is one) and from it (the sources,
#: urn:sha256).  At 25,000 documents the first takes a worker 0.7-0.8 s, the second 0.4-0.5 s.
PROVENANCE_PARTS: tuple[tuple[str | None, str | None], ...] = ((None, "<urn:"), ("<urn:", None))


_PM = {"prov": str(PROV), "rdfs": str(RDFS), "xsd": str(XSD), "dcterms": str(DCTERMS)}
_PM["spdx"] = str(SPDX)

_PO = set[tuple[str, ox.NamedNode | ox.Literal]]

#: a subject of provenance.ttl: its sort key (`<iri>`, Turtle's order), IRI, its
#: predicates-objects (made when asked for) and its Turtle when a `_Template` wrote it
_Subject = tuple[str, str, Callable[[], _PO], str | None]


def write_provenance(
    out: IO[bytes] | HashingWriter,
    table: Table[DocumentEntry],
    iris: Iris,
    votes: Iterable[VotesEntry] = (),
    part: tuple[str | None, str | None] = (None, None),
) -> None:
    """`provenance_turtle` written to `out` a few hundred subjects at a time, in the order
    of their IRIs (the Turtle is the same as one pyoxigraph serialisation of the sorted
    triples).  The documents' graphs and their sources are read from the manifest's table
    in that order (`Table.select`), so memory holds a few hundred subjects, the runs and
    agents (one per conversion time and ldexport version) and the votes graphs; a run lists
    what it used, one triple per source it converted.  `part`: only the subjects from its
    first key (None: from the first one, with the prefixes) to before its second (None:
    to the end), for `PROVENANCE_PARTS`."""
    low, high = part
    P = str(PROV)
    xsd_dt = str(XSD.dateTime)
    node = _Nodes()  # the IRIs that repeat: predicates, datatypes, runs, agents
    entity = (RDF_TYPE, node[P + "Entity"])
    small: dict[str, set[tuple[str, ox.NamedNode | ox.Literal]]] = {}

    def lit(v: str, dt: str | None = None) -> ox.Literal:
        return ox.Literal(v, datatype=node[dt]) if dt else ox.Literal(v)

    def agent_iri(version: str) -> str:
        return f"https://pypi.org/project/ldexport/{version}/"

    def agent_of(version: str) -> str:
        """The agent of a version, described once among the `small` subjects."""
        agent = agent_iri(version)
        small[agent] = {
            (RDF_TYPE, ox.NamedNode(P + "SoftwareAgent")),
            (str(RDFS.label), lit(f"ldexport {version}")),
        }
        return agent

    def run_of(stamp: str) -> str:
        return f"{iris.base}run/{stamp.replace('-', '').replace(':', '')}"

    def run(stamp: str, agents: Iterable[str], used: Iterable[str]) -> None:
        po = small.setdefault(run_of(stamp), {(RDF_TYPE, ox.NamedNode(P + "Activity"))})
        po.update((P + "wasAssociatedWith", ox.NamedNode(agent)) for agent in agents)
        po.add((P + "endedAtTime", lit(stamp, xsd_dt)))
        po.update((P + "used", ox.NamedNode(f"urn:sha256:{d}")) for d in used)

    def source(digest: str, names: Iterable[str]) -> set[tuple[str, ox.NamedNode | ox.Literal]]:
        po: set[tuple[str, ox.NamedNode | ox.Literal]] = {entity}
        po.add((str(SPDX.checksumValue), lit(digest, str(XSD.hexBinary))))
        po.update((str(RDFS.label), lit(name)) for name in names)
        return po

    def inside(key: str) -> bool:
        return (low is None or key >= low) and (high is None or key < high)

    versions: dict[str, list[str]] = {}  # conversion time -> ldexport versions
    for stamp, version in table.select(("converted_at", "ldexport_version"), distinct=True):
        versions.setdefault(stamp, []).append(agent_of(version))
    if any(inside(f"<{run_of(stamp)}>") for stamp in versions):  # a triple per source used
        used = table.select(
            ("converted_at", "source_sha256"), distinct=True, order_by_iri="converted_at"
        )
        for stamp, rows in groupby(used, key=itemgetter(0)):
            run(stamp, versions[stamp], (digest for _, digest in rows))
    for v in votes:
        run(v.imported_at, [agent_of(v.ldexport_version)], v.source_sha256)
        small[v.graph] = {
            entity,
            (P + "wasGeneratedBy", ox.NamedNode(run_of(v.imported_at))),
            (P + "generatedAtTime", lit(v.imported_at, xsd_dt)),
            (P + "wasAttributedTo", ox.NamedNode(agent_iri(v.ldexport_version))),
            (str(DCTERMS.identifier), lit(v.symbol)),
            (str(RDFS.comment), lit("Recorded votes from: " + "; ".join(v.sources))),
        }
        small[v.graph].update(
            (P + "wasDerivedFrom", ox.NamedNode(f"urn:sha256:{d}")) for d in v.source_sha256
        )
        for d in v.source_sha256:
            small.setdefault(f"urn:sha256:{d}", set()).update(source(d, ()))

    def within(keyed: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """The items of `part`, from a stream in key order (its items' first element),
        skipped before anything is made of them."""
        if low is not None:
            keyed = dropwhile(lambda x: x[0] < low, keyed)
        if high is not None:
            keyed = takewhile(lambda x: x[0] < high, keyed)
        return iter(keyed)

    def graph_po(symbol: str, digest: str, shared: tuple[tuple[str, Any], ...]) -> _PO:
        return {
            *shared,
            (P + "wasDerivedFrom", ox.NamedNode(f"urn:sha256:{digest}")),
            (str(DCTERMS.identifier), lit(symbol)),
        }

    def graph_triples(
        shared: tuple[tuple[str, Any], ...], graph: str, digest: str, symbol: str
    ) -> set[tuple[str, str, ox.NamedNode | ox.Literal]]:
        return {(graph, *po) for po in graph_po(symbol, digest, shared)}

    def graphs() -> Iterator[_Subject]:
        fields = ("graph", "symbol", "source_sha256", "converted_at", "ldexport_version")
        rows = ((f"<{row[0]}>", *row) for row in table.select(fields, order_by_iri="graph"))
        #: per conversion time and version (most documents share one): the pairs they
        #: give a graph, and the Turtle template of a graph's subject (None: no template)
        shared: dict[tuple[str, str], tuple[tuple[tuple[str, Any], ...], _Template | None]] = {}
        for key, graph, symbol, digest, stamp, version in within(rows):
            if (stamp, version) not in shared:
                pairs: tuple[tuple[str, Any], ...] = (
                    entity,
                    (P + "wasGeneratedBy", node[run_of(stamp)]),
                    (P + "generatedAtTime", lit(stamp, xsd_dt)),
                    (P + "wasAttributedTo", node[agent_iri(version)]),
                )
                template = _Template.of(partial(graph_triples, pairs), iris=1, hashes=1, literals=1)
                shared[stamp, version] = pairs, template
            pairs, template = shared[stamp, version]
            made = partial(graph_po, symbol, digest, pairs)
            text = template.fill(graph, digest, symbol) if template else None
            yield key, graph, made, text

    def sources() -> Iterator[_Subject]:
        rows = table.select(("source_sha256", "source_path"), order_by_iri="source_sha256")
        groups = ((f"<urn:sha256:{d}>", d, g) for d, g in groupby(rows, key=itemgetter(0)))
        template = _Template.of(
            lambda d, name: {(f"urn:sha256:{d}", *po) for po in source(d, (name,))},
            iris=0,
            hashes=1,
            literals=1,
        )
        for key, digest, group in within(groups):
            # Path(path).name, faster: the same for a file's path (no trailing "/" or "/.")
            names = {os.path.basename(path) for _, path in group}
            made = partial(source, digest, names)
            text = template.fill(digest, *names) if template and len(names) == 1 else None
            yield key, f"urn:sha256:{digest}", made, text

    rest = sorted((f"<{s}>", s, po.copy, None) for s, po in small.items())
    merged = heapq.merge(graphs(), sources(), within(rest), key=itemgetter(0))
    texts: list[str] = []  # Turtle of the subjects templates wrote, in order
    triples: list[ox.Triple] = []  # or the triples of those without one (never both)
    header = low is None  # the part that starts with the prefixes (if it has a subject)

    def flush() -> None:
        nonlocal header
        if header and (texts or triples):
            out.write(_prefixes())
            header = False
        if texts:
            out.write("".join(texts).encode())
            texts.clear()
        if triples:
            out.write(_turtle_body(triples))
            triples.clear()

    for s, same in groupby(merged, itemgetter(1)):
        first, *more = same
        if first[3] is not None and not more:
            if triples:
                flush()
            texts.append(first[3])
            if len(texts) >= 500:
                flush()
            continue
        if texts:
            flush()
        subject = ox.NamedNode(s)
        po = set().union(*(made() for _, _, made, _ in (first, *more)))
        triples.extend(ox.Triple(subject, node[p], o) for p, o in _in_turtle_order(po))
        if len(triples) >= 3000:
            flush()
    flush()


def _turtle_body(triples: list[ox.Triple]) -> bytes:
    """pyoxigraph's Turtle of provenance triples (prefixes `_PM`), without its prefix lines."""
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PM) or b""
    return strip_prefix_lines(data, _PM)


@cache
def _prefixes() -> bytes:
    """The prefix lines pyoxigraph starts a Turtle serialisation with (`_PM`)."""
    sample = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal(""))
    data = ox.serialize([sample], format=ox.RdfFormat.TURTLE, prefixes=_PM) or b""
    return data[: len(data) - len(strip_prefix_lines(data, _PM))]


#: prefixed names pyoxigraph may write in place of an IRI (see `_Template`)
_PREFIXED = tuple(_PM.values())
#: a literal's text that pyoxigraph's Turtle writes as it is (no escape): all but the C0
#: controls, '"', '\\', DEL and the noncharacters U+FFFE and U+FFFF (every code point tested)
_VERBATIM = re.compile(r'[^\x00-\x1f"\\\x7f\ufffe\uffff]*')
_HASH = re.compile("[0-9a-f]{64}")


@dataclass(frozen=True)
class _Template:
    """The Turtle of a subject of a fixed shape, cut from pyoxigraph's own serialisation of
    a sample at sentinel values: `fill` gives the bytes pyoxigraph writes for the same
    triples, when each value is one it writes as it is (an IRI it accepts, under no prefix of
    the file: it writes every IRI it accepts as it is; `_HASH`, `_VERBATIM`); else None,
    and the subject goes to
    pyoxigraph.  About 5 microseconds a subject instead of 45: provenance.ttl's 50,000
    subjects at 25,000 documents took the workers 2.1-2.9 s of CPU, on every publish and
    re-publish.  Values come in the order iris, hashes (sha256 hex digests), literals; the
    shape's predicates must differ."""

    form: str  # `str.format`'s text, each value's places numbered
    kinds: tuple[re.Pattern[str], ...]  # the check of each value
    iris: int  # how many values are IRIs (the first ones)

    @classmethod
    def of(
        cls,
        triples: Callable[..., set[tuple[str, str, ox.NamedNode | ox.Literal]]],
        iris: int,
        hashes: int,
        literals: int,
    ) -> _Template | None:
        """The template of the subject `triples(*values)` makes (subject and predicates as
        str); None when its predicates repeat (their objects' order would depend on the
        values), or when the fixed text holds a sentinel (two sets of sentinels give two
        different templates)."""
        forms = {cls._form(triples, iris, iris + hashes + literals, mark) for mark in "xy"}
        if len(forms) != 1 or None in forms:
            return None
        kinds = (_HASH,) * hashes + (_VERBATIM,) * literals  # of the values after the IRIs
        return cls(forms.pop() or "", kinds, iris)

    @staticmethod
    def _form(triples: Callable[..., Any], iris: int, n: int, mark: str) -> str | None:
        sentinels = [f"ldexport{i}sentinel{mark * 8}" for i in range(n)]
        values = [f"urn:{v}" for v in sentinels[:iris]] + sentinels[iris:]
        made = sorted(triples(*values), key=itemgetter(1))
        if len({p for _, p, _ in made}) != len(made):
            return None
        sample = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o) for s, p, o in made]
        form = _turtle_body(sample).decode()
        form = form.replace("{", "{{").replace("}", "}}")
        for i, value in enumerate(values):
            form = form.replace(value, f"{{{i}}}")
        return form

    def fill(self, *values: str) -> str | None:
        for iri in values[: self.iris]:
            if iri.startswith(_PREFIXED):
                return None
            try:
                ox.NamedNode(iri)  # what pyoxigraph would refuse, it refuses (no template)
            except ValueError:
                return None
        for value, kind in zip(values[self.iris :], self.kinds, strict=True):
            if kind.fullmatch(value) is None:
                return None
        return self.form.format(*values)


class _Nodes(dict[str, ox.NamedNode]):
    """pyoxigraph IRIs made once each: `nodes[iri]`."""

    def __missing__(self, iri: str) -> ox.NamedNode:
        made = self[iri] = ox.NamedNode(iri)
        return made


def _in_turtle_order(
    po: set[tuple[str, ox.NamedNode | ox.Literal]],
) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
    """A subject's predicate-object pairs by predicate, then object (N-Triples form).  The
    objects' text is worked out only where a predicate repeats: a graph's six predicates
    are all different, and writing the text of 150,000 objects to sort them took a second."""
    pairs = sorted(po, key=itemgetter(0))
    if any(a[0] == b[0] for a, b in pairwise(pairs)):
        pairs.sort(key=lambda x: (x[0], str(x[1])))
    return pairs


# --- the catalogue -------------------------------------------------------------------------------

CATALOG_PREFIXES = {
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "spdx": str(SPDX),
    "void": str(VOID),
    "prov": str(PROV),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "adms": str(ADMS),
}


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def catalog_graph(
    out_dir: Path,
    manifest: Manifest,
    stats: DatasetStats,
    iris: Iris,
    settings: Settings,
    labels: dict[str, str] | None = None,
) -> Graph:
    """DCAT-AP 3 and VoID description of the dataset, its shards and every file of it, with
    byte sizes and sha256 taken from the files on disk."""
    labels = labels or {}
    g = Graph(bind_namespaces="none")
    for p, ns in CATALOG_PREFIXES.items():
        g.bind(p, ns)
    down = settings.downloads
    cat = URIRef(f"{down}{CATALOG}")
    ds = URIRef(f"{down}{CATALOG}#dataset")
    publisher = URIRef(settings.publisher_iri or f"{down}{CATALOG}#publisher")
    rights = URIRef(f"{down}{CATALOG}#rights")
    licence = URIRef(settings.licence) if settings.licence else None
    times = [t for (t,) in manifest.documents.select(("converted_at",), distinct=True)]
    modified = max(times + [v.imported_at for v in manifest.votes.values()], default=None)
    issued = min(times, default=None)
    en = "en"

    def typed(
        node: URIRef, cls: URIRef, label: str | None = None, lp: URIRef = SKOS.prefLabel
    ) -> URIRef:
        g.add((node, RDF.type, cls))
        if label:
            g.add((node, lp, Literal(label, lang=en)))
        return node

    # the catalogue
    typed(cat, DCAT.Catalog)
    g.add((cat, DCTERMS.title, Literal(f"{settings.title} — catalogue", lang=en)))
    g.add((cat, DCTERMS.description, Literal(f"DCAT-AP 3 catalogue of: {settings.title}", lang=en)))
    g.add((cat, DCTERMS.publisher, publisher))
    g.add((cat, DCAT.dataset, ds))
    g.add((cat, FOAF.homepage, typed(URIRef(settings.landing_page or iris.base), FOAF.Document)))
    themes = typed(URIRef(str(DATA_THEME).rstrip("/")), SKOS.ConceptScheme)
    g.add((themes, DCTERMS.title, Literal("Data theme", lang=en)))
    g.add((cat, DCAT.themeTaxonomy, themes))
    if licence:
        g.add((cat, DCTERMS.license, licence))
    if modified:
        g.add((cat, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime, normalize=False)))

    # the publisher, licences, rights
    typed(publisher, FOAF.Agent)
    g.add((publisher, FOAF.name, Literal(settings.publisher or "not stated")))
    if licence:
        typed(licence, DCTERMS.LicenseDocument)
        if settings.licence_label:
            g.add((licence, RDFS.label, Literal(settings.licence_label, lang=en)))
    typed(UN_TERMS, DCTERMS.LicenseDocument)
    g.add((UN_TERMS, RDFS.label, Literal("United Nations Terms of Use", lang=en)))
    metadata_licence = (
        f"under {settings.licence_label or settings.licence}"
        if licence
        else "under a licence the publisher has not stated"
    )
    typed(rights, DCTERMS.RightsStatement)
    g.add(
        (
            rights,
            RDFS.label,
            Literal(
                "The texts of the resolutions (titles, paragraphs, headings, footnotes) are United "
                f"Nations documents, available under the United Nations Terms of Use <{UN_TERMS}>. "
                "The structure, identifiers, links and descriptions that ldexport adds are made "
                f"available by {settings.publisher or 'the publisher (not stated)'} "
                f"{metadata_licence}.",
                lang=en,
            ),
        )
    )
    g.add((rights, RDFS.seeAlso, UN_TERMS))

    # the dataset
    describe_dataset(
        g,
        ds,
        settings.title,
        settings.description,
        publisher,
        rights,
        licence,
        stats.first_date,
        stats.last_date,
    )
    g.add((ds, RDF.type, VOID.Dataset))
    for kw in settings.keywords:
        g.add((ds, DCAT.keyword, Literal(kw, lang=en)))
    for code, label in (
        ("INTR", "International issues"),
        ("JUST", "Justice, legal system and public safety"),
    ):
        g.add((ds, DCAT.theme, typed(DATA_THEME[code], SKOS.Concept, label)))
    g.add((ds, DCTERMS.conformsTo, typed(URIRef(ONTOLOGY_IRI), DCTERMS.Standard)))
    g.add(
        (
            ds,
            DCTERMS.conformsTo,
            typed(URIRef("http://data.europa.eu/eli/ontology"), DCTERMS.Standard),
        )
    )
    g.add((ds, DCTERMS.spatial, typed(EARTH, DCTERMS.Location, "World")))
    g.add((ds, DCTERMS.accessRights, typed(ACCESS_RIGHT.PUBLIC, DCTERMS.RightsStatement)))
    g.add(
        (
            ds,
            DCTERMS.language,
            typed(
                URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
                DCTERMS.LinguisticSystem,
            ),
        )
    )
    g.add((ds, DCAT.landingPage, URIRef(settings.landing_page or iris.base)))
    g.add((ds, DCTERMS.source, URIRef("https://documents.un.org/")))
    if issued:
        g.add((ds, DCTERMS.issued, Literal(issued, datatype=XSD.dateTime, normalize=False)))
    if modified:
        g.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime, normalize=False)))
    g.add((ds, OWL_VERSION, Literal(__version__)))
    if settings.contact_email:
        contact = URIRef(f"{down}{CATALOG}#contact")
        typed(contact, VCARD.Kind)
        g.add((contact, VCARD.fn, Literal(settings.publisher or "Contact")))
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.contact_email}")))
        g.add((ds, DCAT.contactPoint, contact))

    # VoID
    g.add((ds, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(stats.entities, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(stats.distinct_subjects, datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(stats.predicates), datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(stats.classes), datatype=XSD.integer)))
    g.add((ds, VOID.documents, Literal(len(manifest.documents), datatype=XSD.integer)))
    g.add((ds, VOID.uriSpace, Literal(iris.base)))
    for ns in sorted({_namespace(i) for i in stats.predicates | stats.classes}):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for e in islice(manifest.documents.values(), 3):  # by name
        g.add((ds, VOID.exampleResource, URIRef(iris.work(e.symbol))))
    if settings.sparql_endpoint:
        g.add((ds, VOID.sparqlEndpoint, URIRef(settings.sparql_endpoint)))
    g.add((ds, VOID.rootResource, URIRef(f"{iris.base}doc/")))

    # distributions of the whole corpus, the ontology and the context
    for fmt in FORMATS:
        rel = f"{DUMPS}/{CORPUS}.{fmt.ext}.gz"
        title = f"Whole corpus, {fmt.label}"
        dist = distribution(g, out_dir, manifest, down, rel, fmt, True, title, licence, rights)
        g.add((ds, DCAT.distribution, dist))
        g.add((ds, VOID.dataDump, URIRef(f"{down}{rel}")))
    for rel, title, media, ftype in (
        (ONTOLOGY, "The ldexport ontology (OWL, Turtle)", "text/turtle", "RDF_TURTLE"),
        (
            THESAURUS,
            "The UNBIS Thesaurus concepts of the subjects: labels in the six official languages, "
            "domains, broader concepts (the UN's UNBIS Thesaurus)",
            "text/turtle",
            "RDF_TURTLE",
        ),
        (CONTEXT, "The JSON-LD context of every JSON-LD file", "application/ld+json", "JSON_LD"),
        (PROVENANCE, "PROV-O provenance of every document graph", "text/turtle", "RDF_TURTLE"),
    ):
        if (out_dir / rel).is_file():
            fmt = DumpFormat(rel.rsplit(".", 1)[1], media, ftype, title)
            g.add(
                (
                    ds,
                    DCAT.distribution,
                    distribution(
                        g, out_dir, manifest, down, rel, fmt, False, title, licence, rights
                    ),
                )
            )

    # one sub-dataset per shard
    for shard, entry in sorted(manifest.shards.items()):
        sub = URIRef(f"{down}{CATALOG}#{shard}")
        title = labels.get(shard, shard)
        describe_dataset(
            g,
            sub,
            f"{settings.title}: {title}",
            f"The resolutions of {title}, one named graph each.",
            publisher,
            rights,
            licence,
            entry.first_date,
            entry.last_date,
        )
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((ds, DCTERMS.hasPart, sub))
        g.add((sub, DCTERMS.isPartOf, ds))
        g.add((ds, VOID.subset, sub))
        g.add((sub, VOID.triples, Literal(entry.triples, datatype=XSD.integer)))
        g.add((sub, VOID.distinctSubjects, Literal(entry.distinct_subjects, datatype=XSD.integer)))
        g.add((sub, VOID.documents, Literal(len(entry.documents), datatype=XSD.integer)))
        for fmt in FORMATS:
            rel = f"{SHARDS}/{shard}.{fmt.ext}"
            for r, gz in ((rel, False), (f"{rel}.gz", True)):
                dist = distribution(
                    g, out_dir, manifest, down, r, fmt, gz, f"{title}, {fmt.label}", licence, rights
                )
                g.add((sub, DCAT.distribution, dist))
                if gz:
                    g.add((sub, VOID.dataDump, URIRef(f"{down}{r}")))

    # the recorded votes, a VoID subset of their own (their graphs are in the shards' dumps)
    if manifest.votes:
        votes = URIRef(f"{down}{CATALOG}#votes")
        g.add((votes, RDF.type, VOID.Dataset))
        g.add((ds, VOID.subset, votes))
        g.add((votes, DCTERMS.isPartOf, ds))
        g.add((votes, DCTERMS.title, Literal(f"{settings.title}: recorded votes", lang=en)))
        g.add(
            (
                votes,
                DCTERMS.description,
                Literal(
                    "How each Member State voted on the resolutions, from the United Nations' "
                    "voting records: one named graph per resolution, <graph/NAME/votes>, "
                    "beside the resolution's own graph in the dumps.",
                    lang=en,
                ),
            )
        )
        count = sum(v.triples for v in manifest.votes.values())
        g.add((votes, VOID.triples, Literal(count, datatype=XSD.integer)))
        g.add((votes, VOID.documents, Literal(len(manifest.votes), datatype=XSD.integer)))
    return g


OWL_VERSION = URIRef("http://www.w3.org/2002/07/owl#versionInfo")


def describe_dataset(
    g: Graph,
    ds: URIRef,
    title: str,
    description: str,
    publisher: URIRef,
    rights: URIRef,
    licence: URIRef | None,
    first: str | None,
    last: str | None,
) -> None:
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(title, lang="en")))
    g.add((ds, DCTERMS.description, Literal(description, lang="en")))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCTERMS.rights, rights))
    if licence:
        g.add((ds, DCTERMS.license, licence))
    if first and last:
        period = URIRef(f"{ds}-period" if "#" in ds else f"{ds}#period")
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(first, datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(last, datatype=XSD.date)))
        g.add((ds, DCTERMS.temporal, period))


def distribution(
    g: Graph,
    out_dir: Path,
    manifest: Manifest,
    down: str,
    rel: str,
    fmt: DumpFormat,
    gz: bool,
    title: str,
    licence: URIRef | None,
    rights: URIRef,
) -> URIRef:
    """A dcat:Distribution for one file, with its size and sha256 as they are on disk."""
    url = URIRef(f"{down}{rel}")
    dist = URIRef(f"{down}{CATALOG}#{rel}")
    info = manifest.files.get(rel) or FileInfo.of(out_dir / rel)
    checksum = URIRef(f"{down}{CATALOG}#{rel}-sha256")
    media = URIRef(IANA + fmt.media_type)
    ftype = FILE_TYPE[fmt.file_type]
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(title + (", gzip" if gz else ""), lang="en")))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, media))
    g.add((media, RDF.type, DCTERMS.MediaType))
    g.add((dist, DCTERMS.format, ftype))
    g.add((ftype, RDF.type, DCTERMS.MediaTypeOrExtent))
    if gz:
        gzip_type = URIRef(IANA + "application/gzip")
        g.add((dist, DCAT.compressFormat, gzip_type))
        g.add((gzip_type, RDF.type, DCTERMS.MediaType))
    g.add((dist, DCAT.byteSize, Literal(info.bytes, datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(info.sha256, datatype=XSD.hexBinary)))
    g.add((dist, DCTERMS.rights, rights))
    if licence:
        g.add((dist, DCTERMS.license, licence))
    return dist


def write_catalog(
    out_dir: Path,
    manifest: Manifest,
    stats: DatasetStats,
    iris: Iris,
    settings: Settings,
    labels: dict[str, str] | None = None,
) -> Graph:
    """catalog.ttl and catalog.jsonld, after every file they describe is written."""
    from ldexport.publish import indented_json

    g = catalog_graph(out_dir, manifest, stats, iris, settings, labels)
    # subjects compared in N-Triples form, as the catalogue always was (unlike a document's
    # files): an IRI that another one extends sorts after it (">" after "/" and "#")
    rows = sorted(sorted_rows(g), key=lambda r: (r[4], r[1], r[2]))
    ttl = turtle_of(ntriples(rows), CATALOG_PREFIXES)
    (out_dir / f"{CATALOG}.ttl").write_bytes(ttl)
    doc = {
        "@context": CATALOG_PREFIXES,
        "@graph": jsonld_nodes(rows, Compactor(CATALOG_PREFIXES)),
    }
    (out_dir / f"{CATALOG}.jsonld").write_bytes(indented_json(doc))
    for name in (f"{CATALOG}.ttl", f"{CATALOG}.jsonld"):
        manifest.files[name] = FileInfo.of(out_dir / name)
    return g


# --- checking the catalogue --------------------------------------------------------------------

CATALOG_SHAPES = "dcat-ap.shacl.ttl"


class _PreparedQueries(Graph):
    """A view of a graph whose SPARQL queries are parsed once per query text: pySHACL asks
    the same SPARQL constraint once per focus node (8 distributions a shard), and rdflib
    parsing the text each time was most of the catalogue check (15 s of 19 s for 2,500
    documents)."""

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared_query(query_object)
        # a prepared query does not read initNs; non-empty spares listing every namespace
        return super().query(
            query_object, processor, result, initNs or _NO_NS, initBindings, False, **kwargs
        )


_NO_NS = {"rdf": str(RDF)}


@cache
def _prepared_query(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


@cache
def _catalog_shapes() -> bytes:
    return (data_dir("shapes") / CATALOG_SHAPES).read_bytes()


def validate_catalog(graph: Graph) -> list[str]:
    """Lines of the DCAT-AP shapes' results for a catalogue graph; empty when it conforms."""
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(data=_catalog_shapes(), format="turtle")
    view = _PreparedQueries(
        store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager
    )
    conforms, report, _ = shacl_validate(view, shacl_graph=shapes, advanced=True, inplace=True)
    if conforms:
        return []
    SH = Namespace("http://www.w3.org/ns/shacl#")
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"catalogue: {focus} {path}: {message}")
    return sorted(lines)


def _raise_catalog_problems(problems: list[str]) -> None:
    from ldexport.manifest import PublishError

    if problems:
        raise PublishError(
            "the catalogue does not conform to shapes/dcat-ap.shacl.ttl:\n" + "\n".join(problems)
        )


# --- publishing ------------------------------------------------------------------------------


@dataclass
class PublishResult:
    """What a publish did: per converted input its Outcome, the inputs reused unchanged,
    the documents dropped because their source is gone.  Outcomes and unchanged entries
    are kept on disk (`Rows`): one per input of a corpus."""

    out_dir: Path
    manifest: Manifest
    outcomes: Rows[Any] = field(default_factory=lambda: Rows(_outcome))
    unchanged: Rows[DocumentEntry] = field(default_factory=lambda: Rows(DocumentEntry))
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept_files: list[str] = field(default_factory=list)
    votes: list[str] = field(default_factory=list)  # a report line per votes graph

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.problems)

    @property
    def exit_status(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        written = sum(len(o.published) for o in self.outcomes)
        return (
            f"{len(self.manifest.documents)} resolution(s) published to {self.out_dir}: "
            f"{written} converted, {len(self.unchanged)} unchanged, {len(self.removed)} removed; "
            f"{self.failed} file(s) failed"
        )


#: Top-level names that ldexport writes; anything else found in the output is the user's and
#: is carried over (output/README.md).  Per-document files are listed by the manifest.
_GENERATED = {
    DUMPS,
    STATE_DIR,
    f"{CATALOG}.ttl",
    f"{CATALOG}.jsonld",
    PROVENANCE,
    ONTOLOGY,
    THESAURUS,
    CONTEXT,
    REPORT,
    "manifest.json",
}
_GENERATED_SUFFIXES = (".ttl", ".jsonld", ".json", ".nq", ".trig", ".gz")


def _owned(previous: Manifest | None, name: str) -> bool:
    """Whether ldexport wrote this top-level name of the previous output: one it always
    writes, or one the previous manifest's files account for (without a manifest: a name
    with the suffix of a generated file)."""
    if name in _GENERATED:
        return True
    if previous is None:
        return name.endswith(_GENERATED_SUFFIXES)
    return previous.files.holds_under(name)


def _outcome(**fields: Any) -> Any:
    """An `ldexport.publish.Outcome` (which imports this module)."""
    from ldexport.publish import Outcome

    return Outcome(**fields)


#: How many carried-over files' manifest rows are copied at a time (`Table.copy_from`).
_CARRY_BATCH = 5000

_DUPLICATE = "is already published from an earlier input; left out"


def publish_dataset(
    inputs: Sequence[Path],
    out_dir: Path,
    iris: Iris,
    settings: Settings | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda xs: xs,
    convert: Callable[[Path, Iris], Sequence[Converted]] | None = None,
    executor: Any = None,
) -> PublishResult:
    """The main job, all or nothing: convert what changed, reuse what did not, write the
    dumps, catalogue, provenance and manifest into a staging folder, check the catalogue,
    and swap it in as `out_dir`.  Raises PublishError (previous output untouched) when the
    dataset cannot be built; documents that fail are left out and named in the outcomes.
    `convert` (default `ldexport.convert.convert_file`) turns one input into its documents;
    or an `executor` (`ldexport.executor.make_executor`) converts, ahead, the inputs that the
    previous manifest does not hold."""
    from ldexport.convert import check_file_name
    from ldexport.errors import LdexportError, SourceError
    from ldexport.executor import Prefetch, render_and_dump, unknown_sources
    from ldexport.manifest import MANIFEST_NAME, PublishError, SourceDigests
    from ldexport.publish import Outcome, Paths, texts_of, write_context

    settings = (settings or Settings()).replace(base_iri=iris.base)
    unnamed: list[Outcome] = []  # the manifest and the report could not record them
    named: list[str] = []
    for text in texts_of(inputs):
        try:
            check_file_name(text, whole_path=True)
        except SourceError as exc:
            unnamed.append(Outcome(exc.path, problems=[str(exc)]))
            continue
        named.append(text)
    inputs = Paths(named)  # held to the end: as text
    del named
    out_abs = out_dir.absolute()
    inside: dict[str, bool] = {}  # by folder (its name as given): 25,000 files of one folder
    for text in texts_of(inputs):
        folder, name = os.path.split(text)
        within = inside.get(folder)
        if within is None:
            within = inside[folder] = Path(folder).absolute().is_relative_to(out_abs)
        if within or (name == out_abs.name and Path(text).absolute() == out_abs):
            raise PublishError(f"{text}: an input must not be inside the output folder {out_dir}")
    converted_at = now_iso()
    background = getattr(executor, "background", None)
    workers = background() if background else None  # that see this file system
    with Staging(out_dir, workers) as stage:
        previous = read_manifest(stage.previous) if stage.previous else None
        reusable = previous if previous and previous.fingerprint == fingerprint(iris.base) else None
        writer = DatasetWriter(
            stage.path, iris, settings, reusable, stage.previous, stage.reuse, background=workers
        )
        digests = SourceDigests(
            reusable, stage.previous / MANIFEST_NAME if stage.previous else None
        )
        if convert is None and executor is not None:
            ahead = unknown_sources(inputs, reusable, digests) if reusable else inputs
            spool = writer.spool_folder if workers is not None else None
            convert = Prefetch(executor, ahead, iris, spool)
        if convert is None:  # in this process (the workers' modules are not loaded here else)
            from ldexport.convert import convert_file

            convert = convert_file
        files = writer.manifest.files
        carried: list[str] = []  # files of carried-over documents, their rows not yet copied

        def copy_carried() -> None:
            assert reusable is not None and stage.previous is not None
            for rel in files.copy_from(reusable.files, carried):  # not in the manifest: read
                files[rel] = FileInfo.of(stage.previous / rel)
            carried.clear()

        result = PublishResult(out_dir, writer.manifest, warnings=settings.warnings())
        for outcome in unnamed:
            result.outcomes.append(outcome)
        for path in progress(inputs):
            try:
                digest, stat = digests(path)
            except OSError as exc:
                result.outcomes.append(
                    Outcome(str(path), problems=[f"{path}: cannot read: {exc.strerror}"])
                )
                continue
            known_failure = reusable.failed.get(digest) if reusable else None
            if known_failure is not None and known_failure.source_path == str(path):
                # the same bytes failed with the same ldexport, shapes and ontology: they
                # would fail again with the same lines (a conversion is a pure function)
                result.outcomes.append(
                    Outcome(
                        str(path),
                        problems=list(known_failure.problems),
                        warnings=list(known_failure.warnings),
                    )
                )
                writer.manifest.failed[digest] = replace(known_failure, source_stat=stat)
                continue
            same = reusable.made_from(digest, path) if reusable else []
            if same:
                assert reusable is not None and stage.previous is not None
                for entry, text in same:
                    if entry.name in writer.manifest.documents:
                        result.warnings.append(f"{path}: {entry.symbol} {_DUPLICATE}")
                        continue
                    for rel in entry.files:
                        stage.reuse_later(rel)
                    carried.extend(entry.files)
                    if len(carried) >= _CARRY_BATCH:
                        copy_carried()
                    row: str | None = text  # the manifest row, as it was
                    if entry.source_path != str(path) or entry.source_stat != stat:
                        entry, row = replace(entry, source_path=str(path), source_stat=stat), None
                    writer.keep(entry, linked=True, text=row)
                    result.unchanged.append(entry, row)
                continue
            outcome = Outcome(str(path))
            result.outcomes.append(outcome)
            try:
                items = convert(path, iris)
            except LdexportError as exc:
                outcome.problems.append(str(exc))
                writer.manifest.failed[digest] = FailedSource(
                    str(path), stat, list(outcome.problems), list(outcome.warnings)
                )
                continue
            for item in items:
                outcome.warnings.extend(item.resolution.warnings)
                if not item.report.conforms:
                    outcome.problems.extend(item.report.lines())
                    continue
                if file_name(item.resolution.symbol) in writer.manifest.documents:
                    outcome.warnings.append(f"{path}: {item.resolution.symbol} {_DUPLICATE}")
                    continue
                if item.dump is None:  # converted here, not by a worker
                    item = render_and_dump(item, iris)
                if item.render_error is not None:
                    outcome.problems.append(item.render_error)
                    continue
                assert item.file_info is not None and item.dump is not None
                if item.spooled is not None:  # written by the worker: moved into place
                    for name, spooled in item.spooled.items():
                        os.rename(writer.spool_folder / spooled, stage.path / name)
                else:
                    assert item.rendered is not None
                    for name, data in item.rendered.items():  # the staging folder is private
                        (stage.path / name).write_bytes(data)
                files.update(item.file_info)
                written = list(item.file_info)
                outcome.written.extend(written)
                writer.add(
                    item.resolution,
                    None,
                    str(path),
                    converted_at,
                    written,
                    triples=item.triple_count,
                    dump=item.dump,
                    source_stat=stat,
                )
                outcome.published.append(item.resolution.symbol)  # the rest is in files
            del items
            if outcome.problems and not outcome.published:
                writer.manifest.failed[digest] = FailedSource(
                    str(path), stat, list(outcome.problems), list(outcome.warnings)
                )
        if carried:
            copy_carried()
        stage.settle()
        converted = {file_name(symbol) for o in result.outcomes for symbol in o.published}
        _carry_votes(previous, stage, writer, iris, converted, reusable is None, result)
        del converted  # a name per document: not kept through `close`
        write_context(stage.path)
        writer.close()
        manifest = writer.manifest
        for v in manifest.votes.values():
            for rel in v.files:
                old = previous.files.get(rel) if previous else None
                manifest.files[rel] = old if old is not None else FileInfo.of(stage.path / rel)
        if previous:
            gone = list(previous.documents.missing_from(manifest.documents))
            result.removed = sorted(previous.documents[n].symbol for n in gone)
        manifest.problems.extend(line for o in result.outcomes for line in o.problems)
        write_report(result, stage.path / REPORT)
        for rel in (CONTEXT, REPORT):
            manifest.files[rel] = FileInfo.of(stage.path / rel)
        result.kept_files = stage.keep_foreign(partial(_owned, previous))
        manifest.write(stage.path)
        writer.check()  # the catalogue, checked in the background meanwhile
        stage.commit()
    return result


def report_lines(result: PublishResult) -> Iterator[str]:
    """validation-report.txt's lines: one per document (conforms, unchanged, or what is
    wrong), then the removed documents, the votes and the warnings."""
    for o in result.outcomes:
        yield from (f"{symbol}: conforms ({o.path})" for symbol in o.published)
        yield from o.problems
        yield from (f"warning: {w}" for w in o.warnings)
    yield from (
        f"{symbol}: conforms ({source_path}; unchanged, converted {converted_at})"
        for symbol, source_path, converted_at in result.unchanged.select(
            ("symbol", "source_path", "converted_at")
        )
    )
    yield from (f"{s}: removed (its source is no longer among the inputs)" for s in result.removed)
    yield from result.votes
    yield from (f"warning: {w}" for w in result.warnings)


def write_report(result: PublishResult, path: Path) -> None:
    """validation-report.txt, a line at a time: made whole, its 6.5 MB at 25,000 inputs were
    in memory three times at once (the lines, their text and its bytes)."""
    lines = report_lines(result)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(next(lines, "") + "\n")  # a report with no line is one newline, as before
        out.writelines(f"{line}\n" for line in lines)


# --- recorded votes ------------------------------------------------------------------------------

VOTES_PREFIX = "votes: "


def _carry_votes(
    previous: Manifest | None,
    stage: Staging,
    writer: DatasetWriter,
    iris: Iris,
    converted: set[str],
    revalidate_all: bool,
    result: PublishResult,
) -> None:
    """Keep the previous output's votes graphs (`ldexport votes`) in a new publish: their
    files are carried over as they are, into their resolution's shard.  A votes graph whose
    resolution was converted again (or everything, when shapes or ontology changed) is checked
    again with its document graph; one that no longer conforms is left out and reported."""
    if previous is None or not previous.votes or stage.previous is None:
        return
    from ldexport.publish import Outcome
    from ldexport.votes import validate_votes

    if previous.fingerprint.get("base_iri") != iris.base:
        result.warnings.append(
            f"{len(previous.votes)} votes graph(s) were made for the base IRI "
            f"{previous.fingerprint.get('base_iri')} and are left out: run `ldexport votes` again"
        )
        return
    for name, entry in sorted(previous.votes.items()):
        if not all((stage.previous / rel).is_file() for rel in entry.files):
            result.warnings.append(f"{entry.symbol}: votes files missing; left out")
            continue
        document = writer.manifest.documents.get(name)
        if document is not None and (name in converted or revalidate_all):
            votes = Graph().parse(stage.previous / entry.files[0], format="turtle")
            text = Graph().parse(stage.path / f"{name}.ttl", format="turtle")
            report = validate_votes(votes, text, f"{entry.symbol} votes")
            if not report.conforms:
                lines = [
                    *report.lines(),
                    f"{entry.symbol} votes: left out; run `ldexport votes` again",
                ]
                result.outcomes.append(Outcome(entry.files[0], problems=lines))
                continue
        for rel in entry.files:
            stage.reuse(rel)
        shard = document.shard if document is not None else entry.shard
        kept = replace(entry, shard=shard)
        writer.add_votes(kept, votes_shard(entry.symbol, entry.date)[1])
        result.votes.append(
            f"{VOTES_PREFIX}{entry.symbol}: conforms, kept ({'; '.join(entry.sources)})"
        )


def settings_of(manifest: Manifest) -> Settings:
    """The settings a published output was made with (as its manifest records them)."""
    data = dict(manifest.settings)
    if "keywords" in data:
        data["keywords"] = tuple(data["keywords"])
    return Settings(**data)


def publish_votes(
    out_dir: Path,
    new: Sequence[tuple[VotesEntry, dict[str, bytes]]],
    lines: Sequence[str] = (),
) -> PublishResult:
    """Add votes graphs to a published output, all or nothing, as `publish_dataset` does:
    every file of the previous output is carried over (hard links), the new votes files
    (`new`: entry and file name -> bytes) replace any earlier votes of the same resolution,
    and the dumps of the shards that changed, the catalogue, provenance and manifest are
    written again.  `lines` go to validation-report.txt, one per votes graph."""
    from ldexport.manifest import PublishError
    from ldexport.publish import atomic_write

    with Staging(out_dir) as stage:
        previous = read_manifest(stage.previous) if stage.previous else None
        if previous is None or stage.previous is None:
            raise PublishError(f"{out_dir}: no published output here; run `ldexport publish` first")
        iris = Iris(previous.fingerprint["base_iri"])
        settings = settings_of(previous)
        writer = DatasetWriter(stage.path, iris, settings, previous, stage.previous, stage.reuse)
        writer.manifest.fingerprint = dict(previous.fingerprint)  # the documents' own
        writer.manifest.settings = dict(previous.settings)
        result = PublishResult(out_dir, writer.manifest, votes=list(lines))
        for document in previous.documents.values():
            for rel in document.files:
                stage.reuse(rel)
                if rel in previous.files:  # the shards' digests read the Turtle's sha256 here
                    writer.manifest.files[rel] = previous.files[rel]
            writer.keep(document)
            result.unchanged.append(document)
        replaced = {entry.name for entry, _ in new}
        for name, old in sorted(previous.votes.items()):
            if name in replaced:
                continue
            for rel in old.files:
                stage.reuse(rel)
            writer.add_votes(old)
            result.votes.append(
                f"{VOTES_PREFIX}{old.symbol}: conforms, kept ({'; '.join(old.sources)})"
            )
        for entry, files in new:
            for rel, data in files.items():
                atomic_write(stage.path / rel, data)
            writer.add_votes(entry, votes_shard(entry.symbol, entry.date)[1])
        for rel in (CONTEXT,):
            if (stage.previous / rel).is_file():
                stage.reuse(rel)
        writer.close()
        manifest = writer.manifest
        for rel, info in previous.files.items():
            if rel not in manifest.files and (stage.path / rel).is_file():
                manifest.files[rel] = info  # documents' files, context
        for v in manifest.votes.values():
            for rel in v.files:
                manifest.files[rel] = FileInfo.of(stage.path / rel)
        manifest.problems.extend(previous.problems)
        for digest, text in previous.failed.raw_items():  # reported again, not converted
            manifest.failed.put_raw(digest, text)
        old_report = (
            (stage.previous / REPORT).read_text(encoding="utf-8").splitlines()
            if (stage.previous / REPORT).is_file()
            else []
        )
        report = [line for line in old_report if not line.startswith(VOTES_PREFIX)]
        (stage.path / REPORT).write_bytes(("\n".join(report + result.votes) + "\n").encode())
        manifest.files[REPORT] = FileInfo.of(stage.path / REPORT)
        result.kept_files = stage.keep_foreign(partial(_owned, previous))
        manifest.write(stage.path)
        writer.check()  # the catalogue, checked in the background meanwhile
        stage.commit()
    return result
