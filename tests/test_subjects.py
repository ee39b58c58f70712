"""UNBIS subjects (ldexport.subjects, ldexport.mapping_subjects): matching, selection, the RDF,
the library records, and the judged reading of the development corpus."""

from __future__ import annotations

import copy as copy_module
import gzip
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef

import ldexport.subjects as subjects_module
import ldexport.validate as validate_module
from ldexport.convert import parse_file
from ldexport.errors import LdexportError
from ldexport.iris import Iris
from ldexport.mapping import new_graph, to_graph
from ldexport.mapping_subjects import add_subjects, concepts_graph
from ldexport.marc import marcxml, read_marcxml, to_marc, validate_marcxml
from ldexport.model import AgendaItem, Kind, Resolution, Session, Subdivision
from ldexport.namespaces import ELI, LDX, RDF, SKOS
from ldexport.publish import to_turtle
from ldexport.subjects import (
    LANGUAGES,
    LEXICON_PATH,
    MAX_PER_PARAGRAPH,
    MAX_PER_RESOLUTION,
    NOT_ASSIGNED,
    UNBIS,
    Lexicon,
    Match,
    _initials,
    _units,
    assign,
    dc_subjects,
    fold,
    lexicon,
    marc_subject_fields,
    resolution_subjects,
    weight_of,
    word_form,
)
from ldexport.vocab import undefined_terms

from conftest import CORPUS, DOCUMENTS, GOLDEN, ROOT, SEED

IRIS = Iris()
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
SUBJECTS = GOLDEN / "subjects"
# Concept ids used below (UNBIS).
TERRORISM, NUCLEAR_DISARMAMENT, DISARMAMENT = "1006475", "1004485", "1001685"
ICC, WOMENS_RIGHTS, IRAN, COUNTER_TERRORISM = "1003295", "1007035", "1003399", "1001346"
SECURITIES, SUDAN, SUDANESE, CAR = "1005783", "1006271", "1006272", "1000881"


def concepts_in(text: str) -> list[str]:
    return [m.concept for m in lexicon().match(text)]


def resolution(title: str | None = None, *paragraphs: tuple[Kind, str]) -> Resolution:
    parts = []
    counts: dict[Kind, int] = {}
    for kind, text in paragraphs:
        counts[kind] = counts.get(kind, 0) + 1
        n = counts[kind]
        eid = f"para_{n}" if kind is Kind.OPERATIVE else f"preamble__container_{n}"
        parts.append(
            Subdivision(kind, eid, n, text, number=str(n) if kind is Kind.OPERATIVE else None)
        )
    return Resolution("A/RES/99/1", "un-ga", "resolution", "99/1", title, parts=tuple(parts))


def op(text: str) -> tuple[Kind, str]:
    return (Kind.OPERATIVE, text)


def pre(text: str) -> tuple[Kind, str]:
    return (Kind.PREAMBULAR, text)


# --- words and matching ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("courts", "court"),
        ("Court", "court"),
        ("policies", "policy"),
        ("women", "woman"),
        ("children", "child"),
        ("peoples", "people"),
        ("taxes", "tax"),
        ("approaches", "approach"),
        ("crises", "crisis"),
        ("status", "status"),
        ("process", "process"),
        ("economics", "economics"),
        ("gas", "gas"),
        ("Türkiye", "turkiye"),
        ("CÔTE", "cote"),
    ],
)
def test_word_form_folds_case_accents_and_number(word: str, form: str) -> None:
    assert word_form(word) == form


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("the report of the International Criminal Court", ICC),  # label is plural
        ("on the rights of women and girls", WOMENS_RIGHTS),  # derived from WOMEN'S RIGHTS
        ("the Islamic Republic of Iran", IRAN),  # derived from IRAN (ISLAMIC REPUBLIC OF)
        ("counter-terrorism", COUNTER_TERRORISM),
        ("Counter-Terrorism Committee", COUNTER_TERRORISM),
        ("counterterrorism", COUNTER_TERRORISM),  # derived solid form
        ("trade in securities", SECURITIES),
    ],
)
def test_labels_match_with_inflection_and_derived_forms(text: str, concept: str) -> None:
    assert concept in concepts_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "the Security Council",  # one-word labels match only in their own number: not SECURITIES
        "as well as",  # not WELLS
        "the maintenance of international peace and security",  # a formula: not PEACE
        "the Member States",  # STATES and MEMBERS are never assigned
        "adoption of the agenda",  # ADOPTION (of children)
        "nuclear. Disarmament",  # no label across punctuation
    ],
)
def test_what_does_not_match(text: str) -> None:
    found = concepts_in(text)
    assert SECURITIES not in found
    assert "1006990" not in found  # WELLS
    assert "1004769" not in found  # PEACE
    assert not set(found) & set(NOT_ASSIGNED)
    assert NUCLEAR_DISARMAMENT not in found


