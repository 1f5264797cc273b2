"""Reading one cell of an uploaded ledger: the value calamine gives → the value Dudao wants.

Each reader returns (value, error message or None); messages are Chinese, for a clerk.
"""

from __future__ import annotations

import datetime
import re

from dudao.writers.ledger import NO, STATUS_LABELS, YES
from dudao.writers.spreadsheet import EXCEL_EPOCH

_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")

Cell = object


def text(value: Cell) -> str:
    """Any cell as text, exactly as typed; numbers without a spurious ".0"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def date(value: Cell) -> tuple[datetime.date | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed into a cell formatted as a number arrives as its serial.
        if float(value).is_integer() and 1 <= value <= 2958465:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value)), None
        return None, f"“{text(value)}”不是日期，请填写如 2024-06-30 的日期"
    raw = str(value).strip()
    match = _DATE_TEXT.fullmatch(raw) or _COMPACT_DATE.fullmatch(raw)
    if match:
        try:
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day), None
        except ValueError:
            return None, f"“{raw}”不是有效日期（月或日超出范围）"
    return None, f"无法识别的日期“{raw}”，请填写如 2024-06-30 的日期"


def integer(value: Cell, what: str) -> tuple[int | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    raw = text(value).strip()
    if raw.isdigit():
        return int(raw), None
    return None, f"{what}必须是整数，现为“{raw}”；该列由系统生成，请勿修改"


def status(value: Cell) -> tuple[str, str | None]:
    raw = text(value).strip()
    if raw in STATUS_LABELS:
        return raw, None
    if not raw:
        return raw, "状态不能为空，请从下拉列表中选择"
    return raw, f"未知状态“{raw}”，只能是：{'、'.join(STATUS_LABELS)}"


def yes_no(value: Cell) -> tuple[bool, str | None]:
    raw = text(value).strip()
    if raw in (YES, NO, ""):
        return raw == YES, None
    return False, f"“{raw}”无法识别，请填写“是”或“否”"
