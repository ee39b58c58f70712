"""Publisher settings: found next to the inputs, checked, never a silent licence."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldexport.settings import Settings, SettingsError, discover


def test_ldexport_toml_next_to_the_inputs(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("x")
    (tmp_path / "ldexport.toml").write_text(
        'licence = "https://creativecommons.org/licenses/by/4.0/"\n'
        'publisher = "Lab"\ncontact-email = "a@b.org"\nkeywords = ["UN"]\n'
    )
    s = discover([tmp_path / "doc.txt"], cwd=tmp_path / "elsewhere")
    assert s.licence == "https://creativecommons.org/licenses/by/4.0/"
    assert s.publisher == "Lab" and s.keywords == ("UN",)
    assert s.source == str(tmp_path / "ldexport.toml")
    assert not any("licence" in w for w in s.warnings())


def test_tool_ldexport_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ldexport]\nlicense = "https://example.org/l"\n')
    assert discover([], cwd=tmp_path).licence == "https://example.org/l"


def test_defaults_state_nothing_and_warn(tmp_path: Path) -> None:
    s = discover([], cwd=tmp_path)
    assert s == Settings() and s.licence is None
    assert any("no licence" in w for w in s.warnings())


def test_options_override_the_file(tmp_path: Path) -> None:
    s = Settings(publisher="File").replace(publisher="Option", licence=None)
    assert s.publisher == "Option" and s.licence is None


@pytest.mark.parametrize(
    "text, message",
    [
        ('licnece = "https://x.org/"', "unknown key 'licnece'"),
        ('licence = "CC-BY"', "licence must be an http"),
        ('contact-email = "nobody"', "not an e-mail"),
        ('download-base = "https://x.org/data"', "ending in '/'"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "ldexport.toml").write_text(text + "\n")
    with pytest.raises(SettingsError, match=message):
        discover([], cwd=tmp_path)