def test_longest_label_wins_and_its_words_are_not_read_again() -> None:
    assert concepts_in("Nuclear disarmament remains a priority") == [NUCLEAR_DISARMAMENT]
    assert concepts_in("disarmament") == [DISARMAMENT]


def reference_match(text: str, abbreviations: dict[str, Match]) -> list[Match]:
    """Rule 1 read the plain way, every word looked at (what `Lexicon.match`, which looks
    only at the words that may begin a label or be an abbreviation, must give)."""
    lex = lexicon()
    tokens = lex.words.tokens(text)  # "the" dropped, spans in `text`
    forms, folds, spans = tokens.forms, tokens.folds, tokens.spans
    out: list[Match] = []
    covered = -1
    for i in range(len(forms)):
        found, end, node, j = None, i, lex._trie.get(forms[i]), i
        while node is not None:
            if "" in node:
                found, end = node[""], j
            j += 1
            node = node.get(forms[j]) if j < len(forms) else None
        found = lex._single.get(folds[i]) if found is None else found
        if found is None:
            defined = abbreviations.get(folds[i])
            if defined and text[slice(*spans[i])] == defined.words and i > covered:
                covered = i
                out.append(defined)
        elif end > covered:
            covered = end
            if found:
                words = " ".join(text[spans[i][0] : spans[end][1]].split())
                out.append(Match(lex._choose(found, words), words))
                short = re.match(r"\s*\(([A-Z][A-Z0-9]{1,8}s?)\)", text[spans[end][1] :])
                if short and _initials(words) == short.group(1).rstrip("s"):
                    abbreviations.setdefault(fold(short.group(1)), Match(out[-1].concept, short[1]))
    return out


TRICKY = (
    "the Convention on the Rights of the Child and THE rights of THE child",
    "the Central African Republic (CAR) and the CAR, THE CAR's authorities; car",
    "the Republic of the Sudan’s people, the Sudan's Government (SUDAN)",
    "Nuclear. Disarmament; nuclear the the disarmament",
    "the Rights of Th\u00e9 Child and the rights of \uff34\uff28\uff25 child",  # folded: "the"
)


def texts_to_match() -> list[list[str]]:
    """The tricky texts, then each dev resolution's texts (read in order, as `assign` does)."""
    texts = [list(TRICKY)]
    for _, res in documents():
        texts.append([res.title or "", *(u[2] for u in _units(res.parts))])
    assert sum(len(group) for group in texts) > 700
    return texts


def assert_matches_as_read_word_by_word(lex: Lexicon) -> None:
    for group in texts_to_match():
        fast: dict[str, Match] = {}
        plain: dict[str, Match] = {}
        for text in group:
            assert lex.match(text, fast) == reference_match(text, plain), text
        assert fast == plain


def test_the_matcher_reads_as_rule_one_word_by_word() -> None:
    assert_matches_as_read_word_by_word(lexicon())
    # a dropped word is never read, not even as an abbreviation shaped like it
    assert lexicon().match("THE end", {"the": Match(CAR, "THE")}) == []


def test_the_matcher_reads_the_same_when_its_word_cache_starts_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as handle:
        fresh = Lexicon(json.load(handle))
    monkeypatch.setattr(subjects_module, "SEEN_LIMIT", 3)  # emptied inside most texts
    assert_matches_as_read_word_by_word(fresh)
    assert len(fresh._seen) <= 3


