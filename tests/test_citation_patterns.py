"""Every example stored with the citation patterns (ldexport/parse/citation_patterns.yaml).

As in reporters-db, a regex lives next to the strings it must match: each example names its
pattern, and this test checks that the pattern matches there (or does not, for `match: false`)
and that `find_citations` turns the whole example into exactly the symbols it lists.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from ldexport import sources
from ldexport.errors import LdexportError
from ldexport.model import Citation, CitationKind, Span
from ldexport.parse import normalise
from ldexport.parse.citations import _LOADER, PATTERNS, PATTERNS_FILE, find_citations

from conftest import DOCUMENTS

# Patterns that read a window of text ending where a citation starts (anchored with `$`).
_WINDOW = {"pre_pin", "report_pre_pin", "antecedent", "report_context", "draft_context"}

EXAMPLES = [
    pytest.param(name, example, id=f"{name}-{i}")
    for name, pattern in PATTERNS.items()
    for i, example in enumerate(pattern.examples)
]


def test_the_patterns_file_reads_the_same_with_libyaml() -> None:
    """The patterns are read by libyaml's parser where PyYAML has it (`_LOADER`): the same
    data as PyYAML's own safe parser gives."""
    text = PATTERNS_FILE.read_text(encoding="utf-8")
    assert _LOADER in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", None))  # a safe one
    assert yaml.load(text, Loader=_LOADER) == yaml.safe_load(text)


def test_every_pattern_has_examples() -> None:
    assert all(p.examples for p in PATTERNS.values()), [
        n for n, p in PATTERNS.items() if not p.examples
    ]


def test_every_example_names_its_source() -> None:
    for name, pattern in PATTERNS.items():
        for example in pattern.examples:
            assert example.get("source"), (name, example["text"])
            assert example.get("body") in ("un-ga", "un-sc"), (name, example["text"])


@pytest.mark.parametrize(("name", "example"), EXAMPLES)
def test_example(name: str, example: dict[str, Any]) -> None:
    text: str = example["text"]
    regex = PATTERNS[name].regex
    if name in _WINDOW:
        matched = any(regex.search(text[:k]) for k in range(len(text) + 1))
    else:
        matched = regex.search(text) is not None
    assert matched == example.get("match", True), f"pattern {name} on {text!r}"

    previous = None
    if example.get("previous"):
        sym = example["previous"]
        previous = Citation(sym, CitationKind.REPORT, sym, Span(0, len(sym)), "annex II.A")
    found = find_citations(text, body=example["body"], previous=previous)
    assert [c.symbol for c in found] == example["symbols"]
    if "kinds" in example:
        assert [c.kind.value for c in found] == example["kinds"]
    if "pins" in example:
        assert [c.pin for c in found] == example["pins"]
    for c in found:
        assert text[c.span.start : c.span.end] == c.text


def _paragraphs() -> list[str]:
    """Every example, and every paragraph of the dev corpus's text documents."""
    out = [e["text"] for p in PATTERNS.values() for e in p.examples]
    for path in DOCUMENTS:
        if path.suffix not in (".txt", ".md"):
            continue
        try:
            out.extend(b.text for b in normalise.normalise(sources.read(path)))
        except LdexportError:  # bad input on purpose
            continue
    return out


def test_requires_holds_wherever_the_pattern_matches() -> None:
    """A pattern's `requires` skips only texts where the pattern finds nothing."""
    texts = _paragraphs()
    for name, pattern in PATTERNS.items():
        for text in texts:
            if pattern.requires and not any(s in text for s in pattern.requires):
                assert pattern.regex.search(text) is None, (name, text)
            spans = [m.span() for m in pattern.finditer(text)]
            assert spans == [m.span() for m in pattern.regex.finditer(text)], (name, text)
