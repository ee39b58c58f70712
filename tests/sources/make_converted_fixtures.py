"""Make the converted fixtures in tests/data/corpus/ (run by hand; the tests only read them).

    python tests/sources/make_converted_fixtures.py

Needs LibreOffice (`soffice`, Debian: libreoffice-writer-nogui) and qpdf on PATH.

* `A_RES_73_7__libreoffice.docx`: A/RES/73/7 as LibreOffice Writer saves it in Word format.
  The text is ldexport's reconstruction of the UN PDF (`A_RES_73_7.pdf`), written as HTML in
  LibreOffice's own footnote markup (`sdfootnoteanc` / `sdfootnote<N>`), which Writer imports
  as real footnotes and exports to word/footnotes.xml - a Word file made by another producer
  than python-docx, with LibreOffice's footnote ids and separators.
* `encrypted_user_password.pdf`: the first page of A/RES/73/7's text printed to PDF by
  LibreOffice and encrypted by qpdf (AES-256) with the user password "secret".
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
sys.path.insert(0, str(ROOT))

from ldexport.sources import read  # noqa: E402


def _html(lines: list[str], notes: dict[str, str]) -> str:
    body = []
    seen: set[str] = set()

    def anchor(m: re.Match[str]) -> str:
        if m[1] in seen:  # a second reference to a note: Word prints its number, no new note
            return f"<sup>{m[1]}</sup>"
        seen.add(m[1])
        return (
            f'<a class="sdfootnoteanc" name="sdfootnote{m[1]}anc" '
            f'href="#sdfootnote{m[1]}sym"><sup>{m[1]}</sup></a>'
        )

    for line in lines:
        text = re.sub(r"\[\^(\d+)\]", anchor, html.escape(line))
        body.append(f"<p>{text}</p>")
    foot = [
        f'<div id="sdfootnote{n}"><p class="sdfootnote"><a class="sdfootnotesym" '
        f'name="sdfootnote{n}sym" href="#sdfootnote{n}anc">{n}</a>{html.escape(t)}</p></div>'
        for n, t in notes.items()
    ]
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>A/RES/73/7</title></head>'
        "<body>" + "\n".join(body + foot) + "</body></html>"
    )


def _soffice(src: Path, target: str, outdir: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target, "--outdir", str(outdir), str(src)],
        check=True,
        capture_output=True,
    )
    return outdir / (src.stem + "." + target.split(":")[0])


def main() -> None:
    doc = read(CORPUS / "A_RES_73_7.pdf")
    lines = doc.text.splitlines()
    blank = [i for i, ln in enumerate(lines) if not ln]
    body = [ln for ln in lines[: blank[-1]] if ln]
    notes = dict(ln.split(" ", 1) for ln in lines[blank[-1] + 1 :])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        src = out / "A_RES_73_7__libreoffice.html"
        src.write_text(_html(body, notes), encoding="utf-8")
        docx = _soffice(src, "docx:MS Word 2007 XML", out)
        shutil.copyfile(docx, CORPUS / "A_RES_73_7__libreoffice.docx")

        page = out / "page.txt"
        page.write_text("\n\n".join(body[:12]) + "\n", encoding="utf-8")
        pdf = _soffice(page, "pdf", out)
        subprocess.run(
            [
                "qpdf",
                "--encrypt",
                "secret",
                "owner-secret",
                "256",
                "--",
                str(pdf),
                str(CORPUS / "encrypted_user_password.pdf"),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