def test_an_abbreviation_made_of_a_labels_initials_names_its_concept() -> None:
    text = (
        "Recalling its resolutions on the Central African Republic (CAR),",
        "Calls upon the CAR authorities;",
    )
    res = resolution(None, pre(text[0]), op(text[1]), op("Decides that the CAR shall report;"))
    [subject] = resolution_subjects(res)
    assert subject.concept == CAR
    assert subject.words == ("Central African Republic", "CAR")
    # "UNMIS" stands for "United Nations Mission in the Sudan", not for SUDAN.
    res = resolution(
        None,
        pre("the United Nations Mission in the Sudan (UNMIS),"),
        op("Decides that UNMIS shall report;"),
        op("Requests UNMIS to assist;"),
    )
    assert [s.concept for s in resolution_subjects(res)] == []


def test_every_descriptor_has_an_english_label_and_most_have_six() -> None:
    lex = lexicon()
    descriptors = [c for c in lex.concepts.values() if c.is_descriptor]
    assert len(descriptors) > 7000
    assert all(c.labels[0] for c in descriptors)
    incomplete = [c.id for c in lex.concepts.values() if not all(c.labels)]
    assert len(incomplete) <= 3, incomplete  # source gaps: ANTIMICROBIAL RESISTANCE, ...
    assert lex.languages == LANGUAGES


# --- selection and weights -------------------------------------------------------------------


def test_where_a_concept_is_named_decides_its_weight() -> None:
    res = resolution(
        "Measures to eliminate terrorism",
        op("Condemns terrorism;"),
        op("Calls upon States to cooperate against terrorism;"),
        pre("Recalling the Treaty on the Non-Proliferation of Nuclear Weapons,"),
    )
    [subject] = [s for s in resolution_subjects(res) if s.concept == TERRORISM]
    assert subject.weight == weight_of(3 + 1 * 1.584962500721156)  # title, two paragraphs
    assert [e.place for e in subject.evidence] == ["title", "para_1", "para_2"]
    assert weight_of(3) == 0.646
    # One preambular paragraph is not enough for NUCLEAR WEAPONS; two operative ones would be.
    assert "1004520" not in {s.concept for s in resolution_subjects(res)}


def test_a_single_paragraph_is_not_enough_but_two_are() -> None:
    one = resolution(None, op("Condemns terrorism;"), op("Decides to remain seized;"))
    two = resolution(None, op("Condemns terrorism;"), op("Condemns terrorism again;"))
    assert resolution_subjects(one) == ()
    assert [s.concept for s in resolution_subjects(two)] == [TERRORISM]


def test_the_most_specific_concept_is_preferred() -> None:
    res = resolution(
        "Nuclear disarmament",
        op("Calls for nuclear disarmament;"),
        op("Welcomes progress in disarmament;"),
    )
    found = [s.concept for s in resolution_subjects(res)]
    assert NUCLEAR_DISARMAMENT in found
    assert DISARMAMENT not in found  # broader, and named less
    # The broader concept stays when it has more evidence of its own than the narrower one.
    res = resolution(
        "General and complete disarmament",
        op("Welcomes progress in disarmament;"),
        op("Stresses disarmament;"),
        op("Recalls nuclear disarmament;"),
    )
    assert DISARMAMENT in {s.concept for s in resolution_subjects(res)}


def test_a_national_group_is_not_assigned_beside_its_country() -> None:
    res = resolution(
        "The situation in the Sudan",
        op("Calls upon the Sudanese parties;"),
        op("Urges the Sudanese authorities;"),
        op("Supports the Sudan;"),
    )
    found = {s.concept for s in resolution_subjects(res)}
    assert SUDAN in found and SUDANESE not in found


def test_at_most_eight_subjects_a_resolution_and_three_a_paragraph() -> None:
    words = (
        "terrorism, tuberculosis, outer space, climate change, refugees, landlocked developing "
        "countries, nuclear energy, indigenous peoples, trafficking in persons, human rights, "
        "desertification and the law of the sea"
    )
    res = resolution(f"On {words}", op(f"Considers {words};"), op(f"Decides on {words};"))
    found = assign(res)
    work = [s for s in found if s.target is None]
    assert len(work) == MAX_PER_RESOLUTION
    assert [s.weight for s in work] == sorted((s.weight for s in work), reverse=True)
    for eid in ("para_1", "para_2"):
        assert len([s for s in found if s.target == eid]) == MAX_PER_PARAGRAPH


