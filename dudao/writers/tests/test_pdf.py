"""PDF conversion through LibreOffice (skipped where it is not installed)."""

from __future__ import annotations

import pytest

from dudao.writers import WriterError, docx_to_pdf, libreoffice_path, render_rectification_report
from dudao.writers import pdf as pdf_module
from dudao.writers.tests import sample
from dudao.writers.title import width


def test_it_says_so_in_chinese_when_libreoffice_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf_module, "libreoffice_path", lambda: None)
    with pytest.raises(WriterError, match="未安装 LibreOffice"):
        docx_to_pdf(b"PK")


@pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")
def test_the_report_converts_to_an_eight_page_pdf_with_its_text() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    import io

    data = render_rectification_report(
        sample.head(), sample.preamble(), sample.sections(), sample.CLOSING
    )
    pdf = docx_to_pdf(data)
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 8
        first = document.pages[0]
        assert round(first.width * 25.4 / 72) == 210
        text = first.extract_text().replace(" ", "")
        assert "绥政函〔2024〕17号" in text
        assert "—2—" in document.pages[1].extract_text().replace(" ", "")
        # 28 characters on a full line of body text (digits are half a character).
        lines = [line.replace(" ", "") for line in document.pages[1].extract_text().splitlines()]
        assert max(width(line) for line in lines) == 28


@pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")
def test_a_file_libreoffice_cannot_read_is_a_writer_error() -> None:
    with pytest.raises(WriterError, match="不是 Word 文档"):
        docx_to_pdf(b"not a document at all")
    with pytest.raises(WriterError, match="LibreOffice"):
        docx_to_pdf(b"PK\x03\x04 a broken zip")
