"""Load a published dataset into a triple store, one named graph per resolution.

Three ways in (`--method`), all of which *replace* each graph, so loading twice gives the
same store:

* `gsp`, the SPARQL 1.1 Graph Store HTTP Protocol (`--endpoint`): one `PUT <endpoint>?graph=<g>`
  per graph with the document's Turtle as published (Oxigraph `/store`, Fuseki `/ds/data`,
  Virtuoso `/sparql-graph-crud-auth`, GraphDB `/repositories/<id>/rdf-graphs/service`);
* `update`, SPARQL 1.1 Update (`--update-endpoint`), for stores that speak nothing else: batches
  of `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`, several graphs per request;
* `bulk`, Oxigraph server only: the published N-Quads dumps `dumps/shards/*.nq` (with the
  graph names; then the provenance and catalogue graphs) streamed from the files, one after
  the other, in one `POST /store?no_transaction`, the graphs whose content changed dropped
  (`DROP SILENT GRAPH` batches on `/update`); see `load_bulk`.  Several times faster than `gsp`,
  but not atomic: a load that stops midway leaves some graphs empty or incomplete until it
  is run again.  The default (`auto`) when the server answers as Oxigraph.  The published
  `.nq.gz` are not sent: they are multi-member gzip, and Oxigraph's server (0.5) decodes
  only the first member of a gzip request body, silently loading nothing of the rest.

One `requests.Session` (connections reused), timeouts on every request, retries with
exponential backoff on 5xx answers and dropped or refused connections (urllib3 `Retry`), a
clear error naming the graph and quoting the server on 4xx.  Credentials come from
`LDEXPORT_STORE_USER` / `LDEXPORT_STORE_PASSWORD` or `~/.netrc`, never from the command line;
the scheme (Basic or Digest, as Virtuoso wants) is taken from the server's challenge, and a
small request authenticates first so that no large body is sent twice.  No credential is
ever printed.

After loading, one SPARQL query counts the triples of every graph under `B graph/` and
compares them with what was sent. Votes graphs (`B graph/<name>/votes`) are graphs of the
dataset like the documents', so they are loaded and never pruned while the manifest lists them.
Pruning: graphs under `B graph/` that the store holds and the dataset no longer has are dropped
— with `--prune` always, with `--no-prune` never, and by default only when every named graph in
the store is under `B graph/` (a store that ldexport alone writes); otherwise they are listed
and left alone.
"""

from __future__ import annotations

import os
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from urllib3.util.retry import Retry

from ldexport.dataset import CATALOG, PROVENANCE, SHARDS, THESAURUS
from ldexport.errors import LdexportError
from ldexport.manifest import Manifest, read_manifest

USER_ENV = "LDEXPORT_STORE_USER"
PASSWORD_ENV = "LDEXPORT_STORE_PASSWORD"
AUTH_ENV = "LDEXPORT_STORE_AUTH"  # basic | digest (default: what the server asks for)

TURTLE = "text/turtle"
N_QUADS = "application/n-quads"
SPARQL_UPDATE = "application/sparql-update"
SPARQL_JSON = "application/sparql-results+json"


class StoreError(LdexportError):
    """The store refused or could not be reached; the message names the graph and the cause."""


@dataclass(frozen=True)
class Endpoints:
    """Where a store listens: Graph Store Protocol, SPARQL query and SPARQL Update."""

    query: str
    store: str | None = None
    update: str | None = None

    def __post_init__(self) -> None:
        if not self.store and not self.update:
            raise StoreError("give a Graph Store endpoint (--endpoint) or an update endpoint")
        for url in (self.query, self.store, self.update):
            if url is None:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise StoreError(f"not an http(s) URL: {redact(url)}")
            if parts.username or parts.password:
                raise StoreError(
                    f"credentials do not belong in the URL ({redact(url)}): set {USER_ENV} and "
                    f"{PASSWORD_ENV}, or add the host to ~/.netrc"
                )

    @classmethod
    def guess(
        cls, store: str | None, query: str | None = None, update: str | None = None
    ) -> Endpoints:
        """Fill in the query endpoint from the usual layouts when it is not given."""
        if query is None:
            query = guess_query_endpoint(store or update or "")
            if query is None:
                raise StoreError(
                    f"cannot tell the SPARQL query endpoint of {redact(store or update or '')}: "
                    "give --query-endpoint"
                )
        return cls(query=query, store=store, update=update)


