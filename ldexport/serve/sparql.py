"""The SPARQL 1.1 Protocol endpoint: read-only, with a time limit and a result limit.

Queries run in worker processes (`ldexport.serve.worker`), each with the store open
read-only.  A query that passes the time limit is stopped by killing its worker — pyoxigraph
has no way to interrupt a query and a Python thread cannot be killed — and a fresh worker
takes its place, so the pool keeps its size; the other workers, and the server itself, go on
answering meanwhile.  Requests wait at most `timeout + WAIT_GRACE` seconds for a free
worker, then get 503.

Before a query reaches a worker its text is checked (`ldexport.serve.query`): updates are
refused (403), SERVICE is refused (400; the workers also have no network where the kernel
allows it), and the parser's message comes back as a 400 for a query that does not parse.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import struct
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldexport.serve import conneg, results
from ldexport.serve.query import analyse

log = logging.getLogger("ldexport.serve")

_LENGTH = struct.Struct(">I")
START_TIMEOUT = 60.0  # seconds a new worker may take to open the store
WAIT_GRACE = 10.0  # extra seconds a request may wait for a worker beyond one time limit
MAX_QUERY_BYTES = 1 << 20


class QueryRefused(Exception):
    """A request the endpoint will not run; `status` and a message for the client."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


class WorkerDied(Exception):
    pass


@dataclass
class Outcome:
    """What a worker answered: status, media type, body, rows, whether the result was cut."""

    status: int
    body: bytes
    media_type: str | None = None
    rows: int = 0
    truncated: bool = False
    message: str | None = None
    offers: list[str] = field(default_factory=list)
    seconds: float = 0.0


async def _read_frame(stream: asyncio.StreamReader) -> bytes:
    try:
        head = await stream.readexactly(_LENGTH.size)
        (size,) = _LENGTH.unpack(head)
        return await stream.readexactly(size)
    except (asyncio.IncompleteReadError, ConnectionError) as exc:
        raise WorkerDied("the query worker ended") from exc


