"""Official UN PDF (born-digital, as served by ODS and the UN Digital Library).

Written against A/RES/73/3, A/RES/73/6 and A/RES/73/7 (General Assembly, 2018) and the
Security Council drafts S/2016/1100 ... S/2024/302, all made from the UN's Word template.
pdfplumber gives every character with its font, size and position; the reader uses them to
undo what the page layout adds to the text:

* the masthead (page 1, down to the thick rule under "Distr.: General" and the session and
  agenda lines left of the text column) is kept one fact a line; the symbol, printed as a
  20-point letter and a 10-point rest ("A" + "/RES/73/3"), is put back together;
* running headers (everything above the thin rule at the top of pages 2 ff.: the symbol and
  the title repeated), page footers ("2/10 18-16895"), the job number ("18-16895 (E)
  241018"), the barcode text ("*1816895*") and "Please recycle" are dropped;
* footnotes (8.5-point lines under the "____" separator at the foot of a page, each opened by
  a superscript number) are taken out of the flow and put at the end as "N text" lines, a
  footnote continued on the next page joined to its start;
* footnote references (superscript digits in the running text) become "[^N]" where they
  stand: "Development,[^1] including";
* wrapped lines are joined into paragraphs: a paragraph starts where the line spacing opens
  up (1.5 lines or more), where the font size or weight changes, or at a line indented from
  the text column's left edge (the first-line indent of every UN paragraph; a wrapped line
  returns to the edge); across a page break only the indent (or a paragraph number) tells;
* line-end hyphens are kept (UN documents are set without automatic hyphenation, so
  "non-" + "governmental" is "non-governmental") unless the document writes the word solid
  elsewhere and never with the hyphen (see `_text.join_lines`).

A PDF without a text layer (a scan) and an encrypted or damaged PDF are SourceErrors.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ldexport.errors import SourceError
from ldexport.sources._text import (
    Vocabulary,
    clean_spaces,
    is_page_furniture,
    iso_date,
    job_number,
    join_lines,
    one_line,
    starts_paragraph,
)
from ldexport.sources.base import SourceDocument, sha256_hex

FORMAT = "un-pdf"

#: Whether `read` parses each PDF in a forked child process (`_in_child`).  Set in the worker
#: processes of a publish (`ldexport.executor.init_worker`), which live for the whole batch.
ISOLATE = False

Char = dict[str, Any]


def detect_bytes(head: bytes) -> bool:
    """The PDF header, which the standard allows anywhere in the first 1024 bytes."""
    return b"%PDF-" in head[:1024]


@dataclass(eq=False)
class _Line:
    page: int
    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    baseline: float
    bold: bool
    text: str = ""
    marker: str | None = None  # a footnote number printed as a superscript at the start
    fonts: set[str] = field(default_factory=set)


def read(path: str, data: bytes) -> SourceDocument:
    if ISOLATE and hasattr(os, "fork"):
        return _in_child(path, data)
    return _read(path, data)


def _in_child(path: str, data: bytes) -> SourceDocument:
    """`_read` in a forked child process, its result (a few KiB of text) sent back pickled.

    pdfminer makes and drops hundreds of thousands of small objects a PDF.  What survives
    pins the allocator's arenas, so a process's memory grew by 60-100 MiB with each PDF and
    never came back: a worker that had read 12 PDFs held 336 MiB where it had held 62.  The
    child takes that memory with it when it exits.  It costs 50-90 ms a PDF (5-8% of its
    time: the fork, and what pdfminer loads again in each child) and gives the same
    documents.  The child leaves by `os._exit`: it must not flush the buffers or run the
    exit handlers of the process it is a copy of."""
    import pdfplumber  # noqa: F401  (imported once here, not in every child)

    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(receive)
            try:
                reply: tuple[Any, ...] = ("ok", _read(path, data))
            except SourceError as exc:  # its pickle would lose `reason`
                reply = ("source", exc.path, exc.reason)
            except Exception as exc:
                reply = ("error", f"{type(exc).__name__}: {exc}")
            with os.fdopen(send, "wb") as out:
                out.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)
    os.close(send)
    with os.fdopen(receive, "rb") as got:
        payload = got.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise SourceError(path, f"is a PDF its reader died on (wait status {status})")
    kind, *rest = pickle.loads(payload)
    if kind == "source":
        raise SourceError(*rest)
    if kind == "error":
        raise RuntimeError(f"{path}: the PDF reader failed: {rest[0]}")
    result: SourceDocument = rest[0]
    return result


def _read(path: str, data: bytes) -> SourceDocument:
    pages = _open(path, data)
    if not any(p_lines for p_lines, _, _ in pages):
        raise SourceError(path, "is a PDF without a text layer (a scanned image?); it needs OCR")
    doc = _Layout(pages)
    text, meta = doc.reconstruct()
    return SourceDocument(path, FORMAT, text, sha256_hex(data), "lines", meta)


PageInfo = tuple[list[_Line], list[tuple[float, float, float]], tuple[float, float]]


def _open(path: str, data: bytes) -> list[PageInfo]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise SourceError(path, "is a PDF with no pages")
            out: list[PageInfo] = []
            for page in pdf.pages:
                out.append(
                    (_page_lines(page), _rules(page), (float(page.width), float(page.height)))
                )
            return out
    except SourceError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for damaged files
        causes = _causes(exc)
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
            raise SourceError(path, "is an encrypted PDF that needs a password") from exc
        reason = one_line(next((str(c) for c in causes if str(c)), exc.__class__.__name__))
        raise SourceError(path, f"is not a readable PDF (damaged or truncated: {reason})") from exc


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (pdfplumber wraps pdfminer's) and what caused it."""
    out: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(out) < 10:
        e = todo.pop(0)
        out.append(e)
        todo += [a for a in e.args if isinstance(a, BaseException)]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return out


