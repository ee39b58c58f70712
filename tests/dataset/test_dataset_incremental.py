"""Incremental publishing: unchanged documents and shards are reused, gone ones dropped."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from ldexport.convert import Converted, convert_file
from ldexport.dataset import publish_dataset
from ldexport.iris import Iris
from ldexport.manifest import MANIFEST_DB, read_manifest, verify
from ldexport.settings import Settings

from .dataset_support import ROOT, corpus_nquads


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
    assert "Decides also" in corpus_nquads(first)
    assert verify(first) == []


def test_a_removed_source_drops_its_document(sources: Path, first: Path) -> None:
    (sources / "S_RES_1709_2006.txt").unlink()
    result = publish_dataset(sorted(sources.iterdir()), first, Iris(), Settings())
    assert result.removed == ["S/RES/1709(2006)"]
    assert not (first / "S_RES_1709_2006.ttl").exists()
    assert not (first / "dumps/shards/sc-2006.nq").exists()
    assert "S_RES_1709_2006" not in corpus_nquads(first)
    assert "removed" in (first / "validation-report.txt").read_text()
    assert verify(first) == []


def test_a_new_base_iri_converts_everything_again(sources: Path, first: Path) -> None:
    result = publish_dataset(
        sorted(sources.iterdir()), first, Iris("https://data.example.org/"), Settings()
    )
    assert len(result.outcomes) == 3 and result.unchanged == []
    assert "https://data.example.org/graph/A_RES_58_136" in corpus_nquads(first)


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
    # a failure is not published: the next publish reports it again (from the manifest,
    # without converting the same bytes again)
    again = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert [o.path for o in again.outcomes] == [str(bad)] and again.exit_status == 1


def test_an_input_inside_the_output_is_refused(sources: Path) -> None:
    from ldexport.manifest import PublishError

    with pytest.raises(PublishError, match="inside the output"):
        publish_dataset(sorted(sources.iterdir()), sources, Iris(), Settings())
    assert sorted(os.listdir(sources)) == sorted(p.name for p in sources.iterdir())


def tree(folder: Path, under: str) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted((folder / under).rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("index", ["this layout", "another layout"])
def test_a_shard_written_again_copies_its_unchanged_documents_and_equals_a_fresh_one(
    index: str, sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S/RES/1663 and S/RES/1709 share the shard sc-2006: when 1709 changes, 1663's pieces
    are copied from the previous shard files (its Turtle is not read again), and the dumps
    are byte for byte those of a fresh publish of the same sources.  When the shard's index
    of pieces does not record this version's dump layout (an output of an older ldexport,
    whose gzip pieces were written otherwise), 1663's pieces are made again from its
    Turtle instead, and the dumps are still a fresh publish's."""
    import json

    import ldexport.dataset

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shutil.copy(ROOT / "examples" / "S_RES_1663_2006.txt", sources)
    out = tmp_path / "output"
    publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    index_path = out / ldexport.dataset.MEMBERS / "sc-2006.json"
    pieces = json.loads(index_path.read_bytes())
    assert pieces["layout"] == ldexport.dataset._DUMP_LAYOUT
    if index == "another layout":
        del pieces["layout"]  # as ldexport wrote it before the index recorded its layout
        index_path.write_text(json.dumps(pieces))
    path = sources / "S_RES_1709_2006.txt"
    path.write_text(path.read_text().replace("Decides", "Decides also", 1))
    dumped: list[str] = []
    real = ldexport.dataset.dump_pieces

    def spy(graph: str, *args: Any) -> ldexport.dataset.DocumentDump:
        dumped.append(graph)
        return real(graph, *args)

    monkeypatch.setattr(ldexport.dataset, "dump_pieces", spy)
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert len(result.unchanged) == 3
    converted = ["http://localhost:8000/graph/S_RES_1709_2006"]
    if index == "this layout":
        assert dumped == converted  # the converted one only
    else:
        assert sorted(dumped) == ["http://localhost:8000/graph/S_RES_1663_2006", *converted]
    fresh = tmp_path / "fresh"
    publish_dataset(sorted(sources.iterdir()), fresh, Iris(), Settings())
    assert tree(out, "dumps") == tree(fresh, "dumps")
    # the manifest (manifest.json and its database) says that 1663 was kept, not converted
    state, fresh_state = tree(out, ".ldexport"), tree(fresh, ".ldexport")
    assert state.pop(MANIFEST_DB) != fresh_state.pop(MANIFEST_DB)
    assert state == fresh_state
    assert verify(out) == []


def test_sources_are_hashed_again_only_when_their_stat_changed(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldexport.manifest

    out = tmp_path / "output"
    publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    # the sources were written just before: "racy", hashed again until the manifest is older
    # than them by more than a second; here the manifest is aged instead of waiting
    later = time.time() + 10
    os.utime(out / "manifest.json", (later, later))
    hashed: list[str] = []
    real = ldexport.manifest.sha256_file

    def spy(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(ldexport.manifest, "sha256_file", spy)
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert len(result.unchanged) == 3
    assert [h for h in hashed if h in {p.name for p in sources.iterdir()}] == []
    # the same size and mtime, other bytes: the ctime gives it away
    path = sources / "S_RES_1709_2006.txt"
    st = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Decides", "Decidez", 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    later = time.time() + 20
    os.utime(out / "manifest.json", (later, later))
    hashed.clear()
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert [o.path for o in result.outcomes] == [str(path)]
    assert hashed.count(path.name) == 1
    assert "Decidez" in corpus_nquads(out)


def test_a_failed_source_is_reported_again_without_converting_it(
    sources: Path, tmp_path: Path
) -> None:
    bad = sources / "broken.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    first = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    converted: list[Path] = []

    def convert(path: Path, iris: Iris) -> list[Converted]:
        converted.append(path)
        return convert_file(path, iris)

    again = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings(), convert=convert)
    assert converted == []
    assert [o.problems for o in again.outcomes] == [
        o.problems for o in first.outcomes if o.problems
    ]
    assert again.exit_status == 1
    bad.write_bytes(b"still not a resolution")
    third = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings(), convert=convert)
    assert converted == [bad] and third.exit_status == 1


def test_the_same_bytes_under_two_names_are_two_documents_kept_apart(
    sources: Path, tmp_path: Path
) -> None:
    """S/RES/1590's text does not hold its symbol (the file name gives it): a copy named
    S_RES_1591_2005.txt is another resolution, and a second publish keeps each with its
    own source instead of giving both to the first file of those bytes."""
    twin = sources / "S_RES_1591_2005.txt"
    shutil.copy(sources / "S_RES_1590_2005.txt", twin)
    out = tmp_path / "output"
    first = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert first.exit_status == 0
    assert not [w for w in first.warnings if "already published" in w]
    before = read_manifest(out)
    assert before is not None
    one, two = before.documents["S_RES_1590_2005"], before.documents["S_RES_1591_2005"]
    assert one.source_sha256 == two.source_sha256 and two.source_path == str(twin)
    again = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert again.outcomes == [] and len(again.unchanged) == len(first.manifest.documents)
    assert not [w for w in again.warnings if "already published" in w]
    after = read_manifest(out)
    assert after is not None
    assert dict(after.documents.items()) == dict(before.documents.items())
