"""Accuracy, measured: the parser's output compared with hand-written golden facts.

Golden facts are YAML files (tests/golden/README.md has the schema and the counting and
citation rules), one per source document.  `score` compares what the parser made of one
document with its facts, field by field; `evaluate` and `evaluate_folder` add documents up
into a `Report` whose `table()` prints, per field, how many documents are exactly right out
of how many state it, and the micro-averaged precision and recall of citations.

The pipeline is passed in as `convert(path) -> list[Resolution]`, so that the measurement
does not depend on how the parser is put together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ldexport.gold import GoldCheck, GoldTables, cross_check
from ldexport.model import Kind, Resolution, Subdivision
from ldexport.symbols import canonical

Facts = Mapping[str, Any]
Convert = Callable[[Path], Sequence[Resolution]]

#: The counts the facts may state, in the order the table prints them.
COUNT_KEYS = (
    "preambular",
    "operative",
    "subparagraphs",
    "sections",
    "footnotes",
    "annexes",
    "annex_paragraphs",
    "annex_subparagraphs",
)

#: The scored fields, in the order the table prints them ("counts.x" for each count).
FIELDS = (
    "resolutions",
    "symbol",
    "body",
    "doc_type",
    "title",
    "adoption_date",
    "distribution_date",
    "session",
    "session_label",
    "agenda_items",
    "agenda_item_labels",
    "committee",
    "report_symbols",
    "draft_symbols",
    "meeting",
    "vote",
    "sponsors",
    *(f"counts.{k}" for k in COUNT_KEYS),
)

#: Keys a facts entry may have (the well-formedness test checks against these).
FACT_KEYS = frozenset(
    {
        "symbol",
        "body",
        "doc_type",
        "title",
        "adoption_date",
        "distribution_date",
        "session",
        "agenda_items",
        "committee",
        "report_symbols",
        "draft_symbols",
        "meeting",
        "vote",
        "sponsors",
        "counts",
        "citations",
        "other_citations",
        "notes",
    }
)

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")
# "A/67/828-S/2013/210": a hyphen followed by the start of another series' symbol.
_JOINT = re.compile(r"-(?=(?:A|S|E|ST)/)")
_DRAFT_SUFFIX = re.compile(r"\s*:\s*draft resolution\s*$", re.IGNORECASE)


def fold(text: str | None) -> str | None:
    """Text as compared: NFC, typographic quotes and dashes plain, white space single."""
    if text is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_FOLD)).strip()


def split_joint(symbol: str) -> list[str]:
    """The symbols of a joint document: "A/67/828-S/2013/210" -> ["A/67/828", "S/2013/210"]."""
    return [canonical(part) for part in _JOINT.split(canonical(symbol)) if part]


# --- facts files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FactsFile:
    """One golden file: the source files it describes and the facts of each resolution."""

    path: Path
    sources: tuple[str, ...]
    resolutions: tuple[Facts, ...]
    notes: tuple[str, ...] = ()


def read_facts_file(path: str | Path) -> FactsFile:
    """Read a golden YAML file; ValueError if it lacks `sources` or `resolutions`."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("resolutions"), list):
        raise ValueError(f"{path}: a facts file needs a 'resolutions' list")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise ValueError(f"{path}: a facts file needs a non-empty 'sources' list")
    return FactsFile(
        path=path,
        sources=tuple(str(s) for s in sources),
        resolutions=tuple(data["resolutions"]),
        notes=tuple(data.get("notes", ())),
    )


def load_facts(path: str | Path) -> list[dict[str, Any]]:
    """The facts of every resolution in a golden file, in file order."""
    return [dict(r) for r in read_facts_file(path).resolutions]


def facts_files(facts_dir: str | Path) -> list[Path]:
    """Every golden file under `facts_dir`, sorted."""
    return sorted(Path(facts_dir).rglob("*.yaml"))


# --- what the model says -------------------------------------------------------------------


def _walk(parts: Iterable[Subdivision], in_annex: bool) -> Iterable[tuple[Subdivision, bool]]:
    for part in parts:
        yield part, in_annex
        yield from _walk(part.children, in_annex or part.kind is Kind.ANNEX)