def test_paragraphs_are_about_the_resolutions_subjects_they_name() -> None:
    res = resolution(
        "Terrorism",
        op("Condemns terrorism;"),
        op("Notes the report on tuberculosis;"),
        op("Decides to remain seized;"),
    )
    found = assign(res)
    assert [(s.target, s.concept) for s in found] == [(None, TERRORISM), ("para_1", TERRORISM)]


def test_security_council_derived_titles_are_not_read() -> None:
    res = Resolution(
        "S/RES/1663(2006)", "un-sc", "resolution", "1663", "Resolution 1663 (2006)", True
    )
    assert assign(res) == ()


def test_agenda_item_titles_count_as_a_place() -> None:
    res = Resolution(
        "A/RES/58/1",
        "un-ga",
        "resolution",
        "58/1",
        None,
        session=Session("58"),
        agenda_items=(AgendaItem("108", "Crime prevention and criminal justice"),),
    )
    found = {s.label: s for s in resolution_subjects(res)}
    assert set(found) == {"CRIME PREVENTION", "CRIMINAL JUSTICE"}
    assert found["CRIME PREVENTION"].evidence[0].place == "agenda:108"


# --- the corpus: determinism, speed, RDF ----------------------------------------------------


@cache
def converted(path: Path) -> tuple[Resolution, ...]:
    try:
        return tuple(parse_file(path))
    except LdexportError:
        return ()


def documents() -> Iterator[tuple[Path, Resolution]]:
    for path in DOCUMENTS:
        for res in converted(path):
            yield path, res


def test_assignments_are_deterministic() -> None:
    [res] = converted(SEED)
    [again] = parse_file(SEED)
    assert assign(res) == assign(again)
    first, second = new_graph(), new_graph()
    add_subjects(first, res, IRIS)
    add_subjects(second, again, IRIS)
    assert to_turtle(first) == to_turtle(second)


def test_the_lexicon_is_small_and_only_the_uns_labels() -> None:
    assert LEXICON_PATH.stat().st_size < 1_000_000
    folder = LEXICON_PATH.parent
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "unbis.json.gz"]
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    assert len(data["aliases"]) <= 5  # the project's own forms, listed in the README
    for key, labels, _broader, forms in data["concepts"]:
        words = set((labels[0] or "").replace("-", " ").replace("(", " ").replace(")", " ").split())
        for form in forms:  # derived forms reuse the label's words (and "OF")
            rest = set(form.replace("-", " ").split()) - words - {"OF"}
            joined = {w for w in rest if w in (labels[0] or "").replace("-", "")}
            assert rest <= joined | {w.rstrip("S") for w in words}, (key, form)


def test_the_lexicon_is_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    source = Path("/work/shared/reference/unbis/unbis_concepts_6lang_DERIVED.ttl")
    if not source.is_file():
        pytest.skip("the reference file is not available here")
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_unbis_lexicon", Path(__file__).parent.parent / "scripts" / "build_unbis_lexicon.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = tmp_path / "unbis.json.gz"
    module.main(["--source", str(source), "--target", str(target)])
    assert target.read_bytes() == LEXICON_PATH.read_bytes()


def subject_graph(res: Resolution) -> Graph:
    graph = to_graph(res, IRIS)
    add_subjects(graph, res, IRIS)
    return graph


