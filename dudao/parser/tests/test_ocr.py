"""Scanned letters (no text layer) are read through OCR: image-only PDFs of the corpus
letters, rendered by LibreOffice and rebuilt from their page images (make_corpus --scans)."""

from __future__ import annotations

import difflib
import json

import pytest

from dudao.parser import ParseError, ocr, parse_file
from dudao.parser.tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(
    not ocr.available(), reason="tesseract-ocr-chi-sim is not installed (see .ci/run)"
)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def test_the_scanned_audit_report_reads_like_its_text_version() -> None:
    expected = json.loads((CORPUS / "audit-rectification.expected.json").read_text("utf-8"))
    report = parse_file((CORPUS / "scans/audit-rectification-scan.pdf").read_bytes(), "扫描.pdf")
    assert report.kind == "rectification_report"
    assert report.problem_count == expected["problem_count"]
    for problem, want in zip(report.problems, expected["problems"], strict=True):
        assert _similar(problem.problem, want["problem"]) >= 0.9, problem.problem
        assert problem.measures


def test_the_page_image_is_the_page_ocr_read() -> None:
    data = (CORPUS / "scans/audit-rectification-scan.pdf").read_bytes()
    image = ocr.page_image(data, 1)
    assert image.startswith(b"\x89PNG")
    with pytest.raises(ParseError):
        ocr.page_image(data, 9)


def test_a_scan_without_any_text_is_refused_with_advice() -> None:
    with pytest.raises(ParseError) as caught:
        parse_file((CORPUS / "scanned.pdf").read_bytes(), "scanned.pdf")
    assert "没有文字层" in caught.value.message
