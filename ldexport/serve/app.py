"""The web application of `ldexport serve` (Starlette, run by uvicorn).

Paths are relative to the path of the base IRI `B` the dataset was published with:

- `/`: the index of resolutions (HTML; filters by body, session, year, words); RDF
  clients asking for it are sent to the catalogue.
- `/doc/<symbol>[/<lang>[/<fmt>]]`: a work, expression or manifestation: 303 to
  `data/<name>.<ext>` by Accept; another spelling of the symbol: 301 to the canonical IRI.
- `/org/...`, `/graph/...`, `/run/...`, any IRI the dataset describes: 303 to
  `data/<path>.<ext>`, a description built from the store.
- `/data/<file>`: the published files (manifest.json lists them), with ETag,
  Last-Modified and gzip; `/data/<name>.<nt, rdf, html, akn.xml, marc.xml, dc.xml>` are made
  on the fly where publish did not write them.
- `/sparql`: SPARQL 1.1 Protocol (GET, POST), an HTML form for people.
- `/oai`: OAI-PMH 2.0.  `/.well-known/void`: the VoID description (the catalogue).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ldexport import __version__
from ldexport.errors import LdexportError
from ldexport.export import render as render_export
from ldexport.serve import conneg, html, results
from ldexport.serve.oai import Repository
from ldexport.serve.responses import (
    GZIP_MINIMUM,
    error,
    file_response,
    media_type,
    representation,
)
from ldexport.serve.site import EXPORTS, Site, base_iri, load_manifest
from ldexport.serve.sparql import (
    EXAMPLES,
    HTML_FORMATS,
    QueryPool,
    QueryRefused,
    check,
    formats_for,
    from_params,
    service_description,
)
from ldexport.serve.store import StoreDir, build_store
from ldexport.un import ORGANS

log = logging.getLogger("ldexport.serve")

MAX_PATH = 2048  # longest request path answered; longer gets 414
MAX_QUERY_STRING = 8192  # longest query string (a SPARQL query by GET); longer gets 414
MAX_FORM = 1 << 20  # largest POST body read
INDEX_PAGE = 50

#: Accept offers for a resolution of the dataset -> extension of its description file.
DOCUMENT_OFFERS: dict[str, str] = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
    "application/akn+xml": "akn.xml",
    "application/xml": "akn.xml",
    "text/xml": "akn.xml",
    "application/marcxml+xml": "marc.xml",
    "application/json": "jsonld",
}
#: Accept offers for anything else the dataset describes.
THING_OFFERS: dict[str, str] = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
    "application/json": "jsonld",
}
GENERATED = ("nt", "rdf", "html", *EXPORTS)
DESCRIPTIONS = ("ttl", "jsonld", "nt", "rdf", "html")
DESCRIPTION_MEDIA = {
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "html": "text/html; charset=utf-8",
}


@dataclass
class Options:
    out_dir: Path
    sparql_timeout: float = 10.0
    sparql_limit: int = 10_000
    sparql_workers: int = 2
    sparql_memory_mb: int = 2048
    oai_page_size: int = 100


class _Cache:
    """A small LRU of generated bodies, keyed by what they were made from."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self.items: OrderedDict[Any, tuple[bytes, float]] = OrderedDict()

    def get(self, key: Any, make: Callable[[], tuple[bytes, float]]) -> tuple[bytes, float]:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        value = make()
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)
        return value


