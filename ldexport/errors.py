"""One family of errors, so that callers can catch what ldexport raises and nothing else."""

from __future__ import annotations


class LdexportError(Exception):
    """Base of every error ldexport raises on purpose; `str()` is one readable line."""


class SourceError(LdexportError):
    """A file could not be read as a UN document: empty, binary, unknown format, truncated."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ParseError(LdexportError):
    """The text was read but is not a resolution ldexport understands.

    `line` and `column` are 1-based positions in the decoded source; `context` holds the
    numbered source lines around it, for a human to see where it went wrong.
    """

    def __init__(
        self,
        path: str,
        reason: str,
        line: int | None = None,
        column: int | None = None,
        context: str = "",
    ) -> None:
        where = f"{path}:{line}:{column}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        self.context = context


class MappingError(LdexportError):
    """The model could not be mapped to RDF (a value no IRI can be built from)."""


class ShapeError(LdexportError):
    """A graph does not conform to the project's SHACL shapes."""
