"""ldexport.shacl_fast: edge cases the shapes test cases do not reach give pySHACL's report,
conforming documents never reach a SPARQL engine, and what the module does not implement is
refused when the shapes are compiled."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from shapes.test_shapes import CASES, load_case

from ldexport import validate as validation
from ldexport.shacl_fast import SCREENS, Shapes, UnsupportedShape
from ldexport.validate import validate

SC = "http://localhost:8000/doc/S/RES/1663(2006)"
GA = "http://localhost:8000/doc/A/RES/58/136"
ELI = "http://data.europa.eu/eli/ontology#"
LDX = "https://w3id.org/ldexport/ontology#"
DCT_ID = URIRef("http://purl.org/dc/terms/identifier")
UNBIS = "http://metadata.un.org/thesaurus/"


def outcome(graph: Graph, reference: bool) -> object:
    """The report, or the kind of error validation stops with (rdflib's SPARQL engine fails on
    some data, e.g. SUBSTR with a decimal ldx:order: the fast path must fail alike)."""
    try:
        return validate(graph, "t", reference=reference)
    except Exception as error:
        return type(error).__name__


def same_report(graph: Graph) -> None:
    assert outcome(graph, reference=False) == outcome(graph, reference=True)


def replaced(case: str, subject: str, predicate: URIRef, *objects: Any) -> Graph:
    """A case's graph with the objects of (subject, predicate) replaced by `objects`."""
    graph = load_case(CASES / case)
    node = URIRef(subject)
    assert (node, predicate, None) in graph, f"{case} has no {predicate} on {subject}"
    graph.remove((node, predicate, None))
    for obj in objects:
        graph.add((node, predicate, obj))
    return graph


SC_CASE, GA_CASE, SUBJECTS_CASE = "ok_sc_resolution.ttl", "ok_ga_resolution.ttl", "ok_subjects.trig"
ORDER, NUMBER, TITLE = URIRef(LDX + "order"), URIRef(ELI + "number"), URIRef(ELI + "title")
ADOPTED, DERIVED = URIRef(ELI + "date_document"), URIRef(LDX + "titleDerived")
WEIGHT, ASSIGNMENT = URIRef(LDX + "weight"), GA + "#subject_1006475"
SC_TITLE = "Resolution 1663 (2006)"
SC_SYMBOL = "S/RES/1663(2006)"


def typed(text: str, datatype: URIRef) -> Literal:
    return Literal(text, datatype=datatype)


