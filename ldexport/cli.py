"""The `ldexport` command line: convert, validate, publish.

Exit status is 0 only when every input was converted and conforms to the shapes.  A bad
input gets one line on stderr naming the file and the reason; the others are still done.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ldexport import __version__
from ldexport.errors import LdexportError
from ldexport.iris import DEFAULT_BASE_IRI, Iris
from ldexport.publish import Outcome, Paths, run_batch
from ldexport.resources import data_dir

if TYPE_CHECKING:
    from ldexport.problems import ValidationReport

INPUT_SUFFIXES = {".txt", ".pdf", ".docx", ".md", ".json", ".xml"}
# A folder's own documentation is not a resolution (examples/README.md, SOURCES.md).
NOT_DOCUMENTS = {"README", "SOURCES", "LICENSE", "NOTICE"}


def expand_inputs(paths: Iterable[str]) -> Paths:
    """Files as given; folders as the document files directly inside them, sorted."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            with os.scandir(path) as entries:  # DirEntry.is_file needs no stat call
                names = [e.name for e in entries if e.name[0] != "." and e.is_file()]
            for name in sorted(names):
                stem, suffix = os.path.splitext(name)  # strings: two Paths a name took 0.3 s
                if suffix.lower() in INPUT_SUFFIXES and stem.upper() not in NOT_DOCUMENTS:
                    out.append(os.path.join(path, name))
        else:
            out.append(str(path))
    return Paths(out)


def iris_option(base_iri: str) -> Iris:
    try:
        return Iris(base_iri)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-iri") from exc


@contextmanager
def progress(quiet: bool, label: str, total: int) -> Iterator[object]:
    """A progress bar on stderr for batches (position, rate, ETA); silent for one file, with
    --quiet, and when stderr is not a terminal (a log gets the errors, not a bar)."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield lambda xs: xs
        return
    start, done = time.monotonic(), [0]

    def rate(_item: object) -> str:
        elapsed = time.monotonic() - start
        return f"{done[0] / elapsed:.1f}/s" if elapsed > 0 and done[0] else ""

    with click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_eta=True,
        show_pos=True,
        item_show_func=rate,
    ) as bar:

        def step(items: Iterable[Path]) -> Iterator[Path]:
            for item in items:
                yield item
                done[0] += 1
                bar.update(1, item)

        yield step


def report(outcomes: Collection[Outcome], quiet: bool) -> int:
    """Print problems to stderr, a summary line, and return the exit status."""
    failed = 0
    written = 0
    for o in outcomes:  # an input's lines in one write (24,000 lines of failed sources: 0.1 s)
        if o.problems:
            click.echo("\n".join(f"error: {line}" for line in o.problems), err=True)
        if o.warnings and not quiet:
            click.echo("\n".join(f"warning: {line}" for line in o.warnings), err=True)
        failed += not o.ok
        written += len(o.published)
    if not quiet:
        click.echo(
            f"{written} resolution(s) written from {len(outcomes) - failed} of "
            f"{len(outcomes)} file(s); {failed} file(s) failed",
            err=True,
        )
    return 1 if failed else 0


F = TypeVar("F", bound=Callable[..., Any])


def output_option(help: str) -> Callable[[F], F]:
    """The required `-o/--output` folder of the commands that write files."""
    return click.option(
        "-o", "--output", "out", required=True, type=click.Path(file_okay=False), help=help
    )


base_iri_opt = click.option(
    "--base-iri",
    default=DEFAULT_BASE_IRI,
    show_default=True,
    envvar="LDEXPORT_BASE_IRI",
    help="Base IRI every minted IRI hangs off (ending in '/').",
)
quiet_opt = click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")


def executor_opts(f: Any) -> Any:
    """--jobs, --executor and --scheduler: where the per-document work runs."""
    f = click.option("--scheduler", help="Address of the Dask scheduler (with --executor dask).")(f)
    f = click.option(
        "--executor",
        "executor_name",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="local: worker processes on this machine; dask: a Dask distributed cluster "
        "(pip install 'ldexport[dask]').",
    )(f)
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (default: the number of cores; 1 runs in this process).",
    )(f)


@click.group()
@click.version_option(__version__, prog_name="ldexport")
def main() -> None:
    """Turn United Nations resolutions into linked data (ELI / Akoma Ntoso aligned RDF)."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@output_option("Folder to write <name>.ttl, <name>.jsonld and <name>.json into.")