def _page_lines(page: Any) -> list[_Line]:
    lines: list[_Line] = []
    for tl in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in tl["chars"] if c.get("upright", True)]
        ink = [c for c in chars if c["text"].strip()]
        if not ink:
            continue
        sizes = Counter(round(float(c["size"]), 1) for c in ink)
        size = sizes.most_common(1)[0][0]
        base = [float(c["bottom"]) for c in ink if round(float(c["size"]), 1) == size]
        bold = sum("Bold" in c["fontname"] for c in ink) > len(ink) / 2
        line = _Line(
            page=page.page_number,
            chars=sorted(chars, key=lambda c: float(c["x0"])),
            x0=min(float(c["x0"]) for c in ink),
            x1=max(float(c["x1"]) for c in ink),
            top=min(float(c["top"]) for c in ink),
            bottom=max(float(c["bottom"]) for c in ink),
            size=size,
            baseline=statistics.median(base),
            bold=bold,
            fonts={c["fontname"] for c in ink},
        )
        line.text, line.marker = _line_text(line.chars, size, line.baseline)
        lines.append(line)
    return lines


def _is_superscript(c: Char, size: float, baseline: float) -> bool:
    return float(c["size"]) <= 0.8 * size and float(c["bottom"]) < baseline - 0.15 * size


def _line_text(chars: Sequence[Char], size: float, baseline: float) -> tuple[str, str | None]:
    """The characters as text: spaces from gaps, superscript digits as footnote markers.

    A superscript number at the start of the line is returned apart (a footnote's number).
    """
    out: list[str] = []
    marker: str | None = None
    sup: list[str] = []
    last_x1: float | None = None
    pending_space = False

    def flush_sup() -> None:
        nonlocal marker
        if not sup:
            return
        digits = "".join(sup)
        sup.clear()
        if not "".join(out).strip() and marker is None:
            marker = digits
        else:
            while out and out[-1] == " ":
                out.pop()
            out.append(f"[^{digits}]")

    for c in chars:
        t = c["text"]
        if not t.strip():
            pending_space = True
            continue
        gap = float(c["x0"]) - last_x1 if last_x1 is not None else 0.0
        if gap > 0.15 * min(size, float(c["size"])):
            pending_space = True
        if _is_superscript(c, size, baseline) and t.isdigit():
            if sup and pending_space:
                flush_sup()
            sup.append(t)
            pending_space = False
            last_x1 = float(c["x1"])
            continue
        flush_sup()
        if pending_space and out:
            out.append(" ")
        pending_space = False
        out.append(t)
        last_x1 = float(c["x1"])
    flush_sup()
    return clean_spaces("".join(out)), marker


