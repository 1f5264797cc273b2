"""File types are recognised by content; encodings are detected."""

from __future__ import annotations

import io
import zipfile

import pytest

from dudao.parser import ParseError, extract_text, parse_file
from dudao.parser.tests.conftest import CORPUS, SAMPLE

TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_it_decodes_text_in_the_usual_encodings(encoding: str) -> None:
    assert extract_text(TEXT.encode(encoding), "x.txt").strip() == TEXT.strip()


def test_it_reads_a_docx_whatever_its_name() -> None:
    data = (CORPUS / "suibin.docx").read_bytes()
    assert "绥政函〔2024〕17号" in extract_text(data, "report.txt")


def test_it_reads_a_pdf_named_docx() -> None:
    report = parse_file((CORPUS / "suibin.pdf").read_bytes(), "report.docx")
    assert report.problem_count == 15


def test_it_reads_the_cells_of_docx_tables() -> None:
    text = extract_text((CORPUS / "audit-rectification.docx").read_bytes(), "x.docx")
    assert "项目资金未及时拨付\t已完成" in text


def test_it_reads_a_saved_web_page() -> None:
    html = "<html><head><script>var x=1;</script></head><body><p>" + "</p><p>".join(
        TEXT.splitlines()
    )
    report = parse_file(html.encode(), "page.html")
    assert report.problem_count == 15
    assert "var x" not in report.preamble


@pytest.mark.parametrize(
    ("data", "name", "word"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "report.wps", ".docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "ledger.xls", "Excel"),
        (b"   \n\n ", "x.txt", "为空"),
        (b"\x89PNG\r\n\x1a\n" + bytes(50), "scan.png", "图片"),
        (b"{\\rtf1\\ansi hello}", "x.rtf", "RTF"),
        (b"PK\x03\x04broken", "x.docx", "损坏"),
        (b"%PDF-1.4\nnot really a pdf", "x.pdf", "PDF"),
    ],
)
def test_it_refuses_with_advice(data: bytes, name: str, word: str) -> None:
    with pytest.raises(ParseError) as caught:
        extract_text(data, name)
    assert word in caught.value.message


def test_it_refuses_an_excel_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ParseError, match="Excel"):
        extract_text(buffer.getvalue(), "ledger.xlsx")
