"""What the engine hands back: frozen dataclasses, one county at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dudao.engine.indicators import Indicator, Level


@dataclass(frozen=True)
class SchoolValue:
    school_id: str
    name: str
    value: float
    within_standard: bool = False  # set by Evaluation.school_values
    problem: bool = False  # below and, for a resource indicator, failing the 6-of-7 rule


@dataclass(frozen=True)
class ExcludedSchool:
    """A school left out of the evaluation by the method's scope, and why."""

    school_id: str
    name: str
    school_type: str
    students: int
    reason: str


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator for one county and level. `passed` is None when the indicator could
    not be evaluated; `reason` then says why, in Chinese.

    For the seven resource indicators `passed` means every school meets the standard
    (`schools_below` is empty); the CV is judged separately (`cv_passed`, and the
    `balance_cv` indicator). `value` is the county value Σ quantity / Σ students."""

    key: str
    name: str
    level: Level
    unit: str
    value: float | None
    threshold: float
    comparison: str
    passed: bool | None
    reason: str | None = None
    cv: float | None = None
    cv_limit: float | None = None
    cv_passed: bool | None = None
    schools_below: tuple[SchoolValue, ...] | None = None
    schools: int | None = None  # schools with students, when judged per school
    details: Mapping[str, object] = field(default_factory=dict)
    # all schools below standard; `schools_below` (worst first) may list only the first few
    below_count: int | None = None
    # resource indicators: the schools below standard that fail the 6-of-7 rule (a problem)
    # and those that meet it, within the 85 % allowance (a risk), worst first, with counts
    schools_failing: tuple[SchoolValue, ...] = ()
    failing_count: int = 0
    schools_allowed: tuple[SchoolValue, ...] = ()
    allowed_count: int = 0

    @classmethod
    def of(
        cls,
        ind: Indicator,
        level: Level,
        threshold: float,
        value: float | None,
        passed: bool | None,
        **rest: Any,
    ) -> IndicatorResult:
        """The result of `ind`, its key, name, unit and comparison taken from it."""
        return cls(
            key=ind.key,
            name=ind.name,
            level=level,
            unit=ind.unit,
            value=value,
            threshold=threshold,
            comparison=ind.comparison,
            passed=passed,
            **rest,
        )

    @property
    def below(self) -> int:
        """How many schools are below standard (0 when not judged per school)."""
        if self.below_count is not None:
            return self.below_count
        return len(self.schools_below or ())

    @property
    def evaluable(self) -> bool:
        return self.passed is not None

    @property
    def counts_schools(self) -> bool:
        """Whether the result is told by its schools below standard (the resource indicators
        and the 6-of-7 rule) rather than by its value: class size lists its schools with
        large classes but is judged by its share of classes."""
        return self.schools_below is not None and self.key != "class_size_over_share"


@dataclass(frozen=True)
class Finding:
    """A draft problem: `indicator` is the main key, `indicators` all keys it covers."""

    indicator: str
    indicators: tuple[str, ...]
    dimension: str
    statement: str
    evidence: Mapping[str, object]


@dataclass(frozen=True)
class LevelResult:
    level: Level
    evaluable: bool
    reason: str | None
    indicators: Mapping[str, IndicatorResult]


@dataclass(frozen=True)
class CountyResult:
    """A county's results. `levels` are primary, junior (from the school table), preschool
    and county (from the county table). Findings are stated for the county as a whole,
    as a feedback letter states them (one problem covers 小学 and 初中)."""

    code: str
    name: str
    year: int
    levels: tuple[LevelResult, ...]
    findings: tuple[Finding, ...]
    excluded: tuple[ExcludedSchool, ...] = ()
    risks: tuple[Finding, ...] = ()  # 风险提示: below standard, within the 85 % allowance

    def level(self, level: Level) -> LevelResult | None:
        return next((lv for lv in self.levels if lv.level == level), None)

    def results_for(self, key: str) -> tuple[IndicatorResult, ...]:
        """The indicator's results at every level where it was evaluated."""
        return tuple(lv.indicators[key] for lv in self.levels if key in lv.indicators)
