"""Readers: one module per format, each turning a file's bytes into a `SourceDocument`.

`read(path)` detects the format from the content (the extension only breaks ties), so a
PDF named `.txt` or an ODS export named `.doc` is still read right.  Binary formats are
recognised by their signature (`%PDF-`, a ZIP package with `word/`), text formats by what
their first 4 KiB say; a file whose extension names a binary format that its bytes are not
(a `.docx` that is not a ZIP package) is an error, not plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ldexport.errors import SourceError
from ldexport.sources import (
    jsonextract,
    markdown,
    ods,
    pdf,
    plaintext,
    rawextract,
    sctext,
    word,
)
from ldexport.sources.base import SourceDocument, decode_text, read_bytes

__all__ = ["FORMATS", "SourceDocument", "read"]


class Head(NamedTuple):
    """What detection looks at: the first 4 KiB, raw and (when it decodes) as text."""

    data: bytes
    text: str | None


class Reader(NamedTuple):
    name: str
    detect: Callable[[Head], bool]
    read: Callable[[str, bytes], SourceDocument]


def _text(detect: Callable[[str], bool]) -> Callable[[Head], bool]:
    """A text format's test, which never accepts a binary file."""
    return lambda head: head.text is not None and detect(head.text)


def _binary(detect: Callable[[bytes], bool]) -> Callable[[Head], bool]:
    return lambda head: detect(head.data)


# Most specific first: the first reader whose `detect` accepts the head reads the file.
FORMATS: tuple[Reader, ...] = (
    Reader(ods.FORMAT, _text(ods.detect), ods.read),
    Reader(pdf.FORMAT, _binary(pdf.detect_bytes), pdf.read),
    Reader(word.FORMAT, _binary(word.detect_bytes), word.read),
    Reader(jsonextract.FORMAT, _text(jsonextract.detect), jsonextract.read),
    Reader(rawextract.FORMAT, _text(rawextract.detect), rawextract.read),
    Reader(markdown.FORMAT, _text(markdown.detect), markdown.read),
    Reader(sctext.FORMAT, _text(sctext.detect), sctext.read),
    Reader(plaintext.FORMAT, _text(plaintext.detect), plaintext.read),
)

# What a file's extension promises when its bytes do not keep the promise.
_CLAIMS = {
    ".pdf": "does not start like a PDF (no %PDF- header)",
    ".docx": "is not a Word document (not a ZIP package)",
}


def read(path: str | Path) -> SourceDocument:
    """Read one file into a SourceDocument; SourceError names the file and the reason."""
    path = Path(path)
    data = read_bytes(path)
    raw = data[:4096]
    undecodable: SourceError | None = None
    try:
        text: str | None = decode_text(str(path), raw)
    except SourceError as exc:
        text, undecodable = None, exc
    except UnicodeDecodeError:
        text = None
    head = Head(raw, text)
    binary = {pdf.FORMAT, word.FORMAT}
    for reader in FORMATS:
        if not reader.detect(head):
            continue
        claim = _CLAIMS.get(path.suffix.lower())
        if claim and reader.name not in binary:
            raise SourceError(str(path), claim)
        return reader.read(str(path), data)
    if claim := _CLAIMS.get(path.suffix.lower()):
        raise SourceError(str(path), claim)
    if undecodable is not None:
        raise undecodable
    raise SourceError(str(path), "is not in a format ldexport reads")
