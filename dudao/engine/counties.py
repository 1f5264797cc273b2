"""County-level indicators (学前教育, student health, school safety) from the county table."""

from __future__ import annotations

from collections.abc import Mapping

from dudao.engine.indicators import LEVEL_NAMES, Indicator, Level, framework
from dudao.engine.results import IndicatorResult, LevelResult

COUNTY_KINDS = ("county_rate", "county_ratio", "myopia_decline")


def _number(row: Mapping[str, object] | None, field: str) -> float | None:
    value = None if row is None else row.get(field)
    return float(value) if isinstance(value, int | float) else None


def _result(
    ind: Indicator,
    level: Level,
    threshold: float,
    value: float | None,
    reason: str | None,
    details: Mapping[str, object] | None = None,
) -> IndicatorResult:
    return IndicatorResult.of(
        ind,
        level,
        threshold,
        value=value,
        passed=None if value is None else ind.meets(value, threshold),
        reason=reason if value is None else None,
        details=dict(details or {}),
    )


def _indicator(
    ind: Indicator,
    level: Level,
    year: int,
    row: Mapping[str, object],
    previous: Mapping[str, object] | None,
    thresholds: Mapping[str, float],
    high_myopia: bool,
) -> IndicatorResult:
    threshold = thresholds[ind.threshold_key(level)]
    if ind.kind == "county_rate":
        value = _number(row, ind.key)
        return _result(ind, level, threshold, value, f"未填报{ind.name}")
    if ind.kind == "county_ratio":
        children = _number(row, "preschool_children")
        teachers = _number(row, "preschool_teachers")
        if children is None or teachers is None:
            return _result(ind, level, threshold, None, "未填报在园幼儿数或幼儿园专任教师数")
        if teachers == 0:
            return _result(ind, level, threshold, None, "幼儿园专任教师数为0，无法计算师幼比")
        return _result(
            ind,
            level,
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
        return _result(ind, level, threshold, None, f"未填报{year}年度儿童青少年总体近视率")
    if before is None:
        return _result(ind, level, threshold, None, f"缺少{year - 1}年度近视率，无法计算下降幅度")
    details = {
        "rate": rate,
        "previous_rate": before,
        "previous_year": year - 1,
        "high_prevalence": high_myopia,
    }
    # rounded to 10 decimals: 67.22 - 63.79 is 3.43, not 3.4299999999999997
    return _result(ind, level, threshold, round(before - rate, 10), None, details)


def county_levels(
    code: str,
    year: int,
    row: Mapping[str, object] | None,
    previous: Mapping[str, object] | None,
    thresholds: Mapping[str, float],
    *,
    high_myopia: bool,
) -> list[LevelResult]:
    """The preschool and county levels of one county for `year`."""
    out: list[LevelResult] = []
    levels: tuple[Level, Level] = ("preschool", "county")
    for level in levels:
        inds = [
            i
            for i in framework().indicators
            if i.kind in COUNTY_KINDS and level in i.levels and i.applies_to(year)
        ]
        if row is None:
            missing = f"未导入该区县{year}年度的区县数据（{LEVEL_NAMES[level]}指标）"
            out.append(LevelResult(level, False, missing, {}))
            continue
        results = {
            i.key: _indicator(i, level, year, row, previous, thresholds, high_myopia) for i in inds
        }
        evaluable = any(r.evaluable for r in results.values())
        reason = None if evaluable else f"{LEVEL_NAMES[level]}指标均未填报"
        out.append(LevelResult(level, evaluable, reason, results))
    return out
