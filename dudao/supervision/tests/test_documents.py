"""督办通知 and 通报 are official documents: GB/T 9704 letters with the next 文号 of the
issuing office for the year of their date, kept as document versions, downloadable as
.docx and (LibreOffice installed) PDF, their 文号 on the items' timelines."""

from __future__ import annotations

import io
import shutil
from typing import Any

import pdfplumber
import pytest
from docx import Document

from dudao.documents.models import Kind as DocumentKind
from dudao.documents.models import OfficialDocument
from dudao.lib.zh import format_cn_date, format_doc_number
from dudao.rectification import services as ledger_services
from dudao.supervision.models import Action, Step, SupervisionDocument

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def _docx_text(response: Any) -> str:
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(p.text for p in document.paragraphs)


def test_a_duban_notice_takes_the_office_s_next_number_and_shows_it_on_the_timeline(
    ledger: Any, client_for: Any
) -> None:
    year = ledger_services.today().year
    city, county = client_for("hegang"), client_for("suibin")
    item = ledger.suibin_items[0]
    # The office already sent 鹤教督函〔year〕7号 this year (an imported or earlier letter).
    OfficialDocument.objects.create(
        kind=DocumentKind.FEEDBACK_LETTER,
        origin="imported",
        doc_number=format_doc_number("鹤教督函", year, 7),
        stored_name="x/earlier.docx",
        original_name="earlier.docx",
        sha256="0" * 64,
        size=1,
        content_type="application/octet-stream",
    )
    done = city.post("/supervision/duban/", {"items": [item.pk]}, follow=True)
    number = format_doc_number("鹤教督函", year, 8)
    assert "已生成督办通知 1 份" in _text(done)
    doc = SupervisionDocument.objects.get(step=Step.DUBAN)
    assert doc.doc_number == number
    official = doc.official
    assert official is not None
    assert (official.kind, official.doc_number, official.version) == ("duban", number, 1)
    assert official.region is not None and official.region.code == "230422"
    assert official.round_id == ledger.round.pk
    assert official.issuer == "鹤岗市人民政府教育督导室"

    text = _docx_text(county.get(f"/supervision/documents/{doc.pk}/"))
    for words in (number, "绥滨县人民政府：", "教育专网建设进度缓慢", "已超期", "特此通知。"):
        assert words in text, words
    assert "书面报送我室" in text

    # The 文号 on both sides' timelines: the panel and the item page's history.
    panel = _text(county.get(f"/ledger/items/{item.pk}/panels/"))
    assert f"{number}《关于督促绥滨县人民政府" in panel
    assert f'href="/supervision/documents/{doc.pk}/pdf/"' in panel
    assert number in _text(county.get(f"/ledger/items/{item.pk}/"))
    assert "document_generate" not in _text(county.get(f"/ledger/items/{item.pk}/"))

    # A second notice to the same county: the next number, the next version.
    city.post("/supervision/duban/", {"items": [item.pk]})
    second = SupervisionDocument.objects.filter(step=Step.DUBAN).latest("id")
    assert second.doc_number == format_doc_number("鹤教督函", year, 9)
    assert second.official is not None and second.official.version == 2

    assert client_for("luobei").get(f"/supervision/documents/{doc.pk}/pdf/").status_code == 404


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_tongbao_is_numbered_and_downloads_as_pdf_for_the_county(
    ledger: Any, client_for: Any
) -> None:
    city, county = client_for("hegang"), client_for("suibin")
    city.post("/supervision/tongbao/", {"items": [i.pk for i in ledger.suibin_items]})
    doc = SupervisionDocument.objects.get(step=Step.TONGBAO)
    assert doc.official is not None
    year = ledger_services.today().year
    assert doc.doc_number == format_doc_number("鹤教督函", year, 1)
    text = _docx_text(county.get(f"/supervision/documents/{doc.pk}/"))
    assert "一、绥滨县" in text and "特此通报。" in text and doc.doc_number in text
    action = Action.objects.filter(step=Step.TONGBAO).first()
    assert action is not None and action.note.startswith(doc.doc_number)

    pdf = county.get(f"/supervision/documents/{doc.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as rendered:
        first = "".join((rendered.pages[0].extract_text() or "").split())
        last = "".join((rendered.pages[-1].extract_text() or "").split())
    assert doc.doc_number in first and "关于教育督导问题整改滞后情况的通报" in first
    # The signature over the date, on the last page with the closing line.
    assert "特此通报。" in last
    dated = doc.official.date
    assert dated is not None
    assert last.index("鹤岗市人民政府教育督导室") < last.index(format_cn_date(dated))
    assert client_for("luobei").get(f"/supervision/documents/{doc.pk}/pdf/").status_code == 404


def test_without_libreoffice_a_supervision_document_offers_its_docx(
    ledger: Any, client_for: Any, monkeypatch: Any
) -> None:
    city, county = client_for("hegang"), client_for("suibin")
    city.post("/supervision/tongbao/", {"items": [i.pk for i in ledger.suibin_items]})
    doc = SupervisionDocument.objects.get(step=Step.TONGBAO)
    monkeypatch.setattr("dudao.writers.libreoffice_path", lambda: None)
    response = county.get(f"/supervision/documents/{doc.pk}/pdf/")
    assert response.status_code == 503
    page = _text(response)
    assert "无法生成 PDF" in page and "请下载 Word 版（.docx）" in page
    assert f'href="/supervision/documents/{doc.pk}/"' in page
    assert "返回督查督办" in page
    word = county.get(f"/supervision/documents/{doc.pk}/")
    assert word.status_code == 200 and "特此通报。" in _docx_text(word)