class Worker:
    """One worker process and its pipes."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.pid = proc.pid

    @classmethod
    async def start(cls, store: Path, config: Mapping[str, Any]) -> Worker:
        env = dict(os.environ, RUST_BACKTRACE="0", PYTHONUNBUFFERED="1")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "ldexport.serve.worker",
            str(store),
            json.dumps(dict(config)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        worker = cls(proc)
        try:
            assert proc.stdout is not None
            hello = json.loads(await asyncio.wait_for(_read_frame(proc.stdout), START_TIMEOUT))
        except BaseException:
            await worker.kill()
            raise
        if not hello.get("isolated"):
            log.debug("query worker %s could not leave the network namespace", proc.pid)
        return worker

    async def ask(self, job: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        data = json.dumps(dict(job)).encode()
        try:
            self.proc.stdin.write(_LENGTH.pack(len(data)) + data)
            await self.proc.stdin.drain()
        except (ConnectionError, RuntimeError) as exc:
            raise WorkerDied("the query worker ended") from exc
        header = json.loads(await _read_frame(self.proc.stdout))
        body = await _read_frame(self.proc.stdout)
        return header, body

    async def kill(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
        await self.proc.wait()

    async def stop(self) -> None:
        """End the worker politely (end of its input), or kill it after a second."""
        if self.proc.stdin is not None and not self.proc.stdin.is_closing():
            self.proc.stdin.close()
        try:
            await asyncio.wait_for(self.proc.wait(), 1.0)
        except TimeoutError:
            await self.kill()


class QueryPool:
    """A fixed number of query workers; a stopped or crashed worker is replaced."""

    def __init__(
        self,
        store: Path,
        *,
        size: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_bytes: int = 64 << 20,
        memory_mb: int = 2048,
        prefixes: Mapping[str, str] | None = None,
        base_iri: str | None = None,
    ) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.base_iri = base_iri
        self.config = {
            "memory_mb": memory_mb,
            "prefixes": dict(prefixes or {}),
            "isolate_network": True,
        }
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._workers: set[Worker] = set()
        self._closing = False
        self.stopped = 0  # queries stopped at the time limit
        self.replaced: list[float] = []  # seconds each replacement worker took to be ready

    async def start(self) -> None:
        workers = await asyncio.gather(
            *(Worker.start(self.store, self.config) for _ in range(self.size))
        )
        for w in workers:
            self._workers.add(w)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*(w.stop() for w in list(self._workers)), return_exceptions=True)
        self._workers.clear()

    def _retire(self, worker: Worker) -> None:
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: Worker) -> None:
        self._workers.discard(worker)
        started = time.monotonic()
        await worker.kill()
        delay = 0.1
        while not self._closing:
            try:
                new = await Worker.start(self.store, self.config)
            except (OSError, ValueError, TimeoutError, WorkerDied) as exc:
                log.error("a query worker could not start: %s", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.replaced.append(time.monotonic() - started)
            self._workers.add(new)
            self._idle.put_nowait(new)
            log.info(
                "query worker %s replaced by %s in %.3f s", worker.pid, new.pid, self.replaced[-1]
            )
            return

    async def run(self, job: Mapping[str, Any]) -> Outcome:
        """Run one query job; QueryRefused(503) when it passes the time limit or no worker
        becomes free in time, QueryRefused(500) when its worker dies (memory limit)."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout + WAIT_GRACE)
        except TimeoutError:
            raise QueryRefused(
                503, "every query worker is busy; try again later", {"Retry-After": "5"}
            ) from None
        healthy = False
        started = time.monotonic()
        full = {
            **job,
            "max_rows": self.max_rows,
            "max_bytes": self.max_bytes,
            "base_iri": self.base_iri,
        }
        try:
            header, body = await asyncio.wait_for(worker.ask(full), self.timeout)
            healthy = True
        except TimeoutError:
            self.stopped += 1
            log.info(
                "query stopped at the time limit (%.1f s), worker %s", self.timeout, worker.pid
            )
            raise QueryRefused(
                503,
                f"the query was stopped after {self.timeout:g} seconds, this endpoint's time "
                "limit; narrow it down (LIMIT, more specific patterns)",
            ) from None
        except WorkerDied:
            raise QueryRefused(
                500,
                "the query ended its worker, most likely by passing the memory limit",
            ) from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._retire(worker)
        return Outcome(
            status=int(header["status"]),
            body=body,
            media_type=header.get("media_type"),
            rows=int(header.get("rows", 0)),
            truncated=bool(header.get("truncated", False)),
            message=header.get("message"),
            offers=list(header.get("offers", [])),
            seconds=time.monotonic() - started,
        )


# --- reading a protocol request -------------------------------------------------------------


@dataclass
class QueryRequest:
    query: str | None
    default_graphs: list[str]
    named_graphs: list[str]
    format: str | None  # the `format` parameter, if any


def from_params(params: Sequence[tuple[str, str]], body_query: str | None = None) -> QueryRequest:
    """The SPARQL protocol's parameters (from the URL, or a form body)."""
    queries = [v for k, v in params if k == "query"]
    if any(k == "update" for k, _ in params):
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if body_query is not None:
        if queries:
            raise QueryRefused(400, "give the query either in the body or as query=, not both")
        queries = [body_query]
    if len(queries) > 1:
        raise QueryRefused(400, "more than one query= parameter")
    formats = [v for k, v in params if k in ("format", "output")]
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=[v for k, v in params if k == "default-graph-uri"],
        named_graphs=[v for k, v in params if k == "named-graph-uri"],
        format=formats[0] if formats else None,
    )


def check(query: str) -> None:
    """Refuse what the endpoint does not run, before any worker sees it."""
    if len(query.encode()) > MAX_QUERY_BYTES:
        raise QueryRefused(413, "the query is too long")
    text = analyse(query)
    if text.is_update:
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if text.uses_service:
        raise QueryRefused(
            400, "SERVICE (federated query) is not allowed: this endpoint calls no other service"
        )


