"""Parser speed: the ~10 KB sample letter as text, and a 21-page PDF made from seven copies
of its body (dudao/parser/tests/corpus/long-20-pages.pdf), on one core. The line cache of
`fold` is cleared before every run so that each parse starts cold.

Targets (issue 3): text < 5 ms per report (≥ 200 reports/s); a 20-page PDF < 1 s.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pdfminer.pdfpage import PDFPage

from dudao.parser import parse_file, parse_text
from dudao.parser.text import fold

CORPUS = Path(__file__).resolve().parent.parent / "dudao" / "parser" / "tests" / "corpus"
SAMPLE = CORPUS / "suibin-2024-17.txt"
LONG_PDF = CORPUS / "long-20-pages.pdf"


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
        f"{1 / median:.0f} reports/s (target < 5 ms, ≥ 200/s)"
    )

    data = LONG_PDF.read_bytes()
    pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    pdf_times = _timings(lambda: parse_file(data, LONG_PDF.name), 5)
    print(
        f"parse_file {LONG_PDF.name} ({len(data) / 1024:.0f} KB, {pages} pages): "
        f"{statistics.median(pdf_times):.2f} s median (target < 1 s for 20 pages)"
    )


if __name__ == "__main__":
    main()
