"""Chinese numerals, official dates and document numbers (pure helpers).

>>> cn_numeral(15)
'十五'
>>> cn_numeral(120)
'一百二十'
>>> parse_cn_numeral('二十三')
23
>>> parse_cn_numeral('二〇二四')
2024
>>> format_cn_date(datetime.date(2024, 5, 28))
'2024年5月28日'
>>> format_doc_number('绥政函', 2024, 17)
'绥政函〔2024〕17号'
"""

from __future__ import annotations

import datetime

DIGITS = "〇一二三四五六七八九"
_DIGIT_VALUES = {ch: i for i, ch in enumerate(DIGITS)} | {"零": 0, "两": 2, "○": 0, "O": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_numeral(n: int) -> str:
    """Write 0 ≤ n < 100000 as the Chinese numeral used in headings (一、十五、一百零三)."""
    if n < 0 or n >= 100000:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "〇"
    if 10 <= n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    parts: list[str] = []
    zero = False
    for unit_value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(DIGITS[digit] + unit)
        elif parts:
            zero = True
    return "".join(parts)


def parse_cn_numeral(text: str) -> int:
    """Read a Chinese numeral: positional (十五, 一百零三) or digit by digit (二〇二四).

    Raises ValueError for anything else.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if all(ch in _DIGIT_VALUES for ch in text) and len(text) > 1:
        return int("".join(str(_DIGIT_VALUES[ch]) for ch in text))
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def format_cn_date(day: datetime.date) -> str:
    """Official date as GB/T 9704 wants it: full year, no zero padding."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_doc_number(code: str, year: int, seq: int) -> str:
    """发文字号: 机关代字 + 〔年份〕 + 序号 + 号, no 第, no zero padding."""
    return f"{code}〔{year}〕{seq}号"
