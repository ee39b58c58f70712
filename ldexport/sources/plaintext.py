"""Plain UTF-8 (or Windows-1252, UTF-16) text, one paragraph per line."""

from __future__ import annotations

from ldexport.sources.base import SourceDocument, decode_text, file_symbol, sha256_hex

FORMAT = "plain-text"


def detect(head: str) -> bool:
    return True  # the fallback for anything decodable; structure decides if it is a resolution


def read(path: str, data: bytes) -> SourceDocument:
    text = decode_text(path, data)
    meta = {}
    if symbol := file_symbol(path):
        meta["symbol_from_file_name"] = symbol
    return SourceDocument(path, FORMAT, text, sha256_hex(data), "lines", meta)
