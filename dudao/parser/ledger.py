"""An office's own 整改台账 (.xlsx, .xls or .csv) read as a report: one problem per row.

Offices design their ledgers themselves: their own column names and order, a title row or
two above the header, merged cells, one sheet per 方面 or per year. The columns are mapped
to Dudao's fields from the header names (`propose_columns`); the header is the first row
among the first ten that names a problem column and at least one other known column.

Merged cells come out of a workbook as a value in the first cell and blanks below it: a
blank dimension or number cell takes the value above, and a row whose problem cell is blank
but whose other cells are not continues the problem above (its measures and outcome are
appended).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dudao.lib import bounds, sandbox
from dudao.parser.errors import ParseError
from dudao.parser.extract import decode
from dudao.parser.facts import read_problem
from dudao.parser.header import parse_date
from dudao.parser.model import FEEDBACK_LETTER, RECTIFICATION_REPORT, Problem, Report, Section
from dudao.parser.text import fold, squeeze

MAX_ROWS = 20_000

# field -> header names (matched whole, after removing spaces and line breaks)
COLUMN_NAMES: dict[str, re.Pattern[str]] = {
    "label": re.compile(r"序号|编号|问题编号|项目编号"),
    "dimension": re.compile(r"问题?类别|类别|维度|方面|领域|问题类型|类型|评价维度|指标"),
    "problem": re.compile(
        r"(?:存在的?|反馈的?|具体|主要|发现的?)?问题(?:描述|表现|清单|内容|名称)?|存在问题|问题及表现"
    ),
    "measures": re.compile(r"整改(?:措施|举措|方案|任务)|措施"),
    "lead_unit": re.compile(r"(?:责任|牵头|主责)(?:单位|部门)"),
    "co_units": re.compile(r"(?:配合|协办|协同)(?:单位|部门)"),
    "responsible_person": re.compile(r"责任人|(?:责任|分管)领导|联系人"),
    "deadline": re.compile(r"(?:整改|完成)(?:时限|时间|期限)|时限"),
    "outcome": re.compile(
        r"整改(?:落实)?(?:进展|情况|成效|结果|进度)(?:情况)?|完成情况|落实情况|进展情况"
    ),
    "status": re.compile(r"(?:整改)?状态|是否完成|完成状态|整改状态"),
    "remark": re.compile(r"备注|说明"),
}
# status wording -> Dudao's reading of it
STATUS_WORDS = (
    (re.compile(r"已销号"), "signed_off"),
    (re.compile(r"已完成|已整改|完成整改|整改完成|已办结"), "done"),
    (re.compile(r"持续整改|长期坚持|持续推进|长期整改"), "ongoing"),
    (re.compile(r"整改中|推进中|正在整改|未完成|部分完成"), "in_progress"),
    (re.compile(r"未开始|未整改"), "not_started"),
)
# the office and the date a title row names: 填报单位：萝北县教育局（盖章） 填报日期：2024年6月30日
_FILED_BY = re.compile(r"(?:填报|报送|责任)单位\s*[:]\s*([^\s(:]{2,40}?)\s*(?:\(盖章\))?(?:\s|$)")
_FILED_ON = re.compile(r"(?:填报|报送)(?:日期|时间)\s*[:]")
_BROKEN = "Excel 文件已损坏或无法读取，请在 Excel 中打开并另存为 .xlsx 后再导入。"
_FILL_DOWN = ("dimension", "label", "lead_unit")


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[str]]


def is_workbook(data: bytes, filename: str) -> bool:
    """An .xlsx (zip with xl/), an .xls (OLE2 named .xls) or a .csv by its name."""
    name = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return b"xl/" in data[:65536] or name.endswith((".xlsx", ".xlsm"))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return name.endswith((".xls", ".et"))
    return name.endswith(".csv")


# An office's workbook: the ledger writer's zip limits; its sheets may be wider than ours.
ZIP_LIMITS = bounds.ZipLimits(members=1000, total=200 << 20, ratio=200, ratio_floor=10 << 20)
SHEET_LIMITS = bounds.SheetLimits(rows=200_020, columns=256, cells=5_000_000)


def read_sheets(data: bytes, filename: str) -> list[Sheet]:
    """Every sheet's cells as text (a .csv is one sheet), at most MAX_ROWS rows each, read
    in a child process with memory and time limits (`dudao.lib.sandbox`) after the
    workbook's own structure is checked (`dudao.lib.bounds`)."""
    try:
        return sandbox.run(read_sheets_here, data, filename)
    except sandbox.LimitExceeded as exc:
        raise ParseError(exc.message) from exc


