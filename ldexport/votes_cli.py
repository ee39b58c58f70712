"""`ldexport votes IMPORT... [-o output/]`: recorded votes into a published output folder.

Hooked into the command group by `main.add_command(votes)` (ldexport/cli.py).  What it does,
in order: read every import file (`ldexport.votes.read_votes`), link each record to its
resolution among those published in the output, build and validate each votes graph (with
the resolution's document graph where that is published), and add the conforming ones to the
output as `ldexport.dataset.publish_votes` does: all or nothing, dumps, catalogue and manifest
written again.  Exit status 0 only when every linked votes graph conforms and was written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Graph

from ldexport.errors import LdexportError


@click.command("votes")
@click.argument(
    "imports",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    "out",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The published output folder (from `ldexport publish`) the votes are added to.",
)
@click.option(
    "--include-absent",
    is_flag=True,
    help="Also write the votes of resolutions whose text is not published in the output "
    "(by default they are skipped with a warning).",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def votes(imports: tuple[Path, ...], out: Path, include_absent: bool, quiet: bool) -> None:
    """Add recorded votes to a published OUTPUT: UN Digital Library voting records (MARCXML),
    Voeten / unvotes roll-call tables (CSV) and UniteIdeas Security Council votes (XML).

    Each resolution's votes become the named graph B graph/<name>/votes, written as
    <name>.votes.ttl and .votes.jsonld, kept when the text is published again, and
    included in the dumps, the catalogue and `ldexport load`."""
    sys.exit(run(list(imports), out, include_absent, quiet))


def run(imports: list[Path], out: Path, include_absent: bool = False, quiet: bool = False) -> int:
    """The command's work; returns the exit status."""
    from ldexport.dataset import now_iso, publish_votes, votes_shard
    from ldexport.iris import Iris
    from ldexport.manifest import VotesEntry, read_manifest
    from ldexport.symbols import file_name
    from ldexport.votes import (
        present_documents,
        read_votes,
        serialise,
        validate_votes,
        votes_files,
        votes_graph,
    )

    def warn(line: str) -> None:
        if not quiet:
            click.echo(f"warning: {line}", err=True)

    manifest = read_manifest(out)
    if manifest is None:
        click.echo(
            f"error: {out}: no published output here; run `ldexport publish` first", err=True
        )
        return 1
    iris = Iris(manifest.fingerprint["base_iri"])
    try:
        records, warnings = read_votes(imports)
    except LdexportError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    documents = present_documents(out)
    from ldexport.votes import link

    linked, more = link(records, documents, include_absent)
    for line in [*warnings, *more]:
        warn(line)
    failed = 0
    new: list[tuple[VotesEntry, dict[str, bytes]]] = []
    lines: list[str] = []
    imported_at = now_iso()
    for item in linked:
        graph = votes_graph(item, iris)
        document = Graph().parse(item.document, format="turtle") if item.document else None
        report = validate_votes(graph, document, f"{item.symbol} votes")
        if not report.conforms:
            failed += 1
            for line in report.lines():
                click.echo(f"error: {line}", err=True)
            continue
        name = file_name(item.symbol)
        rels = votes_files(item.symbol)
        data = serialise(graph)
        files = {rels[0]: data["ttl"], rels[1]: data["jsonld"]}
        doc = manifest.documents.get(name)
        sources = [item.record.source, *(o.source for o in item.others)]
        digests = sorted({r.source_sha256 for r in (item.record, *item.others) if r.source_sha256})
        entry = VotesEntry(
            symbol=item.symbol,
            name=name,
            graph=iris.votes_graph(item.symbol),
            shard=doc.shard if doc else votes_shard(item.symbol, item.record.date)[0],
            triples=len(graph),
            sources=sources,
            source_sha256=digests,
            imported_at=imported_at,
            ldexport_version=_version(),
            date=item.record.date,
            files=rels,
        )
        new.append((entry, files))
        text = "" if item.document else "; its text is not published"
        lines.append(f"votes: {item.symbol}: conforms ({'; '.join(sources)}{text})")
    if new:
        try:
            result = publish_votes(out, new, lines)
        except LdexportError as exc:
            click.echo(f"error: {exc}", err=True)
            return 1
        if not quiet:
            click.echo(
                f"{len(new)} votes graph(s) written to {out} "
                f"({len(result.manifest.votes)} in the dataset); {failed} did not conform",
                err=True,
            )
    elif not quiet:
        click.echo(f"no votes graph written; {failed} did not conform", err=True)
    return 1 if failed else 0


def _version() -> str:
    from ldexport import __version__

    return __version__
