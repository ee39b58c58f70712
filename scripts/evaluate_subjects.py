"""Measure ldexport's UNBIS subjects against every reference that can honestly be had.

    .venv/bin/python scripts/evaluate_subjects.py [--details]

1. **Reading of the development corpus** (tests/golden/subjects/*.yaml): every subject ldexport
   gives a resolution, judged right or wrong by reading the document, and the concepts the
   reader missed.  Precision = right / judged; a recall estimate = right / (right + missed).
2. **Catalogue titles** (corpus gold UN-resolutions.csv, judged in titles.yaml): the subjects
   read from 50 titles alone.
3. **Third-party subject data**: the Security Council list's topic of each Security Council
   resolution (sc_resolutions_list), the short subject heading of the Voeten roll calls, and the
   UN Digital Library voting record's agenda subject (991 $d): is the concept they name among
   ldexport's subjects?
4. **Alternative labels**: the GATE gazetteer list (GPL-3.0, read from the reference folder,
   never shipped): how many of its UNBIS non-preferred terms the shipped lexicon already
   matches, and which subjects they would add on the corpus.
5. **Speed**: lexicon load, and time per document.

Nothing here changes what ldexport ships; the numbers go into README.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ldexport.convert import parse_file  # noqa: E402
from ldexport.errors import LdexportError  # noqa: E402
from ldexport.model import Resolution  # noqa: E402
from ldexport.subjects import (  # noqa: E402
    LEXICON_PATH,
    Lexicon,
    assign,
    lexicon,
    resolution_subjects,
)

CORPUS = ROOT / "tests" / "data" / "corpus"
GOLDEN = ROOT / "tests" / "golden" / "subjects"
SHARED = Path("/work/shared")
GOLD = SHARED / "corpus" / "gold"
REFERENCE = SHARED / "reference" / "unbis"


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    unjudged: int = 0
    missed: int = 0
    top3_right: int = 0
    top3: int = 0
    paragraphs: int = 0
    paragraphs_right: int = 0
    per_document: list[float] = field(default_factory=list)

    @property
    def precision(self) -> float:
        judged = self.right + self.wrong
        return self.right / judged if judged else 0.0

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 0.0


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def golden_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.name != "titles.yaml")


def judged(entries: Iterable[dict[str, Any]]) -> dict[str, bool]:
    return {str(e["concept"]): bool(e["right"]) for e in entries}


def reading(corpus: Path, golden: Path, details: bool) -> Score:
    """Section 1: the judged reading of the development corpus."""
    score = Score()
    print("1. Reading of the development corpus (tests/golden/subjects)")
    for path in golden_files(golden):
        data = yaml.safe_load(path.read_text())
        folder = corpus / path.parent.relative_to(golden)
        verdicts = judged(data["subjects"])
        missed = {str(m["concept"]) for m in data.get("missing", [])}
        first: list[str] | None = None
        for source in data["sources"]:
            [res] = parse_file(folder / source)
            got = [s.concept for s in resolution_subjects(res)]
            if first is None:
                first = got
                on_paragraphs = [s.concept for s in assign(res) if s.target is not None]
                score.paragraphs += len(on_paragraphs)
                score.paragraphs_right += sum(1 for c in on_paragraphs if verdicts.get(c))
            elif set(got) != set(first) and details:
                print(f"   {source}: subjects differ from {data['sources'][0]}'s")
        assert first is not None
        right = sum(1 for c in first if verdicts.get(c) is True)
        wrong = sum(1 for c in first if verdicts.get(c) is False)
        unjudged = [c for c in first if c not in verdicts]
        score.right += right
        score.wrong += wrong
        score.unjudged += len(unjudged)
        score.missed += len(missed - set(first))
        score.top3 += len(first[:3])
        score.top3_right += sum(1 for c in first[:3] if verdicts.get(c) is True)
        if right + wrong:
            score.per_document.append(right / (right + wrong))
        if details:
            lex = lexicon()
            wrong_labels = [lex.concepts[c].label for c in first if verdicts.get(c) is False]
            print(
                f"   {data['symbol']:18} {right}/{right + wrong} right"
                + (f"; wrong: {', '.join(wrong_labels)}" if wrong_labels else "")
                + (f"; UNJUDGED: {unjudged}" if unjudged else "")
            )
    docs = len(score.per_document)
    print(
        f"   {docs} resolutions, {score.right + score.wrong + score.unjudged} subjects: "
        f"precision {pct(score.precision)} ({score.right}/{score.right + score.wrong}), "
        f"macro {pct(statistics.mean(score.per_document) if docs else 0)}, "
        f"top-3 {pct(score.top3_right / score.top3 if score.top3 else 0)} "
        f"({score.top3_right}/{score.top3}); recall estimate {pct(score.recall)} "
        f"({score.missed} missed); {score.unjudged} not judged"
    )
    if score.paragraphs:
        print(
            f"   operative paragraphs: {score.paragraphs} assignments, "
            f"{pct(score.paragraphs_right / score.paragraphs)} of them of a subject judged right "
            "for the resolution"
        )
    return score


def titles(golden: Path, details: bool) -> Score:
    """Section 2: subjects read from catalogue titles alone."""
    score = Score()
    path = golden / "titles.yaml"
    print("2. Catalogue titles (UN-resolutions.csv, judged in titles.yaml)")
    if not path.is_file():
        print("   titles.yaml not found")
        return score
    data = yaml.safe_load(path.read_text())
    with_subject = 0
    for entry in data["titles"]:
        symbol = entry["symbol"]
        body = "un-sc" if symbol.startswith("S/") else "un-ga"
        res = Resolution(symbol, body, "resolution", None, entry["title"])
        got = [s.concept for s in resolution_subjects(res)]
        verdicts = judged(entry["subjects"])
        with_subject += bool(got)
        score.right += sum(1 for c in got if verdicts.get(c) is True)
        score.wrong += sum(1 for c in got if verdicts.get(c) is False)
        unjudged = [c for c in got if c not in verdicts]
        score.unjudged += len(unjudged)
        score.missed += len({str(m["concept"]) for m in entry.get("missing", [])} - set(got))
        if details and unjudged:
            print(f"   {symbol}: UNJUDGED {unjudged}")
    print(
        f"   {len(data['titles'])} titles, {with_subject} with a subject: precision "
        f"{pct(score.precision)} ({score.right}/{score.right + score.wrong}); "
        f"{score.missed} missed; {score.unjudged} not judged"
    )
    return score


def corpus_resolutions(corpus: Path) -> dict[str, Resolution]:
    """One model per resolution of the corpus (the first file that gives it)."""
    found: dict[str, Resolution] = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        try:
            for res in parse_file(path):
                found.setdefault(res.symbol, res)
        except LdexportError:
            continue
    return found


def third_party(corpus: Path, gold: Path) -> None:
    """Section 3: subjects that third parties give, where one of ours should match."""
    print("3. Third-party subject data")
    if not gold.is_dir():
        print(f"   {gold} not found")
        return
    lex = lexicon()
    docs = corpus_resolutions(corpus)
    ours = {symbol: {s.concept for s in resolution_subjects(res)} for symbol, res in docs.items()}

    def named(text: str) -> set[str]:
        return {m.concept for m in lex.match(text)}

    hits = total = 0
    lines = []
    with (gold / "sc_resolutions_list" / "UNSC_Resolutions.csv").open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            symbol = f"{row['Resolution']}({row['Year']})"
            if symbol not in ours:
                continue
            wanted = named(row["Topic"])
            total += 1
            hit = bool(wanted & ours[symbol])
            hits += hit
            labels = sorted(lex.concepts[c].label for c in wanted)
            verdict = "found" if hit else "MISSED"
            lines.append(f"   {symbol}: topic {row['Topic']!r} -> {labels} {verdict}")
    print(f"   Security Council list, topic concept among our subjects: {hits}/{total}")
    print("\n".join(lines))

    with (gold / "voeten_unvotes" / "un_roll_calls.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            m = re.fullmatch(r"R/(\d+)/(\d+)", row["unres"] or "")
            if not m or f"A/RES/{m[1]}/{m[2]}" not in ours:
                continue
            symbol = f"A/RES/{m[1]}/{m[2]}"
            wanted = named(row["short"])
            labels = sorted(lex.concepts[c].label for c in wanted)
            shared = sorted(lex.concepts[c].label for c in wanted & ours[symbol])
            print(f"   Voeten {symbol}: heading {row['short']!r} -> {labels}; ours: {shared}")

    record = gold / "undl_recent_votes" / "A_RES_78_264_votingrecord_marcxml.xml"
    if record.is_file():
        text = record.read_text()
        subject = re.search(r'tag="991".*?code="d">([^<]+)<', text, re.S)
        title = re.search(r'tag="245".*?code="a">([^<]+?)\s*:?<', text, re.S)
        if subject and title:
            res = Resolution("A/RES/78/264", "un-ga", "resolution", None, title.group(1))
            got = [s.label for s in resolution_subjects(res)]
            print(
                f"   UN Digital Library voting record A/RES/78/264: agenda subject (991 $d) "
                f"{subject.group(1)!r}; ours from the title {title.group(1)!r} alone: {got}"
            )


def gazetteer(corpus: Path, golden: Path, reference: Path, details: bool) -> None:
    """Section 4: what the UNBIS non-preferred terms (GATE list, GPL-3.0) would add."""
    print("4. Alternative labels (GATE gazetteer list; GPL-3.0, not shipped)")
    path = reference / "unbis_gazetteer_en_GateNLP.lst"
    if not path.is_file():
        print(f"   {path} not found")
        return
    lex = lexicon()
    alts: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        info = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
        if info.get("kind") == "alt":
            concept = info["uri"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if concept in lex.concepts:
                alts.append((fields[0], concept))
    already = sum(1 for text, c in alts if any(m.concept == c for m in lex.match(text)))
    print(
        f"   {len(alts)} alternative labels of known concepts; the shipped lexicon already "
        f"matches {already} of them to their concept (inflection, derived forms)"
    )
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    data["aliases"] = [*data.get("aliases", []), *[[t, c] for t, c in alts]]
    with_alts = Lexicon(data)
    missed: dict[str, set[str]] = {}
    for file in golden_files(golden):
        entry = yaml.safe_load(file.read_text())
        missed[entry["symbol"]] = {str(m["concept"]) for m in entry.get("missing", [])}
    added = fixed = 0
    for symbol, res in corpus_resolutions(corpus).items():
        base = {s.concept for s in resolution_subjects(res)}
        more = {s.concept for s in resolution_subjects(res, with_alts)}
        new = more - base
        added += len(new)
        fixed += len(new & missed.get(symbol, set()))
        if details and new:
            print(f"   {symbol}: + {sorted(lex.concepts[c].label for c in new)}")
    print(
        f"   on the corpus they would add {added} subjects, {fixed} of them ones the reader "
        "listed as missed"
    )


def speed(corpus: Path) -> None:
    """Section 5: lexicon load and per-document time."""
    print("5. Speed")
    import ldexport.subjects as subjects

    subjects.lexicon.cache_clear()
    start = time.perf_counter()
    lexicon()
    load = time.perf_counter() - start
    docs = list(corpus_resolutions(corpus).values())
    times, words = [], 0
    for res in docs:
        words += sum(len(p.text.split()) for p in res.walk())
        start = time.perf_counter()
        for _ in range(5):
            assign(res)
        times.append((time.perf_counter() - start) / 5)
    print(
        f"   lexicon load {load * 1000:.0f} ms ({LEXICON_PATH.stat().st_size:,} bytes); "
        f"assign: {1000 * statistics.mean(times):.1f} ms per document on average, "
        f"{1000 * max(times):.1f} ms at most, {1000 * sum(times) / words * 1000:.2f} ms per "
        f"1,000 words ({len(docs)} resolutions, {words:,} words)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--golden", type=Path, default=GOLDEN)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    reading(args.corpus, args.golden, args.details)
    titles(args.golden, args.details)
    third_party(args.corpus, args.gold)
    gazetteer(args.corpus, args.golden, args.reference, args.details)
    speed(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
