"""Word documents (.docx, Office Open XML), the format UN documents are written in.

No .docx of a resolution has been found in the wild yet; the reader is written to the UN
template as the ODS export of A/RES/58/136 shows it (paragraph numbers typed with a tab,
"1.<tab>Encourages", footnotes as Word footnotes) and tested on a document built from that
text and on one that LibreOffice wrote.  python-docx reads the package; it has no footnote
API, so the body XML is walked directly:

* each paragraph (also in tables) is one line; tabs and runs of spaces become one space; a
  line break inside a paragraph (<w:br/>) starts a new line; deleted text (tracked changes)
  and field instructions are left out, text boxes are read once;
* a footnote reference (<w:footnoteReference w:id="N"/>) becomes "[^k]" where it stands,
  k being the footnote's number as Word prints it (references numbered in order of first
  appearance; Word's ids need not be 1, 2, 3);
* the footnotes themselves, read from word/footnotes.xml with lxml (the separator and
  continuation-notice entries skipped), follow the body as "k text" lines;
* headers and footers (running symbol, page numbers, job number) live in their own parts
  and are not read.

Numbers that Word generates (list numbering, <w:numPr>) are not in the text and are not
reconstructed; UN documents type their paragraph numbers.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ldexport.errors import SourceError
from ldexport.sources._text import clean_spaces, one_line
from ldexport.sources.base import SourceDocument, file_symbol, sha256_hex

FORMAT = "word-docx"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SKIP_FOOTNOTE_TYPES = {"separator", "continuationSeparator", "continuationNotice"}


def detect_bytes(head: bytes) -> bool:
    """A ZIP package whose first entries name Word parts."""
    return head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types].xml" in head)


def read(path: str, data: bytes) -> SourceDocument:
    if not data.startswith(b"PK"):
        raise SourceError(path, "is not a Word document (not a ZIP package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" not in names:
                raise SourceError(
                    path, "is a ZIP file without word/document.xml, not a Word document"
                )
            footnotes_xml = (
                package.read("word/footnotes.xml") if "word/footnotes.xml" in names else None
            )
    except zipfile.BadZipFile as exc:
        raise SourceError(
            path, f"is not a Word document (damaged ZIP package: {one_line(exc)})"
        ) from exc
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for broken packages
        raise SourceError(path, f"is a damaged Word document ({one_line(exc)})") from exc
    numbers: dict[str, str] = {}
    lines = _body_lines(document.element.body, numbers)
    notes = _footnotes(path, footnotes_xml, numbers) if footnotes_xml else []
    meta: dict[str, str] = {}
    if symbol := file_symbol(path):
        meta["symbol_from_file_name"] = symbol
    out = lines + (["", *notes] if notes else [])
    return SourceDocument(path, FORMAT, "\n".join(out) + "\n", sha256_hex(data), "lines", meta)


def _owner(el: Any) -> Any:
    """The paragraph an element belongs to (the nearest w:p above it)."""
    node = el.getparent()
    while node is not None and node.tag != W + "p":
        node = node.getparent()
    return node


def _inside_fallback(el: Any) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag == MC_FALLBACK:
            return True
        node = node.getparent()
    return False


def _paragraph_text(p: Any, numbers: dict[str, str] | None) -> list[str]:
    parts: list[str] = [""]
    for el in p.iter(
        W + "t",
        W + "tab",
        W + "br",
        W + "cr",
        W + "footnoteReference",
        W + "noBreakHyphen",
        W + "softHyphen",
    ):
        if _owner(el) is not p:
            continue
        parent = el.getparent()
        if (
            parent is not None
            and parent.getparent() is not None
            and parent.getparent().tag == W + "del"
        ):
            continue
        tag = el.tag[len(W) :]
        if tag == "t":
            parts[-1] += el.text or ""
        elif tag == "tab":
            parts[-1] += " "
        elif tag in ("br", "cr"):
            if el.get(W + "type") in (None, "textWrapping"):
                parts.append("")
        elif tag == "noBreakHyphen":
            parts[-1] += "\u2011"
        elif tag == "footnoteReference" and numbers is not None:
            fid = el.get(W + "id") or ""
            if fid not in numbers:
                numbers[fid] = str(len(numbers) + 1)
            parts[-1] = parts[-1].rstrip() + f"[^{numbers[fid]}]"
    return [clean_spaces(x) for x in parts]


def _body_lines(body: Any, numbers: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for p in body.iter(W + "p"):
        if _inside_fallback(p):
            continue  # the same text box is also in mc:Choice
        lines.extend(x for x in _paragraph_text(p, numbers) if x)
    return lines


def _footnotes(path: str, xml: bytes, numbers: dict[str, str]) -> list[str]:
    from lxml import etree

    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, f"has a damaged footnotes part ({one_line(exc)})") from exc
    notes: list[tuple[int, str]] = []
    unnumbered = len(numbers)
    for fn in root.iter(W + "footnote"):
        if fn.get(W + "type") in SKIP_FOOTNOTE_TYPES:
            continue
        fid = fn.get(W + "id") or ""
        text = " ".join(x for p in fn.iter(W + "p") for x in _paragraph_text(p, None) if x)
        if fid in numbers:
            number = int(numbers[fid])
        else:  # a footnote no reference points to: after the others, in file order
            unnumbered += 1
            number = unnumbered
        notes.append((number, clean_spaces(text)))
    return [f"{n} {t}" for n, t in sorted(notes)]
