"""The HTML pages, read as a program reads them: landmarks, headings, language, one anchor
per paragraph named as its IRI fragment, every citation a link, every download there,
schema.org JSON-LD, everything escaped."""

from __future__ import annotations

import json
from typing import Any

import lxml.html
import pytest
import requests

from ldexport.model import Resolution, resolution_from_dict

from .serve_support import Served


def page(served: Served, path: str, **params: str) -> Any:
    r = requests.get(served.url(path), params=params, timeout=10)
    assert r.status_code == 200, (path, r.status_code, r.text[:500])
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    return lxml.html.fromstring(r.content)


def model(served: Served, name: str) -> Resolution:
    return resolution_from_dict(json.loads((served.out / f"{name}.json").read_text()))


def symbols_listed(doc: Any) -> list[str]:
    return [a.text_content() for a in doc.cssselect("ol.results a.symbol")]


def assert_accessible(doc: Any) -> None:
    assert doc.get("lang") == "en"
    assert doc.cssselect('meta[name="viewport"]')
    assert len(doc.cssselect("main")) == 1
    assert doc.cssselect('header[role="banner"] nav') and doc.cssselect("footer")
    assert len(doc.cssselect("h1")) == 1
    assert doc.cssselect("a.skip")[0].get("href") == "#main"
    for field in doc.cssselect("select, input, textarea"):
        if field.get("type") != "hidden":
            assert doc.cssselect(f'label[for="{field.get("id")}"]'), field.get("name")


def test_index_lists_every_resolution(served: Served) -> None:
    manifest = json.loads((served.out / "manifest.json").read_text())
    doc = page(served, "")
    assert_accessible(doc)
    listed = symbols_listed(doc)
    assert sorted(listed) == sorted(e["symbol"] for e in manifest["documents"].values())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"session": "58"}, {"A/RES/58/136"}),
        ({"body": "un-sc", "year": "2006"}, {"S/RES/1663(2006)", "S/RES/1709(2006)"}),
        ({"q": "terrorism"}, {"A/RES/58/136"}),
        ({"q": "INDIGENOUS peoples"}, {"A/RES/61/295"}),
        ({"session": "58", "body": "un-sc"}, set()),
    ],
)
def test_index_filters(served: Served, params: dict[str, str], expected: set[str]) -> None:
    doc = page(served, "", **params)
    assert set(symbols_listed(doc)) == expected
    for name, value in params.items():
        field = doc.cssselect(f'[name="{name}"]')[0]
        shown = (
            field.get("value")
            if field.tag == "input"
            else field.cssselect("[selected]")[0].get("value")
        )
        assert shown == value


def test_search_terms_are_escaped(served: Served) -> None:
    r = requests.get(served.base, params={"q": '<script>alert(1)</script>"'}, timeout=10)
    assert r.status_code == 200
    assert b"<script>alert" not in r.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in r.content


def test_resolution_page_reads_like_the_document(served: Served) -> None:
    res = model(served, "A_RES_58_136")
    doc = page(served, "data/A_RES_58_136.html")
    assert_accessible(doc)
    article = doc.cssselect("article.resolution")[0]
    assert article.get("lang") == "en"
    masthead = article.cssselect("header.masthead")[0].text_content()
    assert "United Nations" in masthead and "A/RES/58/136" in masthead
    assert "General Assembly" in masthead and "Fifty-eighth session" in masthead
    assert "Agenda item 108" in masthead and "26 January 2004" in masthead
    assert res.title and res.title in doc.cssselect("h1")[0].text_content()
    assert "[on the report of the Third Committee (A/58/499)]" in doc.text_content()
    assert doc.cssselect("p.formula")[0].text_content() == "The General Assembly,"
    assert "77th plenary meeting" in doc.cssselect("p.meeting")[0].text_content()
    # operative paragraphs numbered as printed, leading phrase in italics
    para5 = doc.get_element_by_id("para_5")
    assert para5.cssselect(".num")[0].text_content() == "5."
    assert para5.cssselect("em")[0].text_content() == "Urges"


def test_every_paragraph_and_note_has_its_iri_fragment_as_anchor(served: Served) -> None:
    for name in ("A_RES_58_136", "S_RES_1590_2005", "A_RES_61_295"):
        res = model(served, name)
        doc = page(served, f"data/{name}.html")
        eids = [p.eid for p in res.walk()] + [n.eid for n in res.footnotes]
        assert eids
        for eid in eids:
            element = doc.get_element_by_id(eid, None)
            assert element is not None, (name, eid)
        ids = doc.xpath("//@id")
        assert len(ids) == len(set(ids)), name