def guess_query_endpoint(url: str) -> str | None:
    """Oxigraph `/store` -> `/query`; Fuseki `/ds/data` -> `/ds/sparql`; Virtuoso
    `/sparql-graph-crud[-auth]` -> `/sparql`; GraphDB `.../rdf-graphs/service` -> the
    repository; an update endpoint `/update` -> `/query`, `/statements` -> the repository."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    for suffix, replacement in (
        ("/store", "/query"),
        ("/update", "/query"),
        ("/data", "/sparql"),
        ("/sparql-graph-crud-auth", "/sparql"),
        ("/sparql-graph-crud", "/sparql"),
        ("/rdf-graphs/service", ""),
        ("/statements", ""),
    ):
        if path.endswith(suffix):
            return urlunsplit(parts._replace(path=path[: -len(suffix)] + replacement, query=""))
    return None


def redact(url: str) -> str:
    """A URL as it may be printed: without user information."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def credentials(url: str) -> tuple[str, str] | None:
    """User and password for `url`: the environment first, then ~/.netrc."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user and password is not None:
        return user, password
    found = requests.utils.get_netrc_auth(url)
    return (found[0], found[1]) if found else None


# --- what is loaded ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphFile:
    """One named graph of the dataset and the Turtle file that holds it."""

    iri: str
    path: Path
    triples: int
    sha256: str | None = None  # as the manifest records it


def dataset_graphs(out_dir: Path) -> tuple[Manifest, list[GraphFile]]:
    """The graphs of a published output folder: one per document, in name order, then each
    resolution's votes graph (`B graph/<name>/votes`, `ldexport votes`), then the provenance,
    catalogue and thesaurus graphs (`B graph/provenance`, `B graph/catalog`, `B graph/unbis`)."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise StoreError(f"{out_dir}: no manifest.json; run `ldexport publish` first")
    graphs = []
    for name in sorted(manifest.documents):
        entry = manifest.documents[name]
        rel = f"{name}.ttl"
        info = manifest.files.get(rel)
        graphs.append(
            GraphFile(entry.graph, out_dir / rel, entry.triples, info.sha256 if info else None)
        )
    for name in sorted(manifest.votes):
        votes = manifest.votes[name]
        rel = votes.files[0]
        info = manifest.files.get(rel)
        graphs.append(
            GraphFile(votes.graph, out_dir / rel, votes.triples, info.sha256 if info else None)
        )
    base = manifest.fingerprint["base_iri"]
    for rel, graph in (
        (PROVENANCE, "provenance"),
        (f"{CATALOG}.ttl", "catalog"),
        (THESAURUS, "unbis"),
    ):
        path = out_dir / rel
        if path.is_file():
            count = len(set(map(str, ox.parse(path=path, format=ox.RdfFormat.TURTLE))))
            info = manifest.files.get(rel)
            graphs.append(
                GraphFile(f"{base}graph/{graph}", path, count, info.sha256 if info else None)
            )
    return manifest, graphs


def read_checked(graph: GraphFile) -> bytes:
    """A graph's Turtle, checked against the manifest (a file edited after publishing is an
    error, not something to load)."""
    data = graph.path.read_bytes()
    if graph.sha256 is not None and sha256(data).hexdigest() != graph.sha256:
        raise StoreError(
            f"{graph.path} changed since it was published (sha256 differs from manifest.json)"
        )
    return data


