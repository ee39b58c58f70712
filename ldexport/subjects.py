"""Subjects from the UNBIS Thesaurus: which UNBIS concepts a resolution, and each of its operative
paragraphs, is about.

Rules a cataloguer can check, not a trained model:

1. **Matching.**  The English prefLabel of every UNBIS descriptor, and the English forms the
   lexicon derives from it (scripts/build_unbis_lexicon.py: "ISLAMIC REPUBLIC OF IRAN", "RIGHTS
   OF WOMEN", "COUNTERTERRORISM"), are read into one token trie.  A text is read once, word by
   word; at each word the trie gives the longest label starting there, and a label inside one
   found before is skipped ("nuclear disarmament" is NUCLEAR DISARMAMENT, not also DISARMAMENT).
   Words are compared folded (case, accents), without "the" or a possessive "'s", hyphens read
   as spaces.  In labels of two words or more, plural and singular are one form (`word_form`:
   "courts" and "court", "policies" and "policy", "women" and "woman"), so "International
   Criminal Court" finds INTERNATIONAL CRIMINAL COURTS; a one-word label matches only as
   written, because there the number changes the sense ("Security" is not SECURITIES, "well"
   not WELLS).  A label never runs across punctuation.  Not matched: the microthesauri and
   domains (groupings, not indexing terms), the descriptors in `NOT_ASSIGNED` (words every
   resolution uses, or whose everyday sense is not the thesaurus's: "report", "States",
   "adoption", "conflict"), and the fixed formulas in `FORMULAS` ("international peace and
   security" is not PEACE).  An abbreviation printed in brackets after a label and made of its
   initials ("the Central African Republic (CAR)", "security sector reform (SSR)") names the
   same concept wherever the resolution uses it afterwards; one that stands for a longer name
   ("the United Nations Mission in the Sudan (UNMIS)") does not.

2. **Weight.**  Where a concept is named counts more than how often:
   ``S = 3 [in the title] + 1.5 [in an agenda item's title or a heading]
   + 1 * log2(1 + operative paragraphs naming it) + 0.5 * log2(1 + preambular paragraphs)
   + 0.5 * log2(1 + other texts)``; a paragraph is read with its sub-paragraphs; footnotes are
   not read; a Security Council resolution's derived title ("Resolution 1663 (2006)") is not
   read.  The weight is ``1 - 2 ** (-S / 2)``: the title alone gives 0.646, one operative
   paragraph 0.293, the title and four operative paragraphs 0.842.

3. **Selection.**  A concept is kept when its weight is at least `MIN_WEIGHT` (0.3: the title,
   an agenda item, two operative paragraphs, or four preambular ones; a single paragraph is not
   enough).  The most specific concept wins: a concept is dropped when a narrower one (through
   skos:broader, at any depth) is kept with at least its score; a national group (SUDANESE) is
   dropped beside the country it is named after (SUDAN).  At most `MAX_PER_RESOLUTION` (8) are
   kept, best first.

4. **Operative paragraphs** are about those of the resolution's subjects they name (with their
   sub-paragraphs): ``S = log2(1 + occurrences)``, at most `MAX_PER_PARAGRAPH` (3), the most
   specific first.

`assign(res)` is a pure function of the model: the same resolution gives the same assignments,
in the same order (the resolution's, by weight then concept id; then each operative paragraph's,
in document order).  The lexicon is read once per process (`lexicon()`, 0.1 to 0.2 s); reading
a resolution takes 1 to 2 ms per 1,000 words.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from pymarc import Field, Indicators, Subfield

from ldexport.model import Kind, Resolution, Subdivision

UNBIS = "http://metadata.un.org/thesaurus/"
#: The six official languages of the UN, in the order the lexicon stores the labels.
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
LEXICON_PATH = Path(__file__).resolve().parent / "data" / "unbis" / "unbis.json.gz"

MIN_WEIGHT = 0.3
MAX_PER_RESOLUTION = 8
MAX_PER_PARAGRAPH = 3

# Score of each place a concept is named in (rule 2).
TITLE = 3.0
AGENDA_OR_HEADING = 1.5
OPERATIVE = 1.0
PREAMBULAR = 0.5
OTHER = 0.5

#: Descriptors whose English label is a word of the form of every resolution, not of its
#: subject: a resolution "takes note of the report", "recalls its resolutions", is adopted at a
#: "session" and "meeting".  Matching them would put them on nearly every document; a
#: cataloguer never indexes a resolution with them for that reason.  They stay in the lexicon
#: (their labels are published when a paragraph-level reading ever needs them).
NOT_ASSIGNED: dict[str, str] = {
    # The form of a resolution and of the meetings that adopt it.
    "1000046": "ACTIVITIES: 'the activities of', in nearly every text",
    "1000118": "AGENDA: 'agenda item', 'the 2030 Agenda'",
    "1001219": "CONFERENCES: 'Conference of the Parties', 'the Conference on Disarmament'",
    "1001239": "CONSENSUS: 'adopted by consensus'",
    "1001256": "CONSULTATIONS: 'in consultation with', 'informal consultations'",
    "1001536": "DECLARATIONS: 'Recalling the Universal Declaration', 'the Vienna Declaration'",
    "1001735": "DOCUMENTS: 'outcome document', 'in document A/...'",
    "1002619": "GENERAL DEBATE: the debate of a session, not a subject",
    "1004367": "NEGOTIATION: 'negotiations' of a text (DISARMAMENT NEGOTIATIONS stays)",
    "1005108": "PRINCIPLES: 'the purposes and principles of the Charter'",
    "1005390": "RECOMMENDATIONS: 'the recommendations contained in the report'",
    "1007079": "WORKING GROUPS: 'the Working Group of the Whole', 'open-ended working group'",
    # The actors every resolution names.
    "1000889": "CENTRES: 'the Centre for ...' (a body's name)",
    "1002188": "EXPERTS: 'group of governmental experts'",
    "1002568": "FUNDS: 'funds and programmes' (United Nations bodies)",
    "1004034": "MEMBERS: 'Member States', 'members of the Council'",
    "1005089": "PRESIDENTS: 'the President of the General Assembly'",
    "1005778": "SECRETARIES: 'Secretary-General', 'Executive Secretary'",
    "1006187": "STATES: 'Member States', 'States parties'",
    # Words whose everyday sense in a resolution is not the thesaurus sense.
    "1000068": "ADOPTION (of children): 'adoption of the agenda', 'since its adoption'",
    "1001764": "DRIVERS (of vehicles): 'drivers of conflict', 'a driver of development'",
    "1002522": "FREEDOM: 'fundamental freedoms' (HUMAN RIGHTS and its narrower terms stay)",
    "1003190": "INFORMATION: 'for information', 'information provided by'",
    "1003876": "MANDATES (League of Nations): 'the mandate of the Mission'",
    "1004545": "OBLIGATIONS: 'obligations under the Charter', 'under international law'",
    "1006515": "TIME (mathematics): 'at the same time', 'in a timely manner'",
    "1000117": "AGENCY (law of agency): 'the Agency' (IAEA), 'agencies and programmes'",
    "1001210": "CONCRETE (building material): 'concrete steps', 'concrete measures'",
    "1001224": "CONFLICT (psychology): 'armed conflict' (ARMED CONFLICTS stays), 'post-conflict'",
    "1002119": "ESTABLISHMENT (of a body): 'the establishment of the Mission'",
    "1002177": "EXERCISE (sports): 'the exercise of jurisdiction', 'exercise restraint'",
    "1005146": "PRODUCTION (economic theory): 'the production of fissile material'",
    "1003260": "INTEREST (banking): 'in the interest of', 'expresses interest in'",
    "1003643": "LAW: what is left of 'rule of law', 'international law' (those stay)",
    "1003865": "MANAGEMENT: 'the management of', 'risk management' in every field",
    "1006672": "TRAVEL (tourism): 'travel ban', 'travel restrictions' (SANCTIONS is the subject)",
}

#: Fixed formulas of resolution language that name no subject of their own: read as one unit,
#: they keep their words from matching ("international peace and security" is not PEACE).
FORMULAS = (
    "international peace and security",
    "peace and security",
)

#: A national group ("SUDANESE", under NATIONAL GROUPS) is not assigned beside the country whose
#: name it begins with ("SUDAN"): in resolutions the word is nearly always the adjective.
NATIONAL_GROUPS = "080302"


# --- words --------------------------------------------------------------------------------------

# Plural to singular for words whose plural is not made with -s / -es.
_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "children": "child",
    "peoples": "people",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "lives": "life",
    "knives": "knife",
    "wives": "wife",
    "halves": "half",
    "leaves": "leaf",
    "shelves": "shelf",
    "thieves": "thief",
    "wolves": "wolf",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "indices": "index",
    "matrices": "matrix",
    "analyses": "analysis",
    "crises": "crisis",
    "bases": "basis",
    "theses": "thesis",
    "hypotheses": "hypothesis",
    "diagnoses": "diagnosis",
}
# Words ending in s that are not plurals (or whose -s must stay, as in "economics" against the
# adjective "economic").
_INVARIANT_ENDINGS = ("ss", "us", "is", "ics", "ous")
_MARKS = re.compile("[\u0300-\u036f]")
# Words and the punctuation that ends a label: a label never runs across it.
_TOKEN = re.compile(r"[^\W_]+|[.,;:!?()\[\]\u2013\u2014\"\u201c\u201d]")
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s?\b")
_BREAK = "|"
# An abbreviation defined right after a label: "(CAR)", "(ICC)", "(LLDCs)".
_ABBREVIATION_FORM = r"[A-Z][A-Z0-9]{1,8}s?"
_ABBREVIATION = re.compile(rf"\s*\(({_ABBREVIATION_FORM})\)")
#: A word shaped like an abbreviation `_ABBREVIATION` defines (the only words looked up).
_ABBREVIATION_WORD = re.compile(_ABBREVIATION_FORM)
_DROPPED = frozenset({"the"})
_IS_START = itemgetter(2)
#: How `Lexicon.match` reads a word: (folded, word form, whether a label may start there or it
#: is shaped like an abbreviation); a dropped word is this one, skipped.
_Word = tuple[str, str, bool]
_SKIPPED: _Word = (_BREAK, "the: dropped", False)
#: Printed words `Lexicon.match` keeps (all documents) before it starts again.
SEEN_LIMIT = 200_000


def word_form(word: str) -> str:
    """The form of one word the matcher compares: case and accents folded, plural made singular.

    >>> [word_form(w) for w in ["Courts", "policies", "Women", "taxes", "status", "economics"]]
    ['court', 'policy', 'woman', 'tax', 'status', 'economics']
    >>> word_form("Türkiye"), word_form("approaches"), word_form("crises"), word_form("gas")
    ('turkiye', 'approach', 'crisis', 'gas')
    """
    w = fold(word)
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.endswith("s") or w.endswith(_INVARIANT_ENDINGS):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "zes", "ches", "shes")):
        return w[:-2]
    return w[:-1]


def fold(word: str) -> str:
    """Case and accents folded: "Türkiye" -> "turkiye"."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", word.casefold()))


