"""Quantities in a problem's text: money, percentages, percentage points, counts, areas,
and year-on-year comparisons. Years and dates are not quantities and are never emitted."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from dudao.lib.zh import parse_cn_numeral
from dudao.parser.model import Fact, Problem
from dudao.parser.text import Repaired, fold

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]{0,6}"
_COUNT_UNITS = (
    "人次|人|名|所|个|次|间|项|台|套|件|册|场|家|批|辆|座|节"
    "|学时|课时|小时|处|张|本|块|条|期|户|篇|部|班"
)
# unit -> (kind, unit as reported, multiplier); longest spellings first in the pattern
_UNITS: dict[str, tuple[str, str, Decimal]] = {
    "个百分点": ("percentage_point", "个百分点", Decimal(1)),
    "百分点": ("percentage_point", "个百分点", Decimal(1)),
    "%": ("percentage", "%", Decimal(1)),
    "亿元": ("money", "元", Decimal(10) ** 8),
    "万元": ("money", "元", Decimal(10) ** 4),
    "千元": ("money", "元", Decimal(1000)),
    "元": ("money", "元", Decimal(1)),
    "万平方米": ("area", "平方米", Decimal(10) ** 4),
    "平方米": ("area", "平方米", Decimal(1)),
    "平米": ("area", "平方米", Decimal(1)),
    "㎡": ("area", "平方米", Decimal(1)),
    "m²": ("area", "平方米", Decimal(1)),
    "亩": ("area", "亩", Decimal(1)),
}
for _unit in _COUNT_UNITS.split("|"):
    _UNITS[_unit] = ("count", _unit, Decimal(1))
    _UNITS["万" + _unit] = ("count", _unit, Decimal(10) ** 4)
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))

# not preceded by a letter, digit or 第 (ranks, model names) nor followed by more digits
# (the lookahead first lets the engine skip positions that cannot start a number at once)
_QUANTITY = re.compile(
    rf"(?=[\d一二两三四五六七八九十])"
    rf"(?:(?<![\w.第])({_NUM})\s*(余|多)?\s*({_UNIT_RE})(左右)?"
    rf"|(?<![\w第“‘\"'《])({_CN_NUM})\s*(余|多)?\s*({_UNIT_RE})(左右)?)",
    re.ASCII,
)
_ABOUT = re.compile(r"(?:约|近|逾|大约|超过)\s*$")
_UP = "提高|提升|上升|增长|增加"
_DOWN = "下降|降低|减少"
_BASE = r"(?:(\d{4})\s*年度?|上年度?|去年|同期|上一年度?)"
_CHANGE = rf"({_UP}|{_DOWN})了?\s*({_NUM})\s*个?百分点"
# 较 2022 年度的 17.3% 提高 3.9 个百分点
_FROM_BASE = re.compile(rf"[较比]\s*{_BASE}?\s*(?:的\s*)?({_NUM})\s*%\s*,?\s*{_CHANGE}")
# 达到 21.2%，较 2022 年提高 3.9 个百分点
_TO_RESULT = re.compile(rf"({_NUM})\s*%\s*,?\s*[较比]\s*{_BASE}?\s*{_CHANGE}")
# 由 17.3% 提高到 21.2%
_FROM_TO = re.compile(rf"由\s*({_NUM})\s*%\s*(?:{_UP}|{_DOWN})(?:到|至)\s*({_NUM})\s*%")


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def find_facts(source: str, repaired: Repaired, field: str) -> list[Fact]:
    """Facts in `source`; offsets are mapped into `repaired` (the text the user sees)."""
    folded = fold(source)
    facts: list[Fact] = []

    def add(start: int, end: int, value: Decimal, unit: str, kind: str, **extra: object) -> None:
        facts.append(
            Fact(
                text=source[start:end],
                value=value,
                unit=unit,
                kind=kind,
                start=repaired.offset(start),
                end=repaired.offset(end),
                field=field,
                **extra,  # type: ignore[arg-type]
            )
        )

    def comparison(
        match: re.Match[str], year: str | None, base: Decimal, change: Decimal, result: Decimal
    ) -> None:
        add(
            match.start(),
            match.end(),
            result,
            "%",
            "comparison",
            baseline_year=int(year) if year else None,
            baseline_value=base,
            change=change,
            result=result,
        )

    for match in _QUANTITY.finditer(folded):
        if match.group(1) is not None:
            number_text, approx, unit_text, around = match.group(1, 2, 3, 4)
            try:
                number = _decimal(number_text)
            except InvalidOperation:
                continue
        else:
            number_text, approx, unit_text, around = match.group(5, 6, 7, 8)
            try:
                number = Decimal(parse_cn_numeral(number_text.replace("两", "二")))
            except ValueError:
                continue
            if number < 2:  # "一个", "一人一档": idiom, not a count
                continue
        kind, unit, multiplier = _UNITS[unit_text]
        start = match.start()
        # 约/近/逾/大约/超过 right before the number (a short window, not the whole text)
        approximate = bool(approx or around or _ABOUT.search(folded, max(0, start - 12), start))
        add(match.start(), match.end(), number * multiplier, unit, kind, approximate=approximate)

    for match in _FROM_BASE.finditer(folded):
        year, base, direction, change = match.groups()
        base_value, signed = _decimal(base), _signed(direction, change)
        comparison(match, year, base_value, signed, base_value + signed)
    for match in _TO_RESULT.finditer(folded):
        result, year, direction, change = match.groups()
        result_value, signed = _decimal(result), _signed(direction, change)
        comparison(match, year, result_value - signed, signed, result_value)
    for match in _FROM_TO.finditer(folded):
        base_value, result_value = (_decimal(g) for g in match.groups())
        comparison(match, None, base_value, result_value - base_value, result_value)
    facts.sort(key=lambda f: (f.start, f.end))
    return facts


def _signed(direction: str, change: str) -> Decimal:
    value = _decimal(change)
    return -value if re.fullmatch(_DOWN, direction) else value


def read_problem(label: str, number: int, statement_src: str, measures_src: str) -> Problem:
    """A problem with the stray spaces of its two texts repaired and the facts found in them."""
    statement, measures = Repaired(statement_src), Repaired(measures_src)
    facts = find_facts(statement_src, statement, "problem")
    facts += find_facts(measures_src, measures, "measures")
    return Problem(label, number, statement.text, measures.text, tuple(facts))