@dataclass(frozen=True)
class DumpFile:
    """A published N-Quads dump and the graphs it holds (documents' and votes graphs)."""

    path: Path
    graphs: list[GraphFile]
    sha256: str | None = None  # as the manifest records it


@dataclass(frozen=True)
class BulkPlan:
    shards: list[DumpFile]  # every shard's N-Quads: one after the other, the corpus
    others: list[GraphFile]  # in no dump (provenance, catalogue): PUT one by one


def bulk_plan(out_dir: Path, manifest: Manifest, graphs: Sequence[GraphFile]) -> BulkPlan:
    """The N-Quads dumps that hold the dataset's graphs, and the graphs no dump holds."""
    by_iri = {g.iri: g for g in graphs}

    def dump(rel: str, iris: list[str]) -> DumpFile:
        if not (out_dir / rel).is_file():
            raise StoreError(f"{out_dir / rel} is missing; run `ldexport publish` again")
        info = manifest.files.get(rel)
        return DumpFile(out_dir / rel, [by_iri[i] for i in iris], info.sha256 if info else None)

    shards: list[DumpFile] = []
    for shard, entry in sorted(manifest.shards.items()):
        names = [n for n in entry.documents if n in manifest.documents]
        votes = [n for n in entry.votes if n in manifest.votes]
        if len(names) + len(votes) != len(entry.documents) + len(entry.votes):
            raise StoreError(
                f"{out_dir / 'manifest.json'}: shard {shard} names graphs the manifest does not "
                "list; run `ldexport publish` again"
            )
        iris = [manifest.documents[n].graph for n in names]
        iris += [manifest.votes[n].graph for n in votes]
        shards.append(dump(f"{SHARDS}/{shard}.nq", iris))
    held = {g.iri for d in shards for g in d.graphs}
    return BulkPlan(shards, [g for g in graphs if g.iri not in held])


def check_dump(dump: DumpFile) -> tuple[int, bool]:
    """A dump's size, and whether it may hold blank nodes (`_:` anywhere, literals included),
    after checking it against the manifest; streamed (constant memory)."""
    h = sha256()
    size = 0
    blank = False
    last = b""
    with dump.path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
            blank = blank or b"_:" in last + block[:1] or b"_:" in block
            last = block[-1:]
    if dump.sha256 is not None and h.hexdigest() != dump.sha256:
        raise StoreError(
            f"{dump.path} changed since it was published (sha256 differs from manifest.json)"
        )
    return size, blank


def drop_batches(graphs: Iterable[GraphFile], max_triples: int) -> Iterator[list[str]]:
    """Graph IRIs in groups holding about `max_triples` (as published) each: one `DROP`
    request per group keeps the store's transaction small when it holds the graphs already."""
    batch: list[str] = []
    size = 0
    for graph in graphs:
        if batch and size + graph.triples > max_triples:
            yield batch
            batch, size = [], 0
        batch.append(graph.iri)
        size += graph.triples
    if batch:
        yield batch


# --- talking to the store ------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What a load did, and whether the store holds what was sent."""

    loaded: list[str] = field(default_factory=list)
    expected: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    pruned: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # candidates for pruning left alone
    requests: int = 0
    seconds: float = 0.0
    method: str = ""
    replaced: list[str] = field(default_factory=list)  # bulk: dropped, as they had changed

    @property
    def mismatches(self) -> list[str]:
        return [
            f"{g}: sent {n} triples, the store holds {self.counts.get(g, 0)}"
            for g, n in sorted(self.expected.items())
            if self.counts.get(g, 0) != n
        ]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def lines(self) -> list[str]:
        total = sum(self.expected.values())
        out = [
            f"loaded {len(self.loaded)} graph(s), {total} triples, in {self.seconds:.1f} s "
            f"({self.requests} request(s), method {self.method})"
        ]
        if self.ok:
            n = len(self.expected)
            out.append(f"verified: the store holds the {total} triples of the {n} graph(s)")
        if self.replaced:
            out.append(f"{len(self.replaced)} graph(s) had changed and were dropped first")
        out.extend(f"error: {m}" for m in self.mismatches)
        out.extend(f"pruned {g} (its document left the dataset)" for g in self.pruned)
        if self.stale:
            out.append(
                f"warning: {len(self.stale)} graph(s) under graph/ are not in the dataset and were "
                "left in the store (the store holds graphs ldexport did not write; use --prune)"
            )
            out.extend(f"warning:   {g}" for g in self.stale[:20])
        return out


