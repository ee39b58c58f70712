"""The IRI scheme of DESIGN.md ("Identifiers"): everything hangs off one base IRI.

Built only from canonical symbols (`ldexport.symbols.canonical`), so a resolution and every
citation of it meet at the same IRI.

>>> iris = Iris("http://localhost:8000/")
>>> iris.work("S/RES/1373 (2001)")
'http://localhost:8000/doc/S/RES/1373(2001)'
>>> iris.part("A/RES/58/136", "para_5")
'http://localhost:8000/doc/A/RES/58/136#para_5'
>>> iris.agenda_item("un-ga", "58", "90 (b)")
'http://localhost:8000/org/un-ga/session/58/agenda-item/90b'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import URIRef

from ldexport.symbols import canonical, file_name

#: `canonical`, remembered: mapping a document asks for its own work IRI (and its parts')
#: some 170 times.
_canonical = lru_cache(maxsize=4096)(canonical)

DEFAULT_BASE_IRI = "http://localhost:8000/"

# Manifestation suffix per source format.
MANIFESTATION = {
    "ods-text": "txt",
    "plain-text": "txt",
    "markdown": "txt",
    "json": "txt",
    "pdf": "pdf",
    "docx": "docx",
    "akn": "akn",
    "html": "html",
}


@dataclass(frozen=True)
class Iris:
    """Mints the IRIs of one dataset; `base` ends with "/"."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s/]+(/[^\s#?]*)?$", self.base) or not self.base.endswith(
            "/"
        ):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/': {self.base!r}")

    def work(self, symbol: str) -> str:
        return f"{self.base}doc/{_canonical(symbol)}"

    def expression(self, symbol: str, language: str = "eng") -> str:
        return f"{self.work(symbol)}/{language}"

    def manifestation(self, symbol: str, language: str, fmt: str) -> str:
        return f"{self.expression(symbol, language)}/{fmt}"

    def part(self, symbol: str, eid: str) -> str:
        return f"{self.work(symbol)}#{eid}"

    def adoption(self, symbol: str) -> str:
        return self.part(symbol, "adoption")

    def vote(self, symbol: str) -> str:
        return self.part(symbol, "vote")

    def data(self, symbol: str, ext: str) -> str:
        return f"{self.base}data/{file_name(symbol)}.{ext}"

    def graph(self, symbol: str) -> str:
        return f"{self.base}graph/{file_name(symbol)}"

    def votes_graph(self, symbol: str) -> str:
        return f"{self.graph(symbol)}/votes"

    def organ(self, actor: str) -> str:
        return f"{self.base}org/{actor}"

    def session(self, body: str, session: str) -> str:
        return f"{self.organ(body)}/session/{session}"

    def meeting(self, body: str, session: str | None, meeting: str) -> str:
        """A plenary meeting hangs off its session; a Council meeting off the Council."""
        parent = self.session(body, session) if session else self.organ(body)
        return f"{parent}/meeting/{meeting}"

    def agenda_item(self, body: str, session: str, item: str) -> str:
        return f"{self.session(body, session)}/agenda-item/{agenda_key(item)}"

    def state(self, iso3: str) -> str:
        return f"{self.base}org/state/{iso3.upper()}"


def agenda_key(item: str) -> str:
    """An agenda item as it stands in an IRI: no spaces or brackets ("90 (b)" -> "90b")."""
    return re.sub(r"[\s()\[\]]", "", item)


def undocs(symbol: str) -> str:
    """The address at which undocs.org serves a symbol."""
    return f"https://undocs.org/{_canonical(symbol)}"


def akn_work(body: str, adoption_date: str, number: str) -> str:
    """The AKN4UN FRBR Work IRI of a resolution (part 1, section 6 of the guidelines).

    >>> akn_work("un-ga", "2003-12-22", "58/136")
    '/akn/un/statement/deliberation/un-ga/2003-12-22/58-136'
    """
    num = re.sub(r"\s+", "", number).replace("/", "-").replace("(", "-").replace(")", "")
    return f"/akn/un/statement/deliberation/{body}/{adoption_date}/{num}"


class Terms:
    """A vocabulary's terms as rdflib URIRefs, each built once: an rdflib namespace builds a
    new URIRef on every attribute read (~0.5 us; mapping a document reads some 600), and one
    object per term also makes the look-ups downstream (a set of triples, the serialiser's
    IRI cache) identity hits.  `Terms(ELI).cites` is `ELI.cites`, `Terms(LDX)["Footnote"]`
    is `LDX["Footnote"]`; the terms kept are those the code names, a bounded set."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # not a term: copy, pickle and the like probing
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)  # an instance attribute from now on: no __getattr__ call
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._items.get(name)
        if term is None:
            term = self._items[name] = self._namespace[name]
        return term


def uri(iri: str) -> URIRef:
    """The URIRef of an IRI, one object per IRI from a bounded cache: rdflib takes ~0.4 us to
    build one, and the same object again makes later look-ups (a set of triples, the
    serialiser's IRI cache) identity hits rather than calls of rdflib's Python __eq__."""
    term = _URIS.get(iri)
    if term is None:
        if len(_URIS) >= 20_000:  # a document brings ~200 IRIs of its own: keep memory flat
            _URIS.clear()
        term = _URIS[iri] = URIRef(iri)
    return term


_URIS: dict[str, URIRef] = {}