def read_sheets_here(data: bytes, filename: str) -> list[Sheet]:
    """read_sheets in this process: the structural checks, no memory or time limit."""
    if data.startswith(b"PK\x03\x04"):
        try:
            bounds.check_workbook(data, ZIP_LIMITS, SHEET_LIMITS)
        except bounds.LimitError as exc:
            raise ParseError(exc.message) from exc
    if filename.lower().endswith(".csv") and not data.startswith(b"PK"):
        text = decode(data)
        dialect = "excel-tab" if text[:2000].count("\t") > text[:2000].count(",") else "excel"
        rows = list(itertools.islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS))
        return [Sheet("", [[c.strip() for c in row] for row in rows])]
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[_cell(v) for v in row] for row in values[:MAX_ROWS]]
            sheets.append(Sheet(name, rows))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise ParseError(
            "Excel 文件已损坏或无法读取，请在 Excel 中打开并另存为 .xlsx 后再导入。"
        ) from exc
    return sheets


def sheets_text(data: bytes, filename: str, sheets: Sequence[Sheet] | None = None) -> str:
    """The workbook as text, each sheet under its name, cells separated by tabs (what the
    import preview shows beside the rows it read)."""
    out: list[str] = []
    for sheet in read_sheets(data, filename) if sheets is None else sheets:
        if sheet.name:
            out.append(f"【{sheet.name}】")
        out.extend("\t".join(row).rstrip("\t") for row in sheet.rows if any(row))
    return "\n".join(out)


def as_letter(report: Report) -> Report:
    """The ledger's reading with each problem's measures and outcome in `measures`, as a
    report's 整改情况 would hold both (what the report import compares and stores)."""
    sections = tuple(
        dataclasses.replace(
            section,
            problems=tuple(
                dataclasses.replace(p, measures="\n".join(x for x in (p.measures, p.outcome) if x))
                for p in section.problems
            ),
        )
        for section in report.sections
    )
    return dataclasses.replace(report, sections=sections)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        iso = value.isoformat()
        return str(iso)[:10]
    return " ".join(str(value).split())


def propose_columns(header: Sequence[str]) -> dict[str, int]:
    """field -> column index, from the header's names; each column serves one field."""
    names = [re.sub(r"\s+", "", h) for h in header]
    mapping: dict[str, int] = {}
    for fld, pattern in COLUMN_NAMES.items():
        for i, name in enumerate(names):
            if name and i not in mapping.values() and pattern.fullmatch(name):
                mapping[fld] = i
                break
    return mapping


def find_header(rows: Sequence[Sequence[str]]) -> int | None:
    """The header row: among the first ten, the first naming a problem column and another."""
    for n, row in enumerate(rows[:10]):
        mapping = propose_columns(row)
        if "problem" in mapping and len(mapping) >= 2:
            return n
    return None


@dataclass(frozen=True)
class MappedRow:
    """One problem of a sheet under a chosen mapping: the sheet's row number (as Excel
    shows it) and the text of each mapped field, merged cells filled in and the rows under
    a merged problem cell appended."""

    row_number: int
    values: dict[str, str]