class Server:
    """The state of one served folder: its store, site, OAI repository and query pool."""

    def __init__(self, options: Options) -> None:
        self.options = options
        out_dir = options.out_dir.resolve()
        manifest = load_manifest(out_dir)
        self.store_dir = StoreDir()
        try:
            started = time.monotonic()
            self.quads = build_store(out_dir, manifest, base_iri(manifest), self.store_dir.path)
            self.store_seconds = time.monotonic() - started
            self.store = ox.Store.read_only(str(self.store_dir.path))
            self.site = Site.open(out_dir, self.store, manifest)
        except BaseException:
            self.store_dir.close()
            raise
        self.repository = Repository(self.site, options.oai_page_size)
        self.env = html.environment()
        self.pool = QueryPool(
            self.store_dir.path,
            size=options.sparql_workers,
            timeout=options.sparql_timeout,
            max_rows=options.sparql_limit,
            memory_mb=options.sparql_memory_mb,
            prefixes=html.PREFIX_MAP,
            base_iri=self.site.base,
        )
        self.cache = _Cache()

    def close(self) -> None:
        del self.store
        self.store_dir.close()

    # -- helpers

    def page(self, template: str, section: str = "", **values: Any) -> bytes:
        site = self.site
        settings = site.settings
        text = self.env.get_template(template).render(
            url=site.url,
            link=site.link,
            site_title=settings.get("title") or "ldexport",
            site_base=site.base,
            version=__version__,
            licence=settings.get("licence"),
            licence_label=settings.get("licence_label"),
            section=section,
            **values,
        )
        return text.encode()

    def html(self, request: Request, template: str, status: int = 200, **values: Any) -> Response:
        body = self.page(template, **values)
        return representation(
            request,
            body,
            "text/html; charset=utf-8",
            status=status,
            last_modified=self.site.modified,
        )

    def fail(
        self, request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        """An error answer, as a short page for browsers and plain text for programs."""
        wants = conneg.best(request.headers.get("accept"), ["text/plain", "text/html"])
        if wants == "text/html" and "text/html" in request.headers.get("accept", ""):
            reason = {
                400: "Bad request",
                403: "Forbidden",
                404: "Not found",
                405: "Method not allowed",
                406: "Not acceptable",
                413: "Too large",
                414: "Address too long",
                415: "Unsupported media type",
                500: "Internal error",
                503: "Unavailable",
            }.get(status, "Error")
            body = self.page("error.html", status=status, reason=reason, message=message)
            return Response(
                body,
                status_code=status,
                media_type="text/html; charset=utf-8",
                headers=dict(headers or {}),
            )
        return error(status, message, headers)

    def not_acceptable(self, request: Request, offers: Sequence[str]) -> Response:
        listed = "\n".join(dict.fromkeys(offers))
        return error(
            406,
            f"none of the media types asked for is available here; offered:\n{listed}",
            {"Vary": "Accept"},
        )

    def see_other(self, location: str) -> Response:
        return Response(status_code=303, headers={"Location": location, "Vary": "Accept"})

    # -- the index

    async def index(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        chosen = conneg.best(accept, ["text/html", "text/turtle", "application/ld+json"])
        if chosen is None:
            return self.not_acceptable(request, ["text/html", "text/turtle", "application/ld+json"])
        if chosen != "text/html":
            ext = "ttl" if chosen == "text/turtle" else "jsonld"
            return self.see_other(self.site.url(f"data/catalog.{ext}"))
        q = request.query_params
        site = self.site
        session = q.get("session") or ""
        body = q.get("body") or ""
        year = q.get("year") or ""
        words = (q.get("q") or "")[:200]
        try:
            page = max(1, int(q.get("page") or 1))
        except ValueError:
            page = 1
        found = site.filter(session or None, body or None, year or None, words or None)
        pages = max(1, math.ceil(len(found) / INDEX_PAGE))
        page = min(page, pages)
        labels = {d.session: d.session_label for d in site.documents.values() if d.session}
        summary = ", ".join(
            x
            for x in (
                ORGANS.get(body, body) if body else "",
                (labels.get(session) or f"session {session}") if session else "",
                year,
                f"“{words}”" if words else "",
            )
            if x
        )
        filters = {
            k: v
            for k, v in (("body", body), ("session", session), ("year", year), ("q", words))
            if v
        }

        def page_link(n: int) -> str:
            return site.url("") + "?" + urlencode({**filters, "page": n})

        dumps = [
            {"href": site.url(rel), "label": label}
            for rel, label in (
                ("data/dumps/corpus.nq.gz", "Every resolution, N-Quads (gzip)"),
                ("data/dumps/corpus.trig.gz", "TriG (gzip)"),
                ("data/dumps/corpus.ttl.gz", "Turtle (gzip)"),
                ("data/dumps/corpus.jsonld.gz", "JSON-LD (gzip)"),
            )
            if rel[len("data/") :] in site.public
        ]
        return self.html(
            request,
            "index.html",
            section="index",
            total=len(site.documents),
            count=len(found),
            items=found[(page - 1) * INDEX_PAGE : page * INDEX_PAGE],
            page=page,
            pages=pages,
            page_link=page_link,
            filtered=bool(filters),
            summary=summary,
            body=body,
            session=session,
            year=year,
            q=words,
            bodies=[{"value": b, "label": ORGANS.get(b, b)} for b in site.bodies()],
            sessions=[{"value": s, "label": labels.get(s) or s} for s in site.sessions()],
            years=site.years(),
            dumps=dumps,
        )

    # -- dereferencing IRIs

    async def thing(self, request: Request) -> Response:
        rel = request.path_params["rest"]
        site = self.site
        if rel.startswith("doc/") or rel == "doc":
            return self.document_iri(request, rel[4:])
        if rel.endswith("/") and rel.strip("/"):
            return RedirectResponse(site.url(rel.rstrip("/")), status_code=301)
        if rel.startswith("graph/"):
            name = rel[len("graph/") :]
            target = {"provenance": "provenance", "catalog": "catalog"}.get(name)
            if name in site.documents:
                return self.negotiate_document(request, name)
            if target and f"{target}.ttl" in site.public:
                exts = (
                    {"text/turtle": "ttl"}
                    if target == "provenance"
                    else {"text/turtle": "ttl", "application/ld+json": "jsonld"}
                )
                chosen = conneg.best(request.headers.get("accept"), list(exts))
                if chosen is None:
                    return self.not_acceptable(request, list(exts))
                return self.see_other(site.url(f"data/{target}.{exts[chosen]}"))
        iri = site.base + rel
        if not rel or not site.exists(iri):
            return self.fail(request, 404, f"nothing is known here about {iri}")
        return self.negotiate_thing(request, rel)

    def document_iri(self, request: Request, rest: str) -> Response:
        site = self.site
        found = site.locate(rest)
        if found is None:
            return self.fail(request, 404, f"no document {rest!r} is known to this dataset")
        canonical_path = site.url(found.path)
        raw = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
        if raw != canonical_path:
            return RedirectResponse(canonical_path, status_code=301)
        name = site.name_of(found.symbol)
        if name is None:
            return self.negotiate_thing(request, found.path)
        first = "application/akn+xml" if found.suffix.endswith("/akn") else "text/html"
        return self.negotiate_document(request, name, first)

    def negotiate_document(self, request: Request, name: str, first: str = "text/html") -> Response:
        offers = [first, *(o for o in DOCUMENT_OFFERS if o != first)]
        chosen = conneg.best(request.headers.get("accept"), offers)
        if chosen is None:
            return self.not_acceptable(request, offers)
        return self.see_other(self.site.url(f"data/{name}.{DOCUMENT_OFFERS[chosen]}"))

    def negotiate_thing(self, request: Request, rel: str) -> Response:
        chosen = conneg.best(request.headers.get("accept"), list(THING_OFFERS))
        if chosen is None:
            return self.not_acceptable(request, list(THING_OFFERS))
        return self.see_other(self.site.url("data/" + _quote(rel) + "." + THING_OFFERS[chosen]))

    # -- files and descriptions

    async def data(self, request: Request) -> Response:
        rest: str = request.path_params["rest"]
        site = self.site
        path = site.public_file(rest)
        if path is not None:
            twin = f"{rest}.gz"
            gz = site.out_dir / twin if twin in site.public and rest.startswith("dumps/") else None
            return file_response(request, path, media_type(rest), gz_twin=gz)
        for ext in GENERATED:
            if rest.endswith("." + ext) and rest[: -len(ext) - 1] in site.documents:
                return await self.generated(request, rest[: -len(ext) - 1], ext)
        if rest in site.documents:
            return self.variant(request, rest, DOCUMENT_OFFERS)
        if rest == "catalog":
            return self.variant(
                request, "catalog", {"text/turtle": "ttl", "application/ld+json": "jsonld"}
            )
        for ext in DESCRIPTIONS:
            if rest.endswith("." + ext):
                return await self.description(request, rest[: -len(ext) - 1], ext)
        if rest and site.exists(site.base + rest) and not rest.startswith("data/"):
            return self.variant(request, rest, THING_OFFERS)
        return self.fail(request, 404, f"no file {rest!r} in this dataset")

    def variant(self, request: Request, stem: str, offers: Mapping[str, str]) -> Response:
        """An information resource with several representations: 303 to the chosen one."""
        chosen = conneg.best(request.headers.get("accept"), list(offers))
        if chosen is None:
            return self.not_acceptable(request, list(offers))
        return self.see_other(self.site.url("data/" + _quote(stem) + "." + offers[chosen]))

    async def generated(self, request: Request, name: str, ext: str) -> Response:
        site = self.site
        source = site.out_dir / (f"{name}.ttl" if ext in ("nt", "rdf") else f"{name}.json")
        try:
            stamp = source.stat().st_mtime_ns
        except OSError:
            return self.fail(request, 404, f"the files of {name} are missing")

        def make() -> tuple[bytes, float]:
            if ext in ("nt", "rdf"):
                triples = [t for t in ox.parse(path=str(source), format=ox.RdfFormat.TURTLE)]
                triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
                return results.graph(ext, triples, html.PREFIX_MAP), source.stat().st_mtime
            res = site.model(name)
            if res is None:
                raise LdexportError(f"{name}.json cannot be read")
            if ext == "html":
                doc = site.documents[name]
                body = self.page("resolution.html", **html.resolution_context(res, doc, site))
                return body, max(source.stat().st_mtime, site.modified)
            return render_export(EXPORTS[ext], res, site.iris), source.stat().st_mtime

        try:
            body, modified = self.cache.get((name, ext, stamp), make)
        except (LdexportError, OSError, SyntaxError) as exc:
            log.error("%s.%s: %s", name, ext, exc)
            return self.fail(request, 500, f"{name}.{ext} cannot be made: {exc}")
        return representation(request, body, media_type(f".{ext}"), last_modified=modified)

    async def description(self, request: Request, rel: str, ext: str) -> Response:
        """The description of anything the dataset mentions, from the store."""
        site = self.site
        if rel.startswith("doc/"):
            found = site.locate(rel[4:])
            if found is not None and not found.suffix and (name := site.name_of(found.symbol)):
                return RedirectResponse(site.url(f"data/{name}.{ext}"), status_code=301)
        iri = site.base + rel
        if not rel or rel.startswith("data/") or not site.exists(iri):
            return self.fail(request, 404, f"nothing is known here about {iri}")

        def make() -> tuple[bytes, float]:
            triples, cut = site.describe(iri)
            if ext == "html":
                values = html.resource_context(iri, triples, cut, site)
                values["downloads"] = [
                    {"href": site.url("data/" + _quote(rel) + "." + e), "label": label, "type": m}
                    for e, label, m in (
                        ("ttl", "Turtle", "text/turtle"),
                        ("jsonld", "JSON-LD", "application/ld+json"),
                        ("nt", "N-Triples", "application/n-triples"),
                        ("rdf", "RDF/XML", "application/rdf+xml"),
                    )
                ]
                return self.page("resource.html", **values), site.modified
            return results.graph(ext, triples, html.PREFIX_MAP), site.modified

        body, modified = self.cache.get((rel, ext), make)
        return representation(request, body, DESCRIPTION_MEDIA[ext], last_modified=modified)

    async def void(self, request: Request) -> Response:
        return self.variant(
            request, "catalog", {"text/turtle": "ttl", "application/ld+json": "jsonld"}
        )

    # -- SPARQL

    async def sparql(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        params = parse_qsl(request.url.query, keep_blank_values=True)
        body_query: str | None = None
        try:
            if request.method == "POST":
                ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
                raw = await _read_body(request, MAX_FORM)
                if ctype == "application/x-www-form-urlencoded":
                    params += parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
                elif ctype == "application/sparql-query":
                    body_query = raw.decode("utf-8", "replace")
                elif ctype == "application/sparql-update":
                    raise QueryRefused(
                        403, "this endpoint is read-only: SPARQL Update is not accepted"
                    )
                else:
                    raise QueryRefused(
                        415,
                        "send the query as application/x-www-form-urlencoded or "
                        "application/sparql-query",
                    )
            req = from_params(params, body_query)
        except QueryRefused as exc:
            return self.fail(request, exc.status, exc.message, exc.headers)
        fmt = req.format or None
        all_types = [*results.SOLUTION_TYPES, *results.GRAPH_TYPES]
        # people: text/html preferred to every result format (curl's */* gets results)
        browser = fmt is None and conneg.best(accept, [*all_types, "text/html"]) == "text/html"
        if req.query is None or not req.query.strip():
            if browser:
                return self.sparql_page(request, _example(request))
            if conneg.best(accept, ["text/turtle"]):
                endpoint = self.site.base + "sparql"
                return representation(
                    request,
                    service_description(endpoint),
                    "text/turtle; charset=utf-8",
                    vary=("Accept",),
                )
            return error(
                400, "no query: send query= (GET or POST) or an application/sparql-query body"
            )
        try:
            check(req.query)
            sol: str | None
            gra: str | None
            if browser:
                sol, gra = "json", "ttl"
            else:
                sol, gra = formats_for(accept, fmt)
                if sol is None and gra is None:
                    return self.not_acceptable(request, all_types)
            outcome = await self.pool.run(
                {
                    "query": req.query,
                    "solutions_format": sol,
                    "graph_format": gra,
                    "default_graphs": req.default_graphs,
                    "named_graphs": req.named_graphs,
                }
            )
        except QueryRefused as exc:
            if browser:
                return self.sparql_page(
                    request, req.query, error_text=exc.message, status=exc.status
                )
            return error(exc.status, exc.message, exc.headers)
        if outcome.status == 400:
            message = outcome.message or "bad request"
            if browser:
                return self.sparql_page(request, req.query, error_text=message, status=400)
            return error(400, message)
        if outcome.status == 406:
            return self.not_acceptable(request, outcome.offers)
        if outcome.status != 200:
            return error(outcome.status, outcome.message or "the query failed")
        headers = {
            "Vary": "Accept",
            "X-SPARQL-Rows": str(outcome.rows),
            "X-SPARQL-Truncated": "true" if outcome.truncated else "false",
        }
        if browser:
            return self.sparql_page(request, req.query, outcome=outcome)
        return Response(outcome.body, media_type=outcome.media_type, headers=headers)

    def sparql_page(
        self,
        request: Request,
        query: str,
        *,
        outcome: Any = None,
        error_text: str | None = None,
        status: int = 200,
    ) -> Response:
        table = None
        boolean = None
        graph_text = None
        if outcome is not None:
            media = outcome.media_type or ""
            if media.startswith("application/sparql-results+json"):
                data = json.loads(outcome.body)
                if "boolean" in data:
                    boolean = bool(data["boolean"])
                else:
                    table = _table(data, self.site, outcome.truncated)
            else:
                graph_text = outcome.body.decode("utf-8", "replace")
        body = self.page(
            "sparql.html",
            section="sparql",
            query=query,
            format="",
            formats=HTML_FORMATS,
            examples=[{"title": t, "query": q} for t, q in EXAMPLES],
            timeout=f"{self.options.sparql_timeout:g}",
            limit=self.options.sparql_limit,
            table=table,
            boolean=boolean,
            graph_text=graph_text,
            error=error_text,
        )
        return Response(
            body,
            status_code=status,
            media_type="text/html; charset=utf-8",
            headers={"Vary": "Accept"},
        )

    # -- OAI-PMH

    async def oai(self, request: Request) -> Response:
        params = parse_qsl(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype != "application/x-www-form-urlencoded":
                return error(415, "OAI-PMH requests are sent as application/x-www-form-urlencoded")
            try:
                raw = await _read_body(request, 64 << 10)
            except QueryRefused as exc:
                return error(exc.status, exc.message)
            params = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
        base_url = self.site.base + "oai"  # the base IRI's, never the Host header's
        body = self.repository.respond(params, base_url)
        return Response(body, media_type="text/xml; charset=utf-8")


def _quote(rel: str) -> str:
    return quote(rel, safe="/()!$&'*+,;=:@-._~")


def _example(request: Request) -> str:
    try:
        n = int(request.query_params.get("example", "1"))
    except ValueError:
        n = 1
    if not 1 <= n <= len(EXAMPLES):
        n = 1
    return EXAMPLES[n - 1][1]


def _table(data: dict[str, Any], site: Site, truncated: bool) -> dict[str, Any]:
    variables = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row = []
        for v in variables:
            term = binding.get(v)
            if term is None:
                row.append({"text": "", "href": None})
            elif term["type"] == "uri":
                row.append({"text": term["value"], "href": site.link(term["value"])})
            else:
                row.append({"text": term["value"], "href": None})
        rows.append(row)
    return {"vars": variables, "rows": rows, "truncated": truncated}


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise QueryRefused(413, "the request body is too large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise QueryRefused(413, "the request body is too large")
        chunks.append(chunk)
    return b"".join(chunks)


class TargetLimit:
    """414 for request paths or query strings longer than the limits, before any routing
    (a long SPARQL query goes by POST)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, query = scope.get("raw_path", b""), scope.get("query_string", b"")
            if len(path) > MAX_PATH or len(query) > MAX_QUERY_STRING:
                answer = error(414, "the address is too long (send a long query by POST)")
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(options: Options) -> Starlette:
    """The ASGI application serving `options.out_dir` (the store is built here)."""
    from ldexport.serve.responses import GzipETag

    server = Server(options)
    site = server.site

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await server.pool.start()
        try:
            yield
        finally:
            await server.pool.close()
            server.close()

    routes: list[BaseRoute] = [
        Route("/", server.index, methods=["GET", "HEAD"]),
        Route("/sparql", server.sparql, methods=["GET", "HEAD", "POST"]),
        Route("/oai", server.oai, methods=["GET", "HEAD", "POST"]),
        Route("/.well-known/void", server.void, methods=["GET", "HEAD"]),
        Mount("/static", app=StaticFiles(packages=[("ldexport.serve", "static")]), name="static"),
        Route("/data/{rest:path}", server.data, methods=["GET", "HEAD"]),
    ]
    # The catalogue's download URLs (setting download-base): served here too when they are
    # under the base IRI but not at B data/.
    download = site.settings.get("download_base")
    if isinstance(download, str) and download.startswith(site.base) and download != site.base:
        prefix = "/" + download[len(site.base) :].strip("/")
        if prefix not in ("/data", "/"):
            routes.append(Route(prefix + "/{rest:path}", server.data, methods=["GET", "HEAD"]))
    routes.append(Route("/{rest:path}", server.thing, methods=["GET", "HEAD"]))
    root = site.root.rstrip("/")
    if root:
        routes = [
            Mount(root, routes=routes),
            Route("/", lambda r: RedirectResponse(site.root, status_code=302)),
        ]

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return server.fail(request, exc.status_code, exc.detail or "error", exc.headers)

    async def on_error(request: Request, exc: Exception) -> Response:
        log.exception("error answering %s", request.url.path)
        return error(500, "internal error; the server's log says more")

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: on_http_error, Exception: on_error},
        middleware=[
            Middleware(TargetLimit),
            Middleware(GzipETag),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=["ETag", "Content-Location", "Location", "X-SPARQL-Truncated"],
            ),
            Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=6),
        ],
    )
    app.state.server = server
    return app
