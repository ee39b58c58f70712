"""Non-RDF exports of the model: Akoma Ntoso XML and library records (MARCXML, Dublin Core).

Each format is one row of `FORMATS`: the file suffix, the writer (model -> bytes), the
schema check the bytes must pass before they are written, and both in one (`write_checked`:
the bytes and their schema errors, cheaper than the two apart where the check can use the
tree the bytes were serialised from).  `publish` writes every format beside the RDF of each
document; `ldexport export --format` writes the ones asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ldexport.akn import checked_akn, to_akn, validate_akn
from ldexport.dc import checked_oai_dc, to_oai_dc, validate_oai_dc
from ldexport.errors import MappingError
from ldexport.iris import Iris
from ldexport.marc import record_xml, validate_marcxml
from ldexport.model import Resolution


class Format(NamedTuple):
    suffix: str  # after "<name>."
    write: Callable[[Resolution, Iris], bytes]
    check: Callable[[bytes], list[str]]  # schema errors, one line each
    write_checked: Callable[[Resolution, Iris], tuple[bytes, list[str]]]


def _marcxml_checked(res: Resolution, iris: Iris) -> tuple[bytes, list[str]]:
    data = record_xml(res, iris)
    return data, validate_marcxml(data)


FORMATS: dict[str, Format] = {
    "akn": Format("akn.xml", lambda res, iris: to_akn(res, iris), validate_akn, checked_akn),
    "marcxml": Format(
        "marc.xml", lambda res, iris: record_xml(res, iris), validate_marcxml, _marcxml_checked
    ),
    "dc": Format("dc.xml", to_oai_dc, validate_oai_dc, checked_oai_dc),
}


def render(fmt: str, res: Resolution, iris: Iris) -> bytes:
    """One export of one resolution, checked against its schema (MappingError if invalid)."""
    data, errors = FORMATS[fmt].write_checked(res, iris)
    if errors:
        raise MappingError(f"{res.symbol}: the {fmt} export is invalid: {errors[0]}")
    return data