def _filled(
    rows: Sequence[Sequence[str]], mapping: dict[str, int]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The non-empty rows as {field: stripped cell} (with `mapping`: field -> column index),
    with their offset in `rows`; an empty 维度, 序号 or 牵头单位 cell takes the value above
    (a merged cell reads as empty below its first row)."""
    above: dict[str, str] = {}
    for offset, row in enumerate(rows):
        values = {fld: row[i].strip() if i < len(row) else "" for fld, i in mapping.items()}
        if not any(values.values()):
            continue
        for fld in _FILL_DOWN:
            if fld in values and not values[fld] and fld in above:
                values[fld] = above[fld]
        above.update({k: v for k, v in values.items() if v and k in _FILL_DOWN})
        yield offset, values


def mapped_rows(
    rows: Sequence[Sequence[str]], header: int, mapping: dict[str, int]
) -> list[MappedRow]:
    """The problems below row `header` (0-based) with `mapping` (field -> column index)."""
    out: list[MappedRow] = []
    for offset, values in _filled(rows[header + 1 :], mapping):
        n = header + 2 + offset
        if not values.get("problem"):
            if out and (values.get("measures") or values.get("outcome")):
                last = out[-1].values
                for fld in ("measures", "outcome"):
                    last[fld] = "\n".join(x for x in (last.get(fld, ""), values.get(fld, "")) if x)
            continue
        out.append(MappedRow(n, values))
    return out


_DAY = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*月?\s*(?:底|末|前|份)?")
_YEAR_END = re.compile(r"(\d{4})\s*年\s*(?:底|末|年底|前)?")
_LONG_TERM = re.compile(r"长期|持续|常态")


class BadDate(ValueError):
    """A deadline cell that is neither empty, a date, nor a long-term wording."""


def deadline_of(text: str) -> datetime.date | None:
    """A deadline cell as offices fill it: 2024-06-30, 2024年6月30日, 2024.6.30, 2024年6月(底)
    (the month's last day), 2024年底 (31 December); None for an empty cell or 长期坚持/持续整改.
    Raises BadDate for anything else (2025年13月1日, 尽快)."""
    folded = fold(text).strip()
    if not folded or _LONG_TERM.search(folded):
        return None
    try:
        if match := _DAY.fullmatch(folded):
            return datetime.date(*(int(g) for g in match.groups()))
        if match := _MONTH.fullmatch(folded):
            year, month = int(match.group(1)), int(match.group(2))
            first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
            return first_next - datetime.timedelta(days=1)
        if match := _YEAR_END.fullmatch(folded):
            return datetime.date(int(match.group(1)), 12, 31)
    except ValueError as exc:
        raise BadDate(text) from exc
    raise BadDate(text)


def status_of(text: str) -> str:
    for pattern, status in STATUS_WORDS:
        if pattern.search(text):
            return status
    return ""


def read_workbook(data: bytes, filename: str, sheets: Sequence[Sheet] | None = None) -> Report:
    """The ledger as a Report: a section per sheet (or per dimension column value)."""
    sections: list[Section] = []
    title = ""
    issuer = ""
    date: datetime.date | None = None
    warnings: list[str] = []
    number = 0
    for sheet in read_sheets(data, filename) if sheets is None else sheets:
        header = find_header(sheet.rows)
        if header is None:
            continue
        title = title or next(
            (c for row in sheet.rows[:header] for c in row if c and len(c) >= 4), ""
        )
        for cell in (c for row in sheet.rows[:header] for c in row if c):
            folded = fold(cell)
            if not issuer and (unit := _FILED_BY.search(folded)):
                issuer = cell[unit.start(1) : unit.end(1)]
            if date is None and _FILED_ON.search(folded):
                date = parse_date(folded)
        mapping = propose_columns(sheet.rows[header])
        problems = _problems(sheet.rows[header + 1 :], mapping, number, warnings, sheet.name)
        number += sum(len(ps) for _, ps in problems)
        for dimension, found in problems:
            if found:
                sections.append(Section("", dimension or sheet.name, tuple(found)))
    if not sections:
        raise ParseError(
            "未在表格中找到表头：台账的前十行中应有一行列名，包含“问题”（或“存在问题”"
            "“问题描述”）和“整改措施”“责任单位”等列。"
        )
    has_outcomes = any(p.measures or p.outcome for s in sections for p in s.problems)
    kind = RECTIFICATION_REPORT if has_outcomes else FEEDBACK_LETTER
    return Report(
        kind=kind,
        kind_reason=(
            "判为整改情况报告：台账中有整改措施或完成情况列。"
            if has_outcomes
            else "判为反馈意见：台账只有问题，没有整改措施或完成情况。"
        ),
        title=squeeze(title),
        issuer=issuer,
        doc_number="",
        recipient="",
        date=date,
        preamble="",
        sections=tuple(sections),
        warnings=tuple(warnings),
    )


def _problems(
    rows: Sequence[Sequence[str]],
    mapping: dict[str, int],
    number: int,
    warnings: list[str],
    sheet: str,
) -> list[tuple[str, list[Problem]]]:
    grouped: dict[str, list[Problem]] = {}
    last: tuple[str, int] | None = None
    for offset, values in _filled(rows, mapping):
        if not values.get("problem"):
            if last is not None and (values.get("measures") or values.get("outcome")):
                dimension, index = last
                grouped[dimension][index] = _continued(grouped[dimension][index], values)
            continue
        number += 1
        problem = read_problem(
            values.get("label") or str(number),
            number,
            values["problem"].strip(" 。；;"),
            values.get("measures", ""),
        )
        status_text = values.get("status", "") or values.get("outcome", "")
        problem = dataclasses.replace(
            problem,
            lead_unit=values.get("lead_unit", ""),
            co_units=values.get("co_units", ""),
            responsible_person=values.get("responsible_person", ""),
            deadline=values.get("deadline", ""),
            outcome=values.get("outcome", ""),
            remark=values.get("remark", ""),
            status=status_of(status_text),
        )
        dimension = squeeze(values.get("dimension", ""))
        grouped.setdefault(dimension, []).append(problem)
        last = (dimension, len(grouped[dimension]) - 1)
        if len(problem.problem) > 500:
            warnings.append(f"{sheet or '表格'}第{offset + 1}行的问题超过500字，请核对列是否对应。")
    return list(grouped.items())


def _continued(problem: Problem, values: dict[str, str]) -> Problem:
    """A row under a merged problem cell: more measures and outcome for the same problem."""
    measures = "\n".join(x for x in (problem.measures, values.get("measures", "")) if x)
    outcome = "\n".join(x for x in (problem.outcome, values.get("outcome", "")) if x)
    return dataclasses.replace(
        problem,
        measures=measures,
        outcome=outcome,
        status=problem.status or status_of(values.get("status", "") or outcome),
    )
