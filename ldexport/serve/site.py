"""The published folder as the server sees it: its documents, files, IRIs and store.

Everything is read once at start from `manifest.json` (which lists every document and file)
and from the store built from the dumps; per-document files are read when asked for.  The
server answers for the base IRI `B` the dataset was published with (`manifest.json`
settings): a request path under `B`'s path is the IRI `B` + the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from ldexport.iris import Iris, undocs
from ldexport.manifest import MANIFEST_NAME, DocumentEntry, Manifest
from ldexport.model import Resolution, resolution_from_dict
from ldexport.symbols import canonical, describe
from ldexport.un import ORGANS

ELI = "http://data.europa.eu/eli/ontology#"
ELI_DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

LABELS = (
    f"{SKOS}prefLabel",
    f"{RDFS}label",
    f"{DCTERMS}title",
    f"{ELI}title",
    f"{DCTERMS}identifier",
    f"{SKOS}notation",
)

LANGUAGES = ("ara", "zho", "eng", "fra", "rus", "spa")  # ISO 639-2/T, DESIGN.md
MANIFESTATIONS = ("pdf", "docx", "txt", "akn", "html")

#: Files of the output that are published (besides every per-document file the manifest
#: lists).  manifest.json and validation-report.txt name local paths: not served.
TOP_FILES = (
    "catalog.ttl",
    "catalog.jsonld",
    "context.jsonld",
    "ontology.ttl",
    "provenance.ttl",
    "unbis.ttl",
)
NOT_SERVED = {MANIFEST_NAME, "validation-report.txt"}

#: Representations ldexport serve makes of a document when publish did not write them.
EXPORTS = {"akn.xml": "akn", "marc.xml": "marcxml", "dc.xml": "dc"}


class SiteError(Exception):
    """The folder cannot be served (no manifest, unreadable manifest)."""


@dataclass(frozen=True)
class Document:
    """One published resolution, as the index and OAI-PMH list it."""

    name: str
    symbol: str
    body: str
    session: str | None
    session_label: str | None
    date: str | None  # adoption date
    year: str | None
    title: str | None
    datestamp: str  # when it was converted (manifest), ISO 8601 UTC
    shard: str
    files: tuple[str, ...]

    @property
    def body_name(self) -> str:
        return ORGANS.get(self.body, self.body)

    @property
    def sets(self) -> tuple[str, ...]:
        """OAI-PMH setSpecs: the organ, and its session (General Assembly) or year."""
        out = [self.body]
        if self.body == "un-ga" and self.session:
            out.append(f"{self.body}:session-{self.session}")
        elif self.year:
            out.append(f"{self.body}:{self.year}")
        return tuple(out)


@dataclass(frozen=True)
class Located:
    """What a path under `doc/` names: a work, or its expression or manifestation."""

    symbol: str  # canonical
    suffix: str  # "", "/eng", "/eng/txt"
    iri: str

    @property
    def path(self) -> str:
        return f"doc/{self.symbol}{self.suffix}"


@dataclass(eq=False)
class Site:
    out_dir: Path
    manifest: Manifest
    iris: Iris
    store: ox.Store
    settings: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # by name
    by_symbol: dict[str, str] = field(default_factory=dict)  # canonical symbol -> name
    by_work: dict[str, str] = field(default_factory=dict)  # work IRI -> name
    symbols: set[str] = field(default_factory=set)  # every work the dataset mentions
    known_symbols: dict[str, str] = field(default_factory=dict)  # casefolded -> canonical
    public: set[str] = field(default_factory=set)  # relative paths of files served as they are
    modified: float = 0.0  # mtime of manifest.json

    # -- building

    @classmethod
    def open(cls, out_dir: Path, store: ox.Store, manifest: Manifest | None = None) -> Site:
        manifest = manifest or load_manifest(out_dir)
        site = cls(out_dir, manifest, Iris(base_iri(manifest)), store, dict(manifest.settings))
        site.modified = (out_dir / MANIFEST_NAME).stat().st_mtime
        site._index()
        return site

    def _index(self) -> None:
        """The index, from the manifest and three queries (no per-document file is read,
        so that starting on a large dataset stays quick)."""
        facts = self._expressions()
        sessions = self._session_labels()
        for name, entry in sorted(self.manifest.documents.items()):
            title, published = facts.get(entry.symbol, (None, None))
            self.documents[name] = self._document(entry, title, published, sessions)
            self.by_symbol[canonical(entry.symbol)] = name
            self.by_work[self.iris.work(entry.symbol)] = name
        query = f"SELECT DISTINCT ?id WHERE {{ ?w <{DCTERMS}identifier> ?id }}"
        for row in self.query(query):
            symbol = canonical(row["id"].value)
            if symbol:
                self.symbols.add(symbol)
                self.known_symbols.setdefault(symbol.casefold(), symbol)
        for symbol in self.by_symbol:
            self.symbols.add(symbol)
            self.known_symbols[symbol.casefold()] = symbol
        self.public = {
            rel for rel in self.manifest.files if not rel.startswith(".") and rel not in NOT_SERVED
        }
        for entry in self.manifest.documents.values():
            self.public.update(entry.files)
        self.public.update(rel for rel in TOP_FILES if (self.out_dir / rel).is_file())

    def _expressions(self) -> dict[str, tuple[str | None, str | None]]:
        """symbol -> (title, distribution date) of every work with an expression."""
        query = (
            f"SELECT ?id ?title ?published WHERE {{ ?w <{DCTERMS}identifier> ?id ; "
            f"<{ELI}is_realized_by> ?e . OPTIONAL {{ ?e <{ELI}title> ?title }} "
            f"OPTIONAL {{ ?e <{ELI}date_publication> ?published }} }}"
        )
        out: dict[str, tuple[str | None, str | None]] = {}
        for row in self.query(query):
            title, published = row["title"], row["published"]
            out[row["id"].value] = (
                title.value if title is not None else None,
                published.value if published is not None else None,
            )
        return out

    def _session_labels(self) -> dict[str, str]:
        query = (
            f"SELECT ?s ?label WHERE {{ ?s a <{ELI_DL}ParliamentaryTerm> ; <{RDFS}label> ?label }}"
        )
        return {row["s"].value: row["label"].value for row in self.query(query)}

    def _document(
        self,
        entry: DocumentEntry,
        title: str | None,
        published: str | None,
        sessions: dict[str, str],
    ) -> Document:
        info = describe(entry.symbol)
        body = entry.body or info.body or ""
        date = entry.adoption_date
        council = re.match(r"^S/((?:19|20)\d\d)/", canonical(entry.symbol))
        year = (
            info.year
            or (date[:4] if date else None)
            or (published[:4] if published else None)
            or (council.group(1) if council else None)
        )
        label = None
        if entry.session and body:
            label = sessions.get(self.iris.session(body, entry.session))
        return Document(
            name=entry.name,
            symbol=entry.symbol,
            body=body,
            session=entry.session,
            session_label=label,
            date=date,
            year=year,
            title=title,
            datestamp=entry.converted_at,
            shard=entry.shard,
            files=tuple(entry.files),
        )

    # -- reading

    def query(self, sparql: str) -> Iterator[Any]:
        """Solutions of a SELECT over the union of all graphs (server-side, trusted queries)."""
        answer = self.store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(answer, ox.QuerySolutions)
        yield from answer

    @lru_cache(maxsize=256)  # noqa: B019 - one Site per process, alive as long as it
    def model(self, name: str) -> Resolution | None:
        """The model of a published document, from `<name>.json`."""
        path = self.out_dir / f"{name}.json"
        try:
            return resolution_from_dict(json.loads(path.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @property
    def base(self) -> str:
        return self.iris.base

    @property
    def root(self) -> str:
        """The path under which the base IRI is served ("/" or "/un/")."""
        return urlsplit(self.base).path or "/"

    def url(self, rel: str) -> str:
        """The root-relative link of a path relative to the base IRI."""
        return self.root + rel.lstrip("/")

    def link(self, iri: str) -> str:
        """A link to an IRI: root-relative when it is under the base IRI."""
        return self.url(iri[len(self.base) :]) if iri.startswith(self.base) else iri

    def page(self, name: str) -> str:
        return self.url(f"data/{name}.html")

    def citation_link(self, symbol: str) -> str:
        """Where a cited symbol links: its page when in the dataset, undocs.org otherwise."""
        sym = canonical(symbol)
        if sym in self.by_symbol:
            return self.link(self.iris.work(sym))
        return undocs(sym)

    def exists(self, iri: str) -> bool:
        """Whether the dataset says anything about `iri` (as subject or object)."""
        node = _node(iri)
        if node is None:
            return False
        for _ in self.store.quads_for_pattern(node, None, None, None):
            return True
        for _ in self.store.quads_for_pattern(None, None, node, None):
            return True
        return False

    def locate(self, rest: str) -> Located | None:
        """The work, expression or manifestation a path under `doc/` names, spelled or not
        as the canonicaliser spells it (spaces, case); None when the dataset knows none."""
        segments = rest.strip("/").split("/")
        candidates: list[tuple[str, str]] = [("/".join(segments), "")]
        if len(segments) > 1 and segments[-1].lower() in LANGUAGES:
            candidates.append(("/".join(segments[:-1]), "/" + segments[-1].lower()))
        if (
            len(segments) > 2
            and segments[-2].lower() in LANGUAGES
            and segments[-1].lower() in MANIFESTATIONS
        ):
            suffix = f"/{segments[-2].lower()}/{segments[-1].lower()}"
            candidates.append(("/".join(segments[:-2]), suffix))
        for spelled, suffix in candidates:
            symbol = canonical(spelled)
            if not symbol:
                continue
            found = symbol if symbol in self.symbols else None
            found = found or self.known_symbols.get(symbol.casefold())
            if found is None:
                continue
            iri = self.iris.work(found) + suffix
            if suffix and not self._has_version(found, suffix, iri):
                continue
            if not suffix and found not in self.by_symbol and not self.exists(iri):
                continue
            return Located(found, suffix, iri)
        return None

    def _has_version(self, symbol: str, suffix: str, iri: str) -> bool:
        if symbol in self.by_symbol and suffix in ("/eng/akn", "/eng/html"):
            return True  # the AKN file and the page that ldexport serve gives of it
        return self.exists(iri)

    def labels(self, iri: str) -> str | None:
        """A label for an IRI from the dataset (prefLabel, label, title, identifier)."""
        node = _node(iri)
        if node is None:
            return None
        for predicate in LABELS:
            for quad in self.store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
                if isinstance(quad.object, ox.Literal | ox.NamedNode):
                    value = str(quad.object.value)
                    if predicate == f"{SKOS}notation" and "/agenda-item/" in iri:
                        return f"Agenda item {value}"
                    return value
        return None

    def identifier(self, iri: str) -> str | None:
        """The dcterms:identifier (the UN symbol) the dataset gives an IRI, if any."""
        node = _node(iri)
        if node is None:
            return None
        predicate = ox.NamedNode(f"{DCTERMS}identifier")
        for quad in self.store.quads_for_pattern(node, predicate, None, None):
            if isinstance(quad.object, ox.Literal):
                return str(quad.object.value)
        return None

    def describe(self, iri: str, inbound: int = 500) -> tuple[list[ox.Triple], bool]:
        """What the dataset says about `iri`: every triple with it as subject, and up to
        `inbound` triples that point at it (a symmetric concise bounded description, with
        no blank nodes to follow).  The flag says whether inbound triples were cut."""
        node = _node(iri)
        if node is None:
            return [], False
        seen: dict[tuple[str, str, str], ox.Triple] = {}
        for quad in self.store.quads_for_pattern(node, None, None, None):
            t = quad.triple
            seen.setdefault((str(t.subject), str(t.predicate), str(t.object)), t)
        count = 0
        cut = False
        for quad in self.store.quads_for_pattern(None, None, node, None):
            t = quad.triple
            key = (str(t.subject), str(t.predicate), str(t.object))
            if key in seen:
                continue
            if count >= inbound:
                cut = True
                break
            seen[key] = t
            count += 1
        return sorted(
            seen.values(), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        ), cut

    def public_file(self, rel: str) -> Path | None:
        """The file a path under `data/` names, when it is one of the published files."""
        if rel not in self.public or ".." in rel.split("/"):
            return None
        path = (self.out_dir / rel).resolve()
        if not path.is_relative_to(self.out_dir.resolve()) or not path.is_file():
            return None
        return path

    # -- index and filters

    def sessions(self) -> list[str]:
        return sorted({d.session for d in self.documents.values() if d.session}, key=_session_key)

    def bodies(self) -> list[str]:
        return sorted({d.body for d in self.documents.values() if d.body})

    def years(self) -> list[str]:
        return sorted({d.year for d in self.documents.values() if d.year}, reverse=True)

    def filter(
        self,
        session: str | None = None,
        body: str | None = None,
        year: str | None = None,
        words: str | None = None,
    ) -> list[Document]:
        """The documents that match every filter given, newest first."""
        terms = [w.casefold() for w in re.findall(r"\w+", words or "")]
        out = []
        for doc in self.documents.values():
            if session and doc.session != session:
                continue
            if body and doc.body != body:
                continue
            if year and doc.year != year:
                continue
            if terms:
                text = f"{doc.title or ''} {doc.symbol}".casefold()
                if not all(t in text for t in terms):
                    continue
            out.append(doc)
        out.sort(key=lambda d: (d.date or "", _symbol_key(d.symbol)), reverse=True)
        return out

    def name_of(self, symbol: str) -> str | None:
        return self.by_symbol.get(canonical(symbol))


def load_manifest(out_dir: Path) -> Manifest:
    """The manifest of a published folder; SiteError when there is none to serve."""
    path = out_dir / MANIFEST_NAME
    try:
        return Manifest.from_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise SiteError(
            f"{out_dir}: no {MANIFEST_NAME}; is this a folder `ldexport publish` wrote?"
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SiteError(f"{path}: cannot be read: {exc}") from exc


def base_iri(manifest: Manifest) -> str:
    """The base IRI the folder was published with."""
    base = manifest.settings.get("base_iri") or manifest.fingerprint.get("base_iri")
    if not isinstance(base, str):
        raise SiteError(f"{MANIFEST_NAME} names no base IRI")
    return base


def _node(iri: str) -> ox.NamedNode | None:
    """The IRI as a node, or None when it is no valid IRI (what a hostile path makes)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def _session_key(session: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", session)
    return (int(digits) if digits else 0, session)


def _symbol_key(symbol: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", symbol)]