def test_sub_paragraphs_annexes_sections_and_notes(served: Served) -> None:
    doc = page(served, "data/S_RES_1590_2005.html")
    sub = doc.get_element_by_id("para_4__list_1__point_a__list_1__point_iv")
    assert sub.cssselect(".num")[0].text_content() == "(iv)"
    assert sub.getparent().get("id") == "para_4__list_1__point_a"
    doc = page(served, "data/A_RES_61_295.html")
    annex = doc.get_element_by_id("annex_1")
    assert annex.tag == "section" and annex.cssselect("h2")
    notes = doc.cssselect("section.notes li")
    res = model(served, "A_RES_61_295")
    assert [li.get("id") for li in notes] == [n.eid for n in res.footnotes]
    for note in res.footnotes:
        if note.anchor_eid:
            ref = doc.get_element_by_id(f"ref-{note.eid}")
            assert ref.get("href") == f"#{note.eid}"


def test_every_citation_is_a_link(served: Served) -> None:
    names = {e: e for e in json.loads((served.out / "manifest.json").read_text())["documents"]}
    for name in ("A_RES_58_136", "S_RES_1709_2006"):
        res = model(served, name)
        doc = page(served, f"data/{name}.html")
        body = doc.cssselect("article.resolution")[0]
        hrefs = {a.get("title"): a.get("href") for a in body.cssselect("a[title]")}
        for citation in res.all_citations():
            href = hrefs.get(citation.symbol)
            assert href is not None, (name, citation.symbol)
            cited = citation.symbol.replace("/", "_").replace("(", "_").replace(")", "")
            if cited in names:
                assert href == f"/doc/{citation.symbol}"
            else:
                assert href == f"https://undocs.org/{citation.symbol}"
    # the one citation between two documents of the examples
    doc = page(served, "data/S_RES_1709_2006.html")
    links = [a.get("href") for a in doc.get_element_by_id("preamble__container_1").cssselect("a")]
    assert "/doc/S/RES/1590(2005)" in links


def test_downloads_are_all_there(served: Served) -> None:
    doc = page(served, "data/A_RES_58_136.html")
    hrefs = [a.get("href") for a in doc.cssselect("aside ul.formats a")]
    for ext in ("ttl", "jsonld", "nt", "rdf", "akn.xml", "marc.xml", "dc.xml", "json"):
        assert f"/data/A_RES_58_136.{ext}" in hrefs
    for href in hrefs:
        assert requests.head(served.url(href), timeout=10).status_code == 200, href
    alternates = {link.get("type") for link in doc.cssselect('link[rel="alternate"]')}
    assert {"text/turtle", "application/ld+json", "application/akn+xml"} <= alternates


def test_schema_org_legislation(served: Served) -> None:
    doc = page(served, "data/A_RES_58_136.html")
    scripts = doc.cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Legislation"
    assert data["@id"] == served.url("doc/A/RES/58/136")
    assert data["legislationIdentifier"] == "A/RES/58/136"
    assert data["legislationDate"] == "2003-12-22"
    assert data["legislationPassedBy"]["name"] == "General Assembly"
    assert {"@id": served.url("doc/S/RES/1373(2001)")} in data["citation"]


@pytest.mark.parametrize(
    ("path", "title", "listed"),
    [
        ("data/org/un-ga/session/58.html", "Fifty-eighth session", "A/RES/58/136"),
        ("data/org/un-sc.html", "Security Council", "S/RES/1709(2006)"),
        ("data/doc/S/RES/1373(2001).html", "S/RES/1373(2001)", None),
    ],
)
def test_resource_pages(served: Served, path: str, title: str, listed: str | None) -> None:
    doc = page(served, path)
    assert_accessible(doc)
    assert doc.cssselect("h1")[0].text_content() == title
    if listed:
        assert listed in [a.text_content() for a in doc.cssselect("a.symbol")]
    else:
        assert doc.cssselect('a[href="https://undocs.org/S/RES/1373(2001)"]')
        # who cites it
        assert any("A/RES/58/136" in a.text_content() for a in doc.cssselect("dl.props a"))
