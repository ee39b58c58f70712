"""Votes graphs in the dataset (`ldexport votes`, issue 8): added all or nothing, only the
shards that hold them rewritten, kept and checked again when the text is published again."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ldexport.dataset import publish_dataset, validate_catalog
from ldexport.iris import Iris
from ldexport.manifest import read_manifest, verify
from ldexport.settings import Settings
from ldexport.votes_cli import run

from .dataset_support import ROOT

UNITE_1590 = ROOT / "tests" / "data" / "votes" / "votes_1590.xml"
UNDL = ROOT / "tests" / "data" / "gold" / "undl" / "A_RES_78_264_votingrecord_marcxml.xml"


def inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def first(sources: Path, tmp_path: Path) -> Path:
    out = tmp_path / "output"
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert result.exit_status == 0
    (out / "README.md").write_text("the user's own file\n")
    return out


def record_of_58_136(tmp_path: Path, meeting: str) -> Path:
    """The Digital Library record of A/RES/78/264 turned into one of A/RES/58/136 at the given
    meeting: a test of the meeting rule, not data (the votes are those of 78/264)."""
    text = UNDL.read_text().replace("A/RES/78/264", "A/RES/58/136")
    text = text.replace("A/78/PV.62", meeting).replace("2024-03-15", "2003-12-22")
    path = tmp_path / "record_58_136.xml"
    path.write_text(text)
    return path


def test_adding_votes_rewrites_only_their_shard(first: Path) -> None:
    before = inodes(first)
    assert run([UNITE_1590], first, quiet=True) == 0
    after = inodes(first)
    changed = {rel for rel in before if rel in after and before[rel] != after[rel]}
    shards = {rel for rel in changed if rel.startswith("dumps/shards/")}
    assert shards and all(rel.startswith("dumps/shards/sc-2005.") for rel in shards)
    for rel in before:
        if rel.endswith((".ttl", ".json")) and "/" not in rel and rel[0] in "AS":
            assert after[rel] == before[rel], rel  # documents carried over, not rewritten
    manifest = read_manifest(first)
    assert manifest is not None
    assert manifest.shards["sc-2005"].votes == ["S_RES_1590_2005"]
    assert manifest.shards["sc-2005"].documents == ["S_RES_1590_2005"]
    assert verify(first) == []
    assert validate_catalog(Graph().parse(first / "catalog.ttl")) == []
    assert (first / "README.md").read_text() == "the user's own file\n"


def test_a_second_publish_keeps_votes_and_reuses_their_shard(sources: Path, first: Path) -> None:
    assert run([UNITE_1590], first, quiet=True) == 0
    before = inodes(first)
    result = publish_dataset(sorted(sources.iterdir()), first, Iris(), Settings())
    assert result.exit_status == 0 and result.outcomes == []
    after = inodes(first)
    for rel in ("S_RES_1590_2005.votes.ttl", "dumps/shards/sc-2005.nq"):
        assert after[rel] == before[rel], rel
    manifest = read_manifest(first)
    assert manifest is not None and list(manifest.votes) == ["S_RES_1590_2005"]
    assert verify(first) == []


def test_votes_that_no_longer_agree_with_the_text_are_left_out(
    sources: Path, first: Path, tmp_path: Path
) -> None:
    assert run([record_of_58_136(tmp_path, "A/58/PV.77")], first, quiet=True) == 0
    text = sources / "A_RES_58_136.txt"
    text.write_text(text.read_text().replace("77th plenary meeting", "78th plenary meeting"))
    result = publish_dataset(sorted(sources.iterdir()), first, Iris(), Settings())
    assert result.exit_status == 1
    problems = [line for o in result.outcomes for line in o.problems]
    assert any("A/58/PV.77" in line and "A/58/PV.78" in line for line in problems), problems
    manifest = read_manifest(first)
    assert manifest is not None and manifest.votes == {}
    assert not (first / "A_RES_58_136.votes.ttl").exists()
    assert verify(first) == []


def test_a_record_at_another_meeting_than_the_text_is_refused(first: Path, tmp_path: Path) -> None:
    assert run([record_of_58_136(tmp_path, "A/58/PV.76")], first, quiet=True) == 1
    manifest = read_manifest(first)
    assert manifest is not None and manifest.votes == {}


def test_a_new_base_iri_drops_votes_with_a_warning(sources: Path, first: Path) -> None:
    assert run([UNITE_1590], first, quiet=True) == 0
    result = publish_dataset(
        sorted(sources.iterdir()), first, Iris("http://example.org/"), Settings()
    )
    assert any("votes graph(s)" in w for w in result.warnings)
    manifest = read_manifest(first)
    assert manifest is not None and manifest.votes == {}


def test_adding_votes_keeps_the_failed_sources(sources: Path, tmp_path: Path) -> None:
    """A source that failed is reported again by the next publish, not converted again,
    whether or not votes were added in between."""
    from ldexport.convert import Converted, convert_file

    (sources / "broken.txt").write_bytes(b"")
    out = tmp_path / "output"
    first = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert first.failed == 1
    assert run([UNITE_1590], out, quiet=True) == 0
    manifest = read_manifest(out)
    assert manifest is not None and len(manifest.failed) == 1
    assert list(manifest.problems) == [line for o in first.outcomes for line in o.problems]
    converted: list[Path] = []

    def convert(path: Path, iris: Iris) -> list[Converted]:
        converted.append(path)
        return convert_file(path, iris)

    again = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings(), convert=convert)
    assert converted == [] and again.failed == 1
