"""`evaluate`: schools and county data for one year in, per-county results out.

The numeric work is done once for all counties (compute.py); `Evaluation` keeps those
arrays and builds a county's dataclasses when asked, so evaluating the whole country costs
a few bincounts and looking at one county costs only that county.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from dudao.engine.compute import RESOURCE_QUANTITIES, SchoolArrays, compute_schools
from dudao.engine.counties import county_levels
from dudao.engine.errors import EngineError
from dudao.engine.findings import ResourceHit, draft
from dudao.engine.indicators import (
    LEVEL_NAMES,
    SCHOOL_LEVELS,
    Indicator,
    Level,
    Thresholds,
    framework,
)
from dudao.engine.indicators import resolve_thresholds as _resolve
from dudao.engine.results import (
    CountyResult,
    ExcludedSchool,
    Finding,
    IndicatorResult,
    LevelResult,
    SchoolValue,
)
from dudao.engine.tables import CountyTable, SchoolTable


@dataclass(frozen=True)
class Evaluation:
    year: int
    thresholds: Mapping[str, float]
    county_codes: tuple[str, ...]
    names: Mapping[str, str]
    high_myopia: bool
    school_arrays: SchoolArrays
    county_rows: Mapping[str, Mapping[str, object]] | None  # code -> row of `year`
    previous_rows: Mapping[str, Mapping[str, object]]  # code -> row of `year - 1`
    excluded: Mapping[str, tuple[ExcludedSchool, ...]] = field(default_factory=dict)
    county_frame: pl.DataFrame | None = None  # rows of `year` (for the columnar writer)
    previous_frame: pl.DataFrame | None = None  # rows of `year - 1`

    def county(self, code: str, *, named: int | None = None) -> CountyResult:
        """The results of one county (built on demand). With `named`, each indicator lists
        only its `named` worst schools (`below_count` still counts them all)."""
        if code not in self._known:
            raise EngineError(f"评价结果中没有区县“{code}”。")
        return self._build(code, named)

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.county_codes)

    def school_values(self, code: str, level: Level, key: str) -> dict[str, SchoolValue]:
        """Every school of a county and level with its own value of a per-school indicator
        (a resource indicator's value, the number of the 7 met for the 6-of-7 rule, the
        classes over the limit for class size), whether it meets the standard
        (`within_standard`) and whether it is a problem (`problem`: below standard and,
        for a resource indicator, failing the 6-of-7 rule). Schools without students of
        the level are left out."""
        arrays = self.school_arrays
        g = arrays.group(code, SCHOOL_LEVELS.index(level)) if level in SCHOOL_LEVELS else None
        if g is None:
            return {}
        start, end = int(arrays.offsets[g]), int(arrays.offsets[g + 1])
        if key in arrays.resources:
            res = arrays.resources[key]
            values, bad, problem = res.x * res.scale, res.below, res.failing
        elif key == "school_rule_share":
            values, bad = arrays.rule_met.astype(np.float64), arrays.rule_failed
            problem = bad
        elif key == "class_size_over_share":
            values, bad = arrays.unit_over, arrays.has_over
            problem = bad
        else:
            return {}
        rows = np.flatnonzero(arrays.has[start:end]) + start
        ids, names = arrays.schools_at(rows)
        return {
            sid: SchoolValue(sid, name, float(values[i]), not bool(bad[i]), bool(problem[i]))
            for sid, name, i in zip(ids, names, rows.tolist(), strict=True)
        }

    def drafts(
        self, code: str, named: int | None = None, resources: list[ResourceHit] | None = None
    ) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[ExcludedSchool, ...]]:
        """The findings, risks and excluded schools of one county, as `county(code,
        named=named)` has them, built from only the indicators they draw on (a problem or a
        risk): what the writers need, without the results of every passing indicator.
        `resources` are the county's resource results, if drafted already (by
        `prepare.resource_hits`, for a block of counties at once)."""
        levels = [
            self._school_level(code, lv, named, hits_only=True, resources=resources is None)
            for lv in SCHOOL_LEVELS
        ]
        if self.county_rows is not None:
            levels += county_levels(
                code,
                self.year,
                self.county_rows.get(code),
                self.previous_rows.get(code),
                self.thresholds,
                high_myopia=self.high_myopia,
                hits_only=True,
            )
        findings, risks = draft(levels, self.year, resources)
        return findings, risks, self.excluded.get(code, ())

    def counties(self) -> Iterator[CountyResult]:
        for code in self.county_codes:
            yield self._build(code)

    def _build(self, code: str, named: int | None = None) -> CountyResult:
        levels = [self._school_level(code, lv, named) for lv in SCHOOL_LEVELS]
        if self.county_rows is not None:
            levels += county_levels(
                code,
                self.year,
                self.county_rows.get(code),
                self.previous_rows.get(code),
                self.thresholds,
                high_myopia=self.high_myopia,
            )
        else:
            levels.append(LevelResult("county", True, None, {}))
        findings, risks = draft(levels, self.year)
        return CountyResult(
            code=code,
            name=self.names.get(code, ""),
            year=self.year,
            levels=tuple(levels),
            findings=findings,
            excluded=self.excluded.get(code, ()),
            risks=risks,
        )

    def _school_level(
        self,
        code: str,
        level: Level,
        named: int | None = None,
        *,
        hits_only: bool = False,
        resources: bool = True,
    ) -> LevelResult:
        arrays = self.school_arrays
        g = arrays.group(code, SCHOOL_LEVELS.index(level))
        lname = LEVEL_NAMES[level]
        if g is None or arrays.schools[g] == 0:
            return LevelResult(level, False, f"没有{lname}学校数据", {})
        if arrays.students[g] <= 0:
            return LevelResult(level, False, f"{lname}在校生数合计为0，无法计算生均指标", {})
        return LevelResult(
            level,
            True,
            None,
            _school_indicators(
                arrays, g, level, self.thresholds, self.year, named, hits_only, resources
            ),
        )


def _schools(
    arrays: SchoolArrays,
    g: int,
    mask: npt.NDArray[np.bool_],
    values: npt.NDArray[Any],
    scale: float = 1.0,
    *,
    limit: int | None = None,
    highest_first: bool = False,
    total: int | None = None,
) -> tuple[tuple[SchoolValue, ...], int]:
    """The group's schools under `mask`, worst first (lowest value, or highest with
    `highest_first`), at most `limit` of them; and how many there are in all (`total`,
    when the caller has counted them already)."""
    if total is None:
        total = arrays.flagged_in(mask, g)
    if total == 0:
        return (), 0
    if limit is not None:
        ranked = arrays.ranked(mask, values, limit, highest_first)
        ids, names, worst = ranked.schools(g)
        return tuple(map(SchoolValue, ids, names, [v * scale for v in worst])), total
    start, end = int(arrays.offsets[g]), int(arrays.offsets[g + 1])
    picked = np.flatnonzero(mask[start:end]) + start
    picked_values = values[picked]
    keys = -picked_values if highest_first else picked_values
    order = np.argsort(keys, kind="stable")
    chosen = picked[order]
    ids, names = arrays.schools_at(chosen)
    return tuple(
        SchoolValue(sid, name, v * scale)
        for sid, name, v in zip(ids, names, values[chosen].tolist(), strict=True)
    ), total


@cache
def _resource_indicators(year: int) -> tuple[Indicator, ...]:
    """The resource indicators that apply in `year`, in the order of `RESOURCE_QUANTITIES`."""
    fw = framework()
    return tuple(fw.get(k) for k in RESOURCE_QUANTITIES if fw.get(k).applies_to(year))


def _school_indicators(
    arrays: SchoolArrays,
    g: int,
    level: Level,
    t: Mapping[str, float],
    year: int,
    named: int | None = None,
    hits_only: bool = False,
    resources: bool = True,
) -> dict[str, IndicatorResult]:
    """The school indicators of group g. With `hits_only`, only those a finding or a risk
    draws on (`findings.hits`): a resource indicator with schools failing or within the
    allowance, any other that fails. Without `resources`, no resource indicator (their
    CVs still count in `balance_cv`)."""
    fw = framework()
    out: dict[str, IndicatorResult] = {}
    schools = int(arrays.with_students[g])
    failing_cvs: list[tuple[str, float, float]] = []
    max_cv: float | None = None
    limit = t[fw.get("balance_cv").threshold_key(level)]
    for ind in _resource_indicators(year):
        key = ind.key
        res = arrays.resources[key]
        cv = res.cvs[g]
        cv_ok: bool | None = None
        if math.isfinite(cv):
            cv_ok = cv <= limit + 1e-12
            max_cv = cv if max_cv is None else max(max_cv, cv)
            if not cv_ok:
                failing_cvs.append((key, cv, limit))
        if not resources:
            continue
        # below standard = failing the 6-of-7 rule + within its allowance
        n_failing = arrays.flagged_in(res.failing, g)
        n_allowed = arrays.flagged_in(res.allowed, g)
        if hits_only and not (n_failing or n_allowed):
            continue
        failing, _ = _schools(
            arrays, g, res.failing, res.x, res.scale, limit=named, total=n_failing
        )
        allowed, _ = _schools(
            arrays, g, res.allowed, res.x, res.scale, limit=named, total=n_allowed
        )
        if not n_allowed or not n_failing:  # one part is empty: the other is all of them
            below = failing or allowed
        else:
            below, _ = _schools(
                arrays, g, res.below, res.x, res.scale, limit=named, total=n_failing + n_allowed
            )
        out[key] = IndicatorResult.of(
            ind,
            level,
            t[ind.threshold_key(level)],
            value=float(res.value[g]),
            passed=n_failing + n_allowed == 0,
            cv=cv if cv_ok is not None else None,
            cv_limit=limit,
            cv_passed=cv_ok,
            schools_below=below,
            schools=schools,
            below_count=n_failing + n_allowed,
            schools_failing=failing,
            failing_count=n_failing,
            schools_allowed=allowed,
            allowed_count=n_allowed,
        )
    rule = fw.get("school_rule_share")
    if rule.applies_to(year):
        share = 100.0 * int(arrays.rule_ok_count[g]) / schools if schools else 0.0
        threshold = t[rule.threshold_key(level)]
        if not (hits_only and rule.meets(share, threshold)):
            failed, n_failed = _schools(arrays, g, arrays.rule_failed, arrays.rule_met, limit=named)
            out[rule.key] = IndicatorResult.of(
                rule,
                level,
                threshold,
                value=share,
                passed=rule.meets(share, threshold),
                schools_below=failed,
                schools=schools,
                below_count=n_failed,
                details={
                    "min_met": t["school_rule.min_met"],
                    "floor_ratio": t["school_rule.floor_ratio"],
                },
            )
    bal = fw.get("balance_cv")
    if bal.applies_to(year) and not (hits_only and (max_cv is None or not failing_cvs)):
        out[bal.key] = IndicatorResult.of(
            bal,
            level,
            limit,
            value=max_cv,
            passed=None if max_cv is None else not failing_cvs,
            reason=None if max_cv is not None else "各项资源配置指标均为0，无法计算差异系数",
            details={"failing_cvs": failing_cvs},
        )
    cls = fw.get("class_size_over_share")
    if cls.applies_to(year):
        classes, over = float(arrays.classes[g]), float(arrays.over_classes[g])
        threshold = t[cls.threshold_key(level)]
        if classes <= 0:
            if not hits_only:
                out[cls.key] = IndicatorResult.of(
                    cls,
                    level,
                    threshold,
                    value=None,
                    passed=None,
                    reason=f"未填报{LEVEL_NAMES[level]}班级数",
                )
        elif not (hits_only and cls.meets(100.0 * over / classes, threshold)):
            share = 100.0 * over / classes
            big, n_big = _schools(
                arrays, g, arrays.has_over, arrays.unit_over, limit=named, highest_first=True
            )
            out[cls.key] = IndicatorResult.of(
                cls,
                level,
                threshold,
                value=share,
                passed=cls.meets(share, threshold),
                schools_below=big,
                schools=schools,
                below_count=n_big,
                details={"classes": int(classes), "over_classes": int(over)},
            )
    return out


def evaluate(
    schools: SchoolTable,
    counties: CountyTable | None,
    *,
    year: int,
    thresholds: Thresholds | None = None,
    county_names: Mapping[str, str] | None = None,
    high_myopia: bool = False,
) -> Evaluation:
    """Evaluate every county of `schools` (and of `counties` and `county_names`) for `year`.

    `thresholds` overrides the national defaults (see `default_thresholds()`);
    `high_myopia` applies the stricter myopia target of high-prevalence provinces."""
    t = _resolve(thresholds)
    units = schools.units
    codes = schools.counties
    arrays = compute_schools(units, codes, t)
    names: dict[str, str] = {}
    this_year = last_year = None
    rows: dict[str, Mapping[str, object]] | None = None
    previous: dict[str, Mapping[str, object]] = {}
    if counties is not None:
        frame = counties.frame
        this_year = frame.filter(pl.col("year") == year)
        last_year = frame.filter(pl.col("year") == year - 1)
        rows = {r["county"]: r for r in this_year.to_dicts()}
        previous = {r["county"]: r for r in last_year.to_dicts()}
        names |= {c: str(r["county_name"]) for c, r in rows.items() if r.get("county_name")}
    names |= dict(county_names or {})
    # Names of provinces and cities (codes ending in 00) label nothing to evaluate.
    expected = {c for c in county_names or {} if not c.endswith("00")}
    excluded: dict[str, list[ExcludedSchool]] = {}
    for sid, name, county, kind, students, reason in schools.excluded.iter_rows():
        excluded.setdefault(county, []).append(ExcludedSchool(sid, name, kind, students, reason))
    all_codes = tuple(sorted(set(codes) | set(rows or {}) | expected | set(excluded)))
    return Evaluation(
        year=year,
        thresholds=t,
        county_codes=all_codes,
        names=names,
        high_myopia=high_myopia,
        school_arrays=arrays,
        county_rows=rows,
        previous_rows=previous,
        excluded={c: tuple(v) for c, v in excluded.items()},
        county_frame=this_year,
        previous_frame=last_year,
    )
