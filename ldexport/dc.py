"""Simple Dublin Core records of resolutions, in the OAI-PMH `oai_dc` XML format.

Built from the same `model.Resolution` as the RDF and the MARC record (`ldexport.marc`), with
the same rule for bad or incomplete data: an unknown value is left out, never guessed.
docs/library-records.md lists what goes in each element.  The bytes depend on the input alone.

>>> from ldexport.model import Resolution
>>> xml = to_oai_dc(Resolution("S/RES/1663(2006)", "un-sc", "resolution", "1663", None), Iris())
>>> validate_oai_dc(xml)
[]
>>> [v for k, v in dc_elements(Resolution("A/RES/58/1", "un-ga", "resolution", None, None),
...  Iris()) if k == "identifier"]
['A/RES/58/1', 'http://localhost:8000/doc/A/RES/58/1', 'https://undocs.org/A/RES/58/1']
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from ldexport.iris import Iris, undocs
from ldexport.marc import (
    cited_symbols,
    clean,
    iso_date,
    meeting_record,
    schema_errors,
)
from ldexport.model import Resolution
from ldexport.subjects import dc_subjects
from ldexport.symbols import canonical
from ldexport.un import ordinal

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
OAI_DC_SCHEMA_URL = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "oai_dc" / "oai_dc.xsd"

# The fifteen elements, in the order the DCMI and OAI schemas list them (and records use).
ELEMENTS = (
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
)  # fmt: skip

# ISO 639-2/T (the model) -> the shortest language tag (RFC 5646), as DCMI recommends.
LANGUAGE_TAG = {"eng": "en", "fra": "fr", "spa": "es", "rus": "ru", "ara": "ar", "zho": "zh"}
ORGAN = {"un-ga": "United Nations. General Assembly", "un-sc": "United Nations. Security Council"}
DOC_TYPE = {
    "resolution": "Resolution",
    "decision": "Decision",
    "draft-resolution": "Draft resolution",
}


def _creator(res: Resolution) -> str | None:
    """The adopting organ; for a draft, its sponsors as the draft names them."""
    if res.doc_type == "draft-resolution":
        return res.sponsors.split(":", 1)[0] if res.sponsors else None
    return ORGAN.get(res.body)


def _contributor(res: Resolution) -> str | None:
    """The Main Committee on whose report the resolution was adopted."""
    if res.body == "un-ga" and res.committee_name:
        return f"{ORGAN['un-ga']}. {res.committee_name}"
    return None


def _descriptions(res: Resolution) -> list[str]:
    """What simple DC has no element for, as "Label: value" notes a program can read back."""
    notes = []
    if res.session:
        label = f" ({res.session.label})" if res.session.label else ""
        notes.append(f"Session: {res.session.number}{label}")
        notes += [f"Agenda item: {item.number}" for item in res.agenda_items]
    if adopted := iso_date(res.adoption_date):
        notes.append(f"Adopted: {adopted.isoformat()}")
    if issued := iso_date(res.distribution_date):
        notes.append(f"Distributed: {issued.isoformat()}")
    if res.meeting and res.meeting.isdigit():
        kind = "meeting" if res.body == "un-sc" else "plenary meeting"
        record = meeting_record(res)
        where = f" ({record})" if record else ""
        notes.append(f"Meeting: {ordinal(int(res.meeting))} {kind}{where}")
    return notes


def dc_elements(res: Resolution, iris: Iris) -> list[tuple[str, str]]:
    """The (element, value) pairs of the record, in `ELEMENTS` order, none empty."""
    adopted, issued = iso_date(res.adoption_date), iso_date(res.distribution_date)
    date = adopted or (issued if res.doc_type == "draft-resolution" else None)
    related = [*cited_symbols(res), res.parent_symbol, res.corrects]
    values: dict[str, list[str | None]] = {
        "title": [res.title],
        "creator": [_creator(res)],
        "subject": [*(item.label for item in res.agenda_items if res.session), *dc_subjects(res)],
        "description": list(_descriptions(res)),
        "publisher": ["United Nations"],
        "contributor": [_contributor(res)],
        "date": [date.isoformat() if date else None],
        "type": ["Text", DOC_TYPE.get(res.doc_type)],
        "identifier": [canonical(res.symbol), iris.work(res.symbol), undocs(res.symbol)],
        "source": [*res.draft_symbols, *res.report_symbols],
        "language": [LANGUAGE_TAG.get(res.language)],
        "relation": list(dict.fromkeys(s for s in related if s)),
    }
    pairs = []
    for element in ELEMENTS:
        for value in dict.fromkeys(clean(v) for v in values.get(element, [])):
            if value:
                pairs.append((element, value))
    return pairs


def to_oai_dc(res: Resolution, iris: Iris) -> bytes:
    """The `oai_dc:dc` record of one resolution, as UTF-8 XML bytes (deterministic)."""
    return _serialise(_tree(res, iris))


def checked_oai_dc(res: Resolution, iris: Iris) -> tuple[bytes, list[str]]:
    """`to_oai_dc` and `validate_oai_dc` of its bytes, without parsing the bytes again.

    The schema checks the tree the bytes were serialised from, the same document; only a
    tree found invalid is checked again as bytes, for the errors with line numbers.
    """
    root = _tree(res, iris)
    data = _serialise(root)
    return data, [] if _schema().validate(root) else validate_oai_dc(data)


def _serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _tree(res: Resolution, iris: Iris) -> etree._Element:
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA_URL}")
    language = LANGUAGE_TAG.get(res.language)
    for element, value in dc_elements(res, iris):
        node = etree.SubElement(root, f"{{{DC_NS}}}{element}")
        node.text = value
        if element == "title" and language:
            node.set(f"{{{XML_NS}}}lang", language)
    return root


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate_oai_dc(data: bytes) -> list[str]:
    """Problems of an `oai_dc` record against the schema in schema/oai_dc/ ([] when valid)."""
    return schema_errors(data, _schema())
