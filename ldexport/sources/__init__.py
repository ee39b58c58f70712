"""Readers: one module per format, each turning a file's bytes into a `SourceDocument`.

`read(path)` detects the format from the content (the extension only breaks ties), so a
PDF named `.txt` or an ODS export named `.doc` is still read right.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ldexport.errors import SourceError
from ldexport.sources import ods, plaintext
from ldexport.sources.base import SourceDocument, decode_text, read_bytes

__all__ = ["FORMATS", "SourceDocument", "read"]


class Reader(NamedTuple):
    name: str
    detect: Callable[[str], bool]  # on the first 4 KiB of the decoded text
    read: Callable[[str, bytes], SourceDocument]


# Most specific first: the first reader whose `detect` accepts the text reads it.
FORMATS: tuple[Reader, ...] = (
    Reader(ods.FORMAT, ods.detect, ods.read),
    Reader(plaintext.FORMAT, plaintext.detect, plaintext.read),
)


def read(path: str | Path) -> SourceDocument:
    """Read one file into a SourceDocument; SourceError names the file and the reason."""
    path = Path(path)
    data = read_bytes(path)
    head = decode_text(str(path), data[:4096])
    for reader in FORMATS:
        if reader.detect(head):
            return reader.read(str(path), data)
    raise SourceError(str(path), "is not in a format ldexport reads")
