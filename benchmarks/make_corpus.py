"""A benchmark corpus of N documents built from the real dev corpus (tests/data/corpus).

    .venv/bin/python benchmarks/make_corpus.py N OUT_DIR [--seed S] [--pdfs K]

Each real text document (GA Markdown, ODS and raw-extract text, SC plain text) is repeated
under a distinct, valid symbol: its own symbol, its number, its session (GA: the number in
"80/10.", "A/80/L.11", "A/RES/80/10" and the session's ordinal in words, "Eightieth
session") and the year of its dates ("26 November 2025", "2025-11-26") are rewritten
consistently, so the parser reads a different, conforming resolution of real text and real
shape.  The `--pdfs` real PDFs (default 3, each once, under their own symbols) keep the
share of slow PDF parsing small but non-zero.  The output depends only on N and the seed.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"

_UNITS = (
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
_TENS = ("", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet")
_CARDINAL = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def ordinal_words(n: int) -> str:
    """58 -> "fifty-eighth", 80 -> "eightieth" (1 <= n <= 99), as UN mastheads print them."""
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return f"{_TENS[tens]}ieth" if unit == 0 else f"{_TENS[tens]}y-{_UNITS[unit]}"


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@dataclass(frozen=True)
class Source:
    path: Path
    body: str  # "GA" or "SC"
    session: int  # GA session, or SC year
    number: int
    suffix: str  # what follows the symbol in the file name ("__raw-extract.txt", ".md")
    year: int  # the adoption year


def sources() -> list[Source]:
    """The text documents of the dev corpus, with their symbol parts."""
    out = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        m = re.match(r"^A_RES_(\d+)_(\d+)(.*)$", path.name)
        text = path.read_text(encoding="utf-8")
        if m:
            session, number = int(m.group(1)), int(m.group(2))
            adopted = re.search(
                rf"General Assembly\s+on\s+\d{{1,2}}\s+(?:{_MONTHS})\s+(\d{{4}})", text
            )
            year = int(adopted.group(1)) if adopted else 1945 + session
            out.append(Source(path, "GA", session, number, m.group(3), year))
            continue
        m = re.match(r"^S_RES_(\d+)_(\d{4})(.*)$", path.name)
        if m:
            year = int(m.group(2))
            out.append(Source(path, "SC", year, int(m.group(1)), m.group(3), year))
    return out


def _shift_years(text: str, year: int, new_year: int) -> str:
    """Every date of the adoption year and the next ("24 March 2005", "2005-03-24"; a
    resolution may be distributed the next year) moved by `new_year - year` years."""
    delta = new_year - year
    years = f"(?:{year}|{year + 1})"
    text = re.sub(
        rf"(\b\d{{1,2}}\s+(?:{_MONTHS})\s+)({years})(?!\d)",
        lambda m: f"{m.group(1)}{int(m.group(2)) + delta}",
        text,
    )
    return re.sub(
        rf"\b({years})(-\d\d-\d\d)\b", lambda m: f"{int(m.group(1)) + delta}{m.group(2)}", text
    )


def rewrite_ga(src: Source, text: str, session: int, number: int) -> str:
    s, n = src.session, src.number
    text = text.replace(f"A/RES/{s}/{n}", f"A/RES/{session}/{number}")
    text = re.sub(rf"(?m)^(\W*){s}/{n}\.", rf"\g<1>{session}/{number}.", text)
    text = re.sub(rf"\bA/{s}/", f"A/{session}/", text)
    old, new = ordinal_words(s), ordinal_words(session)
    text = re.sub(rf"\b{old.capitalize()}(\s+)session", rf"{new.capitalize()}\g<1>session", text)
    text = re.sub(rf"\b{old}(\s+)session", rf"{new}\g<1>session", text)
    return _shift_years(text, src.year, src.year + session - s)


def rewrite_sc(src: Source, text: str, year: int, number: int) -> str:
    y, n = src.session, src.number
    text = re.sub(rf"\b{n}(\s*)\({y}\)", rf"{number}\g<1>({year})", text)
    text = re.sub(rf"\bresolution {n}\b", f"resolution {number}", text)
    return _shift_years(text, y, year)


def make(n_docs: int, out_dir: Path, seed: int = 2026, pdfs: int = 3) -> list[Path]:
    """Write `n_docs` source files into `out_dir` (emptied first); returns their paths."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    rng = random.Random(seed)
    texts = sources()
    real_pdfs = sorted(CORPUS.glob("A_RES_*.pdf"))[: max(0, min(pdfs, n_docs))]
    used: set[tuple[str, int, int]] = {(s.body, s.session, s.number) for s in texts}
    used |= {("GA", int(p.stem.split("_")[2]), int(p.stem.split("_")[3])) for p in real_pdfs}
    written = []
    for pdf in real_pdfs:
        target = out_dir / pdf.name
        shutil.copyfile(pdf, target)
        written.append(target)
    for i in range(n_docs - len(real_pdfs)):
        src = texts[i % len(texts)]
        text = src.path.read_text(encoding="utf-8")
        if src.body == "GA":
            session = rng.randint(40, 80)  # years 1985-2025
            key = ("GA", session, rng.randint(1000, 9999))
            while key in used:
                key = ("GA", session, key[2] % 9999 + 1)
            used.add(key)
            new = rewrite_ga(src, text, session, key[2])
            name = f"A_RES_{session}_{key[2]}{src.suffix}"
        else:
            year = src.year + rng.randint(-3, 3)
            key = ("SC", 0, rng.randint(2000, 9999))
            while key in used:
                key = ("SC", 0, key[2] % 9999 + 1)
            used.add(key)
            new = rewrite_sc(src, text, year, key[2])
            name = f"S_RES_{key[2]}_{year}{src.suffix}"
        target = out_dir / name
        target.write_text(new, encoding="utf-8")
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pdfs", type=int, default=3, help="real PDFs to include (once each)")
    args = parser.parse_args()
    paths = make(args.n, args.out_dir, args.seed, args.pdfs)
    print(f"{len(paths)} documents in {args.out_dir}")


if __name__ == "__main__":
    main()