EDGES = {
    # sh:datatype: ill-typed literals of the datatype, other datatypes, tagged strings
    "order_ill_typed": (SC_CASE, SC + "#para_1", ORDER, typed("one", XSD.integer)),
    "order_decimal": (SC_CASE, SC + "#para_1", ORDER, typed("1.0", XSD.decimal)),
    "order_padded": (SC_CASE, SC + "#para_2", ORDER, typed("02", XSD.integer)),
    "date_ill_typed": (SC_CASE, SC, ADOPTED, typed("2006-13-45", XSD.date)),
    "date_string": (SC_CASE, SC, ADOPTED, Literal("2006-03-24")),
    "derived_one": (SC_CASE, SC + "/eng", DERIVED, typed("1", XSD.boolean)),
    "derived_string": (SC_CASE, SC + "/eng", DERIVED, Literal("true")),
    "symbol_typed_string": (SC_CASE, SC, DCT_ID, typed(SC_SYMBOL, XSD.string)),
    "symbol_tagged": (SC_CASE, SC, DCT_ID, Literal(SC_SYMBOL, lang="en")),
    "symbol_iri": (SC_CASE, SC, DCT_ID, URIRef("urn:symbol:" + SC_SYMBOL)),
    "symbol_line_break": (SC_CASE, SC, DCT_ID, Literal(SC_SYMBOL + "\n")),
    "symbol_two": (GA_CASE, GA, DCT_ID, Literal("A/RES/58/136"), Literal("A/RES/58/137")),
    # sh:languageIn: language ranges, case, untagged and non-literal values
    "title_en_gb": (SC_CASE, SC + "/eng", TITLE, Literal(SC_TITLE, lang="en-GB")),
    "title_upper_en": (SC_CASE, SC + "/eng", TITLE, Literal(SC_TITLE, lang="EN")),
    "title_plain": (SC_CASE, SC + "/eng", TITLE, Literal(SC_TITLE)),
    "title_iri": (SC_CASE, SC + "/eng", TITLE, URIRef("urn:title")),
    "title_blank": (SC_CASE, SC + "/eng", TITLE, Literal(" ", lang="en")),
    # sh:uniqueLang: one language twice, in two cases
    "labels_same_language": (
        SUBJECTS_CASE, UNBIS + "1006475", SKOS.prefLabel,
        Literal("TERRORISM", lang="en"), Literal("Terrorism", lang="EN"), Literal("X", lang="fr"),
    ),
    "labels_untagged": (SUBJECTS_CASE, UNBIS + "1006475", SKOS.prefLabel, Literal("TERRORISM")),
    # ranges: a bound of another type, a string, the bounds themselves
    "weight_one": (SUBJECTS_CASE, ASSIGNMENT, WEIGHT, typed("1", XSD.decimal)),
    "weight_zero": (SUBJECTS_CASE, ASSIGNMENT, WEIGHT, typed("0.0", XSD.decimal)),
    "weight_double": (SUBJECTS_CASE, ASSIGNMENT, WEIGHT, typed("0.5", XSD.double)),
    "weight_text": (SUBJECTS_CASE, ASSIGNMENT, WEIGHT, Literal("0.5")),
    # sh:class, sh:in, sh:hasValue, sh:nodeKind with blank nodes and literals
    "organ_literal": (SC_CASE, SC, URIRef(ELI + "passed_by"), Literal("un-sc")),
    "organ_blank": (SC_CASE, SC, URIRef(ELI + "passed_by"), BNode("organ")),
    "type_literal": (SC_CASE, SC, URIRef(ELI + "type_document"), Literal(LDX + "Resolution")),
    "work_subclass": (SC_CASE, SC, RDF.type, URIRef("urn:Resolution")),
    # SPARQL constraints on data the screens treat as unusual
    "number_with_space": (SC_CASE, SC + "#para_2", NUMBER, Literal(" 2")),
    "number_tagged": (SC_CASE, SC + "#para_2", NUMBER, Literal("2", lang="en")),
    "number_integer": (SC_CASE, SC + "#para_2", NUMBER, Literal(2)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edge_cases_as_pyshacl(name: str) -> None:
    case, subject, predicate, *objects = EDGES[name]
    graph = replaced(case, subject, predicate, *objects)
    if name == "work_subclass":  # sh:class and sh:targetClass through rdfs:subClassOf
        graph.add((URIRef("urn:Resolution"), RDFS.subClassOf, URIRef(ELI + "LegalResource")))
    same_report(graph)


def mutated(graph: Graph, rnd: random.Random) -> Graph:
    """`graph` with one to three random edits: a triple removed, moved to another subject or
    object, added, or its object made a blank node or a literal of another kind."""
    triples = sorted(graph)
    out = Graph()
    for triple in triples:
        out.add(triple)
    for _ in range(rnd.randint(1, 3)):
        s, p, o = rnd.choice(triples)
        other = rnd.choice(triples)
        kind = rnd.randrange(6)
        if kind != 3:
            out.remove((s, p, o))
        if kind == 1:
            out.add((s, p, other[2]))
        elif kind == 2:
            out.add((other[0], p, o))
        elif kind == 3:
            out.add((other[0], rnd.choice(triples)[1], rnd.choice(triples)[2]))
        elif kind == 4:
            out.add((s, p, BNode()))
        elif kind == 5:
            text = str(o)
            out.add((s, p, rnd.choice([
                Literal(text), Literal(text, lang="fr"), Literal(text, datatype=XSD.integer),
                Literal(text + "\n"), Literal("12", datatype=XSD.integer), Literal("iv"),
            ])))  # fmt: skip
    return out


@pytest.mark.parametrize(
    "case", ["ok_sc_resolution.ttl", "ok_subjects.trig", "ok_sections_annex.ttl"]
)
def test_random_edits_as_pyshacl(case: str) -> None:
    """Seeded random damage to conforming graphs: the reports stay pySHACL's."""
    base = load_case(CASES / case)
    rnd = random.Random(case)
    for _ in range(25):
        same_report(mutated(base, rnd))


@pytest.mark.parametrize("case", ["ok_ga_resolution.ttl", "ok_subjects.trig", "ok_lettered.ttl"])
def test_conforming_graph_runs_no_query(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The screens clear every SPARQL constraint of a conforming document: no query runs."""

    def no_query(*args: object, **kwargs: object) -> None:
        raise AssertionError("a SPARQL query ran")

    monkeypatch.setattr(Graph, "query", no_query)
    assert validate(load_case(CASES / case), "t", reference=False).conforms


def test_every_sparql_constraint_has_a_screen() -> None:
    shapes = validation._shapes()
    screened = {c.screen for s in shapes.shapes for c in s.sparql}
    assert screened == set(SCREENS.values())


# --- Refused at compile time -----------------------------------------------------------------

SHAPES_TTL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
ex:Shape a sh:PropertyShape ;
    sh:message "m" ;
    sh:targetClass ex:C ;
    sh:path ex:p ;
"""


@pytest.mark.parametrize(
    "extra",
    [
        "sh:lessThan ex:q .",
        "sh:closed true .",
        "sh:node ex:Other .",
        "sh:qualifiedMinCount 1 .",
        "sh:targetNode ex:n .",
        "sh:deactivated true .",
        "sh:datatype <http://www.w3.org/2001/XMLSchema#dateTime> .",
        "sh:sparql [ sh:message 'm' ; sh:select 'SELECT $this WHERE { }' ] .",
        "sh:minCount 1 ; sh:sparql [ sh:select 'SELECT $this {}' ; sh:deactivated true ] .",
        "sh:sparql [ sh:select 'SELECT $this {}' ] .",
    ],
)
def test_unimplemented_constraints_are_refused(extra: str) -> None:
    graph = Graph().parse(data=SHAPES_TTL + extra, format="turtle")
    with pytest.raises(UnsupportedShape):
        Shapes(graph)


@pytest.mark.parametrize(
    "path",
    ["[ sh:zeroOrMorePath ex:p ]", "( ex:p ex:q )", "[ sh:inversePath [ sh:inversePath ex:p ] ]"],
)
def test_unimplemented_paths_are_refused(path: str) -> None:
    text = SHAPES_TTL.replace("sh:path ex:p ;", f"sh:path {path} ;") + "sh:minCount 1 ."
    with pytest.raises(UnsupportedShape, match="path"):
        Shapes(Graph().parse(data=text, format="turtle"))


def test_shape_without_message_and_untyped_shape_are_refused() -> None:
    with pytest.raises(UnsupportedShape, match="sh:message"):
        silent = SHAPES_TTL.replace('sh:message "m" ;', "") + "sh:minCount 1 ."
        Shapes(Graph().parse(data=silent, format="turtle"))
    untyped = SHAPES_TTL.replace("a sh:PropertyShape ;", "") + "sh:minCount 1 ."
    with pytest.raises(UnsupportedShape, match="no IRI and type"):
        Shapes(Graph().parse(data=untyped, format="turtle"))


def test_changed_sparql_query_is_refused() -> None:
    """A screen answers for one query text: an edited query needs its screen checked again."""
    graph = Graph()
    for triple in validation._shapes_rdf():
        graph.add(triple)
    shape = URIRef("https://w3id.org/ldexport/shapes#WorkIri")
    constraint = graph.value(shape, SH.sparql)
    select = str(graph.value(constraint, SH.select))
    graph.set((constraint, SH.select, Literal(select.replace("/doc/", "/document/"))))
    with pytest.raises(UnsupportedShape, match="WorkIri"):
        Shapes(graph, exclude=[validation.NO_BLANK_NODES])
    Shapes(validation._shapes_rdf(), exclude=[validation.NO_BLANK_NODES])  # the real ones compile


def test_data_the_sparql_engine_cannot_evaluate_is_a_problem_not_a_crash() -> None:
    """A decimal ldx:order makes rdflib's SUBSTR raise inside ldxsh:NumberMatchesOrder: the
    document does not conform, with a line saying why, on both paths (the batch goes on)."""
    graph = replaced(SC_CASE, SC + "#para_1", ORDER, typed("1.0", XSD.decimal))
    for reference in (False, True):
        report = validate(graph, "t", reference=reference)
        assert not report.conforms
        assert any("could not be evaluated" in line for line in report.lines()), report.lines()


def test_a_query_runs_on_the_triples_of_the_predicates_it_names() -> None:
    """`query_predicates`: every predicate of a triple pattern, in FILTER (NOT) EXISTS too;
    None (the whole graph) when a pattern's predicate is a variable or a path, or the query
    has a form it does not know."""
    from ldexport.shacl_fast import query_predicates

    p = "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
    named = query_predicates(
        p + "SELECT ?x WHERE { ?x eli:number ?n ; a eli:Work . "
        "FILTER NOT EXISTS { ?x eli:is_part_of ?y . FILTER EXISTS { ?y eli:order ?o } } }"
    )
    assert named == {URIRef(ELI + n) for n in ("number", "is_part_of", "order")} | {RDF.type}
    assert query_predicates(p + "SELECT ?x WHERE { ?x ?p ?n }") is None
    assert query_predicates(p + "SELECT ?x WHERE { ?x eli:is_part_of+ ?n }") is None
    assert query_predicates(p + "SELECT ?x WHERE { FILTER EXISTS { ?x ?p ?n } }") is None
    assert query_predicates(p + "SELECT ?x WHERE { ?x eli:number ?n MINUS { ?x a ?t } }") is None


# --- Solvers: a query's solutions found in Python ----------------------------------------------

NUMBER_ORDER = "NumberMatchesOrder:250da467ba2d"
CORPUS_80_3 = Path(__file__).parent / "data" / "corpus" / "A_RES_80_3.md"


def _numbering_graph() -> Graph:
    """A/RES/80/3: paragraph 2 of its annex is missing, so 23 parts are misnumbered."""
    from ldexport.convert import parse_file
    from ldexport.iris import Iris
    from ldexport.mapping import to_graph

    (res,) = parse_file(CORPUS_80_3)
    return to_graph(res, Iris())


def renumbered(graph: Graph, rnd: random.Random) -> Graph:
    """`graph` with the numbers, orders, sections or types of one to four parts changed: to
    other numbers (arabic, letters, Roman, what Python's `int` reads and XSD does not),
    other orders (sometimes not canonical xsd:integer), another section."""
    out = Graph()
    for triple in sorted(graph):
        out.add(triple)
    parts = sorted(set(out.subjects(URIRef(LDX + "order"), None)))
    sections = sorted(set(out.objects(None, URIRef(ELI + "is_part_of"))))
    numbers = ["1", "2", "3", "9", "10", "11", "12", "a", "b", "e", "i", "iv", "IV", "aa", "x",
               "L", "+7", " 8", "07", "\u0663", "1_0"]  # fmt: skip
    for _ in range(rnd.randint(1, 4)):
        part = rnd.choice(parts)
        kind = rnd.randrange(4)
        if kind == 0:
            out.set((part, NUMBER, Literal(rnd.choice(numbers))))
        elif kind == 1:
            order = rnd.randint(1, 60)
            odd = [typed(f"0{order}", XSD.integer), typed(f"{order}.0", XSD.decimal)]
            value = rnd.choice([typed(str(order), XSD.integer)] * 4 + odd)
            out.set((part, ORDER, value))
        elif kind == 2:
            out.set((part, URIRef(ELI + "is_part_of"), rnd.choice(sections)))
        else:
            out.set((part, NUMBER, typed(rnd.choice(numbers[:7]), XSD.integer)))
    return out


def _no_graph(some: object) -> Graph:
    raise AssertionError("a solver made an rdflib Graph")


@pytest.mark.parametrize("case", ["A/RES/80/3", "ok_sections_annex.ttl"])
def test_number_order_solver_finds_the_query_solutions(case: str) -> None:
    """Where the solver answers, its solutions are those of the query in rdflib's engine (as
    pySHACL runs it), on 150 renumberings of a real document and of a shapes test case whose
    sections continue the numbering of the paragraphs before them; where it does not (data
    it does not read as the query does), the query runs."""
    from ldexport.shacl_fast import SOLVERS, Index

    shapes = validation._shapes()
    solve = SOLVERS[NUMBER_ORDER]
    (constraint,) = [c for s in shapes.shapes for c in s.sparql if c.solve is solve]
    base = _numbering_graph() if case == "A/RES/80/3" else load_case(CASES / case)
    this = next(base.subjects(URIRef(ELI + "is_realized_by"), None))
    rnd = random.Random(case)
    answers: list[int] = []
    for i in range(150):
        graph = base if i == 0 else renumbered(base, rnd)
        found = solve(Index(set(graph), _no_graph), this)
        if found is None:
            continue
        answers.append(len(found))
        rows = graph.query(constraint.query, initBindings={"this": this})
        expected = {(r.value, r.number, r.order) for r in rows}
        assert {(v, x["number"], x["order"]) for _, _, v, x in found} == expected, i
    assert len(answers) >= 50, answers
    assert sum(n > 0 for n in answers) >= 30, answers
    if case != "A/RES/80/3":  # there a gap in the numbering stays whatever else changes
        assert answers.count(0) >= 5, answers


def test_a_misnumbered_document_is_reported_without_a_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A/RES/80/3's 23 misnumbered parts are found by the solver: the SPARQL engine never runs,
    and the report is pySHACL's (tests/test_fast_validate.py compares every dev document)."""
    graph = _numbering_graph()
    reference = validate(graph, "A/RES/80/3", reference=True)

    def no_query(*args: object, **kwargs: object) -> None:
        raise AssertionError("a SPARQL query ran")

    monkeypatch.setattr(Graph, "query", no_query)
    report = validate(graph, "A/RES/80/3", reference=False)
    assert report == reference
    assert sum("NumberMatchesOrder" in str(p.shape) for p in report.problems) == 23


SECTION_PARA = "http://localhost:8000/doc/A/RES/80/3#annex_1__sec_I__para_"


def solved_paragraphs(graph: Graph) -> set[str]:
    """The numbers in the IRIs of the parts the numbering solver reports (it must answer)."""
    from ldexport.shacl_fast import SOLVERS, Index

    this = next(graph.subjects(URIRef(ELI + "is_realized_by"), None))
    found = SOLVERS[NUMBER_ORDER](Index(set(graph), _no_graph), this)
    assert found is not None
    return {str(value).rpartition("_")[2] for _, _, value, _ in found}


@pytest.mark.parametrize(
    ("text", "flagged"),
    [(" 4", {"4"}), ("+4", {"4"}), ("04", set()), ("\u0664", {"4"}), ("4_0", {"4", "5"}),
     ("4a", {"4", "5"})],
)  # fmt: skip
def test_number_order_solver_casts_as_rdflib(text: str, flagged: set[str]) -> None:
    """Paragraph 5 (ordered 2) of a section continues from paragraph 4 (ordered 1) when
    xsd:integer(STR(number)) + 1 is 5: rdflib's cast is Python's `int`, which reads " 4", "+4"
    and an Arabic-Indic 4 as 4 ("4_0" as 40); the solver reads them alike.  Paragraph 4 itself
    passes, as the first of its section, only with a number of ASCII digits."""
    graph = replaced("ok_sections_annex.ttl", SECTION_PARA + "4", NUMBER, Literal(text))
    assert solved_paragraphs(graph) == flagged
    same_report(graph)


def test_a_number_longer_than_python_reads_is_what_the_query_reports() -> None:
    """A number of 5,000 digits: Python's `int` refuses it, so rdflib's xsd:integer cast
    fails and the part does not continue the numbering; the solver reports it so (it raised
    a ValueError, the document "could not be evaluated", found in review)."""
    graph = replaced("ok_sections_annex.ttl", SECTION_PARA + "5", NUMBER, Literal("5" * 5000))
    assert solved_paragraphs(graph) == {"5"}
    same_report(graph)
