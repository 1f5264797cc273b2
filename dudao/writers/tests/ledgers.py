"""Ledger fixtures: the 绥滨县 items as LedgerItems, and ways to spoil a written workbook."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from dudao.writers import STATUS_LABELS, LedgerItem, LedgerSheet, summary_of, write_ledger_xlsx
from dudao.writers.tests import sample


def items(region: str = "", count: int | None = None) -> tuple[LedgerItem, ...]:
    problems = [(s.title, p) for s in sample.sections() for p in s.problems]
    total = len(problems) if count is None else count
    out = []
    for n in range(total):
        dimension, problem = problems[n % len(problems)]
        status = STATUS_LABELS[n % len(STATUS_LABELS)]
        out.append(
            LedgerItem(
                dimension=dimension,
                problem=problem.statement,
                measures="建立台账，逐项整改。\n每月调度一次。",
                lead_unit=problem.lead_unit,
                co_units="县财政局、县发展和改革局" if n % 2 else "",
                responsible_person="王建国",
                deadline=problem.deadline,
                progress_text="已完成方案制定。" if n % 3 else "",
                outcome=problem.outcome,
                status_label=status,
                overdue=status in ("未开始", "整改中") and n % 2 == 0,
                signed_off_on=datetime.date(2024, 7, 1) if status == "已销号" else None,
                remark=" 前后有空格 " if n == 4 else "",
                item_id=1000 + n,
                version=1 + n % 3,
                region=region,
            )
        )
    return tuple(out)


def city_sheets() -> list[LedgerSheet]:
    return [LedgerSheet("绥滨县", items()), LedgerSheet("萝北县", items(count=5))]


def city_workbook() -> bytes:
    sheets = city_sheets()
    return write_ledger_xlsx(
        "鹤岗市2023年履行教育职责评价反馈问题整改台账", sheets, summary_of(sheets)
    )


def edited(change: Callable[[Worksheet], None], sheet: str = "绥滨县") -> bytes:
    """The city workbook after `change` on one sheet, saved again by openpyxl."""
    book = openpyxl.load_workbook(io.BytesIO(city_workbook()))
    change(book[sheet])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