class Store:
    """A session with one triple store."""

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        timeout: float = 60.0,
        retries: int = 5,
        backoff: float = 0.5,
        session: requests.Session | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.timeout = (min(10.0, timeout), timeout)
        self.retries = retries
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = "ldexport-load"
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=retries,
            backoff_factor=backoff,
            backoff_max=30,
            status_forcelist=(500, 502, 503, 504),
            allowed_methods=None,  # PUT, DELETE and these POSTs are all idempotent here
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=4)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.requests = 0
        self.server = ""  # the `Server` header of the write endpoint, once authenticated
        self._authenticated = False

    @property
    def is_oxigraph(self) -> bool:
        return self.server.lower().startswith("oxigraph")

    # -- authentication
    def authenticate(self) -> None:
        """A small request to the write endpoint first: learn whether and how the store
        wants credentials (Basic or Digest) before any large body is sent."""
        url = self.endpoints.store or self.endpoints.update
        assert url is not None
        response = self._request("HEAD", url, what="to it", check=False)
        if response.status_code == 401:
            self._install_auth(response, url, what="to it")
            response = self._request("HEAD", url, what="to it", check=False)
            if response.status_code == 401:
                raise StoreError(
                    f"{redact(url)} refused the credentials from {_cred_source(url)} (401)"
                )
        self.server = response.headers.get("Server", "")
        self._authenticated = True

    def _install_auth(self, response: requests.Response, url: str, what: str) -> None:
        creds = credentials(url)
        if creds is None:
            raise StoreError(
                f"{redact(url)} needs credentials to write {what} (HTTP 401 {_message(response)}); "
                f"set {USER_ENV} and {PASSWORD_ENV}, or add the host to ~/.netrc"
            )
        scheme = os.environ.get(AUTH_ENV, "").lower() or (
            "digest"
            if "digest" in response.headers.get("WWW-Authenticate", "").lower()
            else "basic"
        )
        auth: AuthBase = HTTPDigestAuth(*creds) if scheme == "digest" else HTTPBasicAuth(*creds)
        self.session.auth = auth

    # -- requests
    def _request(
        self, method: str, url: str, *, what: str, check: bool = True, **kw: Any
    ) -> requests.Response:
        self.requests += 1
        kw.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, url, **kw)
        except requests.exceptions.RetryError as exc:
            raise StoreError(
                f"the store at {redact(url)} kept failing while writing {what} "
                f"({self.retries} retries): {_reason(exc)}"
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            raise StoreError(
                f"cannot reach the store at {redact(url)} while writing {what} after "
                f"{self.retries} retries: {_reason(exc)}. Run the same load again when it is "
                "back: graphs are replaced, so repeating a load is safe"
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise StoreError(
                f"the store at {redact(url)} did not answer within {self.timeout[1]:.0f} s "
                f"while writing {what}"
            ) from exc
        if response.status_code == 401 and check and self.session.auth is None:
            self._install_auth(response, url, what)
            return self._request(method, url, what=what, check=check, **kw)
        if check and response.status_code >= 400:
            hint = ""
            if response.status_code in (401, 403):
                hint = f" (credentials from {_cred_source(url)})"
            raise StoreError(
                f"the store refused {what}: HTTP {response.status_code} {response.reason}"
                f"{hint}: {_message(response)}"
            )
        return response

    def put_graph(self, graph: str, data: bytes, content_type: str = TURTLE) -> None:
        """Graph Store Protocol PUT: the graph becomes exactly `data`."""
        assert self.endpoints.store is not None
        self._request(
            "PUT",
            self.endpoints.store,
            what=f"graph <{graph}>",
            params={"graph": graph},
            data=data,
            headers={"Content-Type": f"{content_type}; charset=utf-8"},
        )

    def post_quads(self, files: Sequence[tuple[Path, int]], what: str, tail: bytes = b"") -> None:
        """Oxigraph bulk load: N-Quads files of known sizes, one after the other (then
        `tail`), streamed in one `POST ?no_transaction`; their quads go to the graphs they
        name, written as they are parsed, without a transaction."""
        assert self.endpoints.store is not None
        body = _Body(files, tail)
        read = max(self.timeout[1], len(body) / 2e6)  # the answer comes once all is written
        with body:
            self._request(
                "POST",
                self.endpoints.store,
                what=what,
                params={"no_transaction": ""},
                data=body,
                headers={"Content-Type": f"{N_QUADS}; charset=utf-8"},
                timeout=(self.timeout[0], read),
            )

    def drop_graphs(self, graphs: Sequence[str]) -> None:
        """Drop graphs, several in one SPARQL Update request (no error for absent ones)."""
        body = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        self.update(body, what=f"the drop of {len(graphs)} graph(s) from <{graphs[0]}>")

    def delete_graph(self, graph: str) -> None:
        if self.endpoints.store is not None:
            response = self._request(
                "DELETE",
                self.endpoints.store,
                what=f"graph <{graph}>",
                params={"graph": graph},
                check=False,
            )
            if response.status_code >= 400 and response.status_code != 404:
                raise StoreError(
                    f"the store refused to drop graph <{graph}>: HTTP {response.status_code}: "
                    f"{_message(response)}"
                )
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>", what=f"graph <{graph}>")

    def update(self, sparql: str | bytes, what: str) -> None:
        assert self.endpoints.update is not None
        body = sparql.encode() if isinstance(sparql, str) else sparql
        self._request(
            "POST",
            self.endpoints.update,
            what=what,
            data=body,
            headers={"Content-Type": f"{SPARQL_UPDATE}; charset=utf-8"},
        )

    def select(self, sparql: str) -> list[dict[str, str]]:
        """Rows of a SELECT query, each variable's value as a string."""
        response = self._request(
            "POST",
            self.endpoints.query,
            what="a SPARQL query",
            data={"query": sparql},
            headers={"Accept": SPARQL_JSON},
        )
        try:
            data = response.json()
        except ValueError as exc:
            raise StoreError(
                f"{redact(self.endpoints.query)} did not answer with SPARQL JSON"
            ) from exc
        return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]

    def graph_counts(self, prefix: str) -> dict[str, int]:
        """Triples per named graph whose IRI starts with `prefix`."""
        # the filter after the grouping, once per graph rather than once per triple: 4x faster
        # on Oxigraph (0.8 s instead of 3.6 s for 1M triples)
        rows = self.select(
            "SELECT ?g ?n WHERE { { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
            f"GROUP BY ?g }} FILTER(STRSTARTS(STR(?g), {_string(prefix)})) }}"
        )
        return {row["g"]: int(row["n"]) for row in rows}

    def holds_other_graphs(self, prefix: str) -> bool:
        """Whether any named graph of the store lies outside `prefix`."""
        rows = self.select(
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(!STRSTARTS(STR(?g), {_string(prefix)})) }} LIMIT 1"
        )
        return bool(rows)


