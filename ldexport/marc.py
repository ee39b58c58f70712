"""MARC 21 bibliographic records of resolutions, as MARCXML in the UN Digital Library's style.

One record per resolution, built with pymarc from the same `model.Resolution` that
`ldexport.mapping` turns into RDF.  docs/library-records.md gives the field-by-field mapping,
the evidence for each UN Digital Library (UNDL) convention, and what is our best reading rather
than documented fact.

The rule for bad or incomplete data: a field whose value is unknown is left out, never guessed
or filled with a placeholder, so every record validates against the MARC 21 slim schema
(`validate_marcxml`).  Records carry no clock: there is no 005, and 008 is built from the
model's dates and language, so the bytes depend on the input alone.

>>> from ldexport.model import Resolution
>>> rec = to_marc(Resolution("A/RES/58/136", "un-ga", "resolution", "58/136", None), Iris())
>>> rec["191"].get_subfields("a", "b")
['A/RES/58/136', 'A/']
>>> validate_marcxml(marcxml([rec]))
[]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

import pymarc
from lxml import etree
from pymarc import Field, Indicators, Record, Subfield

from ldexport.iris import Iris, undocs
from ldexport.model import Resolution
from ldexport.subjects import marc_subject_fields
from ldexport.symbols import canonical, describe
from ldexport.un import long_date, ordinal

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA_URL = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "marc" / "MARC21slim.xsd"

# Leader: new record, language material, monograph, Unicode, encoding level 7 (minimal: made
# by a program, not reviewed by a cataloguer), ISBD punctuation included.  Record length and
# base address are left blank, as MARCXML allows.
LEADER = "     nam a22     7i 4500"

# ISO 639-2/T (the model) -> MARC language codes (ISO 639-2/B).
MARC_LANGUAGE = {"eng": "eng", "fra": "fre", "spa": "spa", "rus": "rus", "ara": "ara", "zho": "chi"}

# The adopting organ as the UN name authority writes it, and as the statement of responsibility.
ORGAN_HEADING = {"un-ga": "UN. General Assembly", "un-sc": "UN. Security Council"}
ORGAN_NAME = {"un-ga": "General Assembly", "un-sc": "Security Council"}

# The ODS job number's first letter names the duty station that issued the document.
PLACE_OF_ISSUE = {"N": "nyu", "G": "sz ", "V": "au "}

# 989: the UN Digital Library's resource-type facet (best knowledge, see the docs).
FACET_TOP = "Documents and Publications"
FACETS = {
    ("un-ga", "resolution"): ("Resolutions and Decisions", "General Assembly Resolutions"),
    ("un-ga", "decision"): ("Resolutions and Decisions", "General Assembly Decisions"),
    ("un-sc", "resolution"): ("Resolutions and Decisions", "Security Council Resolutions"),
    ("un-sc", "decision"): ("Resolutions and Decisions", "Security Council Decisions"),
}
DRAFT_FACET = "Draft Resolutions and Decisions"

# 993 first indicator: 2 = the draft or report the resolution was adopted on (the voting
# record in the corpus gold uses 2 for its draft), 4 = the record of the meeting.
RELATED_ON = "2"
RELATED_MEETING = "4"

# 991 first indicator: the agenda it belongs to (UNBIS: 1 = General Assembly agenda).
AGENDA_IND1 = {"un-ga": "1"}
# "A/<n>/251" is the agenda of regular session n (UNBIS manual: A/58/251, A/59/251; the UNDL
# gold: A/78/251).  Not checked for earlier sessions, so not derived for them.
FIRST_SESSION_WITH_AGENDA_251 = 58
# From this session on the General Assembly's sessions run from September into the next year
# and its headings read "(58th sess. : 2003-2004)"; earlier headings are not derived.
FIRST_SESSION_WITH_YEAR_SPAN = 50

# Characters that XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ARTICLES = {"the": 4, "a": 2, "an": 3}


# --- values ----------------------------------------------------------------------------------


def clean(value: str | None) -> str:
    """A value as a record can carry it: XML-safe characters, white space collapsed."""
    if value is None:
        return ""
    # str.split() splits at exactly the characters regex \s matches: runs become one space.
    return " ".join(_NOT_XML.sub(" ", value).split())


def iso_date(value: str | None) -> dt.date | None:
    """The date an ISO 8601 string names, or None when it is missing or not a real date."""
    if not value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def meeting_record(res: Resolution) -> str | None:
    """The symbol of the record of the meeting that adopted it (as `ldexport.mapping` mints)."""
    if not res.meeting:
        return None
    if res.body == "un-sc":
        return f"S/PV.{res.meeting}"
    if res.body == "un-ga" and res.session:
        return f"A/{res.session.number}/PV.{res.meeting}"
    return None


def council_year(res: Resolution) -> int | None:
    """The calendar year a Security Council document belongs to: from its symbol, else dates."""
    info = describe(res.symbol)
    if info.year:
        return int(info.year)
    parts = canonical(res.symbol).split("/")
    if len(parts) > 2 and parts[0] == "S" and re.fullmatch(r"(19|20)\d\d", parts[1]):
        return int(parts[1])
    day = iso_date(res.adoption_date) or iso_date(res.distribution_date)
    return day.year if day else None


def regular_session(res: Resolution) -> int | None:
    """The number of the regular General Assembly session, or None (special, unknown)."""
    if res.body != "un-ga" or res.session is None or not res.session.number.isdigit():
        return None
    return int(res.session.number)


def session_code(res: Resolution) -> str | None:
    """191 $c: the session as the UN series-symbol authority records it.

    General Assembly: "58", "10emsp" (10th emergency special session), "27sp" (special);
    Security Council: its year of existence ("60" for 2005, the Council's 60th year).
    """
    if res.body == "un-sc":
        year = council_year(res)
        return str(year - 1945) if year and year > 1945 else None
    if res.session is None:
        return None
    number = res.session.number
    if m := re.fullmatch(r"ES-(\d+)", number):
        return f"{m[1]}emsp"
    if m := re.fullmatch(r"S-(\d+)", number):
        return f"{m[1]}sp"
    return number if number.isdigit() else None


def organ_heading(res: Resolution) -> str | None:
    """710 $a: the adopting organ with its session qualifier, e.g.

    "UN. General Assembly (58th sess. : 2003-2004)", "UN. Security Council (60th year : 2005)".
    """
    base = ORGAN_HEADING.get(res.body)
    if base is None or res.doc_type == "draft-resolution":
        return None
    if res.body == "un-sc":
        year = council_year(res)
        if year and year > 1945:
            return f"{base} ({ordinal(year - 1945)} year : {year})"
        return base
    n = regular_session(res)
    if n is not None and n >= FIRST_SESSION_WITH_YEAR_SPAN:
        return f"{base} ({ordinal(n)} sess. : {1945 + n}-{1946 + n})"
    return base


def agenda_symbol(res: Resolution) -> str | None:
    """991 $a: the symbol of the session's agenda, where it is known ("A/58/251")."""
    n = regular_session(res)
    if n is not None and n >= FIRST_SESSION_WITH_AGENDA_251:
        return f"A/{n}/251"
    return None


def cited_symbols(res: Resolution) -> list[str]:
    """Every document the resolution cites, once each, in order of first citation."""
    return list(dict.fromkeys(c.symbol for c in res.all_citations()))


# --- fields ----------------------------------------------------------------------------------


def _field(tag: str, ind1: str, ind2: str, *pairs: tuple[str, str | None]) -> Field | None:
    """A data field of the non-empty subfields, or None when none is left."""
    cleaned = [(code, clean(value)) for code, value in pairs]
    subfields = [Subfield(code, value) for code, value in cleaned if value]
    if not subfields:
        return None
    return Field(tag=tag, indicators=Indicators(ind1, ind2), subfields=subfields)


def _fixed_length(res: Resolution) -> Field | None:
    """008 for books, from the dates, the place of issue and the language; None without dates."""
    adopted, issued = iso_date(res.adoption_date), iso_date(res.distribution_date)
    entered = adopted or issued
    published = issued or adopted
    if entered is None or published is None:
        return None
    job = clean(res.source.job_number if res.source else None)
    place = PLACE_OF_ISSUE.get(job[:1], "xx ")
    language = MARC_LANGUAGE.get(res.language, "und")
    data = (
        f"{entered:%y%m%d}s{published.year:04d}    {place}"  # 00-17
        "    "  # 18-21 illustrations: none
        " "  # 22 target audience: unknown
        " "  # 23 form of item: none of the special forms
        "    "  # 24-27 nature of contents: none specified
        "i"  # 28 government publication: international intergovernmental
        "000"  # 29-31 not a conference publication, no festschrift, no index
        " "  # 32 undefined
        "0"  # 33 literary form: not fiction
        " "  # 34 biography: none
        f"{language}"  # 35-37
        " d"  # 38 not modified, 39 cataloguing source: other
    )
    assert len(data) == 40, data
    return Field(tag="008", data=data)


def _title(res: Resolution) -> Field | None:
    """245: "$a title : $b resolution / $c adopted by the General Assembly" (UNDL style)."""
    title = clean(res.title)
    if not title:
        return None
    first = title.split(" ", 1)[0].lower()
    nonfiling = str(_ARTICLES.get(first, 0)) if " " in title else "0"
    organ = ORGAN_NAME.get(res.body)
    parts: list[tuple[str, str]] = [("a", title)]
    if res.doc_type in ("resolution", "decision") and organ:
        responsibility = f"adopted by the {organ}"
        if res.body == "un-sc":
            if res.meeting and res.meeting.isdigit():
                responsibility += f" at its {ordinal(int(res.meeting))} meeting"
            if adopted := iso_date(res.adoption_date):
                responsibility += f", on {long_date(adopted)}"
            parts.append(("c", responsibility))
        else:
            parts += [("b", res.doc_type), ("c", responsibility)]
    # ISBD punctuation: each element ends with the mark that introduces the next one.
    marks = {"b": " :", "c": " /"}
    punctuated = [
        Subfield(code, value + (marks[parts[i + 1][0]] if i + 1 < len(parts) else ""))
        for i, (code, value) in enumerate(parts)
    ]
    return Field(tag="245", indicators=Indicators("1", nonfiling), subfields=punctuated)


def _symbol(res: Resolution) -> Field | None:
    """191: $a the symbol, $b its series ("A/", "S/"), $c the session or Council year."""
    symbol = clean(canonical(res.symbol))
    series = symbol.split("/", 1)[0] + "/" if "/" in symbol else None
    return _field("191", " ", " ", ("a", symbol), ("b", series), ("c", session_code(res)))


def _links(res: Resolution, iris: Iris) -> list[Field | None]:
    """856: the document at undocs.org, then ldexport's RDF descriptions of it."""
    return [
        _field("856", "4", "0", ("u", undocs(res.symbol)), ("y", "undocs.org")),
        _field(
            "856",
            "4",
            "2",
            ("3", "RDF description (Turtle)"),
            ("u", iris.data(res.symbol, "ttl")),
            ("q", "text/turtle"),
        ),
        _field(
            "856",
            "4",
            "2",
            ("3", "RDF description (JSON-LD)"),
            ("u", iris.data(res.symbol, "jsonld")),
            ("q", "application/ld+json"),
        ),
    ]


def _facet(res: Resolution) -> Field | None:
    """989: the UNDL resource-type facet."""
    if res.doc_type == "draft-resolution":
        return _field("989", " ", " ", ("a", FACET_TOP), ("b", DRAFT_FACET))
    second, third = FACETS.get((res.body, res.doc_type), (None, None))
    return _field("989", " ", " ", ("a", FACET_TOP), ("b", second), ("c", third))


def _agenda(res: Resolution) -> list[Field | None]:
    """991: one per agenda item of a known General Assembly session (the RDF's rule too)."""
    if res.session is None or res.body not in AGENDA_IND1:
        return []
    return [
        _field(
            "991",
            AGENDA_IND1[res.body],
            " ",
            ("a", agenda_symbol(res)),
            ("b", item.number),
            ("c", item.label),
        )
        for item in res.agenda_items
    ]


def _related(res: Resolution) -> list[Field | None]:
    """993: the drafts and reports it was adopted on, then the meeting record."""
    fields = [_field("993", RELATED_ON, " ", ("a", s)) for s in res.draft_symbols]
    fields += [_field("993", RELATED_ON, " ", ("a", s)) for s in res.report_symbols]
    fields.append(_field("993", RELATED_MEETING, " ", ("a", meeting_record(res))))
    return fields


def _relationships(res: Resolution) -> list[Field | None]:
    """773 the resolution a lettered one belongs to; 787 what it corrects and what it cites."""
    links = [("773", "Part of:", res.parent_symbol), ("787", "Corrects:", res.corrects)]
    links += [("787", "Cites:", symbol) for symbol in cited_symbols(res)]
    return [_field(tag, "0", "8", ("i", label), ("o", s)) for tag, label, s in links if clean(s)]


def to_marc(res: Resolution, iris: Iris) -> Record:
    """The MARC 21 bibliographic record of one resolution (docs/library-records.md)."""
    job = res.source.job_number if res.source else None
    language = MARC_LANGUAGE.get(res.language)
    adopted, issued = iso_date(res.adoption_date), iso_date(res.distribution_date)
    fields: list[Field | None] = [
        Field(tag="001", data=clean(canonical(res.symbol))),
        _fixed_length(res),
        _field("024", "7", " ", ("a", iris.work(res.symbol)), ("2", "uri")),
        _field("029", " ", " ", ("a", "JN"), ("b", job)) if clean(job) else None,
        _field("041", " ", " ", ("a", language)),
        _symbol(res),
        _title(res),
        _field("269", " ", " ", ("a", issued.isoformat() if issued else None)),
        *marc_subject_fields(res),
        _field("710", "2", " ", ("a", organ_heading(res))),
        *_relationships(res),
        *_links(res, iris),
        _field("952", " ", " ", ("a", meeting_record(res))),
        _facet(res),
        *_agenda(res),
        _field("992", " ", " ", ("a", adopted.isoformat() if adopted else None)),
        *_related(res),
    ]
    present = sorted((f for f in fields if f is not None), key=lambda f: f.tag)
    return Record(leader=LEADER, force_utf8=True, fields=present)


# --- XML -------------------------------------------------------------------------------------


# MARCXML is written as text: the bytes pymarc's ElementTree node gives once indented
# (`ET.indent(space="  ")`) and serialised (`ET.tostring`, UTF-8, with declaration), at a
# fraction of the cost: the records are a fixed shape of four elements, so no tree is needed.
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
# pymarc's own way of declaring the namespace: plain attributes, serialised as written.
_NAMESPACE_ATTRS = (
    f' xmlns="{MARC_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{MARC_NS} {MARC_SCHEMA_URL}"'
)


def _text(value: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    if "&" in value or "<" in value or ">" in value:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


@lru_cache(maxsize=4096)
def _attr(name: str, value: str) -> str:
    """An attribute, its value escaped as ElementTree escapes it (tags, indicators and
    subfield codes: few values, so remembered)."""
    value = _text(value).replace('"', "&quot;")
    value = value.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")
    return f' {name}="{value}"'


def _leaf(tag: str, attrs: str, text: str | None) -> str:
    """An element without children (ElementTree writes an empty one as `<tag />`)."""
    return f"<{tag}{attrs}>{_text(text)}</{tag}>" if text else f"<{tag}{attrs} />"


def _record_text(record: Record, level: int, attrs: str = "") -> str:
    """The `<record>` element, indented as at depth `level` of the document."""
    pad = "\n" + "  " * (level + 1)
    out = [f"<record{attrs}>", pad, _leaf("leader", "", str(record.leader))]
    for field in record.fields:
        out.append(pad)
        if field.control_field:
            out.append(_leaf("controlfield", _attr("tag", field.tag), field.data))
            continue
        assert field.indicators is not None
        first, second = field.indicators
        head = "datafield" + _attr("ind1", first) + _attr("ind2", second) + _attr("tag", field.tag)
        if not field.subfields:
            out.append(f"<{head} />")
            continue
        out.append(f"<{head}>")
        for code, value in field.subfields:
            out += [pad, "  ", _leaf("subfield", _attr("code", code), value)]
        out += [pad, "</datafield>"]
    out += ["\n", "  " * level, "</record>"]
    return "".join(out)


def _document(root: str) -> bytes:
    return (_DECLARATION + root + "\n").encode("utf-8", "xmlcharrefreplace")


def marcxml(records: Iterable[Record]) -> bytes:
    """A MARCXML `<collection>` of the records (MARC 21 slim namespace), deterministic bytes."""
    body = "".join(f"\n  {_record_text(record, 1)}" for record in records)
    if not body:
        return _document(f"<collection{_NAMESPACE_ATTRS} />")
    return _document(f"<collection{_NAMESPACE_ATTRS}>{body}\n</collection>")


def record_xml(res: Resolution, iris: Iris, *, collection: bool = True) -> bytes:
    """The MARCXML file of one resolution: a collection of one record, as the UNDL exports.

    `collection=False` gives a bare `<record>` in the slim namespace (what OAI-PMH's
    metadata element holds).
    """
    record = to_marc(res, iris)
    if collection:
        return marcxml([record])
    return _document(_record_text(record, 0, _NAMESPACE_ATTRS))


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def schema_errors(data: bytes, schema: etree.XMLSchema) -> list[str]:
    """The ways `data` is not well-formed XML or not valid against `schema` ([] when valid)."""
    try:
        doc = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def validate_marcxml(data: bytes) -> list[str]:
    """Problems of a MARCXML document against the MARC 21 slim schema ([] when valid)."""
    return schema_errors(data, _schema())


def read_marcxml(data: bytes) -> list[Record]:
    """The records of a MARCXML document, read back with pymarc (namespace checked)."""
    import io

    records: Sequence[Record] = pymarc.parse_xml_to_array(  # type: ignore[no-untyped-call]
        io.BytesIO(data), strict=True
    )
    return list(records)
