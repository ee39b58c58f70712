"""Every IRI the dataset mints answers: 303 to its description by Accept, Vary: Accept,
406 with the offered types, 301 from other spellings of a symbol; rdflib parses what comes
back and finds the resource in it."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .serve_support import Served

ELI = "http://data.europa.eu/eli/ontology#"
ELI_DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"

RDF_TYPES = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}


def get(url: str, accept: str | None = None, **kw: object) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(url, headers=headers, allow_redirects=False, timeout=10, **kw)  # type: ignore[arg-type]


def see_other(served: Served, path: str, accept: str) -> str:
    r = get(served.url(path), accept)
    assert r.status_code == 303, (path, accept, r.status_code, r.text)
    assert "Accept" in r.headers["Vary"]
    return r.headers["Location"]


@pytest.mark.parametrize("media", list(RDF_TYPES))
def test_work_iri_303_to_each_rdf_description(served: Served, media: str) -> None:
    ext, rdflib_format = RDF_TYPES[media]
    work = served.url("doc/A/RES/58/136")
    location = see_other(served, "doc/A/RES/58/136", media)
    assert location == f"/data/A_RES_58_136.{ext}"
    r = requests.get(served.url(location), headers={"Accept": media}, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    g = Graph().parse(data=r.content, format=rdflib_format, publicID=served.url(location))
    assert (URIRef(work), RDF.type, URIRef(ELI + "LegalResource")) in g
    # the fragment IRIs resolve with their document: #para_5 is in it
    assert (URIRef(work + "#para_5"), URIRef(ELI + "is_part_of"), URIRef(work)) in g


def test_every_rdf_description_is_the_same_graph(served: Served) -> None:
    graphs = []
    for media, (ext, fmt) in RDF_TYPES.items():
        r = requests.get(served.url(f"data/S_RES_1709_2006.{ext}"), timeout=10)
        assert r.status_code == 200, media
        graphs.append(Graph().parse(data=r.content, format=fmt))
    sizes = {len(g) for g in graphs}
    assert len(sizes) == 1 and sizes.pop() > 50


def test_rdflib_follows_the_iri_itself(served: Served) -> None:
    """An RDF client that just dereferences the IRI (following redirects) gets Turtle."""
    work = served.url("doc/S/RES/1709(2006)")
    g = Graph().parse(work, format="turtle")
    assert (URIRef(work), URIRef(ELI + "cites"), URIRef(served.url("doc/S/RES/1590(2005)"))) in g


def test_browsers_get_the_page(served: Served) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert see_other(served, "doc/A/RES/58/136", accept) == "/data/A_RES_58_136.html"
    assert see_other(served, "doc/A/RES/58/136", "*/*") == "/data/A_RES_58_136.html"
    r = get(served.url("doc/A/RES/58/136"))  # no Accept at all: people first
    assert r.headers["Location"] == "/data/A_RES_58_136.html"


def test_akoma_ntoso_and_xml(served: Served) -> None:
    for media in ("application/akn+xml", "application/xml"):
        assert see_other(served, "doc/A/RES/58/136", media) == "/data/A_RES_58_136.akn.xml"
    r = requests.get(served.url("data/A_RES_58_136.akn.xml"), timeout=10)
    assert r.headers["Content-Type"] == "application/akn+xml"
    assert b"http://docs.oasis-open.org/legaldocml/ns/akn/3.0" in r.content
    # the AKN manifestation prefers its own format
    assert see_other(served, "doc/A/RES/58/136/eng/akn", "*/*") == "/data/A_RES_58_136.akn.xml"


def test_q_values_are_honoured(served: Served) -> None:
    path = "doc/A/RES/58/136"
    assert see_other(served, path, "text/turtle;q=0.5, application/ld+json;q=0.9").endswith(
        ".jsonld"
    )
    assert see_other(served, path, "application/ld+json;q=0.1, text/turtle").endswith(".ttl")
    assert see_other(served, path, "text/*;q=0.9, text/html;q=0").endswith(".ttl")
    assert see_other(served, path, "application/rdf+xml, */*;q=0.1").endswith(".rdf")


def test_406_lists_what_is_offered(served: Served) -> None:
    for path in ("doc/A/RES/58/136", "org/un-ga/session/58"):
        r = get(served.url(path), "image/png")
        assert r.status_code == 406
        assert "Accept" in r.headers["Vary"]
        assert "text/turtle" in r.text and "application/ld+json" in r.text


def test_expression_and_manifestation(served: Served) -> None:
    work = served.url("doc/A/RES/58/136")
    for path in ("doc/A/RES/58/136/eng", "doc/A/RES/58/136/eng/txt"):
        location = see_other(served, path, "text/turtle")
        assert location == "/data/A_RES_58_136.ttl"
        g = Graph().parse(served.url(location), format="turtle")
        assert (URIRef(served.url(path)), None, None) in g
    assert see_other(served, "doc/A/RES/58/136/eng", "text/html").endswith(".html")
    assert get(served.url("doc/A/RES/58/136/fra/pdf")).status_code == 404
    assert work in get(served.url("data/A_RES_58_136.ttl")).text


@pytest.mark.parametrize(
    ("path", "types"),
    [
        ("org/un-ga", [ELI + "Organization"]),
        ("org/un-ga-c3", [ELI + "Organization"]),
        ("org/un-sc", [ELI + "Organization"]),
        ("org/un-ga/session/58", [ELI_DL + "ParliamentaryTerm"]),
        ("org/un-ga/session/58/meeting/77", [ELI_DL + "Activity"]),
        ("org/un-ga/session/58/agenda-item/108", [ELI_DL + "ForeseenActivity"]),
        ("org/un-sc/meeting/5532", [ELI_DL + "Activity"]),
    ],
)
def test_organs_sessions_meetings_agenda_items(served: Served, path: str, types: list[str]) -> None:
    iri = URIRef(served.url(path))
    for media, (ext, fmt) in RDF_TYPES.items():
        location = see_other(served, path, media)
        assert location == f"/data/{path}.{ext}"
        r = requests.get(served.url(location), timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == media
        g = Graph().parse(data=r.content, format=fmt)
        for t in types:
            assert (iri, RDF.type, URIRef(t)) in g, (path, media)
    assert see_other(served, path, "text/html") == f"/data/{path}.html"


def test_session_description_links_its_resolutions(served: Served) -> None:
    g = Graph().parse(served.url("data/org/un-ga/session/58.ttl"), format="turtle")
    session = URIRef(served.url("org/un-ga/session/58"))
    assert (session, SKOS.notation, None) in g
    work = URIRef(served.url("doc/A/RES/58/136"))
    assert (work, URIRef(ELI_DL + "parliamentary_term"), session) in g


def test_cited_document_outside_the_dataset(served: Served) -> None:
    """S/RES/1373(2001) is cited, not published: described from what cites it."""
    location = see_other(served, "doc/S/RES/1373(2001)", "text/turtle")
    assert location == "/data/doc/S/RES/1373(2001).ttl"
    g = Graph().parse(served.url(location), format="turtle")
    cited = URIRef(served.url("doc/S/RES/1373(2001)"))
    assert (cited, DCTERMS.identifier, None) in g
    assert (URIRef(served.url("doc/A/RES/58/136")), URIRef(ELI + "cites"), cited) in g


@pytest.mark.parametrize(
    "spelled",
    [
        "doc/S/RES/1709%20(2006)",
        "doc/S/RES/1709%282006%29",
        "doc/S/RES/1709 (2006)",
        "doc/s/res/1709(2006)",
        "doc/S%2FRES%2F1709(2006)",
        "doc/S/RES/1709(2006)/",
    ],
)
def test_other_spellings_redirect_to_the_canonical_iri(served: Served, spelled: str) -> None:
    r = get(served.url(spelled), "text/turtle")
    assert r.status_code == 301, (spelled, r.status_code)
    assert r.headers["Location"] == "/doc/S/RES/1709(2006)"


def test_lower_case_expression_redirects(served: Served) -> None:
    r = get(served.url("doc/a/res/58/136/ENG"), "text/turtle")
    assert r.status_code == 301 and r.headers["Location"] == "/doc/A/RES/58/136/eng"


def test_named_graph_iri(served: Served) -> None:
    assert see_other(served, "graph/A_RES_58_136", "text/turtle") == "/data/A_RES_58_136.ttl"
    assert see_other(served, "graph/provenance", "text/turtle") == "/data/provenance.ttl"


def test_unknown_iris_are_404(served: Served) -> None:
    for path in ("doc/A/RES/99/999", "org/un-xx", "org/un-ga/session/999", "nothing/here"):
        r = get(served.url(path), "text/turtle")
        assert r.status_code == 404, path
        assert "Traceback" not in r.text