def test_the_seed_graph_has_evidence_nodes_and_six_language_labels() -> None:
    [res] = converted(SEED)
    graph = subject_graph(res)
    work = URIRef(IRIS.work(res.symbol))
    subjects = set(graph.objects(work, ELI.is_about))
    assert len(subjects) == len(resolution_subjects(res)) and URIRef(UNBIS + TERRORISM) in subjects
    for subject in subjects:
        node = URIRef(f"{work}#subject_{str(subject)[len(UNBIS) :]}")
        assert (node, RDF.type, LDX.SubjectAssignment) in graph
        assert graph.value(node, LDX.assignedTo) == work
        assert graph.value(node, LDX.concept) == subject
        weight = graph.value(node, LDX.weight)
        assert isinstance(weight, Literal) and weight.datatype == DECIMAL
        assert Decimal(0) < weight.toPython() < Decimal(1)
        assert all(t.language == "en" for t in graph.objects(node, LDX.matchedText))
        places = set(graph.objects(node, LDX.matchedIn))
        assert places and all((p, None, None) in graph for p in places), "places are described"
        labels = {lbl.language: str(lbl) for lbl in graph.objects(subject, SKOS.prefLabel)}
        assert set(labels) == set(LANGUAGES), subject
        assert list(graph.objects(subject, SKOS.inScheme))
    expression = URIRef(IRIS.expression(res.symbol))
    title_node = URIRef(f"{work}#subject_{TERRORISM}")
    assert (title_node, LDX.matchedIn, expression) in graph  # the title
    assert (title_node, LDX.matchedText, Literal("terrorism", lang="en")) in graph
    terrorism = URIRef(UNBIS + TERRORISM)
    assert (terrorism, SKOS.prefLabel, Literal("TERRORISME", lang="fr")) in graph
    assert (terrorism, SKOS.prefLabel, Literal("恐怖主义", lang="zh")) in graph
    for broader in graph.objects(terrorism, SKOS.broader):
        assert (broader, RDF.type, SKOS.Concept) in graph
        assert graph.value(broader, SKOS.prefLabel) is not None


def test_describe_false_leaves_the_concepts_to_a_shared_graph() -> None:
    [res] = converted(SEED)
    graph = new_graph()
    add_subjects(graph, res, IRIS, describe=False)
    terrorism = URIRef(UNBIS + TERRORISM)
    assert set(graph.objects(terrorism, SKOS.prefLabel)) == {Literal("TERRORISM", lang="en")}
    assert not list(graph.objects(terrorism, SKOS.broader))
    shared = concepts_graph([TERRORISM])
    assert len(set(shared.objects(terrorism, SKOS.prefLabel))) == 6


