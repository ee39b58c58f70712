"""Where the files ldexport ships live: ontology/, shapes/, examples/ and the JSON Schema.

In a source checkout (and an editable install) they are the top-level folders of the
repository; a wheel carries copies inside the package under `_data/` (pyproject.toml).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder `name` ("ontology", "shapes", "examples") of this installation."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ldexport's {name}/ folder is missing from this installation")


def schema_path() -> Path:
    return _PACKAGE / "schema" / "resolution.schema.json"
