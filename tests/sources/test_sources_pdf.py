"""The official UN PDF reader on the three General Assembly PDFs and the seven SC drafts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest

from ldexport.sources import SourceDocument, pdf, read

from .helpers import body_and_notes, corpus, lines_of, numbered

Read = Callable[[str], SourceDocument]

FURNITURE = re.compile(
    r"^(?:\d{1,2}/\d{1,2}(?: \d{2}-\d{5})?|\d{2}-\d{5}(?: \d{1,2}/\d{1,2})?|"
    r"\d{2}-\d{5} \(E\).*|\*\d{7}\*)$"
)


@pytest.mark.parametrize(
    ("name", "symbol", "distributed", "job", "operative", "footnotes"),
    [
        ("A_RES_73_3.pdf", "A/RES/73/3", "2018-10-18", "18-16895", 53, 7),
        ("A_RES_73_6.pdf", "A/RES/73/6", "2018-10-31", "18-17962", 14, 6),
        ("A_RES_73_7.pdf", "A/RES/73/7", "2018-10-31", "18-18142", 28, 9),
        ("sc_drafts/S_2016_1100.pdf", "S/2016/1100", "2016-12-23", "16-22921", 13, 0),
        ("sc_drafts/S_2017_77.pdf", "S/2017/77", "2017-01-27", "17-01285", 39, 0),
        ("sc_drafts/S_2018_95.pdf", "S/2018/95", "2018-02-08", "18-01971", 4, 0),
        ("sc_drafts/S_2019_90.pdf", "S/2019/90", "2019-01-31", "19-01576", 12, 0),
        ("sc_drafts/S_2022_501.pdf", "S/2022/501", "2022-06-22", "22-09852", 17, 0),
        ("sc_drafts/S_2023_427.pdf", "S/2023/427", "2023-06-14", "23-11464", 16, 0),
        ("sc_drafts/S_2024_302.pdf", "S/2024/302", "2024-04-24", "24-07462", 8, 0),
    ],
)
def test_layout_is_undone(
    read_corpus: Read,
    name: str,
    symbol: str,
    distributed: str,
    job: str,
    operative: int,
    footnotes: int,
) -> None:
    doc = read_corpus(name)
    assert doc.format == "un-pdf"
    assert doc.layout == "lines"
    assert doc.metadata["symbol"] == symbol
    assert doc.metadata["distribution_date"] == distributed
    assert doc.metadata["job_number"] == job
    lines = lines_of(doc)
    body, notes = body_and_notes(doc)
    # masthead facts one a line, the symbol put together from its 20-point first letter
    assert lines[:4] == ["United Nations", symbol, lines[2], "Distr.: General"]
    assert lines[2] in {"General Assembly", "Security Council"}
    # no running header, page footer, job number or barcode left anywhere
    assert lines.count(symbol) == 1
    assert not [ln for ln in lines if FURNITURE.match(ln)]
    assert not [ln for ln in lines if job in ln or job.replace("-", "") in ln]
    assert not [ln for ln in lines if ln.startswith(symbol + " ") or ln.endswith(" " + symbol)]
    # the operative paragraphs, counted by reading the document, one a line, in order
    numbers = [int(ln.split(".")[0]) for ln in numbered(body)]
    assert numbers == list(range(1, operative + 1))
    assert [n.split(" ")[0] for n in notes] == [str(i) for i in range(1, footnotes + 1)]
    assert not [ln for ln in lines if re.fullmatch(r"_+", ln)]


def test_declaration_73_3(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_73_3.pdf")
    lines = lines_of(doc)
    body, notes = body_and_notes(doc)
    assert lines[4:7] == ["18 October 2018", "Seventy-third session", "Agenda item 129"]
    assert "Resolution adopted by the General Assembly on 10 October 2018" in lines
    assert "[without reference to a Main Committee (A/73/L.4)]" in lines
    assert (
        "73/3. Political declaration of the high-level meeting of the General Assembly on the "
        "fight against tuberculosis" in lines
    )
    # the title printed again as a running header on every page is gone, as text of its own
    assert "A/RES/73/3 on the fight against tuberculosis" not in lines
    assert "Political declaration of the high-level meeting of the General Assembly" not in lines
    fifth = numbered(body)[4]
    assert fifth.startswith("5. Recognize other recent high-level commitments")
    assert fifth.endswith("including the Delhi End TB Summit, held from 12 to 17 March 2018;")
    first = numbered(body)[0]
    assert first.startswith(
        "1. Reaffirm the 2030 Agenda for Sustainable Development,[^1] including"
    )
    assert first.endswith("Third International Conference on Financing for Development;[^2]")
    # paragraph 6 runs over the page break and round the footnotes of page 2
    sixth = numbered(body)[5]
    assert "the heavy burden of tuberculosis, HIV and AIDS, and other co-morbidities" in sixth
    assert "where 99 per cent of tuberculosis-associated deaths occur" in sixth
    # real hyphens at line ends stay ("non-" / "governmental", "drug-" / "resistant")
    assert "industry, non-governmental organizations and academics" in doc.text
    assert "including its drug-resistant forms" in doc.text
    assert "lower-middle-income countries" in doc.text
    assert body[-2:] == ["18th plenary meeting", "10 October 2018"]
    assert notes[0] == "1 Resolution 70/1."
    assert notes[3] == (
        "4 See Official Records of the General Assembly, Seventy-first Session, Supplement "
        "No. 53A and corrigendum (A/71/53/Add.1 and A/71/53/Add.1/Corr.1), chap. II."
    )
    assert notes[6] == "7 See World Health Organization, document WHA71/2018/REC/1."


def test_footnote_over_two_pages_73_6(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_73_6.pdf")
    body, notes = body_and_notes(doc)
    assert notes[5].startswith("6 Related documents include A/AC.105/1129, A/AC.105/1131,")
    assert notes[5].endswith("A/AC.105/1175, A/AC.105/1180 and A/AC.105/1181.")
    assert "A/AC.105/1166, A/AC.105/1168" in notes[5]  # the page break inside the footnote
    # superscript references where they stand, also one printed after a space
    assert "Sendai Framework for Disaster Risk Reduction 2015–2030[^3] and" in doc.text
    assert "related to UNISPACE+50,[^6] which provide a perspective" in doc.text
    # one reference was typed at body size in the PDF, and stays as printed
    assert "seven thematic priorities of UNISPACE+50,1" in doc.text
    assert "representing both governmental agencies and non-governmental entities" in doc.text
    assert "information- and infrastructure-sharing" in doc.text
    assert body[-2:] == ["26th plenary meeting", "26 October 2018"]
    assert (
        "73/6. Fiftieth anniversary of the first United Nations Conference on the Exploration "
        "and Peaceful Uses of Outer Space: space as a driver of sustainable development"
    ) in body


def test_report_of_the_court_73_7(read_corpus: Read) -> None:
    doc = read_corpus("A_RES_73_7.pdf")
    body, notes = body_and_notes(doc)
    assert "73/7. Report of the International Criminal Court" in body
    assert "The General Assembly," in body
    assert "transitional justice in conflict and post-conflict societies" in doc.text
    assert (
        numbered(body)[0]
        == "1. Welcomes the report of the International Criminal Court for 2017/18;[^4]"
    )
    assert notes[8] == (
        "9 S/PRST/2013/2; see Resolutions and Decisions of the Security Council, "
        "1 August 2012–31 July 2013 (S/INF/68)."
    )
    assert body[-2:] == ["28th plenary meeting", "29 October 2018"]


def test_draft_headings_and_subparagraphs_s_2017_77(read_corpus: Read) -> None:
    doc = read_corpus("sc_drafts/S_2017_77.pdf")
    body, _ = body_and_notes(doc)
    assert body[4:8] == ["27 January 2017", "Original: English", "", "France: draft resolution"]
    for heading in ("Arms embargo", "Travel ban", "Asset freeze", "Panel of Experts"):
        assert heading in body
    subs = [ln for ln in body if re.match(r"^\([a-z]\) ", ln)]
    assert len(subs) == 29
    assert body[body.index("Arms embargo") + 1].startswith("1. Decides that, until 31 January 2018")
    assert body[-1] == "39. Decides to remain actively seized of the matter."


def test_multi_line_sponsor_title_s_2016_1100(read_corpus: Read) -> None:
    body, _ = body_and_notes(read_corpus("sc_drafts/S_2016_1100.pdf"))
    assert (
        "Malaysia, New Zealand, Senegal and Bolivarian Republic of Venezuela: draft resolution"
        in body
    )
    assert "The Security Council," in body
    assert "dangerously imperilling the viability of the two-State solution" in "\n".join(body)


def test_a_pdf_read_in_a_child_process_is_the_same_document(
    read_corpus: Read, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "ISOLATE", True)
    assert read(corpus("A_RES_73_6.pdf")) == read_corpus("A_RES_73_6.pdf")


def test_a_pdf_is_parsed_in_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def where(path: str, data: bytes) -> SourceDocument:
        return SourceDocument(path, pdf.FORMAT, str(os.getpid()), "", "lines", {})

    monkeypatch.setattr(pdf, "_read", where)
    monkeypatch.setattr(pdf, "ISOLATE", True)
    in_child = read(corpus("A_RES_73_6.pdf")).text
    monkeypatch.setattr(pdf, "ISOLATE", False)
    assert read(corpus("A_RES_73_6.pdf")).text == str(os.getpid()) != in_child


def test_reading_pdfs_in_a_child_process_keeps_the_memory_flat() -> None:
    """What a publish's workers gain (`pdf.ISOLATE`): in-process, the memory pdfminer leaves
    behind stays with the process, pinned by what other documents make between the PDFs;
    read in a child, it goes with the child."""
    script = f"""
from ldexport.executor import convert_and_render
from ldexport.iris import Iris
from ldexport.sources import pdf, read
def anon():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon"):
            return int(line.split()[1]) // 1024
pdfs = {[str(corpus(n)) for n in ("A_RES_73_3.pdf", "A_RES_73_6.pdf", "A_RES_73_7.pdf")]!r}
texts = {[str(corpus(n)) for n in ("A_RES_58_136.txt", "A_RES_80_10.md", "S_RES_1590_2005.txt")]!r}
iris = Iris()
read(pdfs[1])  # the imports and caches of both kinds of document, once
for text in texts:
    convert_and_render(text, iris)
for isolate in (True, False):
    pdf.ISOLATE = isolate
    before = anon()
    for path in pdfs:
        read(path)
        for text in texts:
            convert_and_render(text, iris)
    print(anon() - before)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    isolated, in_process = map(int, done.stdout.split())
    assert isolated < 15 and in_process > 30, (isolated, in_process)
