"""Bad input gets one clear line naming the file and the reason; the rest of the batch is
still converted; no half-written file is left behind; the exit status says it failed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ldexport.convert import parse_file
from ldexport.errors import LdexportError, ParseError, SourceError
from ldexport.publish import atomic_write

from conftest import SEED


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ldexport", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    seed = SEED.read_bytes()
    files = {
        "empty": b"",
        "blank": b"  \n\n \r\n",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)),
        "truncated": seed[: len(seed) // 2],
        "letter": (
            b"Letter dated 3 March 2006 from the Permanent Representative of Norway\n"
            b"I have the honour to transmit a statement on the situation in the Sudan.\n"
        ),
    }
    out = {}
    for name, data in files.items():
        path = tmp_path / "in" / f"{name}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        out[name] = path
    return out


@pytest.mark.parametrize(
    ("name", "error", "reason"),
    [
        ("empty", SourceError, "is empty"),
        ("blank", SourceError, "is empty"),
        ("binary", SourceError, "binary"),
        ("truncated", SourceError, "truncated ODS export"),
        ("letter", ParseError, "not a resolution"),
    ],
)
def test_each_bad_input_has_its_reason(
    bad_inputs: dict[str, Path], name: str, error: type[LdexportError], reason: str
) -> None:
    with pytest.raises(error) as caught:
        parse_file(bad_inputs[name])
    message = str(caught.value)
    assert message.startswith(str(bad_inputs[name]))
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252"])
def test_other_encodings_are_read_correctly(tmp_path: Path, encoding: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    [res] = parse_file(path)
    [expected] = parse_file(SEED)
    assert res.symbol == expected.symbol
    assert len(res.parts) == len(expected.parts)
    # "Bogotá" in the second preambular paragraph survives the round trip.
    assert "Bogotá" in res.parts[1].text


def test_batch_goes_on_and_exit_status_says_it_failed(
    bad_inputs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli("convert", *map(str, bad_inputs.values()), str(SEED), "-o", str(out))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(bad_inputs)
    for path in bad_inputs.values():
        assert sum(str(path) in line for line in errors) == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "A_RES_58_136.akn.xml",
        "A_RES_58_136.dc.xml",
        "A_RES_58_136.json",
        "A_RES_58_136.jsonld",
        "A_RES_58_136.marc.xml",
        "A_RES_58_136.ttl",
    ]


def test_good_batch_exits_zero(tmp_path: Path) -> None:
    result = run_cli("convert", str(SEED), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "A_RES_58_136.ttl").stat().st_size > 0


def test_atomic_write_leaves_nothing_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "doc.ttl"
    target.write_bytes(b"previous content\n")
    # Writing a str to the binary temporary file fails after the file was created.
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"previous content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.ttl"]


def test_validate_names_an_unreadable_file_and_goes_on(tmp_path: Path) -> None:
    assert run_cli("convert", str(SEED), "-o", str(tmp_path)).returncode == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <")
    result = run_cli("validate", str(broken), str(tmp_path / "A_RES_58_136.ttl"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {broken}: ")
    assert f"{tmp_path / 'A_RES_58_136.ttl'}: conforms" in result.stdout


@pytest.mark.parametrize("command", ["convert", "publish"])
def test_a_file_name_that_is_not_utf8_is_one_error_line(tmp_path: Path, command: str) -> None:
    """A file name in another encoding (Latin-1 "café") cannot be recorded in the UTF-8
    outputs (model JSON, manifest, report): one line names it, its odd byte escaped, and the
    other inputs are published (the whole batch stopped on a UnicodeEncodeError before)."""
    folder = tmp_path / "in"
    folder.mkdir()
    odd = Path(os.fsdecode(bytes(folder) + b"/A_RES_58_136_caf\xe9.txt"))
    odd.write_bytes(SEED.read_bytes())
    (folder / "A_RES_58_136.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = run_cli(command, str(folder), "-o", str(out))
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {folder}/A_RES_58_136_caf\\xe9.txt: {NOT_UTF8}"]
    assert (out / "A_RES_58_136.ttl").stat().st_size > 0
    if command == "publish":
        report = (out / "validation-report.txt").read_text(encoding="utf-8")
        assert f"A_RES_58_136_caf\\xe9.txt: {NOT_UTF8}" in report


NOT_UTF8 = "the file name is not valid UTF-8; rename the file"


def test_a_folder_name_that_is_not_utf8(tmp_path: Path) -> None:
    """Only a publish records a source's whole path (manifest, report): `convert` writes the
    document of a file in a folder named in Latin-1, `publish` names the folder as the
    reason, and `validate` says so rather than "no such file" (found in review)."""
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    folder.mkdir()
    (folder / "A_RES_58_136.txt").write_bytes(SEED.read_bytes())
    converted = run_cli("convert", str(folder), "-o", str(tmp_path / "conv"))
    assert converted.returncode == 0, converted.stderr
    assert (tmp_path / "conv" / "A_RES_58_136.ttl").stat().st_size > 0
    published = run_cli("publish", str(folder), "-o", str(tmp_path / "out"))
    shown = f"{tmp_path}/caf\\xe9"
    reason = "the name of its folder is not valid UTF-8; rename the folder"
    assert published.returncode == 1
    assert f"error: {shown}/A_RES_58_136.txt: {reason}" in published.stderr.splitlines()
    ttl = folder / "doc.ttl"
    ttl.write_bytes((tmp_path / "conv" / "A_RES_58_136.ttl").read_bytes())
    validated = run_cli("validate", str(ttl))
    assert validated.returncode == 1
    assert f"{shown}/doc.ttl: {reason}" in validated.stderr, validated.stderr
