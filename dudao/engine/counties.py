"""County-level indicators (学前教育, student health, school safety) from the county table."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from dudao.engine.indicators import LEVEL_NAMES, Indicator, Level, framework
from dudao.engine.results import IndicatorResult, LevelResult

COUNTY_KINDS = ("county_rate", "county_ratio", "myopia_decline")


def _number(row: Mapping[str, object] | None, field: str) -> float | None:
    value = None if row is None else row.get(field)
    return float(value) if isinstance(value, int | float) else None


Measured = tuple[float, float | None, str | None, dict[str, object] | None]
"""An indicator's threshold, value (None when it cannot be computed), the reason it cannot
be, and the details the findings quote."""


def _result(ind: Indicator, level: Level, measured: Measured) -> IndicatorResult:
    threshold, value, reason, details = measured
    return IndicatorResult.of(
        ind,
        level,
        threshold,
        value=value,
        passed=None if value is None else ind.meets(value, threshold),
        reason=reason if value is None else None,
        details=details or {},
    )


def _measure(
    ind: Indicator,
    level: Level,
    year: int,
    row: Mapping[str, object],
    previous: Mapping[str, object] | None,
    thresholds: Mapping[str, float],
    high_myopia: bool,
) -> Measured:
    threshold = thresholds[ind.threshold_key(level)]
    if ind.kind == "county_rate":
        return threshold, _number(row, ind.key), f"未填报{ind.name}", None
    if ind.kind == "county_ratio":
        children = _number(row, "preschool_children")
        teachers = _number(row, "preschool_teachers")
        if children is None or teachers is None:
            return threshold, None, "未填报在园幼儿数或幼儿园专任教师数", None
        if teachers == 0:
            return threshold, None, "幼儿园专任教师数为0，无法计算师幼比", None
        return (
            threshold,
            children / teachers,
            None,
            {"children": int(children), "teachers": int(teachers)},
        )
    # myopia_decline: last year's rate minus this year's, in percentage points
    if high_myopia:
        threshold = thresholds["myopia_decline.high_prevalence"]
    rate, before = _number(row, "myopia_rate"), _number(previous, "myopia_rate")
    if rate is None:
        return threshold, None, f"未填报{year}年度儿童青少年总体近视率", None
    if before is None:
        return threshold, None, f"缺少{year - 1}年度近视率，无法计算下降幅度", None
    details: dict[str, object] = {
        "rate": rate,
        "previous_rate": before,
        "previous_year": year - 1,
        "high_prevalence": high_myopia,
    }
    # rounded to 10 decimals: 67.22 - 63.79 is 3.43, not 3.4299999999999997
    return threshold, round(before - rate, 10), None, details


def county_levels(
    code: str,
    year: int,
    row: Mapping[str, object] | None,
    previous: Mapping[str, object] | None,
    thresholds: Mapping[str, float],
    *,
    high_myopia: bool,
    hits_only: bool = False,
) -> list[LevelResult]:
    """The preschool and county levels of one county for `year`. With `hits_only`, only
    the indicators that fail (what the findings draw on)."""
    out: list[LevelResult] = []
    levels: tuple[Level, Level] = ("preschool", "county")
    for level in levels:
        inds = _indicators(level, year)
        if row is None:
            missing = f"未导入该区县{year}年度的区县数据（{LEVEL_NAMES[level]}指标）"
            out.append(LevelResult(level, False, missing, {}))
            continue
        measured = [
            (i, _measure(i, level, year, row, previous, thresholds, high_myopia)) for i in inds
        ]
        if hits_only:
            measured = [(i, m) for i, m in measured if m[1] is not None and not i.meets(m[1], m[0])]
        results = {i.key: _result(i, level, m) for i, m in measured}
        evaluable = any(r.evaluable for r in results.values())
        reason = None if evaluable else f"{LEVEL_NAMES[level]}指标均未填报"
        out.append(LevelResult(level, evaluable, reason, results))
    return out


@cache
def _indicators(level: Level, year: int) -> tuple[Indicator, ...]:
    return tuple(
        i
        for i in framework().indicators
        if i.kind in COUNTY_KINDS and level in i.levels and i.applies_to(year)
    )
