"""Reading one cell of an uploaded ledger: the value calamine gives → the value Dudao wants.

Each reader returns (value, error message or None); messages are Chinese, for a clerk.
"""

from __future__ import annotations

import datetime
import re

from dudao.lib import chars
from dudao.writers.ledger import NO, STATUS_LABELS, YES
from dudao.writers.spreadsheet import EXCEL_EPOCH

_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")

Cell = object
# 系统编号 and 版本 are database integers (signed 64-bit): anything larger is not one of
# them, and would overflow the query that looks it up.
MAX_INTEGER = 2**63 - 1


def text(value: Cell) -> str:
    """Any cell as text, as typed, without the characters XML cannot hold; numbers without
    a spurious ".0"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return chars.clean(value)
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
    number: int | None = None
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raw = text(value).strip()
        if raw.isascii() and raw.isdigit() and len(raw) <= 19:
            number = int(raw)
    if number is not None and 0 <= number <= MAX_INTEGER:
        return number, None
    shown = text(value).strip()
    shown = shown if len(shown) <= 30 else shown[:30] + "…"
    return None, f"{what}必须是系统生成的整数，现为“{shown}”；该列由系统生成，请勿修改"


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