class _Body:
    """Files of known sizes, one after the other, then `tail`, as one request body: read in
    blocks, with a length (so `Content-Length` is sent) and seek/tell (so a retry starts
    again from 0).  A context manager: it closes the file it has open."""

    def __init__(self, files: Sequence[tuple[Path, int]], tail: bytes) -> None:
        self.paths = [path for path, _ in files]
        self.starts = list(accumulate((size for _, size in files), initial=0))
        self.size = self.starts[-1]
        self.tail, self.pos = tail, 0
        self._open: tuple[int, BinaryIO] | None = None

    def __len__(self) -> int:  # all of it: requests subtracts tell() itself
        return self.size + len(self.tail)

    def __enter__(self) -> _Body:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open is not None:
            self._open[1].close()
            self._open = None

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.pos, os.SEEK_END: len(self)}
        self.pos = base[whence] + offset
        return self.pos

    def read(self, n: int = -1) -> bytes:
        if n < 0:
            return b"".join(iter(lambda: self.read(1 << 20), b""))
        if self.pos >= self.size:
            start = self.pos - self.size
            data = self.tail[start : start + n]
        else:
            i = bisect_right(self.starts, self.pos) - 1
            if self._open is None or self._open[0] != i:
                self.__exit__()
                self._open = (i, self.paths[i].open("rb"))
            f = self._open[1]
            f.seek(self.pos - self.starts[i])
            data = f.read(min(n, self.starts[i + 1] - self.pos))
            if not data:
                raise StoreError(f"{self.paths[i]} became shorter while it was being sent")
        self.pos += len(data)
        return data


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _message(response: requests.Response) -> str:
    text = " ".join(response.text.split()) if response.text else response.reason
    return text[:500]


