"""Recorded votes (issue 8): the readers on the real records, the Member State table, the
votes graph and its shapes, `ldexport votes` on a published output, and the query of
docs/votes.md on the bundled examples and voting records."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from dataset.dataset_support import corpus_nquads
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.load import dataset_graphs
from ldexport.manifest import read_manifest, verify
from ldexport.namespaces import ELI, ELI_DL, LDX, ORG, SKOS
from ldexport.resources import data_dir
from ldexport.settings import Settings
from ldexport.validate import DOCUMENT_SHAPES
from ldexport.votes import (
    UNITEIDEAS,
    Linked,
    read_undl,
    read_uniteideas,
    read_voeten,
    read_votes,
    serialise,
    states,
    validate_votes,
    validate_votes_file,
    voeten_symbol,
    votes_graph,
)
from ldexport.votes_cli import votes as votes_command

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
UNDL = DATA / "gold" / "undl" / "A_RES_78_264_votingrecord_marcxml.xml"
VOETEN = [
    DATA / "gold" / "voeten_unvotes" / "descriptions1-70latestversion.csv",
    DATA / "gold" / "voeten_unvotes" / "un_roll_calls.csv",
]
UNITE = sorted((DATA / "votes").glob("votes_*.xml"))
CASES = ROOT / "tests" / "shapes" / "cases" / "votes"
SHAPES_NS = "https://w3id.org/ldexport/shapes#"
EXAMPLES = [
    ROOT / "examples" / name
    for name in (
        "A_RES_58_136.txt",
        "A_RES_61_295.md",
        "S_RES_1590_2005.txt",
        "S_RES_1663_2006.txt",
        "S_RES_1709_2006.txt",
        "S_RES_1755_2007.txt",
    )
]


# --- readers --------------------------------------------------------------------------------------


def test_undl_record_counts_equal_its_totals() -> None:
    [record] = read_undl(UNDL)
    assert record.symbol == "A/RES/78/264"
    assert record.date == "2024-03-15"
    assert record.meeting_record == "A/78/PV.62"
    assert record.drafts == ("A/78/L.48",)
    assert record.record_url == "https://digitallibrary.un.org/record/4040686"
    assert len(record.voters) == 193
    counts = {k: record.count(k) for k in ("favor", "against", "abstention", "non-voting")}
    assert counts == {"favor": 115, "against": 0, "abstention": 44, "non-voting": 34}
    t = record.totals
    assert (t.favor, t.against, t.abstention, t.non_voting, t.membership) == (115, 0, 44, 34, 193)
    assert dict(record.voters)["ALB"] == "favor"
    assert dict(record.voters)["AND"] == "abstention"
    assert dict(record.voters)["AFG"] == "non-voting"
    assert record.warnings == ()


def test_voeten_row_of_a_dev_corpus_resolution() -> None:
    records, _warnings = read_voeten(VOETEN)
    [record] = [r for r in records if r.symbol == "A/RES/61/295"]
    assert (record.totals.favor, record.totals.against, record.totals.abstention) == (143, 4, 11)
    assert record.date == "2007-09-13"
    assert record.voters == ()
    assert "rcid 4753" in record.source


@pytest.mark.parametrize(
    ("unres", "session", "symbol"),
    [
        ("R/61/295", "61", "A/RES/61/295"),
        ("A/RES/74/19", "74.0", "A/RES/74/19"),
        ("R/42/209/A", "42", "A/RES/42/209A"),
        ("R/32/105M", "32", "A/RES/32/105M"),
        ("R/14/746B", "14", None),  # before session 31: numbers are not the resolutions'
        ("R/25/2749B", "25", None),
        ("R/50/38B/I", "50", None),  # a part of a resolution
        ("ESS/5/100", "5", None),
        ("R/61/295", "62", None),  # session and unres disagree
    ],
)
def test_voeten_symbols(unres: str, session: str, symbol: str | None) -> None:
    assert voeten_symbol(unres, session) == symbol


def test_voeten_per_country_table_is_read_with_its_roll_calls(tmp_path: Path) -> None:
    """The unvotes layout (rcid, country, country_code, vote). A format fixture written here:
    the four States that voted against A/RES/61/295, and a code that is not a State."""
    table = tmp_path / "un_votes.csv"
    table.write_text(
        "rcid,country,country_code,vote\n"
        "4753,United States,US,no\n4753,Canada,CA,no\n4753,Australia,AU,no\n"
        "4753,New Zealand,NZ,no\n4753,Taiwan,TW,yes\n"
    )
    records, warnings = read_voeten([*VOETEN, table])
    [record] = [r for r in records if r.symbol == "A/RES/61/295"]
    assert record.voters == (
        ("AUS", "against"),
        ("CAN", "against"),
        ("NZL", "against"),
        ("USA", "against"),
    )
    assert any("'TW'" in w for w in warnings)


def test_uniteideas_votes() -> None:
    record = read_uniteideas(DATA / "votes" / "votes_1706.xml")
    assert record.sc_number == "1706"
    assert len(record.voters) == 15
    assert sorted(s for s, k in record.voters if k == "abstention") == ["CHN", "QAT", "RUS"]
    assert record.total("favor") == 12 and record.total("against") == 0


def test_every_uniteideas_file_has_fifteen_mapped_members() -> None:
    for path in UNITE:
        record = read_uniteideas(path)
        assert len(record.voters) == 15 and record.warnings == (), path.name


# --- Member States --------------------------------------------------------------------------------


def test_state_table_holds_the_193_members_as_the_digital_library_names_them() -> None:
    table = states()
    [record] = read_undl(UNDL)
    codes = {code for code, _ in record.voters}
    assert len(codes) == 193
    current = {s.iso3 for s in table.states if s.undl_name}
    assert current == codes
    assert {s.iso3 for s in table.states} >= {"SUN", "YUG", "CSK", "DDR", "ZAR", "YMD", "SCG"}
    assert set(UNITEIDEAS.values()) <= codes
    assert table.by_iso3["TUR"].un_name == "Türkiye"
    assert table.by_iso3["BOL"].un_name == "Bolivia (Plurinational State of)"
    assert table.by_iso3["GBR"].un_name == "United Kingdom of Great Britain and Northern Ireland"


@pytest.mark.parametrize(
    ("system", "code", "date", "iso3"),
    [
        ("cow", "365", "1980-01-01", "SUN"),
        ("cow", "365", "2000-01-01", "RUS"),
        ("cow", "345", "1980-01-01", "YUG"),
        ("cow", "345", "2004-01-01", "SCG"),
        ("cow", "345", "2010-01-01", "SRB"),
        ("cow", "490", "1985-01-01", "ZAR"),
        ("cow", "490", "1965-01-01", "COD"),
        ("cow", "490", "2005-01-01", "COD"),
        ("cow", "265", "1980-01-01", "DDR"),
        ("cow", "260", "1980-01-01", "DEU"),
        ("cow", "255", "2000-01-01", "DEU"),
        ("cow", "713", "1960-01-01", "CHN"),
        ("cow", "2.0", None, "USA"),
        ("cow", "680", "1980-01-01", "YMD"),
        ("cow", "678", "1980-01-01", "YEM"),
        ("iso2", "CS", "1990-01-01", "CSK"),
        ("iso2", "CS", "2004-01-01", "SCG"),
        ("iso2", "SU", "1970-01-01", "SUN"),
        ("iso3", "COD", "1980-01-01", "ZAR"),
        ("iso3", "RUS", "1970-01-01", "SUN"),
        ("iso3", "FRA", "1950-01-01", "FRA"),
        ("name", "TÜRKİYE", None, "TUR"),
        ("name", "Cote d'Ivoire", None, "CIV"),
        ("name", "UNITED KINGDOM", None, "GBR"),
        ("name", "Union of Soviet Socialist Republics", "1970-01-01", "SUN"),
    ],
)
def test_codes_map_to_states_by_date(system: str, code: str, date: str | None, iso3: str) -> None:
    lookup = getattr(states(), system)
    assert lookup(code, date).iso3 == iso3


@pytest.mark.parametrize(
    ("system", "code", "date"), [("cow", "713", "1990-01-01"), ("iso2", "TW", None)]
)
def test_codes_that_name_no_member_are_not_mapped(system: str, code: str, date: str | None) -> None:
    with pytest.raises(KeyError):
        getattr(states(), system)(code, date)


# --- the votes graph ------------------------------------------------------------------------------


def undl_graph() -> Graph:
    [record] = read_undl(UNDL)
    return votes_graph(Linked(record, record.symbol, None), Iris())


def test_votes_graph_of_a_digital_library_record() -> None:
    g = undl_graph()
    vote = URIRef("http://localhost:8000/doc/A/RES/78/264#vote")
    adoption = URIRef("http://localhost:8000/doc/A/RES/78/264#adoption")
    assert (vote, RDF.type, ELI_DL.Vote) in g
    assert (adoption, ELI_DL.consists_of, vote) in g
    assert str(g.value(vote, ELI_DL.number_of_votes_favor)) == "115"
    assert str(g.value(vote, LDX.numberOfVotesNonVoting)) == "34"
    assert len(set(g.objects(vote, ELI_DL.had_voter_abstention))) == 44
    alb = URIRef("http://localhost:8000/org/state/ALB")
    assert (vote, ELI_DL.had_voter_favor, alb) in g
    assert {ELI.Organization, ORG.Organization} <= set(g.objects(alb, RDF.type))
    assert str(g.value(alb, SKOS.notation)) == "ALB"
    assert str(g.value(alb, SKOS.prefLabel)) == "Albania"
    record = URIRef("http://localhost:8000/doc/A/78/PV.62")
    assert (vote, ELI_DL.recorded_in_a_realization_of, record) in g
    assert not any(isinstance(n, BNode) for t in g for n in t)
    assert validate_votes(g, None, "A/RES/78/264").conforms


def test_votes_files_are_deterministic() -> None:
    first, second = serialise(undl_graph()), serialise(undl_graph())
    assert first == second
    assert (
        Graph()
        .parse(data=first["ttl"], format="turtle")
        .isomorphic(Graph().parse(data=first["jsonld"], format="json-ld"))
    )


def test_votes_shapes_say_nothing_about_documents_without_votes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = publish_dataset(EXAMPLES[:1] + EXAMPLES[2:3], out, Iris(), Settings())
    assert result.exit_status == 0
    for name in ("A_RES_58_136", "S_RES_1590_2005"):
        document = Graph().parse(out / f"{name}.ttl")
        assert validate_votes(Graph(), document, name).conforms
    assert "votes.shacl.ttl" not in DOCUMENT_SHAPES


# --- the shapes, case by case (tests/shapes/cases/votes/README.md) --------------------------------


def directives(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        if m := re.match(r"#\s*(base|also|message):\s*(.+)$", line):
            found[m[1]] = m[2].strip()
    return found


def load_case(path: Path) -> Graph:
    if path.suffix == ".ttl":
        return Graph().parse(path, format="turtle")
    graph = load_case(path.parent / directives(path)["base"])
    changes = Dataset()
    changes.parse(path, format="trig")
    for triple in changes.graph(URIRef("urn:ldexport:test:delete")):
        assert triple in graph, f"{path.name}: removes a triple its base does not have: {triple}"
        graph.remove(triple)
    for triple in changes.default_graph:
        graph.add(triple)
    return graph


def shape_name(node: object) -> str:
    text = str(node)
    return text[len(SHAPES_NS) :] if text.startswith(SHAPES_NS) else text


CASE_FILES = sorted(p for p in CASES.iterdir() if p.suffix in {".ttl", ".trig"})


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_votes_case(path: Path) -> None:
    report = validate_votes(load_case(path), None, path.name)
    if path.name.startswith("ok_"):
        assert report.conforms, "\n".join(report.lines())
        return
    m = re.match(r"bad_([A-Za-z]+)_", path.name)
    assert m, path.name
    fired = {shape_name(p.shape) for p in report.problems}
    assert m[1] in fired, "\n".join(report.lines())
    assert fired <= {m[1], *directives(path).get("also", "").split()}, "\n".join(report.lines())
    if fragment := directives(path).get("message"):
        assert any(fragment in line for line in report.lines()), report.lines()


def test_every_votes_shape_is_named_explained_and_has_a_violating_case() -> None:
    graph = Graph().parse(data_dir("shapes") / "votes.shacl.ttl")
    shapes = {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)
    }
    assert len(shapes) >= 14
    covered = {m[1] for p in CASE_FILES if (m := re.match(r"bad_([A-Za-z]+)_", p.name))}
    for shape in shapes:
        assert graph.value(shape, SH.name) and graph.value(shape, SH.severity) == SH.Violation
        messages = [graph.value(shape, SH.message)] + [
            graph.value(c, SH.message) for c in graph.objects(shape, SH.sparql)
        ]
        assert any(m is not None for m in messages), shape
        assert shape_name(shape) in covered, f"{shape_name(shape)} has no bad_ case"


# --- ldexport votes on a published output ---------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("votes") / "output"
    result = publish_dataset(EXAMPLES, out, Iris(), Settings())
    assert result.exit_status == 0
    return out


def import_votes(out: Path, *extra: str) -> tuple[int, str]:
    args = [str(p) for p in (*UNITE, UNDL, VOETEN[0])] + ["-o", str(out), *extra]
    result = CliRunner().invoke(votes_command, args)
    return result.exit_code, result.output


@pytest.fixture
def with_votes(published: Path, tmp_path: Path) -> Path:
    out = tmp_path / "output"
    shutil.copytree(published, out)
    code, output = import_votes(out)
    assert code == 0, output
    return out


def test_votes_are_linked_to_published_resolutions(with_votes: Path) -> None:
    manifest = read_manifest(with_votes)
    assert manifest is not None
    assert sorted(v.symbol for v in manifest.votes.values()) == [
        "A/RES/61/295",
        "S/RES/1590(2005)",
        "S/RES/1663(2006)",
        "S/RES/1755(2007)",
    ]
    entry = manifest.votes["S_RES_1663_2006"]
    assert entry.graph == "http://localhost:8000/graph/S_RES_1663_2006/votes"
    assert entry.shard == manifest.documents["S_RES_1663_2006"].shard == "sc-2006"
    assert (with_votes / "S_RES_1663_2006.votes.ttl").is_file()
    assert (with_votes / "S_RES_1663_2006.votes.jsonld").is_file()
    assert verify(with_votes) == []
    report = (with_votes / "validation-report.txt").read_text()
    assert "votes: S/RES/1663(2006): conforms" in report


def test_votes_are_in_the_dumps_and_the_catalogue(with_votes: Path) -> None:
    corpus = corpus_nquads(with_votes)
    assert "<http://localhost:8000/graph/S_RES_1663_2006/votes>" in corpus
    shard = (with_votes / "dumps" / "shards" / "sc-2006.trig").read_text()
    assert "graph/S_RES_1663_2006/votes" in shard
    catalog = (with_votes / "catalog.ttl").read_text()
    assert "catalog#votes" in catalog
    assert "graph/S_RES_1663_2006/votes" in (with_votes / "provenance.ttl").read_text()


def test_importing_again_gives_the_same_files(with_votes: Path) -> None:
    before = {p.name: p.read_bytes() for p in with_votes.glob("*.votes.*")}
    code, output = import_votes(with_votes)
    assert code == 0, output
    after = {p.name: p.read_bytes() for p in with_votes.glob("*.votes.*")}
    assert before == after


def test_votes_survive_publishing_the_text_again(with_votes: Path, tmp_path: Path) -> None:
    source = tmp_path / "S_RES_1663_2006.txt"
    source.write_text(EXAMPLES[3].read_text().replace("Decides", "Decides also", 1))
    inputs = [*(p for p in EXAMPLES if p.name != source.name), source]
    result = publish_dataset(inputs, with_votes, Iris(), Settings())
    assert result.exit_status == 0, result.manifest.problems
    assert [o.path for o in result.outcomes] == [str(source)]
    manifest = read_manifest(with_votes)
    assert manifest is not None and len(manifest.votes) == 4
    assert (with_votes / "S_RES_1663_2006.votes.ttl").is_file()
    assert verify(with_votes) == []
    assert (
        "votes: S/RES/1663(2006): conforms, kept"
        in (with_votes / "validation-report.txt").read_text()
    )
    graphs = {g.iri for g in dataset_graphs(with_votes)[1]}
    assert "http://localhost:8000/graph/S_RES_1663_2006/votes" in graphs


def test_a_votes_file_is_validated_with_its_document(with_votes: Path) -> None:
    report = validate_votes_file(with_votes / "S_RES_1663_2006.votes.ttl")
    assert report.conforms, report.lines()
    assert validate_votes_file(with_votes / "A_RES_61_295.votes.jsonld").conforms


def test_absent_resolutions_are_skipped_unless_asked(with_votes: Path) -> None:
    assert not (with_votes / "A_RES_78_264.votes.ttl").exists()
    code, output = import_votes(with_votes, "--include-absent")
    assert code == 0, output
    assert (with_votes / "A_RES_78_264.votes.ttl").is_file()
    manifest = read_manifest(with_votes)
    assert manifest is not None and manifest.votes["A_RES_78_264"].shard == "ga-session-78"
    assert verify(with_votes) == []


def test_a_vote_at_another_meeting_is_refused(published: Path, tmp_path: Path) -> None:
    """The meeting rule, end to end: a Digital Library record of A/RES/61/295 that names
    another meeting than the text's 107th is reported and not written; exit status 1."""
    out = tmp_path / "output"
    shutil.copytree(published, out)
    record = UNDL.read_text().replace("A/RES/78/264", "A/RES/61/295")
    record = record.replace("A/78/PV.62", "A/61/PV.106").replace("2024-03-15", "2007-09-13")
    path = tmp_path / "record.xml"
    path.write_text(record)
    result = CliRunner().invoke(votes_command, [str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert "A/61/PV.106" in result.output and "A/61/PV.107" in result.output
    assert not (out / "A_RES_61_295.votes.ttl").exists()


def test_no_output_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(votes_command, [str(UNDL), "-o", str(tmp_path / "none")])
    assert result.exit_code == 1 and "ldexport publish" in result.output


def test_read_votes_tells_the_formats_apart() -> None:
    records, _ = read_votes([UNDL, UNITE[0], *VOETEN])
    assert {r.source.split(" (")[0] for r in records} >= {UNDL.name, UNITE[0].name, VOETEN[0].name}


# --- the query of the README ----------------------------------------------------------------------


def documented_query() -> str:
    """The query the README shows (docs/votes.md explains it)."""
    text = (ROOT / "README.md").read_text()
    [query] = [q for q in re.findall(r"```sparql\n(.*?)```", text, flags=re.S) if "2334" in q]
    return str(query)


def run_query(out: Path, query: str) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(corpus_nquads(out), format=ox.RdfFormat.N_QUADS)
    rows = store.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return [tuple(str(term.value) for term in row) for row in rows]


def test_the_documented_query_on_the_bundled_data(with_votes: Path) -> None:
    query = documented_query()
    assert "<http://localhost:8000/doc/S/RES/2334(2016)>" in query
    assert run_query(with_votes, query) == []  # nothing bundled cites 2334 (2016): docs/votes.md
    rows = run_query(with_votes, query.replace("S/RES/2334(2016)", "S/RES/1590(2005)"))
    assert len(rows) == 30
    assert {r[0] for r in rows} == {"S/RES/1663(2006)", "S/RES/1755(2007)"}
    assert rows[0] == ("S/RES/1663(2006)", "ARG", "Argentina", "in favour")
    assert ("S/RES/1663(2006)", "COG", "Congo", "in favour") in rows
    assert rows[-1] == ("S/RES/1755(2007)", "ZAF", "South Africa", "in favour")
