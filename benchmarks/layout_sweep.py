"""Every kind of letter at every length from 1 to 40 items, rendered by LibreOffice and
checked on the PDF (dudao/writers/tests/layout_check.py): signature and date with body text
on the last page, no title line under 4 characters, 28 characters on full lines, nothing
outside the 版心, headings and table captions on the page of what they introduce. The
default test run checks 1, 15 and 40 items only (dudao/writers/tests/test_rendered_layout.py);
this is the full sweep, plus the summary at 15 and 40 items with its opening 0–21 lines
longer, which puts each county heading at every line position of a page (about 10 minutes
on a loaded 2-core machine).

.venv/bin/python benchmarks/layout_sweep.py [max-items]
"""

from __future__ import annotations

import sys
import time

from dudao.writers import docx_to_pdfs
from dudao.writers.tests.layout_check import KINDS, sweep


def main(top: int) -> int:
    start = time.perf_counter()
    cases: list[tuple[str, int, int]] = [(kind, n, 0) for kind in KINDS for n in range(1, top + 1)]
    cases += [("summary", n, shift) for n in (15, top) for shift in range(1, 22)]
    results = sweep(cases, docx_to_pdfs)
    failed = 0
    for kind, shifted in [(kind, False) for kind in KINDS] + [("summary", True)]:
        mine = [r for r in results if r.kind == kind and (r.shift > 0) == shifted]
        label = (
            f"summary 15 and {top} items shifted 1–21 lines"
            if shifted
            else f"{kind:8} 1–{top} items"
        )
        print(
            f"{label}: pages {min(r.pages for r in mine)}–"
            f"{max(r.pages for r in mine)}; title lines {mine[0].title_lines}; "
            f"solid full lines {sum(r.full_lines for r in mine)} with "
            f"{sorted(set().union(*(r.full_line_chars for r in mine)))} characters; "
            f"stretched lines {sum(r.stretched_lines for r in mine)} (fewest characters "
            f"{min(r.stretched_min for r in mine):g}); body lines on the signature page "
            f"{min(r.body_lines_with_signature for r in mine)}–"
            f"{max(r.body_lines_with_signature for r in mine)}; glyphs outside the 版心 "
            f"{sum(r.outside for r in mine)}; headings and captions "
            f"{sum(r.headings for r in mine)}, carried to the next page "
            f"{sum(r.headings_carried for r in mine)}, closest to a "
            f"page end {min(r.heading_room for r in mine):.0f} pt"
        )
        for r in mine:
            if r.failures:
                failed += 1
                print(f"  FAIL {kind} {r.count} items +{r.shift}: {'；'.join(r.failures)}")
    print(
        f"{len(results)} documents, {failed} failing, "
        f"{time.perf_counter() - start:.0f} s (LibreOffice included)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 40))