def _folded_form(word: str) -> tuple[str, str]:
    """(folded, word form) of a printed word (a token of `_TOKEN`); a punctuation mark is a
    break.  How both labels and texts are read."""
    return (fold(word), word_form(word)) if word[0].isalnum() else (_BREAK, _BREAK)


def _blank_possessives(text: str) -> str:
    """A possessive "'s" made spaces (the text keeps its length, so offsets stay true)."""
    if "'" in text or "\u2019" in text:
        return _POSSESSIVE.sub(lambda m: " " * len(m.group(0)), text)
    return text


class _Tokens:
    """The words of a text: folded (`fold`), as compared (`word_form`), and where they stand."""

    __slots__ = ("folds", "forms", "spans")

    def __init__(self) -> None:
        self.folds: list[str] = []
        self.forms: list[str] = []
        self.spans: list[tuple[int, int]] = []


class _Words:
    """Tokenises labels (the lexicon's trie is built from them; `Lexicon.match` reads texts
    by its own cache), with a cache of word forms."""

    def __init__(self) -> None:
        self._forms: dict[str, tuple[str, str]] = {}

    def forms(self, word: str) -> tuple[str, str]:
        found = self._forms[word] = _folded_form(word)
        return found

    def tokens(self, text: str) -> _Tokens:
        text = _blank_possessives(text)
        out = _Tokens()
        folds, forms, spans = out.folds, out.forms, out.spans
        cache = self._forms
        for m in _TOKEN.finditer(text):
            word = m.group()
            pair = cache.get(word) or self.forms(word)
            if pair[0] in _DROPPED:
                continue
            folds.append(pair[0])
            forms.append(pair[1])
            spans.append(m.span())
        return out

    def label_tokens(self, label: str) -> _Tokens:
        """A label's words (punctuation inside a label is ignored)."""
        tokens = self.tokens(label)
        out = _Tokens()
        for folded, form, span in zip(tokens.folds, tokens.forms, tokens.spans, strict=True):
            if form != _BREAK:
                out.folds.append(folded)
                out.forms.append(form)
                out.spans.append(span)
        return out


