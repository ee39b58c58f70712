"""Bad input: one clear SourceError naming the file and the reason; and detection by content."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from ldexport.errors import SourceError
from ldexport.sources import FORMATS, pdf, read

from .helpers import CORPUS, DRAFTS, corpus


def _fails(path: Path, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ": ")
    assert reason in message
    assert "\n" not in message


@pytest.fixture(params=[False, True], ids=["in-process", "in-a-child"])
def pdf_reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF read here, and in a child process as a publish's workers read it: the same
    errors either way."""
    monkeypatch.setattr(pdf, "ISOLATE", request.param)


@pytest.mark.usefixtures("pdf_reading")
@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.95])
def test_truncated_pdf(tmp_path: Path, fraction: float) -> None:
    data = corpus("A_RES_73_7.pdf").read_bytes()
    path = tmp_path / "A_RES_73_7.pdf"
    path.write_bytes(data[: int(len(data) * fraction)])
    _fails(path, "is not a readable PDF (damaged or truncated")


@pytest.mark.usefixtures("pdf_reading")
def test_encrypted_pdf() -> None:
    _fails(corpus("encrypted_user_password.pdf"), "is an encrypted PDF that needs a password")


@pytest.mark.usefixtures("pdf_reading")
def test_image_only_pdf(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    page = Image.new("L", (850, 1100), 255)
    ImageDraw.Draw(page).rectangle((100, 100, 750, 140), fill=0)  # a scanned "line"
    path = tmp_path / "scan.pdf"
    page.save(path, "PDF", resolution=100.0)
    assert path.read_bytes().startswith(b"%PDF-")
    _fails(path, "is a PDF without a text layer (a scanned image?)")


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "A_RES_58_136.docx"
    path.write_bytes(corpus("A_RES_58_136.txt").read_bytes())
    _fails(path, "is not a Word document (not a ZIP package)")


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("content.xml", "<office:document/>")
    path = tmp_path / "resolution.docx"
    path.write_bytes(buffer.getvalue())
    _fails(path, "is a ZIP file without word/document.xml, not a Word document")


def test_damaged_docx(tmp_path: Path) -> None:
    data = corpus("A_RES_73_7__libreoffice.docx").read_bytes()
    path = tmp_path / "A_RES_73_7.docx"
    path.write_bytes(data[: len(data) // 2])
    _fails(path, "is not a Word document (damaged ZIP package")


def test_pdf_extension_without_pdf(tmp_path: Path) -> None:
    path = tmp_path / "S_RES_1663_2006.pdf"
    path.write_bytes(corpus("S_RES_1663_2006.txt").read_bytes())
    _fails(path, "does not start like a PDF (no %PDF- header)")


def test_json_with_many_documents(tmp_path: Path) -> None:
    path = tmp_path / "drafts.json"
    path.write_text(json.dumps({"drafts": ["The Security Council,", "x"], "labels": [1, 0]}))
    _fails(path, "holds 2 documents, not one")


def test_json_without_text(tmp_path: Path) -> None:
    path = tmp_path / "S_2019_90.json"
    path.write_text(json.dumps({"ID": "S/2019/90", "Content": None, "text": 3}))
    _fails(path, "is JSON without a text field")


def test_broken_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "A_RES_80_1.md"
    path.write_text("---\nsymbol: [A/RES/80/1\n---\n\nThe General Assembly,\n")
    _fails(path, "front matter that is not valid YAML")


# -- detection ------------------------------------------------------------------------------


EXPECTED = {
    ".pdf": "un-pdf",
    ".json": "json-extraction",
    ".md": "markdown",
    ".docx": "word-docx",
}


def test_every_corpus_file_detected() -> None:
    files = sorted(CORPUS.glob("*.*")) + sorted(DRAFTS.glob("*.*"))
    seen = {}
    for path in files:
        if path.suffix in {".md", ".yaml"} and path.name == "SOURCES.md":
            continue
        if path.name in ("encrypted_user_password.pdf", "UNBench_task3_drafts_bulk.json"):
            continue  # not one document each: see test_bulk_file_is_refused and the PDF tests
        name = path.name
        if name.startswith("S_RES_"):
            expected = "sc-text"
        elif "raw-extract" in name:
            expected = "raw-pdf-extract"
        elif name == "A_RES_58_136.txt":
            expected = "ods-text"
        else:
            expected = EXPECTED[path.suffix]
        seen[name] = read(path).format
        assert seen[name] == expected, name
    assert len(seen) >= 40


def test_format_from_content_not_extension(tmp_path: Path) -> None:
    cases = {
        "A_RES_73_6.txt": ("A_RES_73_6.pdf", "un-pdf"),
        "A_RES_73_7.bin": ("A_RES_73_7__libreoffice.docx", "word-docx"),
        "A_RES_80_7.txt": ("A_RES_80_7.md", "markdown"),
        "S_2019_90.txt": ("sc_drafts/S_2019_90.json", "json-extraction"),
    }
    for name, (source, fmt) in cases.items():
        path = tmp_path / name
        path.write_bytes(corpus(source).read_bytes())
        assert read(path).format == fmt, name


def test_registry_order() -> None:
    names = [r.name for r in FORMATS]
    assert names[0] == "ods-text"
    assert names[-1] == "plain-text"
    assert len(set(names)) == len(names) == 8


def test_bulk_file_is_refused() -> None:
    """A JSON file of 30 draft bodies is a data set, not a document: one clear error."""
    bulk = DRAFTS / "UNBench_task3_drafts_bulk.json"
    with pytest.raises(SourceError, match=r"UNBench_task3_drafts_bulk\.json: holds 30 documents"):
        read(bulk)
