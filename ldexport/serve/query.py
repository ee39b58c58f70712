"""What a SPARQL request asks for, read from its text before any engine sees it.

The endpoint is read-only and never calls other services, so two things are checked here,
on the query text with its comments, strings and IRIs blanked out (after the codepoint
escapes of SPARQL 1.1 §19.2 are undone, so `\\u0053ERVICE` is caught too):

- `form`: the first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, or an
  update operation (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH).
- `uses_service`: whether the SERVICE keyword occurs anywhere (federated query).  The check
  errs on the side of refusing: a prefixed name spelled `ex:a.service` counts too.

>>> analyse("PREFIX ex: <http://e/> SELECT * { ?s ex:service ?o } # SERVICE").form
'SELECT'
>>> analyse("PREFIX ex: <http://e/> SELECT * { ?s ex:service ?o }").uses_service
False
>>> analyse('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }').uses_service
True
>>> analyse('SELECT * { ?s ?p ?o .\\\\u0053ERVICE <http://x/> {} }').uses_service
True
>>> analyse("insert data { <a:b> <a:c> 'SELECT' }").form
'INSERT'
>>> analyse("BASE <http://e/> prefix : <http://f/> describe :x").form
'DESCRIBE'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = (
    *("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"),
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Tokens whose content is not SPARQL syntax: long and short strings, IRIs, comments.
_OPAQUE = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'
      | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>
      | \#[^\n\r]*""",
    re.VERBOSE | re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w?$:\-])SERVICE(?![\w:\-])", re.IGNORECASE)
_PROLOGUE = re.compile(r"\s*(?:(?:BASE|PREFIX\s*[\w.\-]*:)\s*)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _ESCAPE.sub(repl, text)


def blank_opaque(text: str) -> str:
    """`text` with every string, IRI and comment replaced by a space."""
    return _OPAQUE.sub(" ", text)


@dataclass(frozen=True)
class QueryText:
    form: str | None  # upper case keyword, None when the text has none
    uses_service: bool

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS


def analyse(text: str) -> QueryText:
    """The form of a SPARQL request and whether it uses SERVICE."""
    bare = blank_opaque(_unescape(text))
    uses_service = bool(_SERVICE.search(bare))
    # the prologue's IRIs are blanked already: skip "BASE", "PREFIX p:" declarations
    rest = bare
    while True:
        m = _PROLOGUE.match(rest)
        if not m or not m.group(0).strip():
            break
        rest = rest[m.end() :]
    word = _WORD.search(rest)
    form = word.group(0).upper() if word else None
    return QueryText(form, uses_service)