# --- the lexicon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Concept:
    """A UNBIS concept: its id, prefLabels (in `LANGUAGES` order, None where the source has
    none), broader concepts and the derived English search forms."""

    id: str
    labels: tuple[str | None, ...]
    broader: tuple[str, ...]
    forms: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return UNBIS + self.id

    @property
    def label(self) -> str:
        """The English prefLabel, as the UN writes it (upper case: "HUMAN RIGHTS")."""
        return self.labels[0] or self.id

    @property
    def is_descriptor(self) -> bool:
        """A descriptor (an indexing term), not a microthesaurus ("140202")."""
        return not (len(self.id) == 6 and self.id.isdigit())


@dataclass(frozen=True)
class Match:
    """One place where a text names a concept: the concept and the words as printed."""

    concept: str
    words: str


_END = ""  # the key of a trie node under which the concept ids of a complete label are stored


class Lexicon:
    """The UNBIS concepts and the token trie of their English labels and derived forms."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.languages: tuple[str, ...] = tuple(data["languages"])
        assert self.languages == LANGUAGES, self.languages
        self.schemes: dict[str, str] = {key: label for key, label in data["schemes"]}
        self.source: dict[str, str] = data["source"]
        self.concepts: dict[str, Concept] = {}
        for key, labels, broader, forms in data["concepts"]:
            self.concepts[key] = Concept(key, tuple(labels), tuple(broader), tuple(forms))
        self.words = _Words()
        self._trie: dict[str, Any] = {}  # labels of two words or more, by word form
        self._single: dict[str, list[str]] = {}  # one-word labels, by folded word
        for concept in self.concepts.values():
            if not concept.is_descriptor or concept.id in NOT_ASSIGNED or not concept.labels[0]:
                continue
            for text in (concept.labels[0], *concept.forms):
                self._add(self.words.label_tokens(text), concept.id)
        for key, concept_id in data.get("aliases", ()):
            if concept_id in self.concepts and concept_id not in NOT_ASSIGNED:
                self._add(self.words.label_tokens(key), concept_id)
        for formula in FORMULAS:
            self._block(self.words.label_tokens(formula))
        self._ancestors: dict[str, frozenset[str]] = {}
        # How the words of the texts read so far (all documents) are read (`_Word`): whether
        # a label may start at a word, or it is shaped like an abbreviation, is what lets
        # `match` pick out the only places it must look at by C loops, not a Python step a word.
        self._seen: dict[str, _Word] = {}

    def _block(self, tokens: _Tokens) -> None:
        node = self._trie
        for form in tokens.forms:
            node = node.setdefault(form, {})
        node[_END] = []

    def _add(self, tokens: _Tokens, concept: str) -> None:
        if not tokens.forms:
            return
        if len(tokens.forms) == 1:
            ids = self._single.setdefault(tokens.folds[0], [])
        else:
            node = self._trie
            for form in tokens.forms:
                node = node.setdefault(form, {})
            ids = node.setdefault(_END, [])
        if concept not in ids:
            ids.append(concept)
            ids.sort()

    def match(self, text: str, abbreviations: dict[str, Match] | None = None) -> list[Match]:
        """Every label in `text`, in order (rule 1): at each word the longest label starting
        there, unless it lies inside a label found before (a label may overlap the end of the
        one before it: "International Crime Prevention" is INTERNATIONAL CRIMES and CRIME
        PREVENTION).

        `abbreviations` carries what a text defines from one text to the next: a label printed
        with an abbreviation in brackets ("the Central African Republic (CAR)") makes the
        abbreviation, as printed, name the same concept in what follows.  It holds what
        `match` recorded there, nothing else (only words shaped like an abbreviation are
        looked up in it).
        """
        marks = list(_TOKEN.finditer(_blank_possessives(text)))
        words = list(map(re.Match.group, marks))
        known = list(map(self._seen.get, words))
        pairs: list[_Word] = (
            [pair or self._word(word) for pair, word in zip(known, words, strict=True)]
            if None in known
            else cast("list[_Word]", known)
        )
        trie, single = self._trie, self._single
        out: list[Match] = []
        covered = -1  # the last word of the labels found so far
        n = len(words)
        for i in compress(range(n), map(_IS_START, pairs)):
            found: list[str] | None = None
            end = j = i
            node = trie.get(pairs[i][1])
            while node is not None:
                ids = node.get(_END)
                if ids is not None:
                    found, end = ids, j
                j += 1
                while j < n and pairs[j] == _SKIPPED:
                    j += 1
                node = node.get(pairs[j][1]) if j < n else None
            if found is None:
                found = single.get(pairs[i][0])
            if found is None:
                if abbreviations and pairs[i][0] in abbreviations:
                    defined = abbreviations[pairs[i][0]]
                    if words[i] == defined.words and i > covered:
                        covered = i
                        out.append(defined)
                continue
            if end <= covered:
                continue
            covered = end
            if found:  # an empty list is a formula: it names nothing
                words_end = marks[end].end()
                printed = " ".join(text[marks[i].start() : words_end].split())
                match = Match(self._choose(found, printed), printed)
                out.append(match)
                if abbreviations is not None:
                    defined_here = _ABBREVIATION.match(text, words_end)
                    if defined_here and _initials(printed) == defined_here.group(1).rstrip("s"):
                        short = defined_here.group(1)
                        abbreviations.setdefault(fold(short), Match(match.concept, short))
        return out

    def _word(self, word: str) -> _Word:
        """How `match` reads a word it sees for the first time (`_Word`), kept."""
        if len(self._seen) >= SEEN_LIMIT:  # a bound on memory for very long runs
            self._seen.clear()
        folded, form = _folded_form(word)
        found: _Word = _SKIPPED
        if folded not in _DROPPED:  # a break is in neither the trie nor the one-word labels
            start = form in self._trie or folded in self._single
            found = (folded, form, start or bool(_ABBREVIATION_WORD.fullmatch(word)))
        self._seen[word] = found
        return found

    def _choose(self, ids: list[str], words: str) -> str:
        """One concept for a label several share once normalised: the one printed as matched."""
        if len(ids) == 1:
            return ids[0]
        folded = fold(words)
        for concept in ids:
            if (self.concepts[concept].labels[0] or "").casefold() == folded:
                return concept
        return ids[0]

    def ancestors(self, concept: str) -> frozenset[str]:
        """Every concept above `concept` through skos:broader (at any depth)."""
        found = self._ancestors.get(concept)
        if found is None:
            seen: set[str] = set()
            stack = list(self.concepts[concept].broader)
            while stack:
                node = stack.pop()
                if node not in seen:
                    seen.add(node)
                    stack.extend(self.concepts[node].broader)
            found = self._ancestors[concept] = frozenset(seen)
        return found

    def is_people_of(self, concept: str, others: Iterable[str]) -> bool:
        """Whether `concept` is a national group named after one of `others` (SUDANESE, SUDAN)."""
        if NATIONAL_GROUPS not in self.concepts[concept].broader:
            return False
        people = self.concepts[concept].label
        for other in others:
            place = self.concepts[other].label
            if other != concept and _common_prefix(people, place) >= min(5, len(place) - 1):
                return True
        return False

    def domains(self, concept: str) -> tuple[str, ...]:
        """The UNBIS domains (skos:ConceptScheme "01" .. "18") a concept belongs to, through the
        microthesauri above it ("140202" is in domain "14")."""
        ids = {concept, *self.ancestors(concept)}
        return tuple(sorted({i[:2] for i in ids if len(i) == 6 and i[:2] in self.schemes}))


_MINOR_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to"})


def _initials(words: str) -> str:
    """ "Central African Republic" -> "CAR": the capitals an abbreviation of the words has."""
    return "".join(
        w[0].upper() for w in re.split(r"[\s\-]+", words) if w and w.lower() not in _MINOR_WORDS
    )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@cache
def lexicon_digest() -> str:
    """The sha256 of the shipped lexicon file: what the published thesaurus is made from."""
    return hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()


@cache
def lexicon() -> Lexicon:
    """The shipped UNBIS lexicon, read once per process."""
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as handle:
        return Lexicon(json.load(handle))


# --- assignments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Where a concept was named: `place` is "title", "agenda:<item>" or a subdivision's eId;
    `words` the distinct word groups that matched there, as printed; `count` how often."""

    place: str
    words: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class SubjectAssignment:
    """A UNBIS concept assigned to the resolution (`target` None) or to one operative paragraph
    (`target` its eId), with its weight in (0, 1) and the evidence for it."""

    concept: str  # the UNBIS id: "1002975"
    label: str  # the English prefLabel: "HUMAN RIGHTS"
    weight: float  # rounded to 3 decimals
    evidence: tuple[Evidence, ...]
    target: str | None = None
    score: float = field(default=0.0, compare=False)

    @property
    def iri(self) -> str:
        return UNBIS + self.concept

    @property
    def words(self) -> tuple[str, ...]:
        """Every word group that matched, once each, in order of the evidence."""
        return tuple(dict.fromkeys(w for e in self.evidence for w in e.words))


