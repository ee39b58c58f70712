"""`ldexport publish` on the bundled examples: what lands in output/ and what it must hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import orjson
import pyoxigraph
import pytest
from rdflib import Graph

from ldexport.cli import expand_inputs
from ldexport.resources import schema_path
from ldexport.validate import validate_file
from ldexport.vocab import undefined_terms

from conftest import DOCUMENTS, ROOT, assert_isomorphic, read_by_pyoxigraph

EXAMPLES = ROOT / "examples"
TURTLE, JSON_LD = pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.JSON_LD


def publish(out: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ldexport", "publish", "-o", str(out), "--quiet", *extra],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("output")
    publish(out)
    return out


def documents(output: Path) -> list[str]:
    """The names of the published resolutions, as the manifest lists them."""
    manifest = json.loads((output / "manifest.json").read_text())
    return sorted(manifest["documents"])


def test_every_example_is_published(output: Path) -> None:
    names = documents(output)
    inputs = expand_inputs([str(EXAMPLES)])
    assert inputs and len(names) >= len(inputs)
    for name in names:
        for ext in ("ttl", "jsonld", "json"):
            assert (output / f"{name}.{ext}").stat().st_size > 0
    assert (output / "context.jsonld").is_file()
    report = (output / "validation-report.txt").read_text()
    assert report.count(": conforms") == len(names)


def test_a_second_rdf_parser_reads_the_same_graph(output: Path) -> None:
    """pyoxigraph (an independent parser) and rdflib agree on every Turtle and JSON-LD file."""
    for name in documents(output):
        for ext, fmt in (
            ("ttl", pyoxigraph.RdfFormat.TURTLE),
            ("jsonld", pyoxigraph.RdfFormat.JSON_LD),
        ):
            path = output / f"{name}.{ext}"
            assert_isomorphic(Graph().parse(path), read_by_pyoxigraph(path, fmt))


def test_turtle_and_jsonld_are_isomorphic(output: Path) -> None:
    for name in documents(output):
        assert_isomorphic(
            Graph().parse(output / f"{name}.ttl"), Graph().parse(output / f"{name}.jsonld")
        )


def test_every_published_graph_conforms(output: Path) -> None:
    for name in documents(output):
        for ext in ("ttl", "jsonld"):
            report = validate_file(output / f"{name}.{ext}")
            assert report.conforms, report.lines()


def test_every_term_used_is_defined(output: Path) -> None:
    for name in documents(output):
        assert undefined_terms(Graph().parse(output / f"{name}.ttl")) == set()


def test_model_json_validates_against_the_schema(output: Path) -> None:
    schema = json.loads(schema_path().read_text())
    for name in documents(output):
        data = json.loads((output / f"{name}.json").read_text())
        jsonschema.validate(data, schema)


def test_jsonld_carries_its_context_inline(output: Path) -> None:
    context = json.loads((output / "context.jsonld").read_text())["@context"]
    for name in documents(output):
        doc = json.loads((output / f"{name}.jsonld").read_text())
        assert doc["@context"] == context


def test_output_is_byte_identical_between_runs(output: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    publish(again)
    for name in documents(output):
        for ext in ("ttl", "jsonld", "json"):
            first = (output / f"{name}.{ext}").read_bytes()
            assert first == (again / f"{name}.{ext}").read_bytes(), f"{name}.{ext} differs"


def test_provenance_time_comes_from_source_date_epoch(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    publish(tmp_path, env=env)
    prov = (tmp_path / "provenance.ttl").read_text()
    assert "2023-11-14T22:13:20Z" in prov


@pytest.mark.parametrize("command", ["convert", "validate", "publish"])
def test_every_command_explains_itself(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ldexport", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Usage: python -m ldexport" in result.stdout
    assert len(result.stdout.splitlines()) > 5


def _mutations(data: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
    """Model JSON made invalid in the ways the schema guards against, and one valid change."""
    out: list[tuple[str, dict[str, object]]] = []
    for key, value in [
        ("symbol", "not a symbol"),
        ("body", "un-hrc"),
        ("adoption_date", "24 January 1946"),
        ("adoption_date", 1946),
        ("parts", "none"),
        ("unknown_field", 1),
    ]:
        out.append((f"{key}={value!r}", {**data, key: value}))
    out.append(("no symbol", {k: v for k, v in data.items() if k != "symbol"}))
    out.append(("date not in the calendar", {**data, "adoption_date": "2003-02-30"}))
    return out


TEXT_EXAMPLES = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md") and p.stem != "README"
)


@pytest.mark.parametrize("path", TEXT_EXAMPLES, ids=lambda p: p.name)
def test_fast_schema_check_agrees_with_jsonschema(path: Path) -> None:
    """model_json decides with jsonschema-rs: on valid models and on each mutation it gives
    the same verdict as jsonschema (which words the error)."""
    from ldexport.convert import parse_file
    from ldexport.model import to_dict
    from ldexport.publish import _fast_validator, _validator

    for res in parse_file(path):
        data = to_dict(res)
        data.pop("warnings", None)
        assert _fast_validator().is_valid(data) and _validator().is_valid(data)
        for label, changed in _mutations(data):
            verdict = _fast_validator().is_valid(changed)
            assert verdict == _validator().is_valid(changed), label
            assert verdict == (label == "date not in the calendar"), label  # formats: not checked


@pytest.mark.parametrize("path", [p for p in DOCUMENTS if p.suffix != ".pdf"], ids=lambda p: p.name)
def test_model_json_is_what_the_standard_library_writes(path: Path) -> None:
    """The model files are written by orjson; their bytes are those of the standard
    library's indented, key-sorted dump that readers were given before (non-ASCII as is)."""
    from ldexport.convert import parse_file
    from ldexport.errors import LdexportError
    from ldexport.model import to_dict
    from ldexport.publish import model_json

    try:
        resolutions = parse_file(path)
    except LdexportError:  # a document that fails on purpose: tests/sources
        return
    for res in resolutions:
        data = to_dict(res)
        data.pop("warnings", None)
        expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        assert model_json(res).decode() == expected


