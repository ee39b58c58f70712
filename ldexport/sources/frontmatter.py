"""YAML front matter ("---" ... "---" at the top of a file), shared by Markdown and raw extracts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from ldexport.errors import SourceError
from ldexport.sources._text import one_line

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def has_front_matter(head: str) -> bool:
    return bool(re.match(r"\A\ufeff?---[ \t]*\r?\n[A-Za-z_][\w-]*:", head))


#: libyaml's parser with PyYAML's safe constructor and resolver (the same types for the same
#: scalars), when PyYAML was built with it: a tenth of the pure-Python parser's time.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
_PLAIN = re.compile(r"[ -~\n]*\Z")  # printable ASCII lines: where the two parsers agree


def _load(text: str) -> Any:
    """`yaml.safe_load`, by libyaml for front matter of printable ASCII lines (what the
    extractions write); anything else, or anything libyaml refuses, by the pure-Python
    parser, so that the errors reported are its own."""
    if _FAST_LOADER is not None and _PLAIN.match(text):
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # a safe loader: CSafeLoader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def split(path: str, text: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, offset of the body in `text`)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    try:
        data = _load(m["yaml"])
    except yaml.YAMLError as exc:
        raise SourceError(
            path, f"has front matter that is not valid YAML ({one_line(exc)})"
        ) from exc
    if not isinstance(data, dict):
        raise SourceError(path, "has front matter that is not a YAML mapping")
    return data, text[m.end() :], m.end()


def metadata(fm: dict[str, Any]) -> dict[str, str]:
    """What front matter says about the UN document.

    Only front matter that names the document's `symbol` (the UN Digital Library-derived
    front matter of the railcar extractions) describes the document: there `date` is the
    distribution date and `title` the Digital Library title ("... :" separators).  A blog
    post's front matter (Jekyll: `permalink`, `categories`) describes the post, so its
    `date` is not the document's and is not taken.
    """
    meta: dict[str, str] = {}
    symbol = fm.get("symbol")
    if not isinstance(symbol, str) or not symbol.strip():
        return meta
    meta["symbol"] = re.sub(r"\s+", " ", symbol.strip())
    if (record := fm.get("record_id")) is not None and str(record).strip():
        meta["record_id"] = str(record).strip()
    title = fm.get("title")
    if isinstance(title, str) and title.strip():
        t = re.sub(r"\s*:\s*$", "", title.strip())
        meta["title"] = re.sub(r"\s+:\s+", ": ", t)
    date = fm.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, dt.date):
        meta["distribution_date"] = date.isoformat()
    elif isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip()):
        meta["distribution_date"] = date.strip()
    return meta
