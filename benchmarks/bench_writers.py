"""Document writers: the sample report to .docx, and a national 43,000-item ledger to .xlsx
and back, against openpyxl on the same rows.

The national ledger has one sheet per province (31), with a 县（市、区） column: 2,850
county sheets would be unusable in Excel, and a single 43,000-row sheet is hard to hand
to each province; per-province sheets are what a national office forwards.

Also: the title breaker on titles of 80, 100 and 300 characters (the form's limit; the
old breaker tried every combination of break points: 2.5 s at 80 characters, over a minute
at 100), and PDF conversion through LibreOffice, one document and nine in one run.

Targets: report < 150 ms, export < 5 s, import < 10 s, a 300-character title < 50 ms.
"""

from __future__ import annotations

import datetime
import functools
import io
import random
import statistics
import time
from collections.abc import Callable

import openpyxl

from dudao.writers import (
    STATUS_LABELS,
    LedgerItem,
    LedgerSheet,
    docx_to_pdf,
    docx_to_pdfs,
    layout,
    libreoffice_path,
    read_ledger_xlsx,
    render_rectification_report,
    summary_of,
    write_ledger_xlsx,
)
from dudao.writers.ledger import LEDGER_COLUMNS, REGION_COLUMN
from dudao.writers.tests import sample
from dudao.writers.tests.layout_check import KINDS, build
from dudao.writers.title import Steps, title_lines

TITLE_CAPACITY = layout.TEXT_WIDTH / 20 / layout.SIZE_2
PROVINCES = 31
COUNTIES = 2850
ITEMS = 43_000


def timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds over `repeat` runs, and the last result."""
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def national_ledger() -> list[LedgerSheet]:
    rng = random.Random(2024)
    problems = [(s.title, p) for s in sample.sections() for p in s.problems]
    by_province: list[list[LedgerItem]] = [[] for _ in range(PROVINCES)]
    for n in range(ITEMS):
        county = n * COUNTIES // ITEMS
        dimension, problem = problems[n % len(problems)]
        status = rng.choice(STATUS_LABELS)
        deadline = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        by_province[county % PROVINCES].append(
            LedgerItem(
                dimension=dimension,
                problem=problem.statement,
                measures=problem.outcome[:120],
                lead_unit=problem.lead_unit,
                co_units="县财政局、县人力资源和社会保障局",
                responsible_person="王建国",
                deadline=deadline,
                progress_text=problem.outcome[120:200],
                outcome=problem.outcome,
                status_label=status,
                overdue=status in ("未开始", "整改中") and rng.random() < 0.3,
                signed_off_on=deadline if status == "已销号" else None,
                remark="",
                item_id=100_000 + n,
                version=rng.randrange(1, 6),
                region=f"第{county + 1}县",
            )
        )
    return [LedgerSheet(f"第{p + 1}省", tuple(items)) for p, items in enumerate(by_province)]


def openpyxl_export(sheets: list[LedgerSheet]) -> bytes:
    """Baseline: the same rows through openpyxl's write-only mode, values only (no styles)."""
    book = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        ws.append([REGION_COLUMN, *LEDGER_COLUMNS])
        for n, i in enumerate(sheet.items, start=1):
            ws.append(
                [
                    n,
                    i.region,
                    i.dimension,
                    i.problem,
                    i.measures,
                    i.lead_unit,
                    i.co_units,
                    i.responsible_person,
                    i.deadline,
                    i.progress_text,
                    i.outcome,
                    i.status_label,
                    "是" if i.overdue else "否",
                    i.signed_off_on,
                    i.remark,
                    i.item_id,
                    i.version,
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def openpyxl_read(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for ws in book.worksheets for _ in ws.iter_rows(values_only=True))
    book.close()
    return count


def main() -> None:
    head, preamble, sections = sample.head(), sample.preamble(), sample.sections()
    render_rectification_report(head, preamble, sections)  # warm-up: imports, template
    seconds, _ = timed(lambda: render_rectification_report(head, preamble, sections), 21)
    print(
        f"(a) sample report (15 problems) → .docx: median {seconds * 1000:.0f} ms (target < 150 ms)"
    )

    sheets = national_ledger()
    rows = sum(len(s.items) for s in sheets)
    seconds, data = timed(lambda: write_ledger_xlsx("全国整改台账", sheets, summary_of(sheets)), 3)
    assert isinstance(data, bytes)
    print(
        f"(b) national ledger, {rows} items on {len(sheets)} province sheets → .xlsx: "
        f"median {seconds:.2f} s (target < 5 s), {len(data) / 1e6:.1f} MB"
    )
    baseline, _ = timed(lambda: openpyxl_export(sheets), 1)
    print(f"    baseline: openpyxl write-only, same rows, no styles: {baseline:.2f} s")

    seconds, ledger = timed(lambda: read_ledger_xlsx(data), 3)
    assert not getattr(ledger, "errors", True) and len(getattr(ledger, "rows", ())) == rows
    print(f"(c) reading it back (calamine + checks): median {seconds:.2f} s (target < 10 s)")
    baseline, count = timed(lambda: openpyxl_read(data), 1)
    print(f"    baseline: openpyxl read-only, values only ({count} rows): {baseline:.2f} s")

    long_title = (
        "鹤岗市人民政府教育督导委员会办公室关于进一步做好"
        "全市义务教育优质均衡发展督导评估问题整改工作的通知"
    ) * 7
    for length in (80, 100, 300):
        steps = Steps()
        title_lines(long_title[:length], TITLE_CAPACITY, steps)
        seconds, lines = timed(
            functools.partial(title_lines, long_title[:length], TITLE_CAPACITY), 5
        )
        assert isinstance(lines, list)
        print(
            f"(d) title of {length} characters → {len(lines)} lines: median "
            f"{seconds * 1000:.1f} ms, {steps.steps} steps ({steps.steps / length:.1f} a character)"
        )
    if libreoffice_path() is not None:
        report = render_rectification_report(head, preamble, sections)
        seconds, _ = timed(lambda: docx_to_pdf(report), 3)
        print(f"(e) sample report → PDF (LibreOffice, fresh profile): median {seconds:.1f} s")
        nine = [build(kind, n) for kind in KINDS for n in (1, 15, 40)]
        seconds, _ = timed(lambda: docx_to_pdfs(nine), 1)
        print(f"    nine letters (3 kinds × 1, 15, 40 items) in one run: {seconds:.1f} s")
    else:
        print("(e) LibreOffice is not installed: PDF conversion not measured")


if __name__ == "__main__":
    main()
