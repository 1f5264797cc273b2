"""Parser speed: the ~10 KB sample letter as text, and a 21-page PDF made from seven copies
of its body (dudao/parser/tests/corpus/long-20-pages.pdf), on one core. The line cache of
`fold` is cleared before every run so that each parse starts cold.

Targets (issue 3): text < 5 ms per report (≥ 200 reports/s); a 20-page PDF < 1 s.

OCR (issue 12): the image-only scans of the LibreOffice-rendered sample and audit report
(corpus/scans/) are read page by page; printed are the seconds per page and the character
error rate against the text layer of the PDF they were rendered from (whitespace ignored,
full-width and half-width punctuation counted as the same character).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from pdfminer.pdfpage import PDFPage

from dudao.parser import ocr, parse_file, parse_text
from dudao.parser.text import fold

CORPUS = Path(__file__).resolve().parent.parent / "dudao" / "parser" / "tests" / "corpus"
SAMPLE = CORPUS / "suibin-2024-17.txt"
LONG_PDF = CORPUS / "long-20-pages.pdf"
SCANS = {
    "suibin.pdf": "scans/suibin-scan.pdf",
    "audit-rectification.pdf": "scans/audit-rectification-scan.pdf",
}


def _timings(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        fold.cache_clear()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    size_kb = len(text.encode()) / 1024
    parse_text(text)  # warm the regex caches
    times = _timings(lambda: parse_text(text), 300)
    median = statistics.median(times)
    print(
        f"parse_text sample ({size_kb:.1f} KB): {median * 1000:.2f} ms median, "
        f"{min(times) * 1000:.2f} ms fastest (the machine's other load shows between the "
        f"two), {1 / median:.0f} reports/s (target < 5 ms, ≥ 200/s)"
    )

    data = LONG_PDF.read_bytes()
    pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    pdf_times = _timings(lambda: parse_file(data, LONG_PDF.name), 5)
    print(
        f"parse_file {LONG_PDF.name} ({len(data) / 1024:.0f} KB, {pages} pages): "
        f"{statistics.median(pdf_times):.2f} s median (target < 1 s for 20 pages)"
    )

    if not ocr.available():
        print("OCR: tesseract-ocr-chi-sim is not installed; skipped")
        return
    errors = characters = pages = 0
    seconds = 0.0
    for source, scan in SCANS.items():
        rendered = pdfium.PdfDocument(CORPUS / source)
        known = [_comparable(page.get_textpage().get_text_range()) for page in rendered]
        data = (CORPUS / scan).read_bytes()
        for number in range(1, ocr.page_count(data) + 1):
            image = ocr.page_image(data, number)
            start = time.perf_counter()
            read = _comparable(ocr._read_page(image, number))
            seconds += time.perf_counter() - start
            pages += 1
            if number <= len(known):
                errors += _distance(read, known[number - 1])
                characters += len(known[number - 1])
    print(
        f"OCR (tesseract chi_sim, {ocr.DPI} dpi): {seconds / pages:.1f} s per page over {pages} "
        f"pages, character error rate {errors / characters:.1%} ({errors}/{characters})"
    )


_SAME = str.maketrans("（）：；，！？", "():;,!?")


def _comparable(text: str) -> str:
    return "".join(fold(text).translate(_SAME).split())


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, one row at a time."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


if __name__ == "__main__":
    main()
