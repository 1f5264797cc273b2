"""Blank import templates (.xlsx with a 填写说明 sheet, or .csv) with Chinese headers."""

from __future__ import annotations

import io
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dudao.engine.columns import COUNTY_COLUMNS, SCHOOL_COLUMNS, Column
from dudao.engine.errors import EngineError

TemplateKind = Literal["schools", "counties"]

_TITLES = {"schools": "学校数据", "counties": "区县数据"}
_NOTES = {
    "schools": (
        "每所学校一行。九年一贯制学校、完全中学、十二年一贯制学校在同一行分别填写各学段的"
        "在校生、教师和班级数；校舍面积、设备值和多媒体教室填全校合计，系统按各学段在校生"
        "比例分摊。学校不含的学段留空。"
    ),
    "counties": (
        "每个区县每个年度一行；一个文件可以包含多个年度。比率填写百分数（如 92.5），未统计的留空。"
    ),
}


def _columns(kind: str) -> tuple[Column, ...]:
    if kind == "schools":
        return SCHOOL_COLUMNS
    if kind == "counties":
        return COUNTY_COLUMNS
    raise EngineError(f"未知的模板类型“{kind}”，应为 schools 或 counties。")


def write_template(kind: TemplateKind, fmt: Literal["xlsx", "csv"] = "xlsx") -> bytes:
    columns = _columns(kind)
    if fmt == "csv":
        # The BOM makes Excel open the UTF-8 file with the Chinese headers intact.
        return ("\ufeff" + ",".join(c.header for c in columns) + "\r\n").encode("utf-8")
    if fmt != "xlsx":
        raise EngineError(f"未知的模板格式“{fmt}”，应为 xlsx 或 csv。")
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _TITLES[kind]
    sheet.append([c.header for c in columns])
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, len(col.header) * 2 + 2)
        if col.kind in {"text", "code", "type"}:
            # Text format keeps the leading zeros of codes and stops Excel's 1.2E+09.
            for row in range(2, 1002):
                sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append([_NOTES[kind]])
    notes.append([])
    notes.append(["列名", "是否必填", "说明"])
    for col in columns:
        required = "是" if col.required and col.level is None else ("按学段" if col.level else "否")
        notes.append([col.header, required, col.help])
    notes.column_dimensions["A"].width = 36
    notes.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
