"""Content negotiation: the Accept header (RFC 9110 §12.5.1) against what a resource offers.

q-values are honoured; among the media ranges that match an offer the most specific one
gives its quality (`text/turtle;q=0` beats `text/*` and `*/*`); a tie goes to the server's
order of preference (the order of `offers`).  A missing or empty Accept header accepts
everything.  Media type parameters other than q are ignored (the offers carry none).

>>> best("text/turtle;q=0.5, application/ld+json", ["text/html", "text/turtle",
...      "application/ld+json"])
'application/ld+json'
>>> best("text/*;q=0.3, text/html;q=0", ["text/html", "text/turtle"])
'text/turtle'
>>> best("image/png", ["text/html"]) is None
True
>>> best(None, ["text/html", "text/turtle"])
'text/html'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Longest Accept header considered; anything after is ignored (a hostile header is cut).
MAX_ACCEPT = 4096
#: At most this many media ranges are read from one header.
MAX_RANGES = 64


@dataclass(frozen=True)
class MediaRange:
    type: str  # "text", or "*"
    subtype: str  # "turtle", or "*"
    q: float

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        if self.type != main:
            return False
        return self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed ranges are skipped."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for raw in header[:MAX_ACCEPT].split(",")[:MAX_RANGES]:
        parts = [p.strip() for p in raw.split(";")]
        main, slash, sub = parts[0].lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
                if not 0.0 <= q <= 1.0:
                    q = -1.0
        if q >= 0.0:
            ranges.append(MediaRange(main, sub, q))
    # a header with no well-formed range at all is treated as absent
    return ranges or [MediaRange("*", "*", 1.0)]


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The quality the client gives `media_type`: that of the most specific matching range."""
    found: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (found is None or r.specificity > found.specificity):
            found = r
    return found.q if found else 0.0


def best(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers (ties: the first offered), or None when none fits."""
    ranges = parse_accept(header)
    chosen: str | None = None
    chosen_q = 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > chosen_q:
            chosen, chosen_q = offer, q
    return chosen
