"""The SPARQL 1.1 Protocol endpoint with a real client (SPARQLWrapper) and by hand:
result formats, CONSTRUCT and DESCRIBE, GET and POST, the documented queries, the limits,
and what it refuses."""

from __future__ import annotations

import csv
import io
import json

import lxml.etree
import pytest
import requests
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from ldexport.serve.sparql import EXAMPLES

from .serve_support import SPARQL_LIMIT, Served

PREFIXES = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ldx: <https://w3id.org/ldexport/ontology#>
"""
TITLES = (
    PREFIXES
    + """SELECT ?symbol ?title WHERE {
  ?work dcterms:identifier ?symbol ; eli:is_realized_by ?e . ?e eli:title ?title
} ORDER BY ?symbol"""
)


def wrapper(served: Served, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(served.url("sparql"))
    sparql.setMethod(method)
    sparql.setTimeout(30)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json_with_sparqlwrapper(served: Served, method: str) -> None:
    sparql = wrapper(served, method)
    sparql.setQuery(TITLES)
    sparql.setReturnFormat(JSON)
    data = sparql.query().convert()
    assert isinstance(data, dict)
    symbols = [b["symbol"]["value"] for b in data["results"]["bindings"]]
    manifest = json.loads((served.out / "manifest.json").read_text())
    expected = {e["symbol"] for e in manifest["documents"].values()}
    assert expected <= set(symbols)
    assert data["head"]["vars"] == ["symbol", "title"]


def test_select_xml_csv_tsv(served: Served) -> None:
    sparql = wrapper(served)
    sparql.setQuery(TITLES)
    sparql.setReturnFormat(XML)
    doc = sparql.query().convert()
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    xml_symbols = [
        n.text
        for n in lxml.etree.fromstring(doc.toxml().encode()).findall(
            ".//r:binding[@name='symbol']/r:literal", ns
        )
    ]
    assert "A/RES/58/136" in xml_symbols
    sparql.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(sparql.query().convert().decode())))
    assert rows[0] == ["symbol", "title"] and rows[1][:1] == ["A/RES/58/136"]
    sparql.setReturnFormat(TSV)
    lines = sparql.query().convert().decode().splitlines()
    assert lines[0] == "?symbol\t?title" and lines[1].startswith('"A/RES/58/136"\t')


def test_ask(served: Served) -> None:
    sparql = wrapper(served)
    sparql.setQuery(PREFIXES + 'ASK { ?w eli:id_local "S/RES/1709(2006)" }')
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["boolean"] is True
    sparql.setQuery(PREFIXES + 'ASK { ?w eli:id_local "S/RES/1(1946)" }')
    assert sparql.query().convert()["boolean"] is False


def test_construct_and_describe(served: Served) -> None:
    work = URIRef(served.url("doc/S/RES/1709(2006)"))
    sparql = wrapper(served)
    sparql.setQuery(
        PREFIXES + "CONSTRUCT { ?w eli:cites ?c } WHERE { ?w eli:id_local ?id ; eli:cites ?c }"
    )
    sparql.setReturnFormat(TURTLE)
    g = Graph().parse(data=sparql.query().convert(), format="turtle")
    assert (
        work,
        URIRef("http://data.europa.eu/eli/ontology#cites"),
        URIRef(served.url("doc/S/RES/1590(2005)")),
    ) in g
    r = requests.get(
        served.url("sparql"),
        params={"query": f"DESCRIBE <{work}>"},
        headers={"Accept": "application/ld+json"},
        timeout=30,
    )
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/ld+json"
    g = Graph().parse(data=r.content, format="json-ld")
    assert (work, URIRef("http://data.europa.eu/eli/ontology#id_local"), None) in g
    r = requests.get(
        served.url("sparql"),
        params={"query": f"DESCRIBE <{work}>"},
        headers={"Accept": "application/n-triples"},
    )
    assert len(Graph().parse(data=r.content, format="nt")) == len(g)


def test_post_bodies(served: Served) -> None:
    r = requests.post(
        served.url("sparql"),
        data=TITLES.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        timeout=30,
    )
    assert r.status_code == 200 and r.text.startswith("symbol,title\r\n")
    r = requests.post(
        served.url("sparql"),
        data={"query": TITLES, "format": "json"},
        timeout=30,
    )
    assert r.json()["head"]["vars"] == ["symbol", "title"]


def test_the_documented_queries(served: Served) -> None:
    """The three queries of docs/loading.md give the rows shown there (example set)."""
    rows = {}
    for title, query in EXAMPLES[1:4]:
        r = requests.get(
            served.url("sparql"),
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        rows[title] = r.json()["results"]["bindings"]
    citing = rows[EXAMPLES[1][0]]
    fragments = sorted(b["paragraph"]["value"].rsplit("#", 1)[1] for b in citing)
    assert fragments == [
        "para_1",
        "para_5",
        "preamble__container_1",
        "preamble__container_3",
        "preamble__container_8",
    ]
    verbs = {b["verb"]["value"]: int(b["paragraphs"]["value"]) for b in rows[EXAMPLES[2][0]]}
    assert verbs["Requests"] >= 10
    edges = {(b["citing"]["value"], b["cited"]["value"]) for b in rows[EXAMPLES[3][0]]}
    assert ("S/RES/1709(2006)", "S/RES/1590(2005)") in edges


def test_named_graphs_and_default_graph(served: Served) -> None:
    graph = served.url("graph/S_RES_1709_2006")
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    one = requests.get(
        served.url("sparql"),
        params={"query": q, "default-graph-uri": graph},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    n = int(one["results"]["bindings"][0]["n"]["value"])
    manifest = json.loads((served.out / "manifest.json").read_text())
    assert n == manifest["documents"]["S_RES_1709_2006"]["triples"]


def test_bad_graph_iri_is_400(served: Served) -> None:
    r = requests.get(
        served.url("sparql"),
        params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "not an iri"},
        timeout=30,
    )
    assert r.status_code == 400 and "graph IRI" in r.text
    only_named = requests.get(
        served.url("sparql"),
        params={
            "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
            "named-graph-uri": served.url("graph/S_RES_1709_2006"),
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    ).json()
    assert only_named["results"]["bindings"][0]["n"]["value"] == "0"  # empty default graph


def test_result_limit(served: Served) -> None:
    r = requests.get(
        served.url("sparql"),
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == SPARQL_LIMIT
    assert r.headers["X-SPARQL-Truncated"] == "true"
    small = requests.get(
        served.url("sparql"),
        params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert small.headers["X-SPARQL-Truncated"] == "false"


def test_bad_query_is_400_with_the_parsers_message(served: Served) -> None:
    sparql = wrapper(served)
    sparql.setQuery("SELECT ?s WHERE { ?s ?p }")
    sparql.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        sparql.query()
    r = requests.get(served.url("sparql"), params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "does not parse" in r.text and "error at" in r.text
    assert "Traceback" not in r.text


@pytest.mark.parametrize(
    "request_kw",
    [
        {"method": "GET", "params": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {
            "method": "POST",
            "data": b"CLEAR DEFAULT",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"method": "GET", "params": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}},
        {"method": "POST", "data": {"query": "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }"}},
        {"method": "GET", "params": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}},
    ],
)
def test_updates_are_refused(served: Served, request_kw: dict[str, object]) -> None:
    before = _count(served)
    r = requests.request(url=served.url("sparql"), timeout=30, **request_kw)  # type: ignore[arg-type]
    assert r.status_code == 403, r.text
    assert "read-only" in r.text
    assert _count(served) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o .SERVICE<http://example.org/sparql>{ ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX : <http://x/> SELECT * WHERE { # comment\n SERVICE :s { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(served: Served, query: str) -> None:
    r = requests.get(served.url("sparql"), params={"query": query}, timeout=30)
    assert r.status_code == 400, (query, r.status_code, r.text)
    assert "SERVICE" in r.text


def test_service_word_in_strings_and_names_is_fine(served: Served) -> None:
    q = (
        "PREFIX ex: <http://example.org/service#> "
        "SELECT ?service WHERE { BIND('SERVICE' AS ?service) } # SERVICE"
    )
    r = requests.get(
        served.url("sparql"),
        params={"query": q},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["service"]["value"] == "SERVICE"


def test_form_for_people(served: Served) -> None:
    r = requests.get(served.url("sparql"), headers={"Accept": "text/html"}, timeout=10)
    assert r.status_code == 200 and "<textarea" in r.text
    r = requests.get(served.url("sparql"), params={"example": "2"}, headers={"Accept": "text/html"})
    assert "S/RES/1373(2001)" in r.text
    r = requests.post(
        served.url("sparql"),
        data={"query": TITLES, "format": ""},
        headers={"Accept": "text/html"},
        timeout=30,
    )
    assert r.status_code == 200 and "<table>" in r.text and "A/RES/58/136" in r.text
    r = requests.post(
        served.url("sparql"),
        data={"query": "SELECT {", "format": ""},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 400 and "does not parse" in r.text and "<textarea" in r.text


def test_service_description(served: Served) -> None:
    r = requests.get(served.url("sparql"), headers={"Accept": "text/turtle"}, timeout=10)
    g = Graph().parse(data=r.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(served.url("sparql")), URIRef(sd + "endpoint"), None) in g


def _count(served: Served) -> int:
    r = requests.get(
        served.url("sparql"),
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_any_type_gets_results_not_the_form(served: Served) -> None:
    for accept in ("*/*", None):
        headers = {"Accept": accept} if accept else {}
        r = requests.get(
            served.url("sparql"), params={"query": "ASK { ?s ?p ?o }"}, headers=headers
        )
        assert r.headers["Content-Type"] == "application/sparql-results+json", accept
        assert r.json()["boolean"] is True
