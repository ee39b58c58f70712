"""The command itself: one clear line and exit status 1 for a folder it cannot serve."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from ldexport.serve.cli import serve

from .serve_support import serve_command


def test_serve_is_a_click_command_named_serve() -> None:
    assert isinstance(serve, click.Command) and serve.name == "serve"
    names = {p.name for p in serve.params}
    assert {"output", "host", "port", "sparql_timeout", "oai_page_size"} <= names


def test_a_folder_that_was_not_published(tmp_path: Path) -> None:
    (tmp_path / "A_RES_58_136.ttl").write_text("")
    done = subprocess.run(
        [*serve_command(), str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: {tmp_path}: cannot be served: {tmp_path}: no manifest.json; is this a folder "
        "`ldexport publish` wrote?"
    ]


def test_help() -> None:
    done = subprocess.run([*serve_command(), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--sparql-timeout" in done.stdout and "OUTPUT" in done.stdout
