"""Fetch UN documents by symbol from the UN's documents service, politely.

undocs.org redirects a symbol to `https://documents.un.org/api/symbol/access?s=<symbol>&l=<ar|
zh|en|fr|ru|es>&t=pdf`; the UN Digital Library serves a record's MARCXML at
`https://digitallibrary.un.org/record/<id>?of=xm`.  Requests carry a User-Agent that names
ldexport, keep to a rate limit, time out, are retried with backoff on 5xx answers, dropped
connections and truncated bodies, and land in an on-disk cache so that fetching the same
document again does not touch the network.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from ldexport import __version__
from ldexport.errors import LdexportError
from ldexport.publish import atomic_write
from ldexport.symbols import canonical, file_name

DOCUMENTS_URL = "https://documents.un.org"
LIBRARY_URL = "https://digitallibrary.un.org"
LANGUAGES = {"ar": "ara", "zh": "zho", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa"}
USER_AGENT = (
    f"ldexport/{__version__} (linked data from UN resolutions; +https://pypi.org/project/ldexport/)"
)


class FetchError(LdexportError):
    """A document could not be fetched: one line naming what and why."""


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ldexport" / "fetch"


@dataclass
class Fetcher:
    """One polite HTTP client: a session (connection reuse), a rate limit, a cache."""

    documents_url: str = DOCUMENTS_URL
    library_url: str = LIBRARY_URL
    cache_dir: Path = field(default_factory=default_cache)
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled for each next one
    min_interval: float = 1.0  # seconds between two requests to the service
    session: requests.Session = field(default_factory=requests.Session)
    _last: float = 0.0

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT

    def document(self, symbol: str, language: str = "en") -> bytes:
        """The PDF of one language version of a document."""
        if language not in LANGUAGES:
            raise FetchError(
                f"{symbol}: unknown language {language!r} (one of {', '.join(LANGUAGES)})"
            )
        url = f"{self.documents_url}/api/symbol/access"
        params = {"s": canonical(symbol), "l": language, "t": "pdf"}
        data = self._get(url, params, what=f"{canonical(symbol)} ({language})")
        if not data.startswith(b"%PDF-"):
            raise FetchError(
                f"{canonical(symbol)} ({language}): the service did not answer with a PDF"
            )
        return data

    def marcxml(self, record_id: str) -> bytes:
        """The MARCXML of one UN Digital Library record."""
        if not record_id.isdigit():
            raise FetchError(f"record {record_id!r}: a Digital Library record id is a number")
        url = f"{self.library_url}/record/{record_id}"
        data = self._get(url, {"of": "xm"}, what=f"record {record_id}")
        if b"<record" not in data[:4096] and b"<collection" not in data[:4096]:
            raise FetchError(f"record {record_id}: the answer is not MARCXML")
        return data

    # --- HTTP with cache, rate limit and retries ----------------------------------------------
    def _cache_path(self, url: str, params: dict[str, str]) -> Path:
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        return self.cache_dir / hashlib.sha256(key.encode()).hexdigest()

    def _get(self, url: str, params: dict[str, str], what: str) -> bytes:
        cached = self._cache_path(url, params)
        if cached.is_file():
            return cached.read_bytes()
        delay = self.backoff
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self._wait_turn()
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
                body = response.content
            except (
                requests.ConnectionError,  # refused or dropped
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,  # body cut short of Content-Length
            ) as exc:
                if last:
                    raise FetchError(
                        f"{what}: {type(exc).__name__} after {attempt + 1} tries"
                    ) from exc
            else:
                if response.status_code == 404:
                    raise FetchError(f"{what}: not found (404) at {response.url}")
                if 400 <= response.status_code < 500:
                    raise FetchError(f"{what}: refused ({response.status_code}) at {response.url}")
                expected = response.headers.get("Content-Length")
                truncated = expected is not None and int(expected) != len(body)
                if response.status_code < 300 and not truncated:
                    atomic_write(cached, body)
                    return body
                if last:
                    reason = "truncated body" if truncated else f"status {response.status_code}"
                    raise FetchError(f"{what}: {reason} after {attempt + 1} tries")
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _wait_turn(self) -> None:
        wait = self._last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()


def fetch_documents(
    symbols: list[str], languages: list[str], out_dir: Path, fetcher: Fetcher
) -> tuple[list[Path], list[str]]:
    """Fetch every (symbol, language) into `out_dir` as <name>.pdf (English) or
    <name>.<lang>.pdf; returns the files written and one line per failure."""
    written, failures = [], []
    for symbol in symbols:
        for language in languages:
            try:
                data = fetcher.document(symbol, language)
            except FetchError as exc:
                failures.append(str(exc))
                continue
            suffix = "pdf" if language == "en" else f"{language}.pdf"
            path = out_dir / f"{file_name(symbol)}.{suffix}"
            atomic_write(path, data)
            written.append(path)
    return written, failures
