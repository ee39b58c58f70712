"""Library catalogue records: MARCXML (MARC 21 slim) and Dublin Core (oai_dc).

Every document the pipeline converts, in tests/data/corpus and examples/, must give records
that validate against the schemas shipped in ldexport/schema/ and read back with the same
values; the seed, a Security Council resolution and hand-built incomplete or bad resolutions
are checked field by field; and the RDF, the Akoma Ntoso, the MARC record and the DC record of
every document must agree on symbol, title, dates, session, agenda items and cited documents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from pymarc import Field, Indicators, Record, Subfield
from rdflib import Graph, URIRef

from ldexport.convert import parse_file
from ldexport.dc import DC_NS, ELEMENTS, OAI_DC_NS, dc_elements, to_oai_dc, validate_oai_dc
from ldexport.iris import Iris, agenda_key
from ldexport.mapping import to_graph
from ldexport.marc import (
    LEADER,
    MARC_NS,
    SCHEMA_PATH,
    XSI_NS,
    marcxml,
    read_marcxml,
    record_xml,
    to_marc,
    validate_marcxml,
)
from ldexport.model import (
    AgendaItem,
    Citation,
    CitationKind,
    Kind,
    Resolution,
    Session,
    SourceInfo,
    Span,
    Subdivision,
)
from ldexport.namespaces import DCTERMS, ELI, ELI_DL, SKOS
from ldexport.subjects import dc_subjects

from conftest import DOCUMENTS, EXAMPLES, ROOT, SEED

IRIS = Iris()
SCHEMA_LOCATION = f"{MARC_NS} http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
SC_EXAMPLE = EXAMPLES / "S_RES_1590_2005.txt"


@cache
def resolutions_of(path: Path) -> tuple[Resolution, ...]:
    """The resolutions of a file (parsed once for all the tests here)."""
    return tuple(parse_file(path))


def doc_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def one(record: Record, tag: str) -> dict[str, list[str]]:
    """The subfields of the only `tag` field of the record."""
    fields = record.get_fields(tag)
    assert len(fields) == 1, f"{tag}: {len(fields)} fields"
    return fields[0].subfields_as_dict()


def shape(record: Record) -> list[tuple[str, ...]]:
    """Everything a record says, field by field, for comparing two records."""
    out: list[tuple[str, ...]] = [("LDR", str(record.leader))]
    for field in record.get_fields():
        if field.control_field:
            out.append((field.tag, field.data or ""))
        else:
            codes = [x for sf in field.subfields for x in (sf.code, sf.value)]
            out.append((field.tag, field.indicator1, field.indicator2, *codes))
    return out


# --- every converted document ----------------------------------------------------------------


def test_the_corpus_is_there() -> None:
    converted_docs = [p for p in DOCUMENTS if resolutions_of(p)]
    assert len(converted_docs) >= 30, [p.name for p in converted_docs]
    assert SEED in converted_docs and SC_EXAMPLE in converted_docs


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_marcxml_is_valid_and_reads_back(path: Path) -> None:
    for res in resolutions_of(path):
        record = to_marc(res, IRIS)
        data = record_xml(res, IRIS)
        assert validate_marcxml(data) == [], res.symbol
        [again] = read_marcxml(data)
        assert shape(again) == shape(record)
        bare = record_xml(res, IRIS, collection=False)
        assert validate_marcxml(bare) == []
        assert etree.fromstring(bare).tag == f"{{{MARC_NS}}}record"
        assert [shape(r) for r in read_marcxml(bare)] == [shape(record)]


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_dublin_core_is_valid_oai_dc(path: Path) -> None:
    for res in resolutions_of(path):
        data = to_oai_dc(res, IRIS)
        assert validate_oai_dc(data) == [], res.symbol
        assert_oai_dc_structure(data)
        assert dc_values(data, "identifier")[0] == res.symbol


def assert_oai_dc_structure(data: bytes) -> None:
    """What the oai_dc schema asks, checked by hand too (not only through our schema files)."""
    root = etree.fromstring(data)
    assert root.tag == f"{{{OAI_DC_NS}}}dc"
    assert root.nsmap["oai_dc"] == OAI_DC_NS and root.nsmap["dc"] == DC_NS
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert location == f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    assert root.text is None or not root.text.strip()
    seen = []
    for child in root:
        namespace, name = child.tag[1:].split("}")
        assert namespace == DC_NS and name in ELEMENTS
        assert len(child) == 0 and child.text and child.text == child.text.strip()
        assert set(child.attrib) <= {"{http://www.w3.org/XML/1998/namespace}lang"}
        seen.append(ELEMENTS.index(name))
    assert seen == sorted(seen), "elements in the order of the DC element set"


def test_one_collection_file_holds_every_record() -> None:
    resolutions = [res for path in DOCUMENTS for res in resolutions_of(path)]
    data = marcxml(to_marc(res, IRIS) for res in resolutions)
    assert validate_marcxml(data) == []
    again = read_marcxml(data)
    assert [shape(r) for r in again] == [shape(to_marc(res, IRIS)) for res in resolutions]
    assert etree.fromstring(data).tag == f"{{{MARC_NS}}}collection"


def test_records_are_deterministic_and_carry_no_clock() -> None:
    [res] = resolutions_of(SEED)
    [again] = parse_file(SEED)
    assert record_xml(res, IRIS) == record_xml(again, IRIS)
    assert to_oai_dc(res, IRIS) == to_oai_dc(again, IRIS)
    assert to_marc(res, IRIS).get_fields("005") == []


def test_shipped_marc_schema_is_the_library_of_congress_file() -> None:
    digest = hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()
    assert digest == "00618de56c5628f5d8faa4528c1c0fbe6783fc21225c98e5ef47331393254879"
    assert b"MARCXML: The MARC 21 XML Schema" in SCHEMA_PATH.read_bytes()


def test_validators_reject_what_the_schemas_forbid() -> None:
    [res] = resolutions_of(SEED)
    good = record_xml(res, IRIS)
    empty_field = good.replace(b'<subfield code="a">A/58/PV.77</subfield>', b"", 1)
    assert validate_marcxml(empty_field)  # a datafield needs a subfield
    bad_indicator = good.replace(b'ind1="7"', b'ind1="#"', 1)
    assert any("ind1" in e for e in validate_marcxml(bad_indicator))
    assert validate_marcxml(b"<collection") != []
    dc = to_oai_dc(res, IRIS)
    assert validate_oai_dc(dc.replace(b"dc:title", b"dc:heading")) != []
    assert validate_oai_dc(dc.replace(b"<dc:creator>", b"<dc:creator><b/>", 1)) != []


def _elementtree_marcxml(records: list[Record], *, collection: bool = True) -> bytes:
    """MARCXML as pymarc's ElementTree node gives it: what `marcxml` writes as text."""
    import xml.etree.ElementTree as ET

    import pymarc

    nodes = [pymarc.record_to_xml_node(record) for record in records]
    attrs = {"xmlns": MARC_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation": SCHEMA_LOCATION}
    root = ET.Element("collection", attrs) if collection else nodes[0]
    if collection:
        root.extend(nodes)
    else:
        for name, value in attrs.items():
            root.set(name, value)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def test_marcxml_text_is_what_elementtree_writes() -> None:
    """Escaping, empty elements, characters UTF-8 cannot carry: as ElementTree does them."""
    odd = Record(leader=LEADER, force_utf8=True)
    odd.add_field(
        Field(tag="001", data=""),
        Field(tag="008", data="a&b<c>d\"e'\tf\n"),
        Field(tag="245", indicators=Indicators("1", "0"), subfields=[
            Subfield("a", "Fish & <chips> \"quoted\" \u00e9\u4e2d\U0001f600 \ud800"),
            Subfield("&", "x"), Subfield('"', "\r\n\t"), Subfield("b", ""),
        ]),
        Field(tag="500", indicators=Indicators(" ", "\t"), subfields=[]),
    )  # fmt: skip
    records = [odd, *(to_marc(res, IRIS) for res in resolutions_of(SEED))]
    assert marcxml(records) == _elementtree_marcxml(records)
    assert marcxml([]) == _elementtree_marcxml([])
    for record in records:
        assert marcxml([record]) == _elementtree_marcxml([record])
    [res] = resolutions_of(SEED)
    bare = record_xml(res, IRIS, collection=False)
    assert bare == _elementtree_marcxml([to_marc(res, IRIS)], collection=False)


# --- the seed, field by field ----------------------------------------------------------------


def test_seed_marc_fields() -> None:
    [res] = resolutions_of(SEED)
    record = to_marc(res, IRIS)
    assert str(record.leader) == LEADER
    assert record["001"].data == "A/RES/58/136"
    f008 = record["008"].data
    assert f008 is not None and len(f008) == 40
    assert (f008[0:6], f008[6:11], f008[15:18], f008[35:38]) == (
        "031222",
        "s2004",
        "nyu",
        "eng",
    )
    assert one(record, "191") == {"a": ["A/RES/58/136"], "b": ["A/"], "c": ["58"]}
    title = record["245"]
    assert (title.indicator1, title.indicator2) == ("1", "0")
    assert title.get_subfields("a", "b", "c") == [
        "Strengthening international cooperation and technical assistance in promoting the "
        "implementation of the universal conventions and protocols related to terrorism within "
        "the framework of the activities of the Centre for International Crime Prevention :",
        "resolution /",
        "adopted by the General Assembly",
    ]
    assert one(record, "269") == {"a": ["2004-01-26"]}  # date of issue ("Distr.: General")
    assert one(record, "992") == {"a": ["2003-12-22"]}  # date of adoption
    assert one(record, "029") == {"a": ["JN"], "b": ["N0350274"]}
    assert one(record, "041") == {"a": ["eng"]}
    assert one(record, "710") == {"a": ["UN. General Assembly (58th sess. : 2003-2004)"]}
    assert record["710"].indicator1 == "2"
    agenda = record["991"]
    assert (agenda.indicator1, agenda.subfields_as_dict()) == (
        "1",
        {"a": ["A/58/251"], "b": ["108"]},
    )
    assert one(record, "952") == {"a": ["A/58/PV.77"]}
    related = [(f.indicator1, f["a"]) for f in record.get_fields("993")]
    assert related == [("2", "A/58/499"), ("4", "A/58/PV.77")]
    assert one(record, "989") == {
        "a": ["Documents and Publications"],
        "b": ["Resolutions and Decisions"],
        "c": ["General Assembly Resolutions"],
    }
    links = {f["u"]: (f.indicator1, f.indicator2) for f in record.get_fields("856")}
    assert links == {
        "https://undocs.org/A/RES/58/136": ("4", "0"),
        "http://localhost:8000/data/A_RES_58_136.ttl": ("4", "2"),
        "http://localhost:8000/data/A_RES_58_136.jsonld": ("4", "2"),
    }
    assert one(record, "024") == {"a": ["http://localhost:8000/doc/A/RES/58/136"], "2": ["uri"]}
    cites = [f["o"] for f in record.get_fields("787") if f.get("i") == "Cites:"]
    assert cites[:3] == ["S/RES/1373(2001)", "S/RES/1377(2001)", "S/RES/1456(2003)"]
    assert len(cites) == 17 and "A/58/37" in cites and len(set(cites)) == 17
    for voting in ("039", "591", "791", "967", "968", "969", "996"):
        assert record.get_fields(voting) == [], f"{voting} belongs to voting records"
    assert one(record, "989")["a"] != ["Voting Data"]


def test_seed_dublin_core() -> None:
    [res] = resolutions_of(SEED)
    pairs = dc_elements(res, IRIS)
    values: dict[str, list[str]] = {}
    for element, value in pairs:
        values.setdefault(element, []).append(value)
    assert values["title"] == [res.title]
    assert values["creator"] == ["United Nations. General Assembly"]
    assert values["contributor"] == ["United Nations. General Assembly. Third Committee"]
    assert values["date"] == ["2003-12-22"]
    assert values["type"] == ["Text", "Resolution"]
    assert values["identifier"] == [
        "A/RES/58/136",
        "http://localhost:8000/doc/A/RES/58/136",
        "https://undocs.org/A/RES/58/136",
    ]
    assert values["language"] == ["en"]
    assert values["source"] == ["A/58/499"]
    assert values["publisher"] == ["United Nations"]
    # The masthead names agenda item 108 but not its title: the subjects are the UNBIS ones.
    assert values["subject"] == list(dc_subjects(res))
    assert "TERRORISM" in values["subject"]
    assert values["description"] == [
        "Session: 58 (Fifty-eighth session)",
        "Agenda item: 108",
        "Adopted: 2003-12-22",
        "Distributed: 2004-01-26",
        "Meeting: 77th plenary meeting (A/58/PV.77)",
    ]
    assert values["relation"][:2] == ["S/RES/1373(2001)", "S/RES/1377(2001)"]
    assert len(values["relation"]) == 17
    title = etree.fromstring(to_oai_dc(res, IRIS)).find(f"{{{DC_NS}}}title")
    assert title is not None and title.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


# --- Security Council, incomplete and bad data -----------------------------------------------


def test_security_council_resolution() -> None:
    [res] = resolutions_of(SC_EXAMPLE)
    record = to_marc(res, IRIS)
    assert validate_marcxml(marcxml([record])) == []
    assert one(record, "191") == {"a": ["S/RES/1590(2005)"], "b": ["S/"], "c": ["60"]}
    assert record["245"].get_subfields("a", "c") == [
        "Resolution 1590 (2005) /",
        "adopted by the Security Council at its 5151st meeting, on 24 March 2005",
    ]
    assert one(record, "710") == {"a": ["UN. Security Council (60th year : 2005)"]}
    assert one(record, "992") == {"a": ["2005-03-24"]}
    assert one(record, "952") == {"a": ["S/PV.5151"]}
    assert [(f.indicator1, f["a"]) for f in record.get_fields("993")] == [("4", "S/PV.5151")]
    assert one(record, "989")["c"] == ["Security Council Resolutions"]
    # The text names no distribution date, no job number, no agenda item: left out.
    for absent in ("269", "029", "991"):
        assert record.get_fields(absent) == [], absent
    values = dict(dc_elements(res, IRIS))
    assert values["creator"] == "United Nations. Security Council"
    assert validate_oai_dc(to_oai_dc(res, IRIS)) == []


def test_incomplete_resolution_leaves_unknown_fields_out() -> None:
    res = Resolution(
        symbol="A/RES/58/999", body="un-ga", doc_type="resolution", number=None, title=None
    )
    record = to_marc(res, IRIS)
    data = marcxml([record])
    assert validate_marcxml(data) == []
    assert [shape(r) for r in read_marcxml(data)] == [shape(record)]
    tags = [f.tag for f in record.get_fields()]
    for absent in ("008", "029", "245", "269", "952", "991", "992", "993", "773", "787"):
        assert absent not in tags, absent
    assert one(record, "191") == {"a": ["A/RES/58/999"], "b": ["A/"]}  # no session: no $c
    assert one(record, "710") == {"a": ["UN. General Assembly"]}
    dc = to_oai_dc(res, IRIS)
    assert validate_oai_dc(dc) == []
    assert_oai_dc_structure(dc)
    elements = {element for element, _ in dc_elements(res, IRIS)}
    assert elements.isdisjoint({"title", "date", "description", "relation", "source", "subject"})


def test_bad_data_never_makes_an_invalid_record() -> None:
    span = Span(0, 1)
    res = Resolution(
        symbol="A/RES/58/998",
        body="un-xx",  # an organ ldexport does not know
        doc_type="decision",
        number="58/998",
        title="\x0cThe  title\x00 with\tcontrol characters\x1b ",
        language="xxx",
        adoption_date="2003-02-30",  # no such day
        distribution_date="26 January 2004",  # not ISO 8601
        session=Session("58"),
        agenda_items=(AgendaItem("90 (b)", "  "), AgendaItem("", None)),
        report_symbols=("",),
        meeting="seventy-seventh",
        parts=(
            Subdivision(
                Kind.OPERATIVE,
                "para_1",
                1,
                "Decides",
                citations=(Citation("A/RES/1/1\x07", CitationKind.RESOLUTION, "1/1", span),),
            ),
        ),
        source=SourceInfo("x.txt", "plain-text", "0" * 64, job_number="\x0b"),
    )
    record = to_marc(res, IRIS)
    data = marcxml([record])
    assert validate_marcxml(data) == []
    assert [shape(r) for r in read_marcxml(data)] == [shape(record)]
    assert record["245"]["a"] == "The title with control characters"
    assert record["245"].indicator2 == "4"  # "The " is not filed on
    for absent in ("008", "029", "041", "269", "992", "710"):
        assert record.get_fields(absent) == [], absent
    assert one(record, "989") == {"a": ["Documents and Publications"]}  # organ unknown
    assert [f.get_subfields("b") for f in record.get_fields("993")] == []
    dc = to_oai_dc(res, IRIS)
    assert validate_oai_dc(dc) == []
    assert_oai_dc_structure(dc)
    assert "date" not in {element for element, _ in dc_elements(res, IRIS)}


# --- the formats agree -----------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What every format must say alike about a resolution."""

    symbol: str | None
    title: str | None
    adopted: str | None
    distributed: str | None
    session: str | None
    agenda_items: tuple[str, ...]
    cited: frozenset[str]  # work IRIs


def rdf_facts(graph: Graph, res: Resolution) -> Facts:
    work = URIRef(IRIS.work(res.symbol))
    expression = graph.value(work, ELI.is_realized_by)
    session = graph.value(work, ELI_DL.parliamentary_term)
    adoption = URIRef(IRIS.adoption(res.symbol))
    items = sorted(
        str(graph.value(i, SKOS.notation)) for i in graph.objects(adoption, ELI_DL.was_scheduled_in)
    )
    return Facts(
        symbol=text(graph.value(work, DCTERMS.identifier)),
        title=text(graph.value(expression, ELI.title)) if expression else None,
        adopted=text(graph.value(work, ELI.date_document)),
        distributed=text(graph.value(expression, ELI.date_publication)) if expression else None,
        session=text(graph.value(session, SKOS.notation)) if session else None,
        agenda_items=tuple(items),
        cited=frozenset(str(o) for o in graph.objects(work, ELI.cites)),
    )


def text(node: object) -> str | None:
    return None if node is None else str(node)


def value(record: Record, tag: str, code: str) -> str | None:
    field = record.get(tag)
    return field.get(code) if field is not None else None


def marc_session(record: Record) -> str | None:
    """191 $c back to the model's session number ("10emsp" -> "ES-10"); None for the Council."""
    code = value(record, "191", "c")
    if value(record, "191", "b") != "A/" or code is None:
        return None
    if m := re.fullmatch(r"(\d+)emsp", code):
        return f"ES-{m[1]}"
    if m := re.fullmatch(r"(\d+)sp", code):
        return f"S-{m[1]}"
    return code


def marc_facts(data: bytes) -> Facts:
    [record] = read_marcxml(data)
    title = value(record, "245", "a")
    cites = [f["o"] for f in record.get_fields("787") if f.get("i") == "Cites:"]
    return Facts(
        symbol=value(record, "191", "a"),
        title=re.sub(r" [:/]$", "", title) if title else None,
        adopted=value(record, "992", "a"),
        distributed=value(record, "269", "a"),
        session=marc_session(record),
        agenda_items=tuple(sorted(agenda_key(f["b"]) for f in record.get_fields("991"))),
        cited=frozenset(IRIS.work(s) for s in cites),
    )


def dc_values(data: bytes, element: str) -> list[str]:
    return [e.text or "" for e in etree.fromstring(data).iter(f"{{{DC_NS}}}{element}")]


def dc_facts(data: bytes, res: Resolution) -> Facts:
    notes: dict[str, list[str]] = {}
    for note in dc_values(data, "description"):
        label, _, value = note.partition(": ")
        notes.setdefault(label, []).append(value)
    titles = dc_values(data, "title")
    sessions = notes.get("Session", [])
    not_cited = {res.parent_symbol, res.corrects}
    adopted = notes.get("Adopted", [None])[0]
    if res.doc_type != "draft-resolution":
        assert dc_values(data, "date") == ([adopted] if adopted else [])
    return Facts(
        symbol=dc_values(data, "identifier")[0],
        title=titles[0] if titles else None,
        adopted=adopted,
        distributed=notes.get("Distributed", [None])[0],
        session=sessions[0].split(" ", 1)[0] if sessions else None,
        agenda_items=tuple(sorted(agenda_key(i) for i in notes.get("Agenda item", []))),
        cited=frozenset(IRIS.work(s) for s in dc_values(data, "relation") if s not in not_cited),
    )


def akn_facts(data: bytes) -> Facts:
    """The facts as the Akoma Ntoso document states them in its standard (non-proprietary) parts."""
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    doc = etree.fromstring(data)

    def first(xpath: str) -> str | None:
        found = doc.xpath(xpath, namespaces=ns)
        return str(found[0]) if found else None

    agenda_hrefs = doc.xpath(
        "//a:references/a:TLCConcept[starts-with(@eId, 'agendaItem_')]/@href", namespaces=ns
    )
    cited = doc.xpath("//a:ref[@eId]/@href", namespaces=ns)
    title = doc.xpath("string(//a:preface//a:docTitle)", namespaces=ns) or None
    return Facts(
        symbol=first("//a:FRBRWork/a:FRBRalias[@name='symbol']/@value"),
        title=str(title) if title else None,
        adopted=first("//a:FRBRWork/a:FRBRdate[@name='adoption']/@date"),
        distributed=first("//a:meta/a:publication[@name='distribution']/@date"),
        session=first("//a:preface//a:session/@value"),
        agenda_items=tuple(sorted(str(h).rsplit("/", 1)[-1] for h in agenda_hrefs)),
        cited=frozenset(str(h) for h in cited if str(h).startswith(IRIS.base + "doc/")),
    )


def formats_of(res: Resolution) -> Iterator[tuple[str, Facts]]:
    yield "MARCXML", marc_facts(record_xml(res, IRIS))
    yield "Dublin Core", dc_facts(to_oai_dc(res, IRIS), res)


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_rdf_marc_and_dc_agree(path: Path) -> None:
    for res in resolutions_of(path):
        rdf = rdf_facts(to_graph(res, IRIS), res)
        assert rdf.symbol == res.symbol
        assert rdf.cited == {IRIS.work(c.symbol) for c in res.all_citations()}
        for name, facts in formats_of(res):
            assert facts == rdf, f"{name} disagrees with the RDF for {res.symbol}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_rdf_and_akn_agree(path: Path) -> None:
    """The same facts from the Akoma Ntoso document (ldexport.akn), read from its standard parts."""
    akn = pytest.importorskip("ldexport.akn")
    for res in resolutions_of(path):
        rdf = rdf_facts(to_graph(res, IRIS), res)
        assert akn_facts(akn.to_akn(res, IRIS)) == rdf, f"AKN disagrees for {res.symbol}"