class _Tally:
    """What one concept collected while a resolution was read: (zone, place, words) in order."""

    __slots__ = ("hits",)

    def __init__(self) -> None:
        self.hits: list[tuple[str, str, str]] = []

    def evidence(self) -> tuple[Evidence, ...]:
        by_place: dict[str, list[str]] = {}
        for _, place, words in self.hits:
            by_place.setdefault(place, []).append(words)
        return tuple(
            Evidence(place, tuple(dict.fromkeys(words)), len(words))
            for place, words in by_place.items()
        )


def _log2(n: int) -> float:
    return math.log2(1 + n)


def weight_of(score: float) -> float:
    """Rule 2's weight of a score, rounded to three decimals."""
    return round(1 - 2 ** (-score / 2), 3)


def _work_score(tally: _Tally) -> float:
    places: dict[str, set[str]] = {}  # zone -> the places it was named in (one pass)
    for zone, place, _ in tally.hits:
        places.setdefault(zone, set()).add(place)

    def count(zone: str) -> int:
        return len(places.get(zone, ()))

    return (
        TITLE * bool(count("title"))
        + AGENDA_OR_HEADING * bool(count("agenda") or count("heading"))
        + OPERATIVE * _log2(count("operative"))
        + PREAMBULAR * _log2(count("preambular"))
        + OTHER * _log2(count("other"))
    )


