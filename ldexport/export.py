"""Non-RDF exports of the model: Akoma Ntoso XML and library records (MARCXML, Dublin Core).

Each format is one row of `FORMATS`: the file suffix, the writer (model -> bytes) and the
schema check the bytes must pass before they are written.  `publish` writes every format
beside the RDF of each document; `ldexport export --format` writes the ones asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ldexport.akn import to_akn, validate_akn
from ldexport.dc import to_oai_dc, validate_oai_dc
from ldexport.errors import MappingError
from ldexport.iris import Iris
from ldexport.marc import record_xml, validate_marcxml
from ldexport.model import Resolution


class Format(NamedTuple):
    suffix: str  # after "<name>."
    write: Callable[[Resolution, Iris], bytes]
    check: Callable[[bytes], list[str]]  # schema errors, one line each


FORMATS: dict[str, Format] = {
    "akn": Format("akn.xml", lambda res, iris: to_akn(res, iris), validate_akn),
    "marcxml": Format("marc.xml", lambda res, iris: record_xml(res, iris), validate_marcxml),
    "dc": Format("dc.xml", to_oai_dc, validate_oai_dc),
}


def render(fmt: str, res: Resolution, iris: Iris) -> bytes:
    """One export of one resolution, checked against its schema (MappingError if invalid)."""
    spec = FORMATS[fmt]
    data = spec.write(res, iris)
    if errors := spec.check(data):
        raise MappingError(f"{res.symbol}: the {fmt} export is invalid: {errors[0]}")
    return data
