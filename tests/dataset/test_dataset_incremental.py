"""Incremental publishing: unchanged documents and shards are reused, gone ones dropped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.manifest import read_manifest, verify
from ldexport.settings import Settings


def inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def first(sources: Path, tmp_path: Path) -> Path:
    out = tmp_path / "output"
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert len(result.outcomes) == 3 and result.exit_status == 0
    (out / "README.md").write_text("the user's own file\n")
    return out


def test_a_second_publish_reuses_everything(sources: Path, first: Path) -> None:
    before = inodes(first)
    result = publish_dataset(sorted(sources.iterdir()), first, Iris(), Settings())
    assert result.outcomes == [] and len(result.unchanged) == 3
    after = inodes(first)
    for rel in before:
        if (
            rel.endswith(".ttl")
            and "/" not in rel
            and rel not in ("catalog.ttl", "provenance.ttl", "ontology.ttl")
        ):
            assert after[rel] == before[rel], rel  # hard-linked, not rewritten
        if rel.startswith("dumps/shards/"):
            assert after[rel] == before[rel], rel
    assert verify(first) == []
    assert (first / "README.md").read_text() == "the user's own file\n"


def test_a_changed_source_rewrites_only_its_document_and_shard(sources: Path, first: Path) -> None:
    before = inodes(first)
    old = read_manifest(first)
    assert old is not None
    path = sources / "S_RES_1709_2006.txt"
    path.write_text(path.read_text().replace("Decides", "Decides also", 1))
    result = publish_dataset(sorted(sources.iterdir()), first, Iris(), Settings())
    assert [o.path for o in result.outcomes] == [str(path)]
    assert len(result.unchanged) == 2
    after = inodes(first)
    changed = {rel for rel in before if rel in after and before[rel] != after[rel]}
    assert "S_RES_1709_2006.ttl" in changed
    assert {rel for rel in changed if rel.startswith("dumps/shards/")} == {
        f"dumps/shards/sc-2006.{ext}" for ext in ("nq", "trig", "ttl", "jsonld")
    } | {f"dumps/shards/sc-2006.{ext}.gz" for ext in ("nq", "trig", "ttl", "jsonld")}
    assert "A_RES_58_136.ttl" not in changed and "S_RES_1590_2005.ttl" not in changed
    new = read_manifest(first)
    assert new is not None
    assert (
        new.documents["S_RES_1709_2006"].source_sha256
        != old.documents["S_RES_1709_2006"].source_sha256
    )
    assert "Decides also" in (first / "dumps/corpus.nq").read_text()
    assert verify(first) == []


def test_a_removed_source_drops_its_document(sources: Path, first: Path) -> None:
    (sources / "S_RES_1709_2006.txt").unlink()
    result = publish_dataset(sorted(sources.iterdir()), first, Iris(), Settings())
    assert result.removed == ["S/RES/1709(2006)"]
    assert not (first / "S_RES_1709_2006.ttl").exists()
    assert not (first / "dumps/shards/sc-2006.nq").exists()
    assert "S_RES_1709_2006" not in (first / "dumps/corpus.nq").read_text()
    assert "removed" in (first / "validation-report.txt").read_text()
    assert verify(first) == []


def test_a_new_base_iri_converts_everything_again(sources: Path, first: Path) -> None:
    result = publish_dataset(
        sorted(sources.iterdir()), first, Iris("https://data.example.org/"), Settings()
    )
    assert len(result.outcomes) == 3 and result.unchanged == []
    assert "https://data.example.org/graph/A_RES_58_136" in (first / "dumps/corpus.nq").read_text()


def test_a_bad_input_is_left_out_named_and_fails_the_exit_status(
    sources: Path, tmp_path: Path
) -> None:
    bad = sources / "broken.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert result.exit_status == 1
    assert len(result.manifest.documents) == 3
    report = (out / "validation-report.txt").read_text()
    assert "broken.txt" in report
    # a failure is not remembered as done: the next publish tries the file again
    again = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert [o.path for o in again.outcomes] == [str(bad)] and again.exit_status == 1


def test_an_input_inside_the_output_is_refused(sources: Path) -> None:
    from ldexport.manifest import PublishError

    with pytest.raises(PublishError, match="inside the output"):
        publish_dataset(sorted(sources.iterdir()), sources, Iris(), Settings())
    assert sorted(os.listdir(sources)) == sorted(p.name for p in sources.iterdir())