def _reason(exc: BaseException) -> str:
    inner: BaseException | None = exc
    while (
        inner is not None
        and inner.__context__ is not None
        and not isinstance(inner, ConnectionRefusedError | ConnectionResetError)
    ):
        inner = inner.__context__
    return str(inner or exc).split(" (Caused by")[0][:300]


def _cred_source(url: str) -> str:
    if os.environ.get(USER_ENV):
        return f"{USER_ENV}/{PASSWORD_ENV}"
    return "~/.netrc" if requests.utils.get_netrc_auth(url) else "nowhere (none set)"


# --- loading ------------------------------------------------------------------------------------


def update_batches(
    graphs: Iterable[GraphFile], max_bytes: int
) -> Iterator[tuple[list[str], bytes]]:
    """SPARQL Update requests of at most about `max_bytes`, each replacing whole graphs:
    `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { N-Triples } }`."""
    batch: list[str] = []
    parts: list[bytes] = []
    size = 0
    for graph in graphs:
        triples = ox.parse(read_checked(graph), format=ox.RdfFormat.TURTLE)
        nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        part = (
            f"DROP SILENT GRAPH <{graph.iri}> ;\nINSERT DATA {{ GRAPH <{graph.iri}> {{\n".encode()
            + nt
            + b"} }"
        )
        if batch and size + len(part) > max_bytes:
            yield batch, b" ;\n".join(parts)
            batch, parts, size = [], [], 0
        batch.append(graph.iri)
        parts.append(part)
        size += len(part)
    if batch:
        yield batch, b" ;\n".join(parts)


METHODS = ("auto", "gsp", "update", "bulk")


def choose_method(method: str, endpoints: Endpoints, store: Store) -> str:
    """`auto`: `bulk` when the Graph Store endpoint answers as an Oxigraph server, `gsp` for
    other stores, `update` when only an update endpoint is given."""
    if method not in METHODS:
        raise StoreError(f"unknown load method {method!r}: one of {', '.join(METHODS)}")
    if method == "auto":
        if endpoints.store is None:
            return "update"
        return "bulk" if store.is_oxigraph else "gsp"
    if method in ("gsp", "bulk") and endpoints.store is None:
        raise StoreError(f"--method {method} needs a Graph Store endpoint (--endpoint)")
    if method == "update" and endpoints.update is None:
        raise StoreError("--method update needs an update endpoint (--update-endpoint)")
    if method == "bulk" and not store.is_oxigraph:
        assert endpoints.store is not None
        raise StoreError(
            f"--method bulk needs an Oxigraph server; {redact(endpoints.store)} answers as "
            f"{store.server or 'an unnamed server'}: use --method gsp"
        )
    return method


