"""`ldexport export` and Akoma Ntoso as an input format, through the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ldexport import akn
from ldexport.akn import validate_akn
from ldexport.convert import convert_file
from ldexport.dc import validate_oai_dc
from ldexport.errors import MappingError
from ldexport.export import FORMATS, render
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


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_write_checked_is_write_then_check(fmt: str) -> None:
    [item] = convert_file(SEED, Iris())
    spec = FORMATS[fmt]
    data = spec.write(item.resolution, Iris())
    assert spec.write_checked(item.resolution, Iris()) == (data, spec.check(data)) == (data, [])


def test_an_invalid_tree_fails_with_the_errors_of_its_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The schema checks the tree the bytes come from; its errors are those of the bytes."""
    tree = akn._tree

    def broken(*args: Any) -> Any:
        root = tree(*args)
        etree.SubElement(root, f"{{{akn.AKN_NS}}}bogus")
        return root

    monkeypatch.setattr(akn, "_tree", broken)
    [item] = convert_file(SEED, Iris())
    data, errors = akn.checked_akn(item.resolution, Iris())
    assert errors == validate_akn(data) != []
    with pytest.raises(MappingError, match=r"the akn export is invalid: \d+:\d+: "):
        render("akn", item.resolution, Iris())
