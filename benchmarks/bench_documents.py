"""Documents and Excel ledgers through the Django services (issue 4).

Builds a temporary SQLite ledger of 31 provinces × 10 cities × 9 counties × 15 problems
(41,850 items, one progress update each; bulk-inserted to keep set-up short), then times:
- a county report (15 problems) through `document_generate` (render + store + audit),
  against the bare writer render in the same run (target: render < 150 ms);
- the national export through `ledger_export` (target < 5 s), against the bare writer;
- importing that file back unedited (dry run, target < 10 s), against the bare reader;
- importing it with 1,000 edited outcomes, applied through the services.
"""

from __future__ import annotations

import datetime
import io
import statistics
import tempfile
import time
from typing import Any

from nationwide import build_nation, setup_django


def build() -> dict[str, Any]:
    nation = build_nation(counties=2790)
    return {
        "user": nation.clerk,
        "root": nation.root,
        "county": nation.counties[0],
        "items": len(nation.items),
    }


def timed(func: Any, n: int = 1) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        t0 = time.perf_counter()
        data = build()
        print(f"set-up: {data['items']} items in {time.perf_counter() - t0:.1f} s")
        report(data)
        ledger(data)


def report(data: Any) -> None:
    from dudao import writers
    from dudao.documents import generation
    from dudao.rectification.models import Round

    user, county = data["user"], data["county"]
    rnd = Round.objects.get(evaluated_region=county.parent.parent)
    target = generation.document_target(user, rnd, county, "rectification")
    inputs = generation.document_defaults(target, today=datetime.date(2024, 5, 28))
    sections = generation.report_sections(target.items)
    head = writers.LetterHead(
        inputs.issuer, inputs.doc_number, inputs.title, "收文机关", inputs.date
    )
    bare = timed(lambda: writers.render_rectification_report(head, inputs.preamble, sections), 10)
    full = timed(
        lambda: generation.document_generate(acting_user=user, target=target, inputs=inputs), 10
    )
    print(
        f"county report, 15 problems: writer render {bare * 1000:.0f} ms (baseline, "
        f"target < 150 ms); document_generate {full * 1000:.0f} ms ({full / bare:.1f}×)"
    )


def ledger(data: Any) -> None:
    import openpyxl

    from dudao import writers
    from dudao.accounts import access
    from dudao.documents import excel
    from dudao.rectification.models import Item

    user, root = data["user"], data["root"]
    items = access.items_visible_to(user)
    today = datetime.date(2024, 7, 1)
    out: dict[str, bytes] = {}

    def export() -> None:
        out["xlsx"] = excel.ledger_export(items, scope=root, rnd=None, today=today)

    took = timed(export)
    sheets = excel.ledger_sheets(items, root, today=today)
    summary = writers.summary_of(sheets)
    bare = timed(lambda: writers.write_ledger_xlsx("台账", sheets, summary))
    size = len(out["xlsx"]) / 1e6
    print(
        f"national export, {data['items']} items, {len(sheets)} sheets, {size:.1f} MB: "
        f"ledger_export {took:.2f} s (target < 5 s); bare writer {bare:.2f} s"
    )

    read = timed(lambda: writers.read_ledger_xlsx(out["xlsx"]))
    result: dict[str, excel.LedgerImport] = {}

    def dry() -> None:
        result["r"] = excel.ledger_import(acting_user=user, data=out["xlsx"], apply=False)

    took = timed(dry)
    assert not result["r"].errors and not result["r"].changes, result["r"].summary
    print(f"import back unedited (dry run): {took:.2f} s (target < 10 s); bare reader {read:.2f} s")

    book = openpyxl.load_workbook(io.BytesIO(out["xlsx"]))
    sheet = book[book.sheetnames[1]]
    header = [c.value for c in sheet[2]]
    col = header.index("整改情况") + 1
    edited = 0
    for row in range(3, sheet.max_row + 1):
        if edited < 1000:
            sheet.cell(row=row, column=col).value = f"第{row}行补充的整改情况。"
            edited += 1
    buffer = io.BytesIO()
    book.save(buffer)

    def apply() -> None:
        result["r"] = excel.ledger_import(acting_user=user, data=buffer.getvalue(), apply=True)

    took = timed(apply)
    assert len(result["r"].changes) == edited and not result["r"].errors, result["r"].summary
    changed = Item.objects.filter(outcome__startswith="第").count()
    print(
        f"import with {edited} edited outcomes, applied and audited: {took:.2f} s "
        f"({changed} items changed)"
    )


if __name__ == "__main__":
    main()