def _clear_validate_caches() -> None:
    for value in vars(validate_module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@pytest.fixture
def subject_shapes() -> Iterator[None]:
    """Validate with shapes/subjects.shacl.ttl too, whether or not validate.py lists it yet."""
    original = validate_module.DOCUMENT_SHAPES
    if "subjects.shacl.ttl" not in original:
        validate_module.DOCUMENT_SHAPES = (*original, "subjects.shacl.ttl")
        _clear_validate_caches()
    yield
    if original != validate_module.DOCUMENT_SHAPES:
        validate_module.DOCUMENT_SHAPES = original
        _clear_validate_caches()


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_document_with_subjects_conforms(path: Path, subject_shapes: None) -> None:
    resolutions = converted(path)
    if not resolutions:
        pytest.skip(f"{path.name} is not converted by the pipeline")
    for res in resolutions:
        plain = to_graph(res, IRIS)
        before = set(validate_module.validate(plain, res.symbol).lines())
        graph = subject_graph(res)
        after = validate_module.validate(graph, res.symbol)
        assert set(after.lines()) <= before, "\n".join(sorted(set(after.lines()) - before))
        assert undefined_terms(graph) == set()
        work = URIRef(IRIS.work(res.symbol))
        subjects = set(graph.objects(work, ELI.is_about))
        assert len(subjects) <= MAX_PER_RESOLUTION
        # What shapes leave to construction: a paragraph is about a subject of the work whose
        # assignment lists the paragraph.
        for part, _, concept in graph.triples((None, ELI.is_about, None)):
            if part == work:
                continue
            node = URIRef(f"{work}#subject_{str(concept)[len(UNBIS) :]}")
            assert (node, LDX.matchedIn, part) in graph, (part, concept)
            assert graph.value(part, ELI.type_subdivision) == LDX.OperativeParagraph


# --- library records -------------------------------------------------------------------------


def test_marc_650_and_883_for_the_seed() -> None:
    [res] = converted(SEED)
    fields = marc_subject_fields(res)
    subjects = [f for f in fields if f.tag == "650"]
    provenance = [f for f in fields if f.tag == "883"]
    assert len(subjects) == len(provenance) == len(resolution_subjects(res))
    first = subjects[0]
    assert (first.indicator1, first.indicator2) == (" ", "7")
    assert first.subfields_as_dict() == {
        "8": ["1\\p"],
        "a": ["TERRORISM"],
        "2": ["unbist"],
        "0": [UNBIS + TERRORISM],
    }
    assert provenance[0].indicator1 == "0"  # machine-generated
    assert provenance[0]["8"] == "1\\p" and provenance[0]["c"] == "0.945"
    record = to_marc(res, IRIS)
    data = marcxml([record])
    assert validate_marcxml(data) == []
    [again] = read_marcxml(data)
    assert [f["a"] for f in again.get_fields("650")] == [f["a"] for f in subjects]


def test_dublin_core_subjects_are_the_english_labels() -> None:
    [res] = converted(SEED)
    assert dc_subjects(res) == [s.label for s in resolution_subjects(res)]
    assert dc_subjects(resolution(None)) == []


# --- the judged reading (tests/golden/subjects) ---------------------------------------------


def golden_files() -> list[Path]:
    return sorted(p for p in SUBJECTS.rglob("*.yaml") if p.name != "titles.yaml")


def test_every_development_resolution_is_judged() -> None:
    judged = {yaml.safe_load(p.read_text())["symbol"] for p in golden_files()}
    corpus = {res.symbol for path, res in documents() if CORPUS in path.parents}
    assert corpus <= judged, sorted(corpus - judged)


@pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.stem)
def test_golden_subjects_are_well_formed(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    lex = lexicon()
    assert set(data) <= {"symbol", "sources", "notes", "subjects", "missing"}
    for entry in [*data["subjects"], *data.get("missing", [])]:
        concept = lex.concepts[str(entry["concept"])]
        assert concept.label == entry["label"]
    assert all(isinstance(e["right"], bool) for e in data["subjects"])
    folder = CORPUS / path.parent.relative_to(SUBJECTS)
    assert all((folder / source).is_file() for source in data["sources"])


def test_precision_on_the_judged_reading() -> None:
    """Most of what is assigned is judged, and at least 60% of the judged subjects are right
    (scripts/evaluate_subjects.py gives the full numbers; README.md reports them)."""
    right = wrong = unjudged = 0
    for path in golden_files():
        data = yaml.safe_load(path.read_text())
        verdicts = {str(e["concept"]): e["right"] for e in data["subjects"]}
        folder = CORPUS / path.parent.relative_to(SUBJECTS)
        [res] = converted(folder / data["sources"][0])
        for subject in resolution_subjects(res):
            verdict = verdicts.get(subject.concept)
            right += verdict is True
            wrong += verdict is False
            unjudged += verdict is None
    assert unjudged <= 0.2 * (right + wrong + unjudged)
    assert right / (right + wrong) >= 0.6


def test_the_subjects_of_a_resolution_are_kept_by_identity_and_never_mixed_up() -> None:
    """RDF, MARC and Dublin Core each ask for a resolution's subjects: the second asker gets
    what the first was given; an equal copy gets equal subjects; past the cache's bound
    (64 resolutions), every resolution still gets its own."""
    from dataclasses import replace

    [res] = parse_file(DOCUMENTS[0])
    first = assign(res)
    assert first and assign(res) is first
    copy = replace(res)
    assert copy is not res and assign(copy) == first
    other = copy_module.copy(lexicon())  # another lexicon: computed again, not mixed up
    assert assign(res, other) is not first and assign(res, other) == first
    assert assign(res) == first
    titles = [f"Human rights and {word}" for word in ("refugees", "disarmament", "fisheries")]
    many = [
        resolution(titles[i % 3], (Kind.OPERATIVE, f"{titles[i % 3]}, {i}.")) for i in range(150)
    ]
    got = [assign(r) for r in many]
    for r, subjects in zip(many, got, strict=True):
        assert assign(r) == subjects == assign(replace(r))
    assert len({tuple(a.concept for a in subjects) for subjects in got}) == 3
