"""Every kind of letter at every length from 1 to 40 items, rendered by LibreOffice and
checked on the PDF (dudao/writers/tests/layout_check.py): signature and date with body text
on the last page, no title line under 4 characters, 28 characters on full lines, nothing
outside the 版心. The default test run checks 1, 15 and 40 items only
(dudao/writers/tests/test_rendered_layout.py); this is the full sweep (about 3 minutes).

.venv/bin/python benchmarks/layout_sweep.py [max-items]
"""

from __future__ import annotations

import sys
import time

from dudao.writers import docx_to_pdfs
from dudao.writers.tests.layout_check import KINDS, sweep


def main(top: int) -> int:
    start = time.perf_counter()
    results = sweep([(kind, n) for kind in KINDS for n in range(1, top + 1)], docx_to_pdfs)
    failed = 0
    for kind in KINDS:
        mine = [r for r in results if r.kind == kind]
        print(
            f"{kind:8} 1–{top} items: pages {min(r.pages for r in mine)}–"
            f"{max(r.pages for r in mine)}; title lines {mine[0].title_lines}; "
            f"solid full lines {sum(r.full_lines for r in mine)} with "
            f"{sorted(set().union(*(r.full_line_chars for r in mine)))} characters; "
            f"stretched lines {sum(r.stretched_lines for r in mine)} (fewest characters "
            f"{min(r.stretched_min for r in mine):g}); body lines on the signature page "
            f"{min(r.body_lines_with_signature for r in mine)}–"
            f"{max(r.body_lines_with_signature for r in mine)}; glyphs outside the 版心 "
            f"{sum(r.outside for r in mine)}"
        )
        for r in mine:
            if r.failures:
                failed += 1
                print(f"  FAIL {kind} {r.count} items: {'；'.join(r.failures)}")
    print(
        f"{len(results)} documents, {failed} failing, "
        f"{time.perf_counter() - start:.0f} s (LibreOffice included)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 40))
