"""HTTP representations: media types, validators (ETag, Last-Modified), conditional requests,
precompressed files, and the plain error answers.

ETags are strong and name the identity-encoded bytes; when a body goes out gzip-encoded (by
`GZipMiddleware`, or from a `.gz` twin on disk) the tag gets a `-gzip` suffix, as Apache
does, so the two encodings never share a tag.  `If-None-Match` accepts either spelling.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GZIP_SUFFIX = "-gzip"
GZIP_MINIMUM = 512  # bytes; GZipMiddleware leaves smaller bodies as they are

#: File name endings and the media type each is served with (longest ending first).
MEDIA_TYPES: tuple[tuple[str, str], ...] = (
    (".akn.xml", "application/akn+xml"),
    (".marc.xml", "application/marcxml+xml"),
    (".dc.xml", "application/xml"),
    (".ttl", "text/turtle; charset=utf-8"),
    (".jsonld", "application/ld+json"),
    (".json", "application/json"),
    (".nq", "application/n-quads"),
    (".trig", "application/trig"),
    (".nt", "application/n-triples"),
    (".rdf", "application/rdf+xml"),
    (".html", "text/html; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    (".gz", "application/gzip"),
    (".txt", "text/plain; charset=utf-8"),
    (".xml", "application/xml"),
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
HTML_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def media_type(name: str) -> str:
    for ending, media in MEDIA_TYPES:
        if name.endswith(ending):
            return media
    return "application/octet-stream"


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


def body_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def file_etag(stat: os.stat_result) -> str:
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}-{stat.st_ino:x}"'


def _bare(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    if tag.endswith(GZIP_SUFFIX + '"'):
        tag = tag[: -len(GZIP_SUFFIX) - 1] + '"'
    return tag


def not_modified(request: Request, etag: str, last_modified: float | None) -> str | None:
    """The ETag to answer 304 with, or None when the full answer must be sent (RFC 9110
    §13.2.2: If-None-Match first, If-Modified-Since only without it).  The tag the client
    holds is echoed, gzip spelling included: it is the tag a 200 would carry."""
    if request.method not in ("GET", "HEAD"):
        return None
    inm = request.headers.get("if-none-match")
    if inm is not None:
        if inm.strip() == "*":
            return etag
        for tag in inm.split(","):
            if _bare(tag) == _bare(etag):
                return tag.strip().removeprefix("W/")
        return None
    ims = request.headers.get("if-modified-since")
    if ims is not None and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError):
            return None
        if int(last_modified) <= int(since):
            return etag
    return None


def _not_modified_response(
    request: Request, etag: str, headers: Mapping[str, str], compressible: bool
) -> Response:
    if not request.headers.get("if-none-match") and compressible and accepts_gzip(request):
        etag = etag[:-1] + GZIP_SUFFIX + '"'
    keep = {
        k: v
        for k, v in headers.items()
        if k.lower() in ("vary", "cache-control", "content-location", "last-modified")
    }
    return Response(status_code=304, headers={**keep, "ETag": etag})


def representation(
    request: Request,
    body: bytes,
    media: str,
    *,
    last_modified: float | None = None,
    vary: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    """A generated body with its validators, or 304 when the client has it already."""
    etag = body_etag(body)
    out = dict(headers or {})
    if vary:
        out["Vary"] = ", ".join(vary)
    if last_modified is not None:
        out["Last-Modified"] = http_date(last_modified)
    held = not_modified(request, etag, last_modified) if status == 200 else None
    if held is not None:
        return _not_modified_response(request, held, out, len(body) >= GZIP_MINIMUM)
    out["ETag"] = etag
    return Response(body, status_code=status, media_type=media, headers=out)


def accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def file_response(
    request: Request,
    path: Path,
    media: str,
    *,
    gz_twin: Path | None = None,
    vary: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A published file, with its validators; its precompressed `.gz` twin, sent as
    `Content-Encoding: gzip`, when there is one and the client accepts gzip."""
    stat = path.stat()
    etag = file_etag(stat)
    out = dict(headers or {})
    varies = list(vary)
    if gz_twin is not None:
        varies.append("Accept-Encoding")
    if varies:
        out["Vary"] = ", ".join(varies)
    out["Last-Modified"] = http_date(stat.st_mtime)
    held = not_modified(request, etag, stat.st_mtime)
    if held is not None:
        compressible = gz_twin is not None or (
            stat.st_size >= GZIP_MINIMUM and media != "application/gzip"
        )
        return _not_modified_response(request, held, out, compressible)
    if gz_twin is not None and gz_twin.is_file() and accepts_gzip(request):
        out["ETag"] = etag[:-1] + GZIP_SUFFIX + '"'
        out["Content-Encoding"] = "gzip"
        return FileResponse(gz_twin, media_type=media, headers=out, stat_result=gz_twin.stat())
    out["ETag"] = etag
    return FileResponse(path, media_type=media, headers=out, stat_result=stat)


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A short plain-text error: what went wrong, never a stack trace."""
    return PlainTextResponse(
        message.rstrip() + "\n", status_code=status, headers=dict(headers or {})
    )


class GzipETag:
    """Outside `GZipMiddleware`: marks the ETag of a body it compressed (`-gzip` suffix) and
    adds the security headers every answer carries."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message.setdefault("headers", []))
                etag = headers.get("etag")
                if (
                    etag
                    and headers.get("content-encoding") == "gzip"
                    and not etag.endswith(GZIP_SUFFIX + '"')
                ):
                    headers["etag"] = etag[:-1] + GZIP_SUFFIX + '"'
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", HTML_POLICY)
            await send(message)

        await self.app(scope, receive, wrapped)