@base_iri_opt
@executor_opts
@quiet_opt
def convert(
    inputs: tuple[str, ...],
    out: str,
    base_iri: str,
    jobs: int | None,
    executor_name: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Convert INPUT files (or folders of them) to Turtle, JSON-LD and model JSON.

    Each input is read (ODS text export, PDF, Word, Markdown, JSON or plain text; the
    format is detected from the content), parsed, mapped to RDF and validated against the
    SHACL shapes; only conforming documents are written.
    """
    files = expand_inputs(inputs)
    iris = iris_option(base_iri)
    from ldexport.executor import Prefetch, make_executor

    try:
        executor = make_executor(executor_name, jobs, scheduler)
    except LdexportError as exc:
        raise click.UsageError(str(exc)) from exc
    with executor, progress(quiet, "converting", len(files)) as step:
        prefetch = Prefetch(executor, files, iris)
        outcomes = run_batch(files, Path(out), iris, progress=step, convert=prefetch)  # type: ignore[arg-type]
    sys.exit(report(outcomes, quiet))


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format",
    "formats",
    multiple=True,
    required=True,
    type=click.Choice(["akn", "marcxml", "dc"]),
    help="akn: Akoma Ntoso 3.0 (AKN4UN); marcxml: MARC 21 slim, one record per resolution "
    "and collection.marc.xml; dc: oai_dc. Repeat for several.",
)
@output_option("Folder to write <name>.akn.xml, <name>.marc.xml, <name>.dc.xml into.")
@base_iri_opt
@quiet_opt
def export(
    inputs: tuple[str, ...], formats: tuple[str, ...], out: str, base_iri: str, quiet: bool
) -> None:
    """Export INPUT documents as Akoma Ntoso XML or library records (MARCXML, Dublin Core).

    Every record is checked against its schema (Akoma Ntoso 3.0, MARC 21 slim, oai_dc)
    before it is written; a resolution whose RDF does not conform is not exported.
    """
    from ldexport.convert import convert_file
    from ldexport.errors import LdexportError
    from ldexport.export import FORMATS, render
    from ldexport.marc import marcxml, to_marc
    from ldexport.publish import atomic_write
    from ldexport.symbols import file_name

    files = expand_inputs(inputs)
    iris = iris_option(base_iri)
    out_dir = Path(out)
    failed, records = 0, []
    with progress(quiet, "exporting", len(files)) as step:
        for path in step(files):  # type: ignore[operator]
            try:
                for item in convert_file(path, iris):
                    if not item.report.conforms:
                        raise LdexportError("; ".join(item.report.lines()[:3]))
                    name = file_name(item.resolution.symbol)
                    rendered = {f: render(f, item.resolution, iris) for f in formats}
                    for fmt, data in rendered.items():
                        atomic_write(out_dir / f"{name}.{FORMATS[fmt].suffix}", data)
                    records.append(to_marc(item.resolution, iris))
            except LdexportError as exc:
                failed += 1
                click.echo(f"error: {exc}", err=True)
    if "marcxml" in formats and records:
        atomic_write(out_dir / "collection.marc.xml", marcxml(records))
    if not quiet:
        click.echo(f"{len(records)} resolution(s) exported; {failed} file(s) failed", err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("symbols", nargs=-1)
@output_option("Folder to write <name>.pdf (English) and <name>.<lang>.pdf into.")
@click.option(
    "-l",
    "--language",
    "languages",
    multiple=True,
    default=["en"],
    show_default=True,
    type=click.Choice(["ar", "zh", "en", "fr", "ru", "es"]),
    help="Language version(s) to fetch; repeat for several.",
)
@click.option(
    "--record",
    "records",
    multiple=True,
    help="Also fetch this UN Digital Library record's MARCXML (record id).",
)
@click.option(
    "--service-url",
    default="https://documents.un.org",
    show_default=True,
    envvar="LDEXPORT_DOCUMENTS_URL",
    help="The UN documents service.",
)
@click.option(
    "--library-url",
    default="https://digitallibrary.un.org",
    show_default=True,
    envvar="LDEXPORT_LIBRARY_URL",
    help="The UN Digital Library.",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False),
    help="Cache folder (default: ~/.cache/ldexport/fetch).",
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    help="Seconds to wait between two requests (be polite to the UN's servers).",
)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds per request.")
@click.option(
    "--retries",
    default=3,
    show_default=True,
    help="Retries on 5xx, dropped connections and truncated bodies.",
)
@quiet_opt
def fetch(
    symbols: tuple[str, ...],
    out: str,
    languages: tuple[str, ...],
    records: tuple[str, ...],
    service_url: str,
    library_url: str,
    cache: str | None,
    interval: float,
    timeout: float,
    retries: int,
    quiet: bool,
) -> None:
    """Download UN documents by SYMBOL (e.g. A/RES/58/136 "S/RES/1373 (2001)") from the
    UN's documents service, with a cache so that a second fetch does not hit the network."""
    from ldexport.fetch import Fetcher, FetchError, default_cache, fetch_documents
    from ldexport.publish import atomic_write

    fetcher = Fetcher(
        documents_url=service_url.rstrip("/"),
        library_url=library_url.rstrip("/"),
        timeout=timeout,
        retries=retries,
        min_interval=interval,
        cache_dir=Path(cache) if cache else default_cache(),
    )
    written, failures = fetch_documents(list(symbols), list(languages), Path(out), fetcher)
    for record in records:
        try:
            path = Path(out) / f"record_{record}.marc.xml"
            atomic_write(path, fetcher.marcxml(record))
            written.append(path)
        except FetchError as exc:
            failures.append(str(exc))
    for line in failures:
        click.echo(f"error: {line}", err=True)
    if not quiet:
        for path in written:
            click.echo(str(path))
    sys.exit(1 if failures else 0)


@main.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.argument("facts", required=False, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--gold",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Third-party table to cross-check symbols and adoption dates against.",
)
@click.option("--details", is_flag=True, help="List every field that is wrong.")
def evaluate(corpus: str, facts: str | None, gold: tuple[str, ...], details: bool) -> None:
    """Measure the parser: convert every document of CORPUS and compare it with the golden
    facts in FACTS (default: CORPUS); print, per field, how many documents are right, and
    the precision and recall of citations."""
    from ldexport.evaluate import main as evaluate_main

    args = [corpus, *([facts] if facts else []), *(["--gold", *gold] if gold else [])]
    sys.exit(evaluate_main([*args, *(["--details"] if details else [])]))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@quiet_opt
def validate(paths: tuple[str, ...], quiet: bool) -> None:
    """Validate RDF files (.ttl, .jsonld, .nt) against the project's SHACL shapes.

    Prints one line per problem: the file, the node and what is wrong.
    """
    failed = 0
    files = [
        p
        for raw in paths
        for p in (
            sorted(x for x in Path(raw).iterdir() if x.suffix in {".ttl", ".jsonld", ".nt"})
            if Path(raw).is_dir()
            else [Path(raw)]
        )
    ]
    with progress(quiet, "validating", len(files)) as step:
        for path in step(files):  # type: ignore[operator]
            result = _validated(path)
            if isinstance(result, LdexportError):
                failed += 1
                click.echo(f"error: {result}", err=True)
            elif not result.conforms:
                failed += 1
                for line in result.lines():
                    click.echo(line)
            elif not quiet:
                click.echo(f"{path}: conforms")
    sys.exit(1 if failed else 0)


def _validated(path: Path) -> ValidationReport | LdexportError:
    from ldexport.validate import validate_file  # pyshacl and rdflib: only when needed

    try:
        return validate_file(path)
    except LdexportError as exc:
        return exc


@main.command("publish")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    "out",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of the published dataset.",
)
@base_iri_opt
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="Settings file (ldexport.toml, or pyproject.toml with [tool.ldexport]); by default "
    "the one next to the inputs or in the working folder.",
)
@click.option(
    "--licence",
    help="IRI of the licence of what ldexport adds (the UN's texts stay under the UN's terms "
    "of use). Not set: the catalogue says 'not stated'.",
)
@click.option("--publisher", help="Name of the publisher, for the catalogue.")
@click.option("--contact-email", help="Contact point of the dataset.")
@click.option("--landing-page", help="Web page of the dataset.")
@click.option("--sparql-endpoint", help="Public SPARQL endpoint (void:sparqlEndpoint).")
@click.option("--download-base", help="Where the output folder is served (default: B data/).")
@executor_opts
@quiet_opt
def publish_cmd(
    inputs: tuple[str, ...],
    out: str,
    base_iri: str,
    config: str | None,
    licence: str | None,
    publisher: str | None,
    contact_email: str | None,
    landing_page: str | None,
    sparql_endpoint: str | None,
    download_base: str | None,
    jobs: int | None,
    executor_name: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Publish a dataset: every INPUT converted, validated and written to the output folder,
    with corpus dumps (N-Quads, TriG, Turtle, JSON-LD; gzip; per session or year), a DCAT-AP
    and VoID catalogue, provenance, the JSON-LD context and the ontology.

    Incremental: unchanged sources are not converted again. All or nothing: the new output is
    built beside the old one and swapped in at the end.  Without INPUT, publishes the example
    documents bundled with ldexport.
    """
    from ldexport.dataset import publish_dataset
    from ldexport.settings import discover

    files = expand_inputs(inputs or [str(data_dir("examples"))])
    try:
        settings = discover(files, Path(config) if config else None).replace(
            licence=licence,
            publisher=publisher,
            contact_email=contact_email,
            landing_page=landing_page,
            sparql_endpoint=sparql_endpoint,
            download_base=download_base,
        )
    except LdexportError as exc:
        raise click.UsageError(str(exc)) from exc
    source = click.get_current_context().get_parameter_source("base_iri")
    if source is click.core.ParameterSource.DEFAULT:
        base_iri = settings.base_iri
    iris = iris_option(base_iri)
    from ldexport.executor import make_executor

    try:
        executor = make_executor(executor_name, jobs, scheduler)
    except LdexportError as exc:
        raise click.UsageError(str(exc)) from exc
    with executor, progress(quiet, "publishing", len(files)) as step:
        try:
            result = publish_dataset(
                files,
                Path(out),
                iris,
                settings,
                progress=step,  # type: ignore[arg-type]
                executor=executor,
            )
        except LdexportError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    report(result.outcomes, quiet=True)  # the problems and warnings of converted inputs
    if not quiet:
        for line in result.warnings:
            click.echo(f"warning: {line}", err=True)
        click.echo(result.summary(), err=True)
    sys.exit(result.exit_status)


@main.command("load")
@click.argument("output", type=click.Path(exists=True, file_okay=False))
@click.option("--endpoint", help="SPARQL 1.1 Graph Store Protocol endpoint (PUT ?graph=).")
@click.option("--update-endpoint", help="SPARQL 1.1 Update endpoint, for stores without GSP.")
@click.option("--query-endpoint", help="SPARQL query endpoint (guessed for the usual stores).")
@click.option(
    "--prune/--no-prune",
    default=None,
    help="Drop graphs under B graph/ that left the dataset (default: only when the store "
    "holds no other named graph).",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "gsp", "update", "bulk"]),
    default="auto",
    show_default=True,
    help="gsp: one PUT per graph; update: SPARQL Update batches; bulk (Oxigraph): one "
    "non-transactional POST of the N-Quads dump, graphs that changed dropped (fast, not "
    "atomic). auto: bulk when the server is Oxigraph, else gsp (update with "
    "--update-endpoint alone).",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds per request.")
@click.option("--retries", default=5, show_default=True, help="Retries on 5xx and drops.")
@click.option("--batch-mb", default=4, show_default=True, help="Size of one SPARQL Update request.")
@quiet_opt
def load_cmd(
    output: str,
    endpoint: str | None,
    update_endpoint: str | None,
    query_endpoint: str | None,
    prune: bool | None,
    method: str,
    timeout: float,
    retries: int,
    batch_mb: int,
    quiet: bool,
) -> None:
    """Load a published OUTPUT folder into a triple store, one named graph per resolution,
    replacing each graph, then check the counts.  Credentials: LDEXPORT_STORE_USER and
    LDEXPORT_STORE_PASSWORD, or ~/.netrc; never on the command line."""
    from ldexport.load import Endpoints, Store, StoreError, load

    try:
        endpoints = Endpoints.guess(endpoint, query_endpoint, update_endpoint)
        store = Store(endpoints, timeout=timeout, retries=retries)
        with progress(quiet, "loading", 2) as step:
            result = load(
                Path(output),
                endpoints,
                prune=prune,
                method=method,
                batch_bytes=batch_mb << 20,
                store=store,
                progress=step,  # type: ignore[arg-type]
            )
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for line in result.lines():
        if not quiet or line.startswith(("error", "warning")):
            click.echo(line, err=True)
    sys.exit(0 if result.ok else 1)


def _add_commands() -> None:
    """Commands whose code lives with its stage: serving and recorded votes."""
    from ldexport.serve.cli import serve
    from ldexport.votes_cli import votes

    main.add_command(serve)
    main.add_command(votes)


_add_commands()

if __name__ == "__main__":
    main()
