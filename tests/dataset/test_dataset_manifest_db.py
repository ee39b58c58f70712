"""The manifest's documents and files in SQLite (`Table`, MANIFEST_DB): the same entries as
manifest.json, in the same order, read instead of it only while it stands for it."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from ldexport.dataset import PublishResult, publish_dataset
from ldexport.iris import Iris
from ldexport.manifest import (
    MANIFEST_DB,
    MANIFEST_NAME,
    DocumentEntry,
    FailedSource,
    FileInfo,
    Manifest,
    Rows,
    Table,
    _connect,
    _open_table,
    read_manifest,
    stat_key,
)
from ldexport.settings import Settings


def test_the_database_of_an_output_holds_what_its_manifest_json_holds(
    published: PublishResult,
) -> None:
    out = published.out_dir
    from_db = Manifest.open(out)
    assert from_db is not None
    from_json = Manifest.from_json((out / MANIFEST_NAME).read_bytes())
    assert dict(from_db.documents.items()) == dict(from_json.documents.items())
    assert dict(from_db.files.items()) == dict(from_json.files.items())
    assert len(from_db.files) > 8 * len(from_db.documents)
    assert from_db.shards == from_json.shards and from_db.problems == from_json.problems
    assert from_db.to_json() == (out / MANIFEST_NAME).read_bytes()
    # what the publish returned reads the same, its scratch database gone
    assert published.manifest.to_json() == (out / MANIFEST_NAME).read_bytes()
    assert not (out / f"{MANIFEST_DB}.tmp").exists()
    assert MANIFEST_DB not in from_db.files  # the manifest does not list itself


def test_the_failed_sources_and_problems_are_tables_of_the_database(
    sources: Path, tmp_path: Path
) -> None:
    """They grow with the inputs that fail: the database holds them as rows, in the order
    of the inputs, and reads back what manifest.json holds."""
    (sources / "broken.txt").write_bytes(b"")
    (sources / "also-broken.txt").write_bytes(b"not a resolution")
    out = tmp_path / "output"
    result = publish_dataset(sorted(sources.iterdir()), out, Iris(), Settings())
    assert result.failed == 2
    from_db = Manifest.open(out)
    assert from_db is not None
    from_json = Manifest.from_json((out / MANIFEST_NAME).read_bytes())
    assert len(from_db.failed) == 2
    assert dict(from_db.failed.items()) == dict(from_json.failed.items())
    lines = [line for o in result.outcomes for line in o.problems]
    assert list(from_db.problems) == list(from_json.problems) == lines
    assert [line.split(":")[0] for line in lines] == [
        str(sources / "also-broken.txt"),
        str(sources / "broken.txt"),
    ]
    assert from_db.to_json() == (out / MANIFEST_NAME).read_bytes()
    db = sqlite3.connect(out / MANIFEST_DB)
    head = json.loads(db.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
    db.close()
    assert "problems" not in head and "failed" not in head
    # once written, the table is the written database's (as a worker would open it)
    folder = tmp_path / "written"
    manifest = Manifest.create(folder / MANIFEST_DB, {}, {})
    manifest.failed["ab"] = FailedSource("/in/x.txt", None, ["/in/x.txt: empty"])
    manifest.write(folder)
    assert pickle.loads(pickle.dumps(manifest.failed))["ab"] == manifest.failed["ab"]
    # a problem that is not a line of text makes a manifest.json unreadable, as other damage
    data = json.loads((out / MANIFEST_NAME).read_bytes())
    data["problems"].append(None)
    with pytest.raises(ValueError, match="not a line of text"):
        Manifest.from_json(json.dumps(data).encode())


def test_a_manifest_json_edited_by_hand_is_read_instead_of_the_database(
    published: PublishResult, tmp_path: Path
) -> None:
    out = tmp_path / "output"
    shutil.copytree(published.out_dir, out)
    data = json.loads((out / MANIFEST_NAME).read_bytes())
    name = sorted(data["documents"])[0]
    data["documents"][name]["triples"] += 1
    (out / MANIFEST_NAME).write_text(json.dumps(data))
    assert Manifest.open(out) is None
    manifest = read_manifest(out)
    assert manifest is not None
    assert manifest.documents[name].triples == published.manifest.documents[name].triples + 1


@pytest.mark.parametrize(
    "change",
    [
        # the documents table with other indexed columns (another ldexport's)
        "UPDATE meta SET value = replace(value, '\"source_name\"', '\"x\"') WHERE key = 'layout'",
        # an older ldexport's: its failed sources and problems were not tables, and it
        # recorded only the documents' columns
        'UPDATE meta SET key = \'columns\', value = \'["source_sha256", "source_path", '
        "\"source_name\"]' WHERE key = 'layout'",
    ],
)
def test_a_database_of_another_layout_is_not_read(
    published: PublishResult, tmp_path: Path, change: str
) -> None:
    """A database whose tables are not the ones this ldexport writes is ignored:
    manifest.json is read instead."""
    out = tmp_path / "output"
    shutil.copytree(published.out_dir, out)
    db = sqlite3.connect(out / MANIFEST_DB)
    assert db.execute(change).rowcount == 1
    db.commit()
    db.close()
    assert Manifest.open(out) is None
    manifest = read_manifest(out)
    assert manifest is not None and len(manifest.documents) == len(published.manifest.documents)
    assert list(manifest.problems) == list(published.manifest.problems)


def test_the_same_manifest_makes_the_same_database_bytes(tmp_path: Path) -> None:
    """Rows come in the order of the inputs; the database is written in key order."""
    names = [f"A_RES_{i}_{j}" for i in range(1, 40) for j in range(1, 30)]
    written = []
    for k, order in enumerate((names, names[::-1])):
        out = tmp_path / str(k)
        manifest = Manifest.create(out / MANIFEST_DB, {"base_iri": "x"}, {})
        for name in order:
            manifest.documents[name] = entry(name, name.lower(), f"/in/{name}")
            manifest.files[f"{name}.ttl"] = FileInfo(len(name), name.lower())
        manifest.write(out)
        written.append(((out / MANIFEST_NAME).read_bytes(), (out / MANIFEST_DB).read_bytes()))
        reopened = Manifest.open(out)
        assert reopened is not None and list(reopened.documents) == sorted(names)
    assert written[0] == written[1]


def entry(name: str, sha: str, path: str) -> DocumentEntry:
    return DocumentEntry(
        symbol=name.replace("_", "/"),
        name=name,
        graph=f"http://example.org/graph/{name}",
        shard="ga-1",
        source_sha256=sha,
        source_path=path,
        converted_at="2026-11-28T00:00:00Z",
        ldexport_version="0",
        triples=1,
    )


def test_a_table_is_a_mapping_in_key_order_with_its_writes_buffered() -> None:
    table = Table.of(DocumentEntry, {}, ("source_sha256", "source_path"))
    table._batch = 3
    names = ["b", "a", "é", "Z", "ab", "a\u0300", "\U0001f600", "c", "d"]
    for i, name in enumerate(names):
        table[name] = entry(name, f"sha{i % 2}", f"/in/{name}")
        assert name in table and table[name].name == name  # buffered or not
        assert len(table) == i + 1
    assert list(table) == sorted(names)  # code point order, as manifest.json's
    assert [e.name for e in table.values()] == sorted(names)
    assert [k for k, _ in table.items()] == sorted(names)
    assert [e.name for e in table.where(source_sha256="sha1")] == sorted(names[1::2])
    assert table.has(source_path="/in/é") and not table.has(source_path="/in/x")
    assert "x" not in table and table.get("x") is None
    with pytest.raises(KeyError):
        table["x"]
    table["a"] = entry("a", "sha9", "/in/a")  # replaced
    del table["b"]
    with pytest.raises(KeyError):
        del table["b"]
    assert table["a"].source_sha256 == "sha9" and "b" not in table
    assert len(table) == len(names) - 1


def test_a_table_of_file_infos_keeps_the_json_of_manifest_json() -> None:
    table = Table.of(FileInfo, {"x.ttl": FileInfo(3, "ab")})
    assert list(table.raw_items()) == [("x.ttl", '{"bytes": 3, "sha256": "ab"}')]
    assert table["x.ttl"] == FileInfo(3, "ab")


def test_rows_keep_entries_in_order_and_the_last_one_may_still_change() -> None:
    from ldexport.publish import Outcome

    rows: Rows[Outcome] = Rows(Outcome)
    assert rows == [] and len(rows) == 0 and list(rows) == []
    kept = []
    for i in range(5):
        outcome = Outcome(f"in/{i}.txt")
        rows.append(outcome)
        outcome.published.append(f"A/RES/1/{i}")  # changed after it was appended
        kept.append(Outcome(f"in/{i}.txt", published=[f"A/RES/1/{i}"]))
    assert len(rows) == 5 and rows == kept and list(rows) == kept
    assert kept[2] in rows and Outcome("in/9.txt") not in rows
    assert rows != kept[:4]


def test_a_row_copied_as_text_reads_as_its_entry() -> None:
    old = Table.of(FileInfo, {"a.ttl": FileInfo(1, "aa"), "b.ttl": FileInfo(2, "bb")})
    new = Table.of(FileInfo, {})
    new._batch = 2
    for key in ("b.ttl", "a.ttl"):
        text = old.raw(key)
        assert text is not None
        new.put_raw(key, text)
        assert key in new and new[key] == old[key] and new.raw(key) == text
    new["c.ttl"] = FileInfo(3, "cc")
    assert new.raw("c.ttl") == '{"bytes": 3, "sha256": "cc"}' and old.raw("c.ttl") is None
    assert list(new.raw_items()) == [*old.raw_items(), ("c.ttl", new.raw("c.ttl"))]


def test_rows_of_several_keys_in_one_query_and_the_keys_another_table_lacks() -> None:
    old = Table.of(FileInfo, {k: FileInfo(i, k) for i, k in enumerate(["a", "b", "c", "é"])})
    old["d"] = FileInfo(9, "d")  # still buffered: raw_many sends it first
    assert old.raw_many(["d", "b", "x"]) == {"d": old.raw("d"), "b": old.raw("b")}
    new = Table.of(FileInfo, {"b": FileInfo(1, "b"), "c": FileInfo(2, "c"), "z": FileInfo(0, "")})
    assert list(old.missing_from(new)) == ["a", "d", "é"]
    assert list(new.missing_from(old)) == ["z"]
    assert list(old.missing_from(Table.of(FileInfo, {}))) == list(old)


@pytest.mark.parametrize("where", ["temporary databases", "database files"])
def test_rows_copied_from_another_table_by_sqlite_and_the_keys_it_lacks(
    where: str, tmp_path: Path
) -> None:
    """In database files (a published output's manifest and the staging folder's), the new
    database attaches the old one and copies by itself; else the rows pass through Python."""
    columns = ("source_sha256", "source_path")
    keys = [f"{i:04d}.ttl" for i in range(1200)]  # more than one query's 500

    def table(name: str) -> Table[DocumentEntry]:
        if where == "temporary databases":
            return Table.of(DocumentEntry, {}, columns)
        path = tmp_path / f"{name}.sqlite"
        return Table(_connect(path), "documents", DocumentEntry, columns, path)

    old = table("old")
    for i, key in enumerate(keys):
        old[key] = entry(key, f"sha{i % 3}", f"/in/{key}")
    if where == "database files":  # the previous output's, read-only, as a publish reads it
        old.flush()
        old.db.commit()
        old = _open_table(tmp_path / "old.sqlite", "documents", DocumentEntry, columns)
    new = table("new")
    new["0007.ttl"] = entry("0007.ttl", "other", "/elsewhere")  # buffered: replaced
    wanted = ["1199.ttl", "x.ttl", *keys[:1100:2], "0007.ttl", "é.ttl"]
    assert new.copy_from(old, wanted) == ["x.ttl", "é.ttl"]
    assert list(new) == sorted({*keys[:1100:2], "0007.ttl", "1199.ttl"})
    assert all(new.raw(k) == old.raw(k) for k in new)
    assert [e.name for e in new.where(source_sha256="sha1")] == [
        k for i, k in enumerate(keys) if k in new and i % 3 == 1
    ]  # the columns are copied with the rows
    assert new.has(source_path="/in/0008.ttl") and not new.has(source_path="/elsewhere")
    assert new.copy_from(old, ["0001.ttl", "0001.ttl", "y.ttl"]) == ["y.ttl"]  # again, twice
    assert new["0001.ttl"] == old["0001.ttl"]
    assert list(new) == sorted({*keys[:1100:2], "0001.ttl", "0007.ttl", "1199.ttl"})
    with pytest.raises(AssertionError):
        Table.of(DocumentEntry, {}).copy_from(old, ["0000.ttl"])


def test_rows_copied_within_one_database_file_and_from_a_file_that_is_gone(
    tmp_path: Path,
) -> None:
    """A source in the destination's own file is read row by row (attached, SQLite's shared
    lock on it would keep the destination from committing); a source file that is gone is
    an error, and attaching it read-only creates nothing in its place; a source whose
    connection writes another file than its path is read row by row."""

    path = tmp_path / "m.sqlite"
    db = _connect(path)
    old = Table(db, "old", FileInfo, (), path)
    old.update({k: FileInfo(1, k) for k in ["a", "b"]})
    old.flush()
    db.commit()
    new = Table(db, "new", FileInfo, (), path)
    assert new.copy_from(old, ["a", "x"]) == ["x"]
    db.commit()  # not locked out
    assert new.raw("a") == old.raw("a")

    gone = tmp_path / "gone.sqlite"
    kept = _connect(gone)
    source = Table(kept, "files", FileInfo, (), gone)
    source["a"] = FileInfo(1, "a")
    source.flush()
    kept.commit()
    gone.unlink()
    with pytest.raises(sqlite3.OperationalError):
        Table.of(FileInfo, {}).copy_from(source, ["a"])
    assert not gone.exists()

    # a table whose path is a copy of its database (Manifest.write: VACUUM INTO), its
    # connection still writing the first file, unlinked: the rows added since are copied too
    first, copy = tmp_path / "first.sqlite", tmp_path / "copy.sqlite"
    db = _connect(first)
    table = Table(db, "files", FileInfo, (), first)
    table["a"] = FileInfo(1, "a")
    table.flush()
    db.commit()
    db.execute("VACUUM INTO ?", (str(copy),))
    first.unlink()  # as Manifest.write does: open here, gone from the folder
    table.path = copy
    table["b"] = FileInfo(2, "b")
    table.flush()
    db.commit()
    assert Table.of(FileInfo, {}).copy_from(table, ["a", "b"]) == []


def test_a_top_level_name_held_by_the_keys_of_a_table() -> None:
    table = Table.of(FileInfo, {k: FileInfo(1, k) for k in ["a.ttl", "dumps/x.nq", "dumps2"]})
    table["state/m.json"] = FileInfo(2, "m")  # buffered
    assert table.holds_under("a.ttl") and table.holds_under("dumps")
    assert table.holds_under("dumps2") and table.holds_under("state")
    assert not table.holds_under("a") and not table.holds_under("dump")
    assert not table.holds_under("README.md")


def test_fields_of_rows_read_by_sqlite_with_the_last_entry_held() -> None:
    rows: Rows[DocumentEntry] = Rows(DocumentEntry)
    assert list(rows.select(("symbol",))) == []
    for name in ("a", "é", "c"):
        rows.append(entry(name, "sha", f"/in/{name}"))
    last = entry("d", "sha", "/in/d")
    rows.append(last)
    last.source_path = "/in/changed"  # the last entry may still change
    assert list(rows.select(("name", "source_path"))) == [
        ("a", "/in/a"),
        ("é", "/in/é"),
        ("c", "/in/c"),
        ("d", "/in/changed"),
    ]


def test_source_digests_looked_up_ahead_are_not_looked_up_again(tmp_path: Path) -> None:
    from ldexport.manifest import SourceDigests, sha256_file

    paths = [tmp_path / f"{i}.txt" for i in range(4)]
    for i, path in enumerate(paths):
        path.write_text(f"text {i}")
    gone = tmp_path / "gone.txt"
    digests = SourceDigests()
    found = list(digests.ahead([*paths[:2], gone, *paths[2:]]))
    assert (
        found
        == [
            (p, None if p == gone else sha256_file(p), False)  # no manifest: none recorded
            for p in [*paths[:2], gone, *paths[2:]]
        ]
    )
    paths[0].write_text("changed since")  # the answer kept is taken: no second look
    assert digests(paths[0])[0] == found[0][1]
    assert digests(paths[1]) == (found[1][1], stat_key(paths[1].stat()))
    with pytest.raises(OSError):  # what could not be read is looked at again
        digests(gone)
    assert digests(paths[3])[0] == sha256_file(paths[3])  # out of order: looked up
    paths[2].write_text("changed too")
    assert digests(paths[2])[0] == sha256_file(paths[2])  # the kept answers are out of step


def test_an_entry_copied_as_text_keeps_its_columns_and_rows_take_text() -> None:
    old = Table.of(DocumentEntry, {"a": entry("a", "sha1", "/in/a")}, ("source_sha256",))
    [(found, text)] = old.where_raw(source_sha256="sha1")
    new = Table.of(DocumentEntry, {}, ("source_sha256", "source_path"))
    new.put_raw("a", text, found)
    assert new.where(source_sha256="sha1") == [found] and new.has(source_path="/in/a")
    assert new.raw("a") == text and list(new.raw_items()) == [("a", text)]
    rows: Rows[DocumentEntry] = Rows(DocumentEntry)
    rows.append(entry("b", "sha2", "/in/b"))
    rows.append(found, text)
    rows.append(entry("c", "sha3", "/in/c"))
    assert [e.name for e in rows] == ["b", "a", "c"] and len(rows) == 3


def test_files_linked_by_workers_are_in_place_after_settle(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from ldexport.manifest import Staging

    out = tmp_path / "out"
    out.mkdir()
    for i in range(7):
        (out / f"f{i}.ttl").write_text(str(i))
    with ThreadPoolExecutor(2) as workers:
        with Staging(out, workers) as stage:
            stage._LINK_BATCH = 3  # type: ignore[misc]
            for i in range(7):
                stage.reuse_later(f"f{i}.ttl")
            stage.settle()
            assert sorted(p.name for p in stage.path.iterdir()) == [f"f{i}.ttl" for i in range(7)]
            assert (stage.path / "f3.ttl").stat().st_ino == (out / "f3.ttl").stat().st_ino
            stage.commit()
        with pytest.raises(FileNotFoundError), Staging(out, workers) as stage:
            stage.reuse_later("f1.ttl")
            stage.reuse_later("gone.ttl")  # not in the previous output
            stage.settle()
        assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["out"]


def test_select_in_asks_500_values_a_query() -> None:
    """`Table.select_in`: the distinct fields of the entries whose column is one of the
    values, led by that value, in one query per 500 values (1,201 values: three)."""
    table = Table.of(DocumentEntry, {}, ("source_sha256", "source_path"))
    for i in range(1200):  # two documents of each of 600 sources
        e = entry(f"A_{i}", f"sha{i // 2}", f"/in/{i // 2}")
        e.source_stat = [i // 2, 1, 2]
        table[e.name] = e
    statements: list[str] = []
    table.flush()
    table.db.set_trace_callback(statements.append)
    paths = [f"/in/{i}" for i in range(1200)] + ["/in/é"]
    rows = list(table.select_in(("source_stat", "source_sha256"), "source_path", paths))
    table.db.set_trace_callback(None)
    read = sorted((path, json.loads(stat), sha) for path, stat, sha in rows)
    assert read == sorted((f"/in/{i}", [i, 1, 2], f"sha{i}") for i in range(600))
    assert sum(s.startswith("SELECT") for s in statements) == 3


def test_source_digests_looked_up_ahead_in_chunks_are_those_of_one_by_one(
    tmp_path: Path,
) -> None:
    """The look-ahead asks the manifest about 500 paths at a time: across a chunk's end
    (1,001 paths), each answer is the one a path looked up alone gets."""
    from ldexport.manifest import SourceDigests, sha256_file

    paths = [tmp_path / f"{i}.txt" for i in range(1001)]
    for i, path in enumerate(paths):
        path.write_text(f"text {i}")
    previous = Manifest(fingerprint={})
    recorded = {}  # every other path, with a sha256 of its own (taken, not read: a hit shows)
    for i, path in enumerate(paths[::2]):
        e = entry(f"A_{i}", f"{i:064x}", str(path))
        e.source_stat = stat_key(path.stat()) if i != 300 else [0, 0, 0]  # one stale stat
        previous.documents[e.name] = e
        if i != 300:
            recorded[path] = e.source_sha256
    manifest = tmp_path / "manifest.json"
    manifest.write_text("{}")
    os.utime(manifest, ns=(time.time_ns() + 5_000_000_000,) * 2)  # older sources: not racy
    found = list(SourceDigests(previous, manifest).ahead(paths))
    assert found == [(p, recorded.get(p) or sha256_file(p), p in recorded) for p in paths]
    assert len(recorded) == 500
    alone = SourceDigests(previous, manifest)
    assert [alone(p) for p in paths] == [(sha, stat_key(p.stat())) for p, sha, _ in found]


def test_rows_read_by_orjson_are_those_json_reads() -> None:
    """`_loads` (orjson, json where orjson refuses the text) gives json's values for what the
    manifest's rows hold: a document row with a stat in nanoseconds, and text orjson
    refuses."""
    from ldexport.manifest import _fields, _json, _loads

    e = entry("A_RES_80_1", "ab" * 32, "/in/café.md")
    e.source_stat = [123_456, 1_764_000_000_123_456_789, 9_223_372_036_854_775_807]
    row = _json(_fields(e))
    assert DocumentEntry(**_loads(row)) == e
    refused = '{"a": "\\ud800", "b": [1e400]}'  # an escaped lone surrogate, an infinity
    assert _loads(refused) == json.loads(refused)
