"""The `ldexport` command line: convert, validate, publish.

Exit status is 0 only when every input was converted and conforms to the shapes.  A bad
input gets one line on stderr naming the file and the reason; the others are still done.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ldexport import __version__
from ldexport.iris import DEFAULT_BASE_IRI, Iris
from ldexport.publish import Outcome, publish, run_batch
from ldexport.resources import data_dir

INPUT_SUFFIXES = {".txt", ".pdf", ".docx", ".md", ".json", ".xml"}


def expand_inputs(paths: Iterable[str]) -> list[Path]:
    """Files as given; folders as the document files directly inside them, sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES and p.name[0] != "."
                )
            )
        else:
            out.append(path)
    return out


def iris_option(base_iri: str) -> Iris:
    try:
        return Iris(base_iri)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-iri") from exc


@contextmanager
def progress(quiet: bool, label: str, total: int) -> Iterator[object]:
    """A progress bar on stderr for batches, silent for one file or with --quiet."""
    if quiet or total < 2:
        yield lambda xs: xs
        return
    with click.progressbar(
        length=total, label=label, file=sys.stderr, show_eta=True, show_pos=True
    ) as bar:

        def step(items: Iterable[Path]) -> Iterator[Path]:
            for item in items:
                yield item
                bar.update(1)

        yield step


def report(outcomes: list[Outcome], quiet: bool) -> int:
    """Print problems to stderr, a summary line, and return the exit status."""
    failed = 0
    written = 0
    for o in outcomes:
        for line in o.problems:
            click.echo(f"error: {line}", err=True)
        if not quiet:
            for line in o.warnings:
                click.echo(f"warning: {line}", err=True)
        failed += not o.ok
        written += len(o.converted)
    if not quiet:
        click.echo(
            f"{written} resolution(s) written from {len(outcomes) - failed} of "
            f"{len(outcomes)} file(s); {failed} file(s) failed",
            err=True,
        )
    return 1 if failed else 0


base_iri_opt = click.option(
    "--base-iri",
    default=DEFAULT_BASE_IRI,
    show_default=True,
    envvar="LDEXPORT_BASE_IRI",
    help="Base IRI every minted IRI hangs off (ending in '/').",
)
quiet_opt = click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")


@click.group()
@click.version_option(__version__, prog_name="ldexport")
def main() -> None:
    """Turn United Nations resolutions into linked data (ELI / Akoma Ntoso aligned RDF)."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write <name>.ttl, <name>.jsonld and <name>.json into.",
)
@base_iri_opt
@quiet_opt
def convert(inputs: tuple[str, ...], out: str, base_iri: str, quiet: bool) -> None:
    """Convert INPUT files (or folders of them) to Turtle, JSON-LD and model JSON.

    Each input is read (ODS text export, PDF, Word, Markdown, JSON or plain text; the
    format is detected from the content), parsed, mapped to RDF and validated against the
    SHACL shapes; only conforming documents are written.
    """
    files = expand_inputs(inputs)
    iris = iris_option(base_iri)
    with progress(quiet, "converting", len(files)) as step:
        outcomes = run_batch(files, Path(out), iris, progress=step)  # type: ignore[arg-type]
    sys.exit(report(outcomes, quiet))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@quiet_opt
def validate(paths: tuple[str, ...], quiet: bool) -> None:
    """Validate RDF files (.ttl, .jsonld, .nt) against the project's SHACL shapes.

    Prints one line per problem: the file, the node and what is wrong.
    """
    from ldexport.validate import validate_file

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
    for path in files:
        result = validate_file(path)
        if result.conforms:
            if not quiet:
                click.echo(f"{path}: conforms")
        else:
            failed += 1
            for line in result.lines():
                click.echo(line)
    sys.exit(1 if failed else 0)


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
@quiet_opt
def publish_cmd(inputs: tuple[str, ...], out: str, base_iri: str, quiet: bool) -> None:
    """Publish a dataset: every INPUT converted, validated and written to the output folder,
    with the JSON-LD context, a validation report and a provenance graph.

    Without INPUT, publishes the example documents bundled with ldexport.
    """
    files = expand_inputs(inputs or [str(data_dir("examples"))])
    iris = iris_option(base_iri)
    if base_iri == DEFAULT_BASE_IRI and not quiet:
        click.echo(
            f"warning: publishing with the default base IRI {DEFAULT_BASE_IRI}; "
            "set --base-iri to where the data will be served",
            err=True,
        )
    with progress(quiet, "publishing", len(files)) as step:
        outcomes = publish(files, Path(out), iris, progress=step)
    sys.exit(report(outcomes, quiet))


if __name__ == "__main__":
    main()