def _texts(part: Subdivision) -> Iterator[str]:
    if part.text:
        yield part.text
    for child in part.children:
        yield from _texts(child)


def _units(parts: Iterable[Subdivision]) -> Iterator[tuple[str, str, str, bool]]:
    """(zone, place, text, of an operative paragraph) of every text of the parts; a paragraph's
    sub-paragraphs are read as the paragraph."""
    for part in parts:
        if part.kind in (Kind.OPERATIVE, Kind.PREAMBULAR, Kind.SUBPARAGRAPH):
            zone = "preambular" if part.kind is Kind.PREAMBULAR else "operative"
            for text in _texts(part):
                yield zone, part.eid, text, part.kind is Kind.OPERATIVE
            continue
        if part.heading:
            yield "heading", part.eid, part.heading, False
        if part.text:
            yield "other", part.eid, part.text, False
        if part.kind is not Kind.FOOTNOTE:
            yield from _units(part.children)


def _select(
    lex: Lexicon, scores: dict[str, float], minimum: float, limit: int
) -> list[tuple[str, float]]:
    """Rule 3: above the minimum, the most specific, the best `limit`."""
    kept = {c: s for c, s in scores.items() if weight_of(s) >= minimum}
    narrower_best: dict[str, float] = {}  # concept -> best score of a kept narrower concept
    for concept, score in kept.items():
        for above in lex.ancestors(concept):
            if score > narrower_best.get(above, -1.0):
                narrower_best[above] = score
    specific = {
        c: s
        for c, s in kept.items()
        if narrower_best.get(c, -1.0) < s and not lex.is_people_of(c, kept)
    }
    ranked = sorted(specific.items(), key=lambda item: (-weight_of(item[1]), item[0]))
    return ranked[:limit]


