"""Reading a filled-in 整改台账 back: calamine for the values, the zip for what it hides.

python-calamine reads a 43,000-row ledger about six times faster than openpyxl's read-only
mode, but shows a formula only as its cached value; formulas are found by scanning the
worksheet XML, which is also read through the size-capped path of `container`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import python_calamine

from dudao.lib import chars, sandbox
from dudao.lib.labels import FIELD_LABELS, current_column
from dudao.writers import cells
from dudao.writers.container import Package, formula_cells, open_package, read_part
from dudao.writers.errors import WriterError
from dudao.writers.ledger import (
    LEDGER_COLUMNS,
    REGION_COLUMN,
    SUMMARY_COLUMNS,
    CellError,
    LedgerFile,
    LedgerItem,
    LedgerRow,
)
from dudao.writers.spreadsheet import column_letter

MAX_ROWS = 200_000
MAX_LISTED_ERRORS = 1000
_HEADER_SEARCH = 10  # the header row is row 2 of an export; allow a few rows of slack
_PROGRESS_EVERY = 2000
# The longest text each column may hold: the long texts as every output can print them,
# the short ones as the ledger stores them (rectification.models.Item).
_MAX_LENGTH = {
    "问题": chars.MAX_LONG_TEXT,
    "整改措施": chars.MAX_LONG_TEXT,
    "整改进展": chars.MAX_LONG_TEXT,
    FIELD_LABELS["outcome"]: chars.MAX_LONG_TEXT,
    FIELD_LABELS["remark"]: chars.MAX_LONG_TEXT,
    FIELD_LABELS["lead_unit"]: 200,
    FIELD_LABELS["co_units"]: 400,
    FIELD_LABELS["responsible_person"]: 64,
}

Progress = Callable[[int, int], None]
Row = Sequence[object]


def read_ledger_xlsx(data: bytes, progress: Progress | None = None) -> LedgerFile:
    """Read every ledger sheet of an .xlsx; skip the summary sheet and empty sheets. The
    file is read in a child process with memory and time limits (`dudao.lib.sandbox`).

    Row-level problems (bad date, unknown status, non-integer 系统编号 …) are collected in
    `errors`; anything that makes the whole file unusable raises WriterError, also a file
    beyond the limits (its message names the limit).
    """
    try:
        if progress is None:
            return sandbox.run(read_ledger, data)
        return sandbox.run(read_ledger, data, progress=progress)
    except sandbox.LimitExceeded as error:
        raise WriterError(error.message) from error


def read_ledger(data: bytes, progress: Progress | None = None) -> LedgerFile:
    """read_ledger_xlsx in this process: every check on the file's structure (zip sizes,
    sheet extents), no memory or time limit. For tests and the child process."""
    package = open_package(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises several unrelated types for bad files
        raise WriterError(
            "文件已损坏或格式不正确，请在 Excel 或 WPS 中重新保存后再上传。"
        ) from error
    sheets = _load_sheets(book, package)
    total = sum(len(rows) for _, _, rows in sheets)
    reader = _Reader(progress, total)
    for name, header_row, rows in sheets:
        reader.sheet(name, header_row, rows)
    if progress is not None:
        progress(total, total)
    title = next((cells.text(rows[0][0]) for _, _, rows in sheets if rows and rows[0]), "")
    errors = reader.errors
    if reader.dropped:
        more = f"另有{reader.dropped}处错误未逐条列出，请先修正以上错误后重新上传。"
        errors = [*errors, CellError(sheet=errors[-1].sheet, row=0, column="", message=more)]
    return LedgerFile(
        title=title.strip(),
        rows=tuple(reader.rows),
        errors=tuple(errors),
        sheets=tuple(name for name, _, _ in sheets),
    )


def _load_sheets(
    book: python_calamine.CalamineWorkbook, package: Package
) -> list[tuple[str, int, Sequence[Sequence[object]]]]:
    """(name, header row index, all rows from A1) of each ledger sheet, whole-file checks done."""
    found: list[tuple[str, int, Sequence[Sequence[object]]]] = []
    for name in book.sheet_names:
        part = package.sheet_parts.get(name)
        if part is None:  # a chart sheet or a dialog sheet
            continue
        xml = read_part(package, part)
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as error:
            raise WriterError(
                f"工作表“{name}”无法读取（文件可能已损坏），请重新保存后再上传。"
            ) from error
        header = _find_header(rows)
        if header is None:
            if any(any(c != "" for c in row) for row in rows) and not _is_summary(rows):
                raise WriterError(
                    f"工作表“{name}”找不到台账表头（应有“序号”“问题”等列）。"
                    "请使用系统导出的台账模板填写，不要删除或改动表头行。"
                )
            continue
        _check_columns(name, rows[header])
        _check_merged(name, header, sheet.merged_cell_ranges or [])
        formulas = [c for c in formula_cells(xml) if c == "?" or _row_of(c) > header + 1]
        if formulas:
            raise WriterError(
                f"工作表“{name}”的单元格 {'、'.join(formulas)} 含有公式。请将公式转换为数值"
                "（复制后“选择性粘贴→数值”）后再上传。"
            )
        found.append((name, header, rows))
    if not found:
        raise WriterError("文件中没有台账工作表。请使用系统导出的台账模板填写后再上传。")
    return found


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    for index, row in enumerate(rows[:_HEADER_SEARCH]):
        labels = {cells.text(c).strip() for c in row}
        if "序号" in labels and "问题" in labels:
            return index
    return None


def _is_summary(rows: Sequence[Sequence[object]]) -> bool:
    return any(
        tuple(cells.text(c).strip() for c in row[: len(SUMMARY_COLUMNS)]) == SUMMARY_COLUMNS
        for row in rows[:_HEADER_SEARCH]
    )


def _headers(row: Row) -> list[str]:
    # A ledger exported under the former headers (责任单位, 完成情况) reads the same.
    labels = [current_column(cells.text(c).strip()) for c in row]
    while labels and not labels[-1]:
        labels.pop()
    return labels


def _check_columns(sheet: str, row: Row) -> None:
    labels = _headers(row)
    expected = list(LEDGER_COLUMNS)
    if REGION_COLUMN in labels:
        expected.insert(1, REGION_COLUMN)
    missing = [c for c in expected if c not in labels]
    extra = [c or "（空白表头）" for c in labels if c not in expected]
    repeated = sorted({c for c in labels if c and labels.count(c) > 1})
    problems = []
    if missing:
        problems.append("缺少列：" + "、".join(missing))
    if extra:
        problems.append("多出列：" + "、".join(extra))
    if repeated:
        problems.append("重复列：" + "、".join(repeated))
    if problems:
        raise WriterError(
            f"工作表“{sheet}”的列与台账模板不一致（{'；'.join(problems)}）。"
            "请使用系统导出的台账模板，不要增删列（隐藏的“系统编号”“版本”两列也要保留）。"
        )


def _check_merged(
    sheet: str, header: int, ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    bad = []
    for (top, left), (bottom, right) in ranges:
        if bottom > header:
            bad.append(f"{_ref(top, left)}:{_ref(bottom, right)}")
    if bad:
        raise WriterError(
            f"工作表“{sheet}”的数据区有合并单元格（{'、'.join(bad[:5])}）。"
            "请取消合并并在每一行填上完整内容后再上传。"
        )


def _ref(row: int, col: int) -> str:
    """0-based (row, column) → "B3"."""
    return f"{column_letter(col)}{row + 1}"


def _row_of(ref: str) -> int:
    return int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


class _Reader:
    """Turns data rows into LedgerRows and CellErrors, counting rows against MAX_ROWS."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.rows: list[LedgerRow] = []
        self.errors: list[CellError] = []
        self.dropped = 0
        self.progress = progress
        self.total = total
        self.seen = 0

    def sheet(self, name: str, header: int, rows: Sequence[Sequence[object]]) -> None:
        labels = _headers(rows[header])
        index = {label: i for i, label in enumerate(labels)}
        width = len(labels)
        for number, row in enumerate(rows[header + 1 :], start=header + 2):
            self.seen += 1
            if self.progress is not None and self.seen % _PROGRESS_EVERY == 0:
                self.progress(self.seen, self.total)
            if not any(c != "" and c is not None for c in row[:width]):
                continue  # blank rows, e.g. 100,000 formatted but empty ones at the end
            if len(self.rows) >= MAX_ROWS:
                raise WriterError(
                    f"台账超过{MAX_ROWS}行，超出系统一次导入的上限。请按县（市、区）拆分后分批上传。"
                )
            values = {label: (row[i] if i < len(row) else "") for label, i in index.items()}
            item = self._item(name, number, values)
            self.rows.append(LedgerRow(sheet=name, row_number=number, item=item))

    def _item(self, sheet: str, row: int, values: dict[str, object]) -> LedgerItem:
        def fail(column: str, message: str | None) -> None:
            if message is None:
                return
            if len(self.errors) < MAX_LISTED_ERRORS:
                self.errors.append(CellError(sheet, row, column, message))
            else:
                self.dropped += 1

        problem = cells.text(values["问题"])
        if not problem.strip():
            fail("问题", "问题不能为空")
        for column, limit in _MAX_LENGTH.items():
            length = len(cells.text(values.get(column, "")))
            if length > limit:
                fail(column, f"内容长达{length}字，超过此列的上限（{limit}字），请精简")
        deadline, message = cells.date(values["整改时限"])
        fail("整改时限", message)
        signed_off_on, message = cells.date(values["销号时间"])
        fail("销号时间", message)
        status_label, message = cells.status(values["状态"])
        fail("状态", message)
        overdue, message = cells.yes_no(values["是否超期"])
        fail("是否超期", message)
        item_id, message = cells.integer(values["系统编号"], "系统编号")
        fail("系统编号", message)
        version, message = cells.integer(values["版本"], "版本")
        fail("版本", message)
        return LedgerItem(
            dimension=cells.text(values["维度"]),
            problem=problem,
            measures=cells.text(values["整改措施"]),
            lead_unit=cells.text(values[FIELD_LABELS["lead_unit"]]),
            co_units=cells.text(values["配合单位"]),
            responsible_person=cells.text(values["责任人"]),
            deadline=deadline,
            progress_text=cells.text(values["整改进展"]),
            outcome=cells.text(values[FIELD_LABELS["outcome"]]),
            status_label=status_label,
            overdue=overdue,
            signed_off_on=signed_off_on,
            remark=cells.text(values["备注"]),
            item_id=item_id,
            version=version,
            region=cells.text(values.get(REGION_COLUMN, "")),
        )
