"""Akoma Ntoso XML as an input format: `ldexport convert resolution.xml`.

An Akoma Ntoso document already says what the parser would have to find (preamble,
paragraphs, eIds, footnotes, references), so this reader skips the text pipeline and returns
the resolutions directly (`ldexport.akn.read_all`).  A document that ldexport wrote comes
back as the model it was written from, source offsets included; any other AKN document is
read as far as its markup goes.

>>> detect('<?xml version="1.0"?>\\n<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">')
True
>>> detect("Resolution adopted by the General Assembly on 22 December 2003")
False
"""

from __future__ import annotations

import re
from pathlib import Path

from ldexport.akn import read_all
from ldexport.errors import LdexportError
from ldexport.model import Resolution
from ldexport.sources.base import decode_text, read_bytes

FORMAT = "akn"

# The root element, after an XML declaration, comments, processing instructions, a DOCTYPE.
_ROOT = re.compile(
    r"^\ufeff?\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*<(?:[\w.-]+:)?akomaNtoso\b",
    re.DOTALL,
)


def detect(head: str) -> bool:
    """Whether the first 4 KiB of a decoded file open an Akoma Ntoso document."""
    return bool(_ROOT.match(head))


def detect_file(path: str | Path) -> bool:
    """`detect` on the head of a file; False for what cannot be read or decoded as text."""
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(4096)
        return detect(decode_text(str(path), raw))
    except (OSError, ValueError, LdexportError):
        return False


def read_resolutions(path: str | Path) -> list[Resolution]:
    """The resolutions of an Akoma Ntoso file; SourceError or ParseError name the file."""
    data = read_bytes(Path(path))
    return read_all(data, str(path))
