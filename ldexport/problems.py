"""What validating a document found, as a user reads it: a report of problems, one line each.

Kept apart from ldexport.validate (pySHACL, the compiled shapes): a report travels back from
a worker process with its document, and reading it must not load the validator."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ldexport.namespaces import PREFIXES


@dataclass(frozen=True)
class Problem:
    """One SHACL validation result: where, on which property, what is wrong, which shape."""

    focus: Node
    path: str | None  # the property path, compacted ("eli:title", "^eli:has_part")
    message: str
    shape: Node  # sh:sourceShape, e.g. ldxsh:NumberMatchesOrder
    value: Node | None = None

    def line(self, label: str) -> str:
        """`<label>: <focus> <path>: <message>`, IRIs shortened to what a reader needs; the
        offending value is added when the message does not name it already."""
        base = _base_of(self.focus)
        where = short(self.focus, base) + (f" {self.path}" if self.path else "")
        message = _IRI_IN_TEXT.sub(lambda m: short(URIRef(m.group(0)), base), self.message)
        if self.value is not None and self.value != self.focus:
            shown = short(self.value, base)
            named = shown in message or (
                isinstance(self.value, BNode) and str(self.value) in message
            )
            if not named:
                message += f" (value: {shown})"
        return f"{label}: {where}: {message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one document's graph; `lines()` is what a user reads."""

    label: str
    conforms: bool
    problems: tuple[Problem, ...]

    def lines(self) -> tuple[str, ...]:
        """One line per problem, for a terminal or a log; empty when the graph conforms."""
        return tuple(problem.line(self.label) for problem in self.problems)


def short(node: Node, base: str = "") -> str:
    """A node as a reader wants it: "eli:title", and under `base` (the data's scheme and host)
    "#para_5" or "/org/un-ga/session/58"; other IRIs whole, blank nodes "_:b0"."""
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return f'"{node}"'
    text = str(node)
    for prefix, namespace in _SHORT_PREFIXES.items():
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    if base and text.startswith(base):
        rest = text[len(base) :]
        return "#" + rest.split("#", 1)[1] if "#" in rest else "/" + rest
    return text


def _base_of(node: Node) -> str:
    """The scheme and host of an IRI ("http://localhost:8000/"), or "" for other nodes."""
    m = re.match(r"^[a-z][a-z0-9+.\-]*://[^/#]*/", str(node)) if isinstance(node, URIRef) else None
    return m.group(0) if m else ""


#: The namespace of the project's own shapes (`ldxsh:` in report lines).
SHAPES_NS = "https://w3id.org/ldexport/shapes#"
_SHORT_PREFIXES = {**PREFIXES, "rdf": RDF._NS, "ldxsh": SHAPES_NS}
_IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"{}|\\^`,;]+[^\s<>\"{}|\\^`,;.:]")
