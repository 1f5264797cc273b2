"""The 整改台账 layout and its rows: what the Excel writer takes and the reader gives back."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from dudao.lib.labels import FIELD_LABELS

# Visible columns in the customary order, then two hidden ones the import needs to find the
# item (系统编号) and to detect that it changed in Dudao since the export (版本).
LEDGER_COLUMNS = (
    "序号",
    "维度",
    "问题",
    FIELD_LABELS["measures"],
    FIELD_LABELS["lead_unit"],
    FIELD_LABELS["co_units"],
    FIELD_LABELS["responsible_person"],
    FIELD_LABELS["deadline"],
    "整改进展",
    FIELD_LABELS["outcome"],
    "状态",
    "是否超期",
    "销号时间",
    "备注",
    "系统编号",
    "版本",
)
HIDDEN_COLUMNS = ("系统编号", "版本")
# Added after 序号 when rows of several counties share a sheet (a province's or the
# nation's ledger).
REGION_COLUMN = "县（市、区）"

STATUS_LABELS = ("未开始", "整改中", "申请销号", "已销号", "长期坚持")
YES, NO = "是", "否"

SUMMARY_COLUMNS = (REGION_COLUMN, "问题数", *STATUS_LABELS, "超期")
SUMMARY_TOTAL = "合计"


@dataclass(frozen=True, slots=True)
class LedgerItem:
    """One row's values. Export → import with no edits gives back an equal LedgerItem."""

    dimension: str
    problem: str
    measures: str = ""
    lead_unit: str = ""
    co_units: str = ""
    responsible_person: str = ""
    deadline: datetime.date | None = None
    progress_text: str = ""
    outcome: str = ""
    status_label: str = STATUS_LABELS[0]
    overdue: bool = False
    signed_off_on: datetime.date | None = None
    remark: str = ""
    item_id: int | None = None
    version: int | None = None
    region: str = ""


@dataclass(frozen=True, slots=True)
class LedgerSheet:
    """One worksheet: a county, or a province in a national ledger. `name` is shortened
    and made unique to fit Excel's 31-character sheet names."""

    name: str
    items: tuple[LedgerItem, ...]


@dataclass(frozen=True, slots=True)
class SummaryCount:
    """One row of the summary sheet: `by_status` follows STATUS_LABELS."""

    region: str
    by_status: tuple[int, ...]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status)


@dataclass(frozen=True, slots=True)
class SummarySheet:
    rows: tuple[SummaryCount, ...]
    name: str = "汇总"


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A data row read back: where it was (1-based Excel row) and what it holds."""

    sheet: str
    row_number: int
    item: LedgerItem


@dataclass(frozen=True, slots=True)
class CellError:
    """A row-level problem. `column` is the Chinese header name ("" for the whole row)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        column = f"「{self.column}」" if self.column else ""
        return f"工作表“{self.sheet}”第{self.row}行{column}：{self.message}"


@dataclass(frozen=True, slots=True)
class LedgerFile:
    """Everything read from an uploaded ledger. Nothing may be applied while `errors` is
    not empty; item-level checks (permissions, versions) are the caller's."""

    title: str
    rows: tuple[LedgerRow, ...]
    errors: tuple[CellError, ...]
    sheets: tuple[str, ...]


def summary_of(sheets: Sequence[LedgerSheet], name: str = "汇总") -> SummarySheet:
    """Counts per county × status: by each item's region, else by its sheet."""
    counts: dict[str, list[int]] = {}
    for sheet in sheets:
        for item in sheet.items:
            row = counts.setdefault(item.region or sheet.name, [0] * (len(STATUS_LABELS) + 1))
            if item.status_label in STATUS_LABELS:
                row[STATUS_LABELS.index(item.status_label)] += 1
            if item.overdue:
                row[-1] += 1
    return SummarySheet(
        rows=tuple(
            SummaryCount(region=region, by_status=tuple(row[:-1]), overdue=row[-1])
            for region, row in counts.items()
        ),
        name=name,
    )
