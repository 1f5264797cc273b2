"""The text layer of a PDF: characters put into lines by baseline and gaps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from dudao.parser import ParseError
from dudao.parser.pdf import pdf_text
from dudao.parser.tests.conftest import CORPUS, SAMPLE

SUIBIN = (CORPUS / "suibin.pdf").read_bytes()


def _pdf(content: bytes, rotate: int = 0) -> bytes:
    """A one-page PDF drawing `content` with Helvetica as /F1."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate %d /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>" % rotate,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_every_character_of_the_sample_comes_out_in_order() -> None:
    text = pdf_text(SUIBIN)
    assert "".join(text.split()) == "".join(SAMPLE.read_text(encoding="utf-8").split())


def test_curly_quotes_stay_in_place_and_numbers_get_no_spaces_of_their_own() -> None:
    lines = pdf_text(SUIBIN).splitlines()
    assert "（二）存在“部分学校人防投入不足，导致安防建设‘四个百分百’质量不高”的问题" in lines
    assert "善教育城域网建设，进一步推进学校“三个课堂”建设。" in lines
    assert "革的需求”的问题" in lines
    assert "绥政函〔2024〕17号" in lines
    assert any(line.startswith("按照《鹤岗市人民政府教育督导室关于2023年省对") for line in lines)


def test_the_spaces_the_page_draws_are_kept() -> None:
    # LibreOffice draws these spaces as text objects of their own
    text = pdf_text(SUIBIN)
    assert "绥滨县人民政府关于 2023年履行教育职责评价中存在问题整改 情况报告的函" in text
    assert "召开 2024 年" in text
    assert "已交流轮岗教师 16 人" in text


def test_lines_are_built_from_baselines_and_gaps() -> None:
    # the raised "2" stays in its line; drawn and undrawn (kerned) spaces; a scaled matrix
    content = (
        b"BT /F1 12 Tf 72 700 Td (Area 100 m) Tj /F1 7 Tf 4 Ts (2) Tj 0 Ts "
        b"/F1 12 Tf ( in all) Tj ET\n"
        b"BT /F1 12 Tf 72 640 Td (Left) Tj ( ) Tj (Right) Tj ET\n"
        b"BT /F1 12 Tf 72 610 Td [(Kerned) -700 (apart) -100 (close)] TJ ET\n"
        b"BT /F1 1 Tf 12 0 0 12 72 580 Tm (Scaled text matrix) Tj ET\n"
    )
    assert pdf_text(_pdf(content)).splitlines() == [
        "Area 100 m2 in all",
        "Left Right",
        "Kerned apartclose",
        "Scaled text matrix",
    ]


def test_a_page_turned_by_rotate_is_read_upright() -> None:
    content = (
        b"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (First line on a landscape page) Tj ET\n"
        b"BT /F1 12 Tf 0 1 -1 0 314 100 Tm (Second line on that page) Tj ET\n"
    )
    assert pdf_text(_pdf(content, rotate=90)).splitlines() == [
        "First line on a landscape page",
        "Second line on that page",
    ]


@pytest.mark.parametrize(
    "data",
    [
        SUIBIN[: len(SUIBIN) // 3],
        b"%PDF-1.7\n" + bytes(range(256)) * 8,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>",
    ],
    ids=["truncated", "garbage", "no pages"],
)
def test_a_damaged_file_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError, match="损坏"):
        pdf_text(data)


def test_threads_reading_at_once_get_the_same_text() -> None:
    # the server reads uploads on several threads
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(pdf_text, [SUIBIN] * 8))
    assert len(set(texts)) == 1
