"""JSON extractions of UN documents: {Date, ID, Title, Authors, Content} or {symbol, text}.

Written against the UNBench Security Council drafts (S/2016/1100 ... S/2024/302, from the
`data/task2` folders) and the un-docs-downloader extraction of A/RES/73/22.  The text sits in
`Content` (or `text`); the other fields are metadata: `ID` is the symbol, or for some drafts
the printer's job number ("18-01971"), `Date` the distribution date, `Title` the heading
("France: draft resolution").  The `Content` of a draft mixes layouts inside one file:
paragraphs one per line, hard-wrapped stretches with pdftotext's first-line indents and
column spaces ("(d)   Supplies       of   non-lethal"), and page furniture carried along
("22-09852 (E)    230622   ...   Pleese recycle", "*2209852*").  The furniture is dropped,
the wrapped stretches are unwrapped (see `_text.unwrap`) and a space that the extraction put
before a non-breaking hyphen ("two ‑State") is removed.

A file that holds many documents (UNBench's task3 bulk file, {"drafts": [...]}) is a
SourceError: one file, one document.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ldexport.errors import SourceError
from ldexport.sources._text import (
    Vocabulary,
    clean_spaces,
    is_page_furniture,
    iso_date,
    job_number,
    unwrap,
)
from ldexport.sources.base import SourceDocument, decode_text, file_symbol, sha256_hex

FORMAT = "json-extraction"

TEXT_KEYS = ("Content", "content", "text", "Text", "body")
SYMBOL_LIKE = re.compile(r"^[A-Z]{1,6}(?:/[A-Za-z0-9.\-()]+)+(?: ?\(\d{4}\))?$")


def detect(head: str) -> bool:
    s = head.lstrip("\ufeff \t\r\n")
    if not s.startswith(("{", "[")):
        return False
    return bool(re.search(r'"(?:Content|content|text|Text|body|drafts)"\s*:', head))


def read(path: str, data: bytes) -> SourceDocument:
    raw = decode_text(path, data)
    try:
        obj: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if isinstance(obj, dict) and isinstance(obj.get("drafts"), list):
        raise SourceError(path, f"holds {len(obj['drafts'])} documents, not one; split it first")
    if not isinstance(obj, dict):
        raise SourceError(path, "is JSON but not one document (an object with a text field)")
    key = next((k for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
    if key is None:
        raise SourceError(path, "is JSON without a text field (Content or text)")
    meta = _metadata(obj)
    if "symbol" not in meta and (symbol := file_symbol(path)):
        meta["symbol_from_file_name"] = symbol
    lines: list[str] = []
    for ln in obj[key].replace("\r\n", "\n").split("\n"):
        if is_page_furniture(ln) or _furniture_with_recycle(ln):
            if (job := job_number(ln)) and "job_number" not in meta:
                meta["job_number"] = job
            continue
        lines.append(re.sub(r" (?=\u2011)", "", ln))
    paragraphs = unwrap(lines, Vocabulary(lines))
    text = "\n".join(clean_spaces(p) for p in paragraphs) + "\n"
    return SourceDocument(path, FORMAT, text, sha256_hex(data), "lines", meta)


def _furniture_with_recycle(line: str) -> bool:
    """ "22-09852 (E)   230622   ...   Pleese recycle": the job line with the recycling note."""
    return bool(re.match(r"^\s*\d{2}-\d{5}\s*\([A-Z]\)", line))


def _metadata(obj: dict[str, Any]) -> dict[str, str]:
    meta: dict[str, str] = {}
    ident = obj.get("ID") or obj.get("symbol") or obj.get("id")
    if isinstance(ident, str) and ident.strip():
        ident = clean_spaces(ident)
        if SYMBOL_LIKE.match(ident):
            meta["symbol"] = ident
        elif re.fullmatch(r"\d{2}-\d{5}", ident):
            meta["job_number"] = ident
    title = obj.get("Title") or obj.get("title")
    if isinstance(title, str) and title.strip():
        meta["title"] = clean_spaces(title)
    date = obj.get("Date") or obj.get("date")
    if isinstance(date, str) and (iso := iso_date(date) or _iso(date)):
        meta["distribution_date"] = iso
    authors = obj.get("Authors")
    if isinstance(authors, list) and all(isinstance(a, str) for a in authors):
        meta["authors"] = "; ".join(clean_spaces(a) for a in authors)
    elif isinstance(authors, str) and authors.strip():
        meta["authors"] = clean_spaces(authors)
    return meta


def _iso(date: str) -> str | None:
    m = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*", date)
    return m[1] if m else None