def formats_for(accept: str | None, fmt: str | None) -> tuple[str | None, str | None]:
    """The results format keys for solutions and for graphs, from `format=` or Accept."""
    if fmt:
        media = results.FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        return results.SOLUTION_TYPES.get(media), results.GRAPH_TYPES.get(media)
    sol = conneg.best(accept, list(results.SOLUTION_TYPES))
    gra = conneg.best(accept, list(results.GRAPH_TYPES))
    return (
        results.SOLUTION_TYPES[sol] if sol else None,
        results.GRAPH_TYPES[gra] if gra else None,
    )


# --- what people see -------------------------------------------------------------------------

PREFIXES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX ldx: <https://w3id.org/ldexport/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "Every resolution with its title and adoption date",
        PREFIXES
        + """SELECT ?symbol ?title ?adopted WHERE {
  ?work eli:id_local ?symbol ; eli:is_realized_by ?expression .
  ?expression eli:title ?title .
  OPTIONAL { ?work eli:date_document ?adopted }
} ORDER BY ?symbol""",
    ),
    (
        "Resolutions of the 58th session that cite Security Council resolution 1373 (2001)",
        PREFIXES
        + """SELECT ?resolution ?paragraph ?number WHERE {
  GRAPH ?g {
    ?work eli:id_local ?resolution ; eli-dl:parliamentary_term ?session .
    ?session skos:notation "58" .
    ?paragraph eli:is_part_of+ ?work ; eli:cites ?cited .
    ?cited dcterms:identifier "S/RES/1373(2001)" .
    OPTIONAL { ?paragraph eli:number ?number }
  }
} ORDER BY ?resolution ?paragraph""",
    ),
    (
        "The operative verbs used most often",
        PREFIXES
        + """SELECT ?verb (COUNT(*) AS ?paragraphs) WHERE {
  GRAPH ?g { ?p eli:type_subdivision ldx:OperativeParagraph ; ldx:leadingPhrase ?verb . }
} GROUP BY ?verb ORDER BY DESC(?paragraphs) ?verb LIMIT 10""",
    ),
    (
        "The citation graph between resolutions",
        PREFIXES
        + """SELECT ?citing ?cited (COUNT(DISTINCT ?part) AS ?passages) WHERE {
  GRAPH ?g {
    ?a eli:id_local ?citing ; eli:cites ?b .
    ?b eli:id_local ?cited .
    ?part eli:is_part_of+ ?a ; eli:cites ?b .
    FILTER (?a != ?b)
  }
} GROUP BY ?citing ?cited ORDER BY ?citing ?cited""",
    ),
    (
        "Everything about one resolution (DESCRIBE)",
        PREFIXES + 'DESCRIBE ?work WHERE { ?work eli:id_local "S/RES/1709(2006)" }',
    ),
)

HTML_FORMATS = (
    ("", "a table (this page)"),
    ("json", "SPARQL JSON"),
    ("xml", "SPARQL XML"),
    ("csv", "CSV"),
    ("tsv", "TSV"),
    ("turtle", "Turtle (CONSTRUCT, DESCRIBE)"),
    ("json-ld", "JSON-LD (CONSTRUCT, DESCRIBE)"),
    ("ntriples", "N-Triples (CONSTRUCT, DESCRIBE)"),
)


def service_description(endpoint: str) -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV"]
    formats += ["SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"]
    listed = ",\n        ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in formats)
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\n"
        f"<{endpoint}> a sd:Service ;\n"
        f"    sd:endpoint <{endpoint}> ;\n"
        "    sd:supportedLanguage sd:SPARQL11Query ;\n"
        "    sd:feature sd:UnionDefaultGraph ;\n"
        f"    sd:resultFormat {listed} .\n"
    ).encode()
