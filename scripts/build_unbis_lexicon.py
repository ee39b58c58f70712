"""Build ldexport/data/unbis/unbis.json.gz, the UNBIS lexicon that ldexport.subjects ships.

Input: the SKOS Turtle derived from the UN's own labels (reference/unbis/
unbis_concepts_6lang_DERIVED.ttl: skos:prefLabel in the six official languages and skos:broader,
from a 2023 scrape of metadata.un.org).  Nothing else is read: the GATE gazetteer list beside it
(GPL-3.0) is not an input, so nothing of it is shipped.

Output: one gzip'd JSON file, byte-identical for the same input (sorted, no timestamps):

    {"format": 1, "source": {...}, "languages": ["en", "fr", "es", "ru", "ar", "zh"],
     "schemes": [["01", "POLITICAL AND LEGAL QUESTIONS"], ...],
     "concepts": [[id, [en, fr, es, ru, ar, zh], [broader ids], [derived English forms]], ...],
     "aliases": [[English form, id], ...]}

A missing label is null.  The derived English forms are alternative search forms made from the
UN's English prefLabel by the rules in `derived_forms` (a country name's qualifier turned round,
an inverted heading put in reading order, a possessive turned into "of", a hyphenated compound
written solid); they are data, listed so that anyone can see what ldexport matches.  `aliases`
are a few forms written by the project itself (`PROJECT_ALIASES`), kept apart from what comes
from the UN.

Two quirks of the source are repaired, as its README names them: a Russian string filed under
`zh` (c_cc2b6392 SLOVENES) moves to `ru` when `ru` is empty; leading and trailing spaces are cut.

    .venv/bin/python scripts/build_unbis_lexicon.py [--source PATH]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/reference/unbis/unbis_concepts_6lang_DERIVED.ttl")
TARGET = ROOT / "ldexport" / "data" / "unbis" / "unbis.json.gz"
UNBIS = "http://metadata.un.org/thesaurus/"
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
CYRILLIC = re.compile("[\u0400-\u04ff]")

# "IRAN (ISLAMIC REPUBLIC OF)" -> "ISLAMIC REPUBLIC OF IRAN": the qualifier of a country name is
# the rest of its official name, which UN texts print in reading order.
QUALIFIER_OF = re.compile(r"^(?P<name>[^()]+?) \((?P<of>[^()]+ OF(?: THE)?)\)$")
# "GERMANY, FEDERAL REPUBLIC OF" -> "FEDERAL REPUBLIC OF GERMANY".
INVERTED_OF = re.compile(r"^(?P<name>[^,()]+), (?P<of>[^,()]+ OF(?: THE)?)$")
# "WOMEN'S RIGHTS" -> "RIGHTS OF WOMEN", "WORKERS' HOUSING" -> "HOUSING OF WORKERS".
POSSESSIVE = re.compile(r"^(?P<owner>[A-Z][A-Z ]*?)(?:'S|(?<=S)') (?P<thing>[A-Z][A-Z ]*)$")
# Alternative English forms written by the ldexport project (MIT), not taken from any list: the
# words UN resolutions use for a UNBIS concept whose label they never print.  Kept apart from the
# UN's labels in the output ("aliases") so that the attribution stays exact.
PROJECT_ALIASES = (
    ("ATOMIC ENERGY", "NUCLEAR ENERGY"),  # "International Atomic Energy Agency"
    ("PEACEKEEPING", "PEACEKEEPING OPERATIONS"),  # "peacekeeping mission", "peacekeeping"
    ("PEACE-KEEPING", "PEACEKEEPING OPERATIONS"),
)
# A parenthesised qualifier of a place ("COCOS (KEELING) ISLANDS", "FALKLAND ISLANDS (MALVINAS)").
PARENTHESES = re.compile(r" ?\([^()]*\)")


def local(iri: URIRef) -> str:
    return str(iri)[len(UNBIS) :]


def read(source: Path) -> tuple[dict[str, list[str | None]], dict[str, list[str]], list[list[str]]]:
    graph = Graph().parse(source, format="turtle")
    labels: dict[str, list[str | None]] = {}
    broader: dict[str, list[str]] = {}
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        assert isinstance(concept, URIRef) and str(concept).startswith(UNBIS), concept
        by_language: dict[str, str] = {}
        for label in graph.objects(concept, SKOS.prefLabel):
            language = getattr(label, "language", None)
            text = " ".join(str(label).split())
            if language in LANGUAGES and text:
                assert language not in by_language, (concept, language)
                by_language[language] = text
        if "zh" in by_language and "ru" not in by_language and CYRILLIC.search(by_language["zh"]):
            by_language["ru"] = by_language.pop("zh")
        key = local(concept)
        labels[key] = [by_language.get(language) for language in LANGUAGES]
        broader[key] = sorted(local(b) for b in graph.objects(concept, SKOS.broader))  # type: ignore[arg-type]
    schemes = sorted(
        [local(s), " ".join(str(graph.value(s, SKOS.prefLabel)).split())]  # type: ignore[arg-type]
        for s in graph.subjects(RDF.type, SKOS.ConceptScheme)
    )
    for key, targets in broader.items():
        for target in targets:
            assert target in labels, f"{key}: broader {target} is not a concept of the file"
    return labels, broader, schemes


def is_geographic(key: str, broader: dict[str, list[str]]) -> bool:
    """A concept under domain 17 (GEOGRAPHICAL DESCRIPTORS), through its broader links."""
    seen: set[str] = set()
    stack = [key]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if re.fullmatch(r"17\d{4}", node):
            return True
        stack.extend(broader.get(node, ()))
    return False


def derived_forms(key: str, label: str, broader: dict[str, list[str]]) -> list[str]:
    """English search forms made from the English prefLabel; see the module docstring."""
    forms: list[str] = []
    if m := QUALIFIER_OF.match(label):
        forms.append(f"{m['of']} {m['name']}")
    if m := INVERTED_OF.match(label):
        forms.append(f"{m['of']} {m['name']}")
    if "(" in label and is_geographic(key, broader):
        bare = PARENTHESES.sub("", label).strip()
        if bare and bare != label:
            forms.append(bare)
    if (m := POSSESSIVE.match(label)) and not is_geographic(key, broader):
        forms.append(f"{m['thing']} OF {m['owner']}")
    if "-" in label:
        forms.append(label.replace("-", ""))
    return forms


def build(source: Path) -> dict[str, object]:
    labels, broader, schemes = read(source)
    descriptors = {k for k in labels if not re.fullmatch(r"\d{6}", k)}
    english = {(labels[k][0] or "").upper() for k in descriptors}
    concepts = []
    taken: dict[str, str] = {}
    for key in sorted(labels):
        label = labels[key][0]
        forms: list[str] = []
        if key in descriptors and label:
            for form in derived_forms(key, label, broader):
                # A form that is another concept's label, or already another's form, is ambiguous.
                if form.upper() in english or taken.setdefault(form.upper(), key) != key:
                    continue
                if form not in forms:
                    forms.append(form)
        concepts.append([key, labels[key], broader[key], forms])
    by_label = {(labels[k][0] or ""): k for k in sorted(descriptors)}
    aliases = [[form, by_label[label]] for form, label in PROJECT_ALIASES]
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return {
        "format": 1,
        "source": {
            "file": source.name,
            "sha256": digest,
            "origin": "UNBIS Thesaurus, United Nations Dag Hammarskjöld Library "
            "(http://metadata.un.org/thesaurus), skos:prefLabel and skos:broader as scraped "
            "from metadata.un.org in April 2023",
            "builder": "scripts/build_unbis_lexicon.py",
        },
        "languages": list(LANGUAGES),
        "schemes": schemes,
        "concepts": concepts,
        "aliases": aliases,
    }


def write(data: dict[str, object], target: Path) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    payload = buffer.getvalue()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(payload)
    return payload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    data = build(args.source)
    payload = write(data, args.target)
    concepts = data["concepts"]
    assert isinstance(concepts, list)
    forms = sum(len(c[3]) for c in concepts)
    print(
        f"wrote {args.target} ({len(payload):,} bytes): {len(concepts)} concepts, "
        f"{forms} derived English forms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