def assign(res: Resolution, lex: Lexicon | None = None) -> tuple[SubjectAssignment, ...]:
    """The UNBIS subjects of a resolution and of each of its operative paragraphs (see the
    module docstring for the rules); `lex` is the shipped lexicon unless given.

    The RDF, MARC and Dublin Core of a resolution each ask for its subjects: the results for
    the last resolutions are kept, by identity (the model is frozen; hashing a whole
    resolution, as a cache keyed by its value would at each call, took 0.07 ms)."""
    lex = lex or lexicon()
    kept = _ASSIGNED.get(id(res))
    if kept is not None and kept[0] is res and kept[1] is lex:
        return kept[2]
    if len(_ASSIGNED) >= _ASSIGNED_LIMIT:
        _ASSIGNED.clear()
    found = _assign(res, lex)
    _ASSIGNED[id(res)] = (res, lex, found)  # holding `res` keeps its id from being reused
    return found


_ASSIGNED: dict[int, tuple[Resolution, Lexicon, tuple[SubjectAssignment, ...]]] = {}
_ASSIGNED_LIMIT = 64


def _assign(res: Resolution, lex: Lexicon) -> tuple[SubjectAssignment, ...]:
    texts: list[tuple[str, str, str, bool]] = []
    if res.title and not res.title_derived:
        texts.append(("title", "title", res.title, False))
    for item in res.agenda_items:
        if item.label:
            texts.append(("agenda", f"agenda:{item.number}", item.label, False))
    texts.extend(_units(res.parts))
    tallies: dict[str, _Tally] = {}
    paragraphs: dict[str, dict[str, _Tally]] = {}  # eId -> concept -> tally, in document order
    abbreviations: dict[str, Match] = {}
    for zone, place, text, operative in texts:
        matches = lex.match(text, abbreviations)
        if operative:
            paragraph = paragraphs.setdefault(place, {})
        for match in matches:
            hit = (zone, place, match.words)
            tally = tallies.get(match.concept)
            if tally is None:
                tally = tallies[match.concept] = _Tally()
            tally.hits.append(hit)
            if operative:
                tally = paragraph.get(match.concept)
                if tally is None:
                    tally = paragraph[match.concept] = _Tally()
                tally.hits.append(hit)
    scores = {c: _work_score(t) for c, t in tallies.items()}
    out = [
        SubjectAssignment(
            c, lex.concepts[c].label, weight_of(s), tallies[c].evidence(), None, round(s, 3)
        )
        for c, s in _select(lex, scores, MIN_WEIGHT, MAX_PER_RESOLUTION)
    ]
    subjects = {a.concept for a in out}
    for eid, found in paragraphs.items():
        counts = {c: _log2(len(t.hits)) for c, t in found.items() if c in subjects}
        out.extend(
            SubjectAssignment(
                c, lex.concepts[c].label, weight_of(s), found[c].evidence(), eid, round(s, 3)
            )
            for c, s in _select(lex, counts, 0.0, MAX_PER_PARAGRAPH)
        )
    return tuple(out)