def model_counts(res: Resolution) -> dict[str, int]:
    """The counts of tests/golden/README.md, read off a model."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for part, in_annex in _walk(res.parts, False):
        kind = part.kind
        if kind is Kind.ANNEX:
            counts["annexes"] += 1
        elif in_annex:
            if kind in (Kind.PREAMBULAR, Kind.OPERATIVE):
                counts["annex_paragraphs"] += 1
            elif kind is Kind.SUBPARAGRAPH:
                counts["annex_subparagraphs"] += 1
        elif kind is Kind.PREAMBULAR:
            counts["preambular"] += 1
        elif kind is Kind.OPERATIVE:
            counts["operative"] += 1
        elif kind is Kind.SUBPARAGRAPH:
            counts["subparagraphs"] += 1
        elif kind is Kind.SECTION and part.number:
            counts["sections"] += 1
    counts["footnotes"] = len(res.footnotes)
    return counts


def predicted_citations(res: Resolution) -> set[str]:
    """The citation set the scorer compares: see "Citation rules" in tests/golden/README.md."""
    heading_only = {canonical(s) for s in (*res.report_symbols, *res.draft_symbols)}
    in_text: set[str] = set()
    for part in res.walk():
        for cite in part.citations:
            in_text.update(split_joint(cite.symbol))
    for note in res.footnotes:
        for cite in note.citations:
            in_text.update(split_joint(cite.symbol))
    # Resolution-level citations come from the masthead and heading: the report or draft
    # named there is report_symbols / draft_symbols, not a citation.
    symbols = in_text | {
        s for cite in res.citations for s in split_joint(cite.symbol) if s not in heading_only
    }
    symbols.discard(canonical(res.symbol))
    return symbols


def _sponsors(text: str | None) -> str | None:
    return fold(_DRAFT_SUFFIX.sub("", text)) if text is not None else None


def _actual(res: Resolution | None, name: str) -> Any:
    """The value of a scored field in the model (None for a resolution not returned)."""
    if res is None:
        return None
    if name.startswith("counts."):
        return model_counts(res)[name.removeprefix("counts.")]
    if name == "title":
        return fold(res.title)
    if name == "sponsors":
        return _sponsors(res.sponsors)
    if name == "session":
        return res.session.number if res.session else None
    if name == "session_label":
        return res.session.label if res.session else None
    if name == "agenda_items":
        return [a.number for a in res.agenda_items]
    if name in ("report_symbols", "draft_symbols"):
        return sorted({canonical(s) for s in getattr(res, name)})
    if name == "symbol":
        return canonical(res.symbol)
    return getattr(res, name)


def _expected(facts: Facts, name: str) -> tuple[bool, Any]:
    """(stated, value) of a scored field in the facts."""
    if name.startswith("counts."):
        counts = facts.get("counts") or {}
        key = name.removeprefix("counts.")
        return key in counts, counts.get(key)
    if name in ("session", "session_label"):
        if "session" not in facts:
            return False, None
        session = facts["session"]
        if session is None:
            return True, None
        key = "number" if name == "session" else "label"
        return (key in session, session.get(key))
    if name == "agenda_items":
        if "agenda_items" not in facts:
            return False, None
        return True, [str(a["number"]) for a in facts["agenda_items"] or ()]
    if name in ("report_symbols", "draft_symbols"):
        if name not in facts:
            return False, None
        return True, sorted(facts[name] or ())
    if name in ("title", "sponsors"):
        return name in facts, fold(facts.get(name))
    return name in facts, facts.get(name)


def _labels(res: Resolution | None, facts: Facts) -> tuple[bool, Any, Any]:
    """(stated, expected, actual) of the agenda item labels the facts give."""
    wanted = {
        str(a["number"]): fold(a["label"])
        for a in facts.get("agenda_items") or ()
        if a.get("label") is not None
    }
    if not wanted:
        return False, None, None
    got = {a.number: fold(a.label) for a in res.agenda_items} if res is not None else {}
    return True, wanted, {n: got.get(n) for n in wanted}


# --- scores ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldResult:
    """One scored field of one resolution."""

    field: str
    symbol: str
    expected: Any
    actual: Any

    @property
    def right(self) -> bool:
        return bool(self.expected == self.actual)


@dataclass(frozen=True)
class DocumentScore:
    """What the parser got right in one source document (all its resolutions)."""

    name: str
    results: tuple[FieldResult, ...]
    true_positives: frozenset[tuple[str, str]] = frozenset()
    false_positives: frozenset[tuple[str, str]] = frozenset()
    false_negatives: frozenset[tuple[str, str]] = frozenset()
    error: str | None = None

    def fields(self) -> dict[str, bool]:
        """Per stated field: right in every resolution of the document that states it."""
        out: dict[str, bool] = {}
        for r in self.results:
            out[r.field] = out.get(r.field, True) and r.right
        return out

    @property
    def citations_right(self) -> bool:
        return not self.false_positives and not self.false_negatives

    @property
    def all_right(self) -> bool:
        return self.error is None and all(self.fields().values()) and self.citations_right

    def wrong(self) -> list[FieldResult]:
        return [r for r in self.results if not r.right]


def score(
    resolutions: Sequence[Resolution],
    facts: Sequence[Facts],
    *,
    name: str | None = None,
    error: str | None = None,
) -> DocumentScore:
    """Compare the resolutions the parser returned for one document with its facts.

    Resolutions are paired by canonical symbol; when the document has one resolution of each
    that do not pair by symbol, they are paired anyway (and the symbol field is then wrong).
    A facts entry left without a partner is wrong in every field it states.
    """
    by_symbol = {canonical(r.symbol): r for r in resolutions}
    pairs: list[tuple[Facts, Resolution | None]] = []
    unpaired_facts = []
    for f in facts:
        res = by_symbol.pop(canonical(str(f.get("symbol", ""))), None)
        if res is None:
            unpaired_facts.append(f)
        pairs.append((f, res))
    if len(unpaired_facts) == 1 and len(by_symbol) == 1:
        [left] = by_symbol.values()
        pairs = [(f, left if f is unpaired_facts[0] else r) for f, r in pairs]

    results: list[FieldResult] = [FieldResult("resolutions", "", len(facts), len(resolutions))]
    tp: set[tuple[str, str]] = set()
    fp: set[tuple[str, str]] = set()
    fn: set[tuple[str, str]] = set()
    for f, res in pairs:
        symbol = str(f.get("symbol", ""))
        for fname in FIELDS:
            if fname == "resolutions":
                continue
            if fname == "agenda_item_labels":
                stated, expected, actual = _labels(res, f)
            else:
                stated, expected = _expected(f, fname)
                actual = _actual(res, fname)
            if stated:
                results.append(FieldResult(fname, symbol, expected, actual))
        if "citations" in f:
            want = {canonical(s) for s in f["citations"] or ()}
            ignore = {canonical(s) for s in f.get("other_citations") or ()}
            got = (predicted_citations(res) if res is not None else set()) - ignore
            tp.update((symbol, s) for s in want & got)
            fp.update((symbol, s) for s in got - want)
            fn.update((symbol, s) for s in want - got)
    return DocumentScore(
        name=name or ", ".join(str(f.get("symbol", "?")) for f in facts),
        results=tuple(results),
        true_positives=frozenset(tp),
        false_positives=frozenset(fp),
        false_negatives=frozenset(fn),
        error=error,
    )


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


@dataclass
class Report:
    """Scores of many documents, added up."""

    documents: list[DocumentScore]
    gold_checks: list[GoldCheck] = field(default_factory=list)

    def field_totals(self) -> dict[str, tuple[int, int]]:
        """Per field: (documents exactly right, documents whose facts state the field)."""
        totals: dict[str, list[int]] = {}
        for doc in self.documents:
            for fname, right in doc.fields().items():
                t = totals.setdefault(fname, [0, 0])
                t[0] += right
                t[1] += 1
        return {f: (totals[f][0], totals[f][1]) for f in FIELDS if f in totals}

    @property
    def true_positives(self) -> int:
        return sum(len(d.true_positives) for d in self.documents)

    @property
    def false_positives(self) -> int:
        return sum(len(d.false_positives) for d in self.documents)

    @property
    def false_negatives(self) -> int:
        return sum(len(d.false_negatives) for d in self.documents)

    @property
    def precision(self) -> float:
        """Citation precision, micro-averaged over every resolution."""
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """Citation recall, micro-averaged over every resolution."""
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    def table(self) -> str:
        """Per field: right / stated; the documents exactly right overall; citation P/R."""
        rows = [(f, r, n) for f, (r, n) in self.field_totals().items()]
        cited = [d for d in self.documents if d.true_positives or d.false_negatives]
        rows.append(("citations (exact set)", sum(d.citations_right for d in cited), len(cited)))
        rows.append(("ALL FIELDS", sum(d.all_right for d in self.documents), len(self.documents)))
        width = max(len(r[0]) for r in rows)
        lines = [f"{'field':<{width}}  right / stated", f"{'-' * width}  --------------"]
        for fname, right, stated in rows:
            pct = f"{100 * right / stated:5.1f} %" if stated else "    -"
            lines.append(f"{fname:<{width}}  {right:5d} / {stated:<6d} {pct}")
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        lines.append("")
        lines.append(
            f"citations: precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"(tp {tp}, fp {fp}, fn {fn}, micro-averaged over resolutions)"
        )
        errors = [d for d in self.documents if d.error]
        if errors:
            lines.append(f"documents that failed to convert: {len(errors)}")
        if self.gold_checks:
            bad = [c for c in self.gold_checks if not c.agrees]
            lines.append(
                f"third-party tables: {len(self.gold_checks) - len(bad)} of "
                f"{len(self.gold_checks)} checks agree"
            )
        return "\n".join(lines)

    def details(self) -> str:
        """Every wrong field, missed or extra citation, and failure, document by document."""
        lines: list[str] = []
        for doc in self.documents:
            wrong = doc.wrong()
            if doc.all_right:
                continue
            lines.append(f"{doc.name}:")
            if doc.error:
                lines.append(f"  error: {doc.error}")
            for r in wrong:
                who = f" [{r.symbol}]" if r.symbol else ""
                lines.append(f"  {r.field}{who}: expected {r.expected!r}, got {r.actual!r}")
            if doc.false_negatives:
                missed = ", ".join(sorted(s for _, s in doc.false_negatives))
                lines.append(f"  citations missed: {missed}")
            if doc.false_positives:
                extra = ", ".join(sorted(s for _, s in doc.false_positives))
                lines.append(f"  citations extra: {extra}")
        for check in self.gold_checks:
            if not check.agrees:
                lines.append(f"gold: {check.describe()}")
        return "\n".join(lines)


def evaluate(pairs: Iterable[tuple[Sequence[Resolution], Sequence[Facts]]]) -> Report:
    """A report over (parser output, facts) pairs, one pair per document."""
    return Report([score(resolutions, facts) for resolutions, facts in pairs])


def evaluate_folder(
    corpus_dir: str | Path,
    facts_dir: str | Path,
    convert: Convert,
    *,
    gold: GoldTables | None = None,
) -> Report:
    """Convert every source named by the golden files under `facts_dir` and score it.

    A golden file `facts_dir/<sub>/<name>.yaml` describes the files its `sources:` lists in
    `corpus_dir/<sub>/`.  A source that is missing or fails to convert is scored as an empty
    result (every stated field wrong, every citation missed) and its error is kept.  With
    `gold`, the symbols and adoption dates the parser returned are also checked against the
    third-party tables.
    """
    corpus_dir, facts_dir = Path(corpus_dir), Path(facts_dir)
    documents: list[DocumentScore] = []
    returned: list[Resolution] = []
    for path in facts_files(facts_dir):
        facts = read_facts_file(path)
        sub = path.parent.relative_to(facts_dir)
        for source in facts.sources:
            src = corpus_dir / sub / source
            name = str(sub / source)
            error: str | None = None
            resolutions: Sequence[Resolution] = ()
            if not src.is_file():
                error = f"{src}: no such file"
            else:
                try:
                    resolutions = list(convert(src))
                except Exception as exc:  # a failing document is a score, not a crash
                    error = f"{type(exc).__name__}: {exc}"
            returned.extend(resolutions)
            documents.append(score(resolutions, facts.resolutions, name=name, error=error))
    checks: list[GoldCheck] = []
    if gold is not None:
        checks = cross_check(
            ({"symbol": r.symbol, "adoption_date": r.adoption_date} for r in returned), gold
        )
    return Report(documents, checks)


def _default_convert(path: Path) -> Sequence[Resolution]:
    from ldexport.convert import parse_file  # the pipeline, imported only when run

    return parse_file(path)


def main(argv: Sequence[str] | None = None, convert: Convert | None = None) -> int:
    """`python -m ldexport.evaluate CORPUS_DIR [FACTS_DIR] [--gold TABLE ...] [--details]`.

    Prints the table (and with --details every wrong field); exit status 0 when every
    document is exactly right, 1 otherwise.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m ldexport.evaluate", description="Score the parser against golden facts."
    )
    parser.add_argument("corpus_dir", type=Path, help="folder of the source documents")
    parser.add_argument(
        "facts_dir", type=Path, nargs="?", help="folder of the golden YAML files (default: corpus)"
    )
    parser.add_argument("--gold", type=Path, nargs="*", default=[], help="third-party tables")
    parser.add_argument("--details", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    tables = None
    if args.gold:
        from ldexport.gold import load_tables

        tables = load_tables(args.gold)
    report = evaluate_folder(
        args.corpus_dir, args.facts_dir or args.corpus_dir, convert or _default_convert, gold=tables
    )
    print(report.table())
    if args.details:
        details = report.details()
        if details:
            print()
            print(details)
    return 0 if all(d.all_right for d in report.documents) else 1


if __name__ == "__main__":
    raise SystemExit(main())
