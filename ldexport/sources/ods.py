"""The ODS plain-text export: Word text with `[DU1]` and `<<ODS ...>>` markers.

The markers carry the job number and the symbol; the masthead block sits glued together at
the end of the file ("United NationsA/RES/58/136General AssemblyDistr.: General"), after the
footnotes. The text is kept as it is (markers included) so that offsets stay true; the
markers are dropped by `parse.normalise`.
"""

from __future__ import annotations

import re

from ldexport.errors import SourceError
from ldexport.sources.base import SourceDocument, decode_text, sha256_hex

FORMAT = "ods-text"

# <<ODS JOB NO>>N0350274E<<ODS JOB NO>>: the value sits between two identical markers.
MARKER = re.compile(r"<<ODS (?P<name>[A-Z0-9 ]+)>>(?P<value>.*?)<<ODS (?P=name)>>")


def detect(head: str) -> bool:
    return "<<ODS " in head or head.lstrip().startswith("[DU1]")


def read(path: str, data: bytes) -> SourceDocument:
    text = decode_text(path, data)
    meta: dict[str, str] = {}
    for m in MARKER.finditer(text):
        value = m["value"].strip()
        if not value:
            continue
        if m["name"] == "JOB NO":
            # N0350274E: the job number and the language letter of the edition.
            meta["job_number"] = value[:-1] if value[-1:].isalpha() else value
        elif m["name"] == "DOC SYMBOL1":
            meta["symbol"] = value
    if "symbol" not in meta and "job_number" not in meta:
        # The export ends with the job-number and symbol markers; without them the file
        # was cut short somewhere in the text.
        raise SourceError(
            path,
            "truncated ODS export: the closing <<ODS JOB NO>> and "
            "<<ODS DOC SYMBOL1>> markers are missing",
        )
    return SourceDocument(path, FORMAT, text, sha256_hex(data), "lines", meta)
