"""What the publisher of a dataset says about it: licence, publisher, contact, addresses.

Read from `ldexport.toml` (top-level keys) or the `[tool.ldexport]` table of a
`pyproject.toml`, found next to the inputs or in the working folder, then overridden by
command-line options.  Nothing is invented: a licence that is not set is reported in the
catalogue as "not stated" and warned about, never defaulted to CC BY.

    licence = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    licence-label = "Creative Commons Attribution 4.0 International"
    publisher = "Example Legal Data Lab"
    publisher-iri = "https://example.org/#lab"
    contact-email = "data@example.org"
    landing-page = "https://data.example.org/"
    sparql-endpoint = "https://data.example.org/sparql"
    base-iri = "https://data.example.org/"
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldexport.errors import LdexportError
from ldexport.iris import DEFAULT_BASE_IRI

CONFIG_FILE = "ldexport.toml"

DEFAULT_TITLE = "United Nations resolutions as linked data"
DEFAULT_DESCRIPTION = (
    "General Assembly and Security Council resolutions converted by ldexport from the documents "
    "the United Nations issues into RDF aligned with ELI, ELI-DL and Akoma Ntoso: each "
    "resolution, its English expression, adoption, session, meeting and agenda item, every "
    "preambular and operative paragraph with its leading phrase, and the resolutions and "
    "documents it cites. One named graph per resolution."
)
DEFAULT_KEYWORDS = (
    "United Nations",
    "General Assembly",
    "Security Council",
    "resolutions",
    "ELI",
    "Akoma Ntoso",
    "linked data",
)

_IRI = re.compile(r"^https?://\S+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SettingsError(LdexportError):
    """A settings file or option that cannot be used; names the file and the key."""


@dataclass(frozen=True)
class Settings:
    """The publisher's settings of one dataset; every field may be left unset."""

    base_iri: str = DEFAULT_BASE_IRI
    #: IRI of the licence under which the publisher releases what ldexport adds (structure,
    #: identifiers, links, catalogue); the UN's texts stay under the UN's terms of use.
    licence: str | None = None
    licence_label: str | None = None
    publisher: str | None = None
    publisher_iri: str | None = None
    contact_email: str | None = None
    landing_page: str | None = None
    sparql_endpoint: str | None = None
    #: Where output/ is served; default `B data/` (DESIGN.md: `B data/<name>.ttl`).
    download_base: str | None = None
    title: str = DEFAULT_TITLE
    description: str = DEFAULT_DESCRIPTION
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    #: The file the settings came from, if any (not part of the dataset).
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        where = f" ({self.source})" if self.source else ""
        for name in ("licence", "publisher_iri", "landing_page", "sparql_endpoint"):
            value = getattr(self, name)
            if value is not None and not _IRI.match(value):
                raise SettingsError(f"{_key(name)} must be an http(s) IRI, not {value!r}{where}")
        if self.download_base is not None and not (
            _IRI.match(self.download_base) and self.download_base.endswith("/")
        ):
            raise SettingsError(
                f"download-base must be an http(s) IRI ending in '/', not "
                f"{self.download_base!r}{where}"
            )
        if self.contact_email is not None and not _EMAIL.match(self.contact_email):
            raise SettingsError(f"contact-email is not an e-mail address: {self.contact_email!r}")

    @property
    def downloads(self) -> str:
        """The IRI that output/ is served at."""
        return self.download_base or f"{self.base_iri}data/"

    def warnings(self) -> list[str]:
        """What the catalogue will say is not stated, one line each."""
        out = []
        if self.licence is None:
            out.append(
                "no licence is set for the metadata ldexport adds (setting 'licence'); "
                "the catalogue says it is not stated"
            )
        if self.publisher is None:
            out.append("no publisher is set (setting 'publisher'); the catalogue says not stated")
        if self.base_iri == DEFAULT_BASE_IRI:
            out.append(f"publishing with the default base IRI {DEFAULT_BASE_IRI}")
        return out

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given fields changed; None values are ignored (unset options)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def fingerprint(self) -> dict[str, Any]:
        """The settings as stored in the manifest (all but `source`)."""
        data = dataclasses.asdict(self)
        data.pop("source")
        data["keywords"] = list(self.keywords)
        return data


def _key(name: str) -> str:
    return name.replace("_", "-")


_FIELDS = {f.name for f in dataclasses.fields(Settings)} - {"source"}
_ALIASES = {"license": "licence", "license_label": "licence_label"}


def from_mapping(data: Mapping[str, Any], source: str | None = None) -> Settings:
    """Settings from a TOML table; unknown keys are an error (a typo must not go unseen)."""
    values: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = raw_key.replace("-", "_")
        key = _ALIASES.get(key, key)
        if key not in _FIELDS:
            known = ", ".join(sorted(_key(f) for f in _FIELDS))
            raise SettingsError(f"{source or 'settings'}: unknown key {raw_key!r} (known: {known})")
        if key == "keywords":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{source}: keywords must be a list of strings")
            value = tuple(value)
        elif not isinstance(value, str):
            raise SettingsError(f"{source}: {raw_key} must be a string")
        values[key] = value
    return Settings(**values, source=source)


def read_file(path: Path) -> Settings | None:
    """The settings a file holds: `ldexport.toml`, or a `pyproject.toml` with
    `[tool.ldexport]` (None when that table is absent)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings: {exc}") from exc
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("ldexport")
        if table is None:
            return None
        return from_mapping(table, str(path))
    return from_mapping(data, str(path))


def candidate_dirs(inputs: Sequence[Path], cwd: Path | None = None) -> list[Path]:
    """Where settings are looked for: the folder holding the inputs, then the working folder."""
    dirs: list[Path] = []
    if inputs:  # resolved once per folder: a publish may name 25,000 files of one folder
        folders = {p if p.is_dir() else p.parent for p in inputs}
        dirs.append(Path(_common_path(f.resolve() for f in folders)))
    dirs.append((cwd or Path.cwd()).resolve())
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen


def _common_path(paths: Iterable[Path]) -> str:
    return os.path.commonpath([str(p) for p in paths])


def discover(
    inputs: Sequence[Path], config: Path | None = None, cwd: Path | None = None
) -> Settings:
    """Settings for a publish: `config` if given, else the first `ldexport.toml` or
    `pyproject.toml` with `[tool.ldexport]` next to the inputs or in the working folder,
    else the defaults."""
    if config is not None:
        found = read_file(config)
        if found is None:
            raise SettingsError(f"{config}: no [tool.ldexport] table")
        return found
    for folder in candidate_dirs(inputs, cwd):
        for name in (CONFIG_FILE, "pyproject.toml"):
            path = folder / name
            if path.is_file():
                found = read_file(path)
                if found is not None:
                    return found
    return Settings()
