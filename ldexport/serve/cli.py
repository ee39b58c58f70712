"""The `serve` command: `ldexport serve [OUTPUT] [--host 127.0.0.1] [--port 8000]`.

A `click.Command` of its own; ldexport's command group adds it with
`main.add_command(serve)`.  `python -m ldexport.serve` runs it on its own too.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click


@click.command("serve")
@click.argument(
    "output",
    default="output",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option(
    "--sparql-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a SPARQL query may run before it is stopped.",
)
@click.option(
    "--sparql-limit",
    default=10_000,
    show_default=True,
    type=click.IntRange(1),
    help="Most rows (or triples) a SPARQL result returns; longer results are cut.",
)
@click.option(
    "--sparql-workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Query worker processes (queries that run at once).",
)
@click.option(
    "--sparql-memory",
    default=2048,
    show_default=True,
    type=click.IntRange(0),
    help="Address space of each query worker, in MiB (0: no limit).",
)
@click.option(
    "--oai-page-size",
    default=100,
    show_default=True,
    type=click.IntRange(1),
    help="Records per OAI-PMH list response (then a resumption token).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
)
def serve(
    output: Path,
    host: str,
    port: int,
    sparql_timeout: float,
    sparql_limit: int,
    sparql_workers: int,
    sparql_memory: int,
    oai_page_size: int,
    log_level: str,
) -> None:
    """Serve a published OUTPUT folder (default: output/) as linked data.

    Every IRI of the dataset dereferences (HTML for people, Turtle, JSON-LD, N-Triples,
    RDF/XML, Akoma Ntoso by content negotiation), with a SPARQL endpoint at /sparql and
    OAI-PMH at /oai.  Restart it after a new publish.
    """
    import uvicorn

    from ldexport.serve.app import Options, create_app
    from ldexport.serve.site import SiteError

    logging.basicConfig(level=log_level.upper(), format="%(levelname)s: %(message)s")
    options = Options(
        out_dir=output,
        sparql_timeout=sparql_timeout,
        sparql_limit=sparql_limit,
        sparql_workers=sparql_workers,
        sparql_memory_mb=sparql_memory,
        oai_page_size=oai_page_size,
    )
    try:
        app = create_app(options)
    except (SiteError, OSError, ValueError, KeyError) as exc:
        click.echo(f"error: {output}: cannot be served: {exc}", err=True)
        sys.exit(1)
    server = app.state.server
    site = server.site
    base = urlsplit(site.base)
    shown_host = f"[{host}]" if ":" in host else host
    here = f"http://{shown_host}:{port}{site.root}"
    click.echo(
        f"{len(site.documents)} resolution(s), {server.quads} quads loaded in "
        f"{server.store_seconds:.2f} s; serving {output} at {here}",
        err=True,
    )
    loopback = {"localhost", "127.0.0.1", "::1"}
    same_host = base.hostname == host or {base.hostname, host} <= loopback
    base_port = base.port or (443 if base.scheme == "https" else 80)
    if not (same_host and base_port == port):
        click.echo(
            f"note: the dataset's IRIs start with {site.base}; pages link by path, so they work "
            f"here too, but the IRIs themselves resolve where {site.base} is served",
            err=True,
        )
    if not site.settings.get("contact_email"):
        click.echo(
            "note: no contact-email setting; OAI-PMH Identify shows a placeholder adminEmail",
            err=True,
        )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=3,
    )
