"""Write what the pipeline produced: per-document Turtle, JSON-LD and model JSON, the JSON-LD
context, the validation report and the provenance graph.

Per-document files are deterministic (the same input and version give the same bytes);
everything that changes from run to run (time, paths) goes to provenance.ttl only.  Every
file is written to a temporary name and renamed, so no half-written file is ever left.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import jsonschema_rs
import orjson
from rdflib import Graph

from ldexport import serialize
from ldexport.errors import LdexportError, MappingError
from ldexport.iris import Iris
from ldexport.model import Resolution, to_dict
from ldexport.resources import schema_path
from ldexport.symbols import file_name

if TYPE_CHECKING:  # imported where used: `ldexport` commands that convert nothing start faster
    import jsonschema

    from ldexport.convert import Converted

REPORT_NAME = "validation-report.txt"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def context() -> dict[str, Any]:
    """The JSON-LD context of every per-document file: the project's prefixes, sorted (a copy
    of `serialize.prefix_map`, which the per-document files are written with)."""
    return dict(serialize.prefix_map())


def to_turtle(graph: Graph) -> bytes:
    """The graph as Turtle, sorted (ldexport.serialize)."""
    return serialize.turtle(serialize.sorted_rows(graph))


def to_jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with the context inline, sorted (ldexport.serialize)."""
    return serialize.jsonld(serialize.sorted_rows(graph))


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path().read_text())
    return schema


@cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@cache
def _fast_validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(_schema())


def model_json(res: Resolution) -> bytes:
    """The model as JSON, checked against the JSON Schema shipped in the package.

    jsonschema-rs decides (about 0.02 ms a document against 5-9 ms for jsonschema, which
    was the largest cost of writing a model file); jsonschema words the error when there
    is one.  tests/test_publish.py checks that the two agree."""
    data = to_dict(res)
    data.pop("warnings", None)
    if not _fast_validator().is_valid(data):
        from jsonschema.exceptions import best_match

        error = best_match(_validator().iter_errors(data))
        where = "/".join(map(str, error.absolute_path)) if error else ""
        message = error.message if error else "rejected by jsonschema-rs"
        raise MappingError(
            f"{res.symbol}: the model does not validate against the JSON Schema at "
            f"{where or 'the top'}: {message}"
        )
    return indented_json(data)


def indented_json(data: Any) -> bytes:
    """`json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)` and a line break: the
    model files and the catalogue's JSON-LD.  orjson writes the same bytes
    (tests/test_publish.py) at a fiftieth of the time: the standard library writes indented
    JSON in Python, about 1 ms of a worker's 30 a document, 60 ms a catalogue; it still
    writes what orjson does not (nested deeper than 255 levels: a subdivision 127 deep)."""
    try:
        return orjson.dumps(data, option=INDENTED_JSON_OPTIONS)
    except orjson.JSONEncodeError:
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


INDENTED_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


class Paths(Sequence[Path]):
    """Input paths kept as their text, each made a Path when read: a publish holds its
    inputs to the end, and 25,000 Path objects (their parts, casefolded parts and interned
    names) were 11 MiB of the publishing process, their text 2.5 MiB."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._texts = list(texts)

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> Paths: ...

    def __getitem__(self, index: int | slice) -> Path | Paths:
        if isinstance(index, slice):
            return Paths(self._texts[index])
        return Path(self._texts[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._texts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, Paths)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Paths({self._texts!r})"


def texts_of(paths: Iterable[Path]) -> Iterable[str]:
    """The paths as text: a `Paths`'s own, without making each a Path to read it back (2 and
    1 microseconds; a publish reads its 25,000 inputs several times)."""
    return paths._texts if isinstance(paths, Paths) else map(str, paths)


@dataclass
class Outcome:
    """What happened to one input file."""

    path: str
    written: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: file or symbol, reason
    warnings: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # symbols of the documents written

    @property
    def ok(self) -> bool:
        return not self.problems


def render_document(
    item: Converted, iris: Iris, rdf: serialize.Serialized | None = None
) -> dict[str, bytes]:
    """The per-document files of one conforming resolution, by file name: its graph as
    Turtle and JSON-LD (from `rdf`, its triples serialised, when the caller has them), the
    model as JSON, and the Akoma Ntoso, MARCXML and Dublin Core exports.  Raises
    LdexportError when one of them does not pass its schema."""
    from ldexport.export import FORMATS, render

    name = file_name(item.resolution.symbol)
    rdf = rdf or serialize.Serialized.of(item.content)
    files = {
        f"{name}.ttl": rdf.turtle(),
        f"{name}.jsonld": rdf.jsonld(),
        f"{name}.json": model_json(item.resolution),
    }
    for fmt, spec in FORMATS.items():
        files[f"{name}.{spec.suffix}"] = render(fmt, item.resolution, iris)
    return files


def write_document(item: Converted, out_dir: Path, iris: Iris) -> list[str]:
    """Write the per-document files of one conforming resolution (see `render_document`);
    files a worker process rendered already (`item.rendered`) are written as they are."""
    if item.render_error is not None:
        raise LdexportError(item.render_error)
    files = item.rendered if item.rendered is not None else render_document(item, iris)
    for fname, data in files.items():
        atomic_write(out_dir / fname, data)
    if item.rendered is not None:  # written: callers that keep the item need not keep these
        object.__setattr__(item, "rendered", None)
    return list(files)


def run_batch(
    inputs: Sequence[Path],
    out_dir: Path,
    iris: Iris,
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda xs: xs,
    convert: Callable[[Path, Iris], Sequence[Converted]] | None = None,
) -> list[Outcome]:
    """Convert, validate and write every input; one bad input never stops the others.
    `convert` (default `ldexport.convert.convert_file`) turns one input into its documents
    (`ldexport.executor.Prefetch` does it on worker processes)."""
    from ldexport.convert import convert_file

    outcomes = []
    for path in progress(inputs):
        outcome = Outcome(str(path))
        try:
            converted = (convert or convert_file)(path, iris)
        except LdexportError as exc:
            outcome.problems.append(str(exc))
            outcomes.append(outcome)
            continue
        for item in converted:
            outcome.warnings.extend(item.resolution.warnings)
            if not item.report.conforms:
                outcome.problems.extend(item.report.lines())
                continue
            try:  # every file is rendered and checked before the first is written
                outcome.written.extend(write_document(item, out_dir, iris))
            except LdexportError as exc:
                outcome.problems.append(str(exc))
                continue
            outcome.published.append(item.resolution.symbol)
        outcomes.append(outcome)
    return outcomes


def conversion_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch else int(time.time())
    return datetime.fromtimestamp(seconds, tz=UTC)


def write_context(out_dir: Path) -> Path:
    path = out_dir / "context.jsonld"
    doc = {"@context": context()}
    atomic_write(path, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())
    return path


def publish(inputs: Sequence[Path], out_dir: Path, iris: Iris, **kw: Any) -> list[Outcome]:
    """The main job: the whole dataset (per-document files, dumps, catalogue, provenance,
    manifest) built in a staging folder and swapped in; see ldexport.dataset.publish_dataset.
    Returns the outcomes of the inputs converted in this run."""
    from ldexport.dataset import publish_dataset  # here: ldexport.dataset imports this module

    return list(publish_dataset(inputs, out_dir, iris, **kw).outcomes)
