"""OAI-PMH 2.0 with a real harvester (sickle) and by hand: the six verbs, both formats,
sets, from/until, resumption tokens, and the protocol's errors."""

from __future__ import annotations

import json

import lxml.etree
import pytest
import requests
from sickle import Sickle
from sickle.oaiexceptions import (
    BadArgument,
    BadResumptionToken,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
)

from .serve_support import CONTACT, OAI_PAGE_SIZE, Served

OAI = "{http://www.openarchives.org/OAI/2.0/}"
MARC = "{http://www.loc.gov/MARC21/slim}"
DC = "{http://purl.org/dc/elements/1.1/}"


def documents(served: Served) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads((served.out / "manifest.json").read_text())[
        "documents"
    ]
    return data


def oai(served: Served, **params: str) -> lxml.etree._Element:
    r = requests.get(served.url("oai"), params=params, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/xml")
    return lxml.etree.fromstring(r.content)


def error_code(served: Served, **params: str) -> str | None:
    root = oai(served, **params)
    errors = root.findall(f"{OAI}error")
    return errors[0].get("code") if errors else None


@pytest.mark.parametrize("prefix", ["oai_dc", "marcxml"])
def test_harvest_every_record_through_resumption_tokens(served: Served, prefix: str) -> None:
    sickle = Sickle(served.url("oai"), max_retries=0, timeout=10)
    records = list(sickle.ListRecords(metadataPrefix=prefix))
    docs = documents(served)
    assert len(docs) > OAI_PAGE_SIZE  # so that more than one page was needed
    identifiers = [r.header.identifier for r in records]
    assert sorted(identifiers) == sorted(served.url(f"doc/{d['symbol']}") for d in docs.values())
    for record in records:
        assert not record.deleted
        root = record.xml.find(f"{OAI}metadata")[0]
        if prefix == "oai_dc":
            assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
            assert record.header.identifier in [e.text for e in root.findall(f"{DC}identifier")]
        else:
            assert root.tag == f"{MARC}record"
            symbol = root.find(f"{MARC}datafield[@tag='191']/{MARC}subfield[@code='a']")
            assert (
                symbol is not None and served.url(f"doc/{symbol.text}") == record.header.identifier
            )


def test_list_identifiers_by_set_and_dates(served: Served) -> None:
    sickle = Sickle(served.url("oai"), max_retries=0, timeout=10)
    docs = documents(served)
    ga58 = [
        h.identifier
        for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="un-ga:session-58")
    ]
    assert ga58 == [served.url("doc/A/RES/58/136")]
    sc = {h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="un-sc")}
    assert sc == {served.url(f"doc/{d['symbol']}") for d in docs.values() if d["body"] == "un-sc"}
    stamps = sorted(str(d["converted_at"]) for d in docs.values())
    everything = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc", **{"from": stamps[0][:10], "until": stamps[-1][:10]}
        )
    )
    assert len(everything) == len(docs)
    for header in everything:
        assert header.datestamp in stamps
        assert header.setSpecs[0] in ("un-ga", "un-sc")


def test_identify_formats_sets_getrecord(served: Served) -> None:
    sickle = Sickle(served.url("oai"), max_retries=0, timeout=10)
    identify = sickle.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.adminEmail == CONTACT
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.baseURL == served.url("oai")
    assert {f.metadataPrefix for f in sickle.ListMetadataFormats()} == {"oai_dc", "marcxml"}
    sets = {s.setSpec: s.setName for s in sickle.ListSets()}
    assert sets["un-ga"] == "General Assembly"
    assert sets["un-ga:session-58"] == "General Assembly, Fifty-eighth session"
    assert sets["un-sc:2006"] == "Security Council, 2006"
    record = sickle.GetRecord(
        identifier=served.url("doc/S/RES/1709(2006)"), metadataPrefix="oai_dc"
    )
    assert record.metadata["identifier"][0] == "S/RES/1709(2006)"
    formats = list(sickle.ListMetadataFormats(identifier=served.url("doc/S/RES/1709(2006)")))
    assert len(formats) == 2


def test_post_is_the_same_as_get(served: Served) -> None:
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    got = requests.get(served.url("oai"), params=params).content
    posted = requests.post(served.url("oai"), data=params).content
    strip = lambda b: lxml.etree.tostring(lxml.etree.fromstring(b).find(f"{OAI}ListIdentifiers"))  # noqa: E731
    assert strip(got) == strip(posted)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "set": "un-ga"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2006-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2020-01-01",
                "until": "2020-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2021-01-01",
                "until": "2020-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": "x"},
            "cannotDisseminateFormat",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "nope"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "un-ecosoc"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "eyJvIjotMX0"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
    ],
)
def test_protocol_errors(served: Served, params: dict[str, str], code: str) -> None:
    root = oai(served, **params)
    assert root.findall(f"{OAI}error")[0].get("code") == code
    request = root.find(f"{OAI}request")
    assert request is not None and request.text == served.url("oai")
    if code in ("badVerb", "badArgument"):
        assert not request.attrib  # the protocol: no attributes when the request was bad


def test_repeated_argument_is_bad(served: Served) -> None:
    r = requests.get(
        served.url("oai") + "?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marcxml"
    )
    assert b'code="badArgument"' in r.content
    r = requests.get(served.url("oai") + "?verb=Identify&verb=Identify")
    assert b'code="badVerb"' in r.content


def test_token_of_another_verb_or_a_changed_dataset(served: Served) -> None:
    root = oai(served, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
    assert (
        token is not None
        and token.text
        and token.get("completeListSize") == str(len(documents(served)))
    )
    assert token.get("cursor") == "0"
    assert (
        error_code(served, verb="ListRecords", resumptionToken=token.text) == "badResumptionToken"
    )
    with pytest.raises(BadResumptionToken):
        list(Sickle(served.url("oai"), max_retries=0).ListRecords(resumptionToken="AAAA"))


def test_sickle_raises_the_protocol_errors(served: Served) -> None:
    sickle = Sickle(served.url("oai"), max_retries=0, timeout=10)
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(identifier="nope", metadataPrefix="oai_dc")
    with pytest.raises(CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="nope"))
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListRecords(metadataPrefix="oai_dc", set="none"))
    with pytest.raises(BadArgument):
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "x"}))
