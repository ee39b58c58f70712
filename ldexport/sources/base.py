"""What every reader gives the parser: the decoded text of one document and what it knows."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ldexport.errors import SourceError


@dataclass(frozen=True)
class SourceDocument:
    """One document as read from a file, before any interpretation of its text.

    `text` is what the parser works on and what every `Span` points into.  `layout` tells
    `parse.normalise` how paragraphs are delimited: "lines" (one paragraph per line, as in
    the ODS export) or "wrapped" (hard-wrapped lines, paragraphs separated by blank lines or
    indentation, as in PDF text).  `metadata` holds what the container states outside the
    text (front matter, ODS markers, file name): keys "symbol", "distribution_date",
    "title", "job_number", "record_id".
    """

    path: str
    format: str
    text: str
    sha256: str
    layout: str = "lines"
    metadata: Mapping[str, str] = field(default_factory=dict)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an empty file is an error the user should hear about."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot be read ({exc.strerror})") from exc
    if not data.strip():
        raise SourceError(str(path), "is empty")
    return data


def decode_text(path: str, data: bytes) -> str:
    """Decode a text file the way UN exports come: UTF-8, UTF-16 with BOM, or Windows-1252.

    A file with NUL bytes that is not UTF-16 is binary, not text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"is not valid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        # UTF-16 without a BOM: every other byte NUL in ASCII-heavy text.
        if data[1::2].count(0) > len(data) // 4:
            return data.decode("utf-16-le", errors="strict")
        if data[0::2].count(0) > len(data) // 4:
            return data.decode("utf-16-be", errors="strict")
        raise SourceError(path, "is a binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def file_symbol(path: str) -> str | None:
    """The symbol a file's name spells (A_RES_58_136.txt -> A/RES/58/136), if it spells one.

    Used only where the text itself does not print its symbol (some Security Council
    copies start at "Adopted by the Security Council").
    """
    import re

    stem = Path(path).name.split(".")[0].split("__")[0]
    if m := re.fullmatch(r"S_RES_(\d+)_(\d{4})", stem):
        return f"S/RES/{m[1]}({m[2]})"
    if m := re.fullmatch(r"A_RES_(ES-\d+|S-\d+|\d+)_(\d+)([A-Z]?)", stem):
        return f"A/RES/{m[1]}/{m[2]}{m[3]}"
    if m := re.fullmatch(r"S_(\d{4})_(\d+)", stem):
        return f"S/{m[1]}/{m[2]}"
    return None