def bulk_update_endpoint(endpoints: Endpoints) -> str:
    """Where the bulk path drops graphs: the update endpoint given, or Oxigraph's `/update`
    beside its `/store`."""
    if endpoints.update is not None:
        return endpoints.update
    assert endpoints.store is not None
    parts = urlsplit(endpoints.store)
    path = parts.path.rstrip("/")
    if not path.endswith("/store"):
        raise StoreError(
            f"cannot tell the update endpoint of {redact(endpoints.store)} (needed to drop the "
            "graphs before a bulk load): give --update-endpoint"
        )
    return urlunsplit(parts._replace(path=path[: -len("/store")] + "/update", query=""))


def load_bulk(
    out_dir: Path,
    manifest: Manifest,
    graphs: Sequence[GraphFile],
    store: Store,
    report: LoadReport,
    *,
    prefix: str,
    drop_triples: int,
    progress: Callable[[Sequence[GraphFile]], Iterable[GraphFile]],
    on_graph: Callable[[int, str], None] | None,
) -> dict[str, int]:
    """The bulk path; returns the store's triple counts per graph under `prefix` afterwards.

    1. Count the triples of each graph the store holds; drop (batched `DROP SILENT GRAPH`)
       the dataset's graphs whose count differs from the dataset's: they changed.
    2. POST every shard's `dumps/shards/<shard>.nq`, one after the other, in one request with
       `no_transaction`: every graph of the dump now holds at
       least its published triples (inserting a triple twice is a no-op), so a graph whose
       count now equals the published count *is* the published graph.  (Not so with blank
       nodes, new ones at every insert: ldexport writes none, but a dump that may hold some
       has every graph of the dataset dropped in step 1.)  The provenance and catalogue
       graphs (in no dump) follow the dump in the same request, as N-Quads.
    3. Count again.  A graph with more triples than published changed without changing its
       count (or holds leftovers of a load that stopped): drop it and POST its shard's dump
       again (inserting the shard's other, correct, graphs again is a no-op), or PUT it.

    Dropping only what changed matters: Oxigraph deletes in a transaction, about 45 s for
    1M triples on a 2-core machine, three times what the no_transaction POST of them takes.
    """
    plan = bulk_plan(out_dir, manifest, graphs)
    checked = [check_dump(d) for d in plan.shards]  # an edited dump is refused before any change
    blank = any(b for _, b in checked)
    data = {g.iri: read_checked(g) for g in plan.others}
    # provenance and catalogue: in the same POST, after the dump, as N-Quads (a PUT each
    # would be a transaction: 0.7 s for their 25k triples at 2,000 documents); PUT only if
    # they have blank nodes, which a second insert would duplicate
    tail: list[bytes] = []
    put: list[GraphFile] = []
    for graph in plan.others:
        quads = as_quads(data[graph.iri], graph.iri)
        if quads is None:
            put.append(graph)
        else:
            tail.append(quads)
    posted = [g for d in plan.shards for g in d.graphs]
    posted += [g for g in plan.others if g not in put]
    if store.endpoints.update is None:
        store.endpoints = Endpoints(
            query=store.endpoints.query,
            store=store.endpoints.store,
            update=bulk_update_endpoint(store.endpoints),
        )
    held = store.graph_counts(prefix)
    # blank nodes are new ones at every insert: then every graph the store holds is dropped
    changed = [g for g in posted if g.iri in held and (blank or held[g.iri] != g.triples)]
    for batch in drop_batches(changed, drop_triples):
        store.drop_graphs(batch)
    ordered = iter(progress([*posted, *put]))
    what = f"the N-Quads of {len(plan.shards)} shard(s) ({len(posted)} graph(s))"
    files = [(d.path, size) for d, (size, _) in zip(plan.shards, checked, strict=True)]
    store.post_quads(files, what=what, tail=b"".join(tail))
    for graph in put:
        store.put_graph(graph.iri, data[graph.iri])
    for i in range(len(posted) + len(put)):
        iri = next(ordered).iri
        report.loaded.append(iri)
        if on_graph:
            on_graph(i, iri)
    counts = store.graph_counts(prefix)
    merged = [g for g in posted if counts.get(g.iri, 0) > g.triples]
    if merged:
        again = {g.iri for g in merged}
        shards = [d for d in plan.shards if any(g.iri in again for g in d.graphs)]
        sizes = [check_dump(d)[0] for d in shards]
        for batch in drop_batches(merged, drop_triples):
            store.drop_graphs(batch)
        for shard, shard_size in zip(shards, sizes, strict=True):
            what = f"{shard.path.name} ({len(shard.graphs)} graph(s))"
            store.post_quads([(shard.path, shard_size)], what=what)
        for graph in plan.others:
            if graph.iri in again:
                store.put_graph(graph.iri, data[graph.iri])
        counts = store.graph_counts(prefix)
    report.replaced = [g.iri for g in [*changed, *merged]]
    return counts