def test_model_json_of_a_model_nested_deeper_than_orjson_writes() -> None:
    """orjson stops at 255 levels, two a subdivision: a list nested 130 deep (a run of
    dashes can nest that way) is written by the standard library, the same format."""
    from dataclasses import replace

    from ldexport.convert import parse_file
    from ldexport.model import to_dict
    from ldexport.publish import INDENTED_JSON_OPTIONS, model_json

    res = parse_file(EXAMPLES / "S_RES_1663_2006.txt")[0]
    part = res.parts[-1]
    for _ in range(130):
        part = replace(res.parts[-1], children=(part,))
    deep = replace(res, parts=(*res.parts[:-1], part))
    data = to_dict(deep)
    data.pop("warnings", None)
    expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert model_json(deep).decode() == expected
    with pytest.raises(orjson.JSONEncodeError):  # what model_json falls back from
        orjson.dumps(data, option=INDENTED_JSON_OPTIONS)


def test_the_inputs_are_held_as_text_and_read_as_paths(tmp_path: Path) -> None:
    """A publish holds its inputs to the end: 25,000 Path objects were 11 MiB."""
    import tracemalloc

    names = [f"A_RES_{i:05d}.txt" for i in range(3000)]
    for name in names:
        (tmp_path / name).touch()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        inputs = expand_inputs([str(tmp_path)])
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    per_input = held / len(names)
    text = len(str(tmp_path / names[0]))
    assert per_input < text + 100, per_input  # a Path object and its parts: 400 bytes more
    assert len(inputs) == 3000 and inputs[0] == tmp_path / names[0]
    assert isinstance(inputs[-1], Path) and list(inputs[1:3]) == [tmp_path / n for n in names[1:3]]
    assert list(inputs) == sorted(tmp_path.iterdir())


def test_a_folder_gives_its_document_files_sorted(tmp_path: Path) -> None:
    for name in ["b.pdf", "a.TXT", "README.md", "sources.md", ".hidden.txt", "notes.csv", "c."]:
        (tmp_path / name).write_text("x")
    (tmp_path / "d.txt").mkdir()  # a folder, whatever its name
    given = tmp_path / "notes.csv"  # a file named is taken as it is
    assert expand_inputs([str(tmp_path), str(given)]) == [
        tmp_path / "a.TXT",
        tmp_path / "b.pdf",
        given,
    ]
