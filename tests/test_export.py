"""`ldexport export` and Akoma Ntoso as an input format, through the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ldexport.akn import validate_akn
from ldexport.convert import convert_file
from ldexport.dc import validate_oai_dc
from ldexport.iris import Iris
from ldexport.marc import read_marcxml, validate_marcxml

from conftest import SEED, assert_isomorphic


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ldexport", *args], capture_output=True, text=True, check=False
    )


def test_export_writes_valid_records(tmp_path: Path) -> None:
    result = run_cli(
        "export", "--format", "akn", "--format", "marcxml", "--format", "dc",
        str(SEED), "-o", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert validate_akn((tmp_path / "A_RES_58_136.akn.xml").read_bytes()) == []
    assert validate_oai_dc((tmp_path / "A_RES_58_136.dc.xml").read_bytes()) == []
    collection = (tmp_path / "collection.marc.xml").read_bytes()
    assert validate_marcxml(collection) == []
    [record] = read_marcxml(collection)
    assert record["191"]["a"] == "A/RES/58/136"


def test_export_of_a_bad_input_fails_cleanly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run_cli("export", "--format", "akn", str(empty), str(SEED), "-o", str(tmp_path))
    assert result.returncode == 1
    assert f"error: {empty}: is empty" in result.stderr
    assert (tmp_path / "A_RES_58_136.akn.xml").is_file()


def test_akoma_ntoso_input_gives_the_same_graph(tmp_path: Path) -> None:
    """Convert reads the AKN export back: the graph is the one the original text gave."""
    assert run_cli("export", "--format", "akn", str(SEED), "-o", str(tmp_path)).returncode == 0
    [from_text] = convert_file(SEED, Iris())
    [from_akn] = convert_file(tmp_path / "A_RES_58_136.akn.xml", Iris())
    assert from_akn.report.conforms
    assert_isomorphic(from_text.graph, from_akn.graph)