def as_quads(turtle: bytes, graph: str) -> bytes | None:
    """A graph's Turtle as N-Quads in `graph`; None if it has blank nodes."""
    name = ox.NamedNode(graph)
    quads = []
    for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            return None
        quads.append(ox.Quad(t.subject, t.predicate, t.object, name))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def load(
    out_dir: Path,
    endpoints: Endpoints,
    *,
    prune: bool | None = None,
    method: str = "auto",
    batch_bytes: int = 4 << 20,
    drop_triples: int = 250_000,
    store: Store | None = None,
    progress: Callable[[Sequence[GraphFile]], Iterable[GraphFile]] = lambda xs: xs,
    on_graph: Callable[[int, str], None] | None = None,
) -> LoadReport:
    """Push every graph of the published dataset in `out_dir` to the store, verify the counts,
    and prune graphs whose documents left the dataset (see the module docstring)."""
    started = time.monotonic()
    manifest, graphs = dataset_graphs(out_dir)
    prefix = f"{manifest.fingerprint['base_iri']}graph/"
    store = store or Store(endpoints)
    report = LoadReport(expected={g.iri: g.triples for g in graphs})
    store.authenticate()
    report.method = choose_method(method, endpoints, store)
    counts: dict[str, int] | None = None
    if report.method == "bulk":
        counts = load_bulk(
            out_dir,
            manifest,
            graphs,
            store,
            report,
            prefix=prefix,
            drop_triples=drop_triples,
            progress=progress,
            on_graph=on_graph,
        )
    elif report.method == "gsp":
        for i, graph in enumerate(progress(graphs)):
            store.put_graph(graph.iri, read_checked(graph))
            report.loaded.append(graph.iri)
            if on_graph:
                on_graph(i, graph.iri)
    else:
        done = 0
        for batch, body in update_batches(progress(graphs), batch_bytes):
            store.update(body, what=f"{len(batch)} graph(s) from <{batch[0]}>")
            report.loaded.extend(batch)
            for iri in batch:
                if on_graph:
                    on_graph(done, iri)
                done += 1
    if counts is None:
        counts = store.graph_counts(prefix)
    stale = sorted(g for g in counts if g not in report.expected)
    if stale:
        if prune is None:
            prune = not store.holds_other_graphs(prefix)
        if prune:
            for graph_iri in stale:
                store.delete_graph(graph_iri)
                report.pruned.append(graph_iri)
                counts.pop(graph_iri)
        else:
            report.stale = stale
    report.counts = {g: n for g, n in counts.items() if g in report.expected}
    report.requests = store.requests
    report.seconds = time.monotonic() - started
    return report