def resolution_subjects(
    res: Resolution, lex: Lexicon | None = None
) -> tuple[SubjectAssignment, ...]:
    """The resolution's own subjects (not its paragraphs'), best first."""
    return tuple(a for a in assign(res, lex) if a.target is None)


def concepts_used(assignments: Iterable[SubjectAssignment]) -> list[Concept]:
    """The concepts of the assignments, once each, sorted by id."""
    lex = lexicon()
    return [lex.concepts[c] for c in sorted({a.concept for a in assignments})]


# --- library records ----------------------------------------------------------------------------

#: MARC 650 $2: the source code of the UNBIS Thesaurus (MARC Subject Heading and Term Source
#: Codes), as the UN Digital Library writes it.
MARC_SOURCE = "unbist"
#: MARC 883 $a: how the subjects were made (MARC "Metadata Provenance", machine-generated).
MARC_PROCESS = "ldexport rule-based UNBIS subject indexing (label matching)"


def marc_subject_fields(res: Resolution) -> list[Field]:
    """650 `_7 $a LABEL $2 unbist $0 <concept IRI>` for each subject of the resolution, best
    first, each linked ($8 `n\\p`) to an 883 that says it was machine-generated (ind1 0) and
    gives the weight as its confidence ($c), so that no one takes it for the UN Dag
    Hammarskjold Library's own cataloguing."""
    fields: list[Field] = []
    provenance: list[Field] = []
    for n, subject in enumerate(resolution_subjects(res), start=1):
        link = f"{n}\\p"
        fields.append(
            Field(
                tag="650",
                indicators=Indicators(" ", "7"),
                subfields=[
                    Subfield("8", link),
                    Subfield("a", subject.label),
                    Subfield("2", MARC_SOURCE),
                    Subfield("0", subject.iri),
                ],
            )
        )
        provenance.append(
            Field(
                tag="883",
                indicators=Indicators("0", " "),
                subfields=[
                    Subfield("8", link),
                    Subfield("a", MARC_PROCESS),
                    Subfield("c", f"{subject.weight:.3f}"),
                ],
            )
        )
    return fields + provenance


def dc_subjects(res: Resolution) -> list[str]:
    """The English labels of the resolution's subjects, best first, for Dublin Core
    `dc:subject`."""
    return [subject.label for subject in resolution_subjects(res)]