def _rules(page: Any) -> list[tuple[float, float, float]]:
    """Horizontal rules (y, x0, x1): thin rects and lines, pieces on one level merged."""
    pieces: list[tuple[float, float, float]] = []
    for o in list(page.rects) + list(page.lines):
        if float(o["bottom"]) - float(o["top"]) < 3 and float(o["x1"]) - float(o["x0"]) > 1:
            pieces.append(
                ((float(o["top"]) + float(o["bottom"])) / 2, float(o["x0"]), float(o["x1"]))
            )
    pieces.sort()
    merged: list[list[float]] = []
    for y, x0, x1 in pieces:
        if merged and abs(merged[-1][0] - y) < 2 and x0 <= merged[-1][2] + 3:
            merged[-1][2] = max(merged[-1][2], x1)
            merged[-1][1] = min(merged[-1][1], x0)
        else:
            merged.append([y, x0, x1])
    return [(m[0], m[1], m[2]) for m in merged]


UNDERSCORES = re.compile(r"^_{5,}$")


class _Layout:
    """The pages of one document and what its typography says about them."""

    def __init__(self, pages: list[PageInfo]) -> None:
        self.pages = pages
        all_lines = [ln for p, _, _ in pages for ln in p]
        sizes: Counter[float] = Counter()
        for ln in all_lines:
            sizes[ln.size] += len(ln.chars)
        self.body_size = sizes.most_common(1)[0][0]
        body = [ln for ln in all_lines if abs(ln.size - self.body_size) < 0.3]
        self.left = Counter(round(ln.x0, 0) for ln in body).most_common(1)[0][0]
        wide = [round(ln.x1, 0) for ln in body if ln.x1 > self.left + 200]
        self.right = Counter(wide).most_common(1)[0][0] if wide else max(ln.x1 for ln in body)
        self.meta: dict[str, str] = {}

    def reconstruct(self) -> tuple[str, dict[str, str]]:
        masthead: list[str] = []
        flow: list[_Line] = []
        notes: list[_Line] = []
        for i, (lines, rules, (width, height)) in enumerate(self.pages):
            furniture, mast, note_zone = self._classify(i, lines, rules, width, height)
            for ln in furniture:
                if (job := job_number(ln.text)) and "job_number" not in self.meta:
                    self.meta["job_number"] = job
            if mast:
                masthead = self._masthead(mast, rules, width)
            for ln in lines:
                if ln in furniture or ln in mast:
                    continue
                (notes if ln in note_zone else flow).append(ln)
        vocab = Vocabulary([ln.text for ln in flow + notes])
        paragraphs = self._paragraphs(flow, vocab)
        footnotes = self._footnotes(notes, vocab)
        out = masthead + ([""] if masthead else []) + paragraphs
        if footnotes:
            out += ["", *footnotes]
        return "\n".join(out) + "\n", self.meta

    # -- page zones ---------------------------------------------------------------------

    def _classify(
        self,
        index: int,
        lines: list[_Line],
        rules: list[tuple[float, float, float]],
        width: float,
        height: float,
    ) -> tuple[list[_Line], list[_Line], list[_Line]]:
        full = [r for r in rules if r[2] - r[1] > 0.6 * width]
        furniture: list[_Line] = []
        for ln in lines:
            barcode = any("barcode" in f.lower() for f in ln.fonts)
            if barcode or (ln.top > 0.85 * height and is_page_furniture(ln.text)):
                furniture.append(ln)
        rest = [ln for ln in lines if ln not in furniture]
        mast: list[_Line] = []
        if index == 0:
            top_rules = [r for r in full if r[0] < 0.45 * height]
            if top_rules:
                limit = top_rules[-1][0]
                mast = [ln for ln in rest if ln.bottom <= limit + 1]
                after = [ln for ln in rest if ln.top > limit]
                for ln in after:  # session and agenda item, left of the text column
                    if ln.x0 < self.left - 20 or (
                        mast and ln.text[:1].islower() and ln.x0 < self.left
                    ):
                        mast.append(ln)
                    else:
                        break
        else:
            header = [r for r in full if r[0] < 0.15 * height]
            if header:
                limit = header[0][0]
                furniture += [ln for ln in rest if ln.bottom <= limit + 1]
            else:
                furniture += [
                    ln for ln in rest if ln.top < 0.1 * height and ln.size < self.body_size - 0.4
                ]
        rest = [ln for ln in rest if ln not in furniture and ln not in mast]
        note_zone: list[_Line] = []
        sep = next((ln for ln in rest if UNDERSCORES.match(ln.text.replace(" ", ""))), None)
        sep_y: float | None = None
        if sep is not None:
            furniture.append(sep)
            sep_y = sep.top
        else:
            short = [
                r
                for r in rules
                if r[0] > 0.5 * height and r[1] < self.left and r[2] - r[1] < 0.4 * width
            ]
            if short:
                sep_y = short[0][0]
        if sep_y is not None:
            note_zone = [
                ln
                for ln in rest
                if ln.top > sep_y and ln is not sep and ln.size < self.body_size - 0.4
            ]
        return furniture, mast, note_zone

    # -- masthead -----------------------------------------------------------------------

    def _masthead(
        self, mast: list[_Line], rules: list[tuple[float, float, float]], width: float
    ) -> list[str]:
        full = [r for r in rules if r[2] - r[1] > 0.6 * width]
        first_rule = full[0][0] if full else min(ln.bottom for ln in mast)
        symbol_chars: list[Char] = []
        rows: list[tuple[float, float, str]] = []
        for ln in mast:
            keep: list[Char] = []
            for c in ln.chars:
                if float(c["bottom"]) <= first_rule + 1 and float(c["x0"]) >= 0.6 * width:
                    symbol_chars.append(c)
                else:
                    keep.append(c)
            for seg in _segments(keep, ln.size):
                ink = [c for c in seg if c["text"].strip()]
                if not ink:
                    continue
                text, _ = _line_text(seg, ln.size, ln.baseline)
                rows.append((ln.top, min(float(c["x0"]) for c in ink), text))
        rows.sort(key=lambda r: (round(r[0] / 3), r[1]))
        out: list[str] = []
        for _, _x0, text in rows:
            if out and text[:1].islower():
                out[-1] = join_lines(out[-1], text)  # a wrapped agenda item title
            else:
                out.append(text)
        symbol = ""
        if symbol_chars:
            symbol_chars.sort(key=lambda c: float(c["x0"]))
            size = Counter(round(float(c["size"]), 1) for c in symbol_chars).most_common(1)[0][0]
            symbol, _ = _line_text(
                symbol_chars, size, max(float(c["bottom"]) for c in symbol_chars)
            )
            symbol = clean_spaces(symbol)
            out.insert(1 if out and out[0] == "United Nations" else 0, symbol)
            self.meta["symbol"] = symbol
        for i, text in enumerate(out):
            if text.startswith("Distr."):
                date = iso_date(text) or (iso_date(out[i + 1]) if i + 1 < len(out) else None)
                if date:
                    self.meta["distribution_date"] = date
        return out

    # -- running text -------------------------------------------------------------------

    def _new_paragraph(self, prev: _Line, cur: _Line) -> bool:
        if prev.bold != cur.bold or abs(prev.size - cur.size) > 0.5:
            return True
        indented = cur.x0 > self.left + 3
        if cur.page != prev.page:
            return indented or starts_paragraph(cur.text)
        pitch = cur.baseline - prev.baseline
        if pitch > 1.5 * max(prev.size, cur.size) or pitch < 0:
            return True
        if indented:
            # a block set in from the edge keeps its left edge on every line
            return not (abs(cur.x0 - prev.x0) < 2 and prev.x1 >= self.right - 12)
        return False

    def _paragraphs(self, flow: list[_Line], vocab: Vocabulary) -> list[str]:
        paras: list[str] = []
        prev: _Line | None = None
        for ln in flow:
            if prev is None or self._new_paragraph(prev, ln):
                paras.append(ln.text)
            else:
                paras[-1] = join_lines(paras[-1], ln.text, vocab)
            prev = ln
        return [clean_spaces(p) for p in paras]

    def _footnotes(self, notes: list[_Line], vocab: Vocabulary) -> list[str]:
        out: list[list[str]] = []
        for ln in notes:
            if ln.marker is not None:
                out.append([ln.marker, ln.text])
            elif out:
                out[-1][1] = join_lines(out[-1][1], ln.text, vocab)
            else:
                out.append(["", ln.text])
        return [clean_spaces(f"{n} {t}") for n, t in out]


def _segments(chars: list[Char], size: float) -> list[list[Char]]:
    """Split a row of characters where a gap wider than four ems separates two columns."""
    segs: list[list[Char]] = []
    last_x1: float | None = None
    for c in sorted(chars, key=lambda c: float(c["x0"])):
        if not c["text"].strip():
            if segs:
                segs[-1].append(c)
            continue
        if last_x1 is None or float(c["x0"]) - last_x1 > 4 * size:
            segs.append([])
        segs[-1].append(c)
        last_x1 = float(c["x1"])
    return segs
