"""Re-check: does next year's data show a problem fixed?

It follows the schools the problem named (those below standard in the problem's year, at
the problem's level and for its indicators), each one:

(for the resource indicators, the schools that also failed the 6-of-7 rule: those within
its allowance were a risk, not the problem)

fixed      now meets the standard
improved   closer to it, still below
unchanged  the same value
worse      further from it
missing    not in the new data (closed, merged or left out): never counted as fixed

and lists the schools newly below standard separately. County-level indicators (rates)
compare the county value. The verdict:

resolved       every named school fixed, none missing, no new failure, every county-level
               indicator of the problem met
improved       still short, but nothing worse, none missing, no new failure, and at least
               one school or value better
not_resolved   otherwise (something worse, a new failure, or no change)
not_evaluable  no quantitative indicator, no data, or only missing schools left to judge
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from dudao.engine.display import threshold_text, value_text
from dudao.engine.errors import EngineError
from dudao.engine.evaluation import Evaluation
from dudao.engine.findings import result_evidence
from dudao.engine.indicators import LEVEL_NAMES, SCHOOL_LEVELS, Level, framework
from dudao.engine.keywords import indicators_for_statement
from dudao.engine.results import CountyResult, IndicatorResult, SchoolValue

Verdict = Literal["resolved", "improved", "not_resolved", "not_evaluable"]
Status = Literal["fixed", "improved", "unchanged", "worse", "missing", "new"]
STATUS_NAMES: dict[str, str] = {
    "fixed": "已达标",
    "improved": "有改善但仍未达标",
    "unchanged": "无变化",
    "worse": "下降",
    "missing": "不在新数据中",
    "new": "新增未达标",
}
PER_SCHOOL = ("school_rule_share", "class_size_over_share")


@dataclass(frozen=True)
class ProblemRef:
    """A problem of a round: its id, county code, and either its indicator keys or its
    statement (mapped to keys by `indicators_for_statement`). `levels` restricts the
    school levels; by default the statement decides (a problem about 初中 only)."""

    id: int | str
    county: str
    indicators: tuple[str, ...] = ()
    statement: str = ""
    levels: tuple[str, ...] = ()

    def keys(self) -> tuple[str, ...]:
        return self.indicators or tuple(indicators_for_statement(self.statement))

    def school_levels(self) -> tuple[str, ...]:
        if self.levels:
            return self.levels
        primary, junior = "小学" in self.statement, "初中" in self.statement
        if primary != junior:
            return ("primary",) if primary else ("junior",)
        return SCHOOL_LEVELS


@dataclass(frozen=True)
class SchoolCheck:
    """One school named by the problem (or newly below standard), old and new value."""

    school_id: str
    name: str
    indicator: str
    level: str
    status: Status
    old: float | None
    new: float | None
    threshold: float

    @property
    def text(self) -> str:
        ind = framework().get(self.indicator)
        if ind.key == "school_rule_share":

            def show(v: float) -> str:
                return f"{v:.0f}项达标"
        elif ind.key == "class_size_over_share":

            def show(v: float) -> str:
                return f"超标班级{v:.0f}个"
        else:

            def show(v: float) -> str:
                return value_text(ind, v, self.threshold)

        if self.status == "missing":
            return f"{self.name}（{LEVEL_NAMES[self.level]}，原{show(self.old or 0.0)}）"
        if self.status == "new":
            return f"{self.name}（{show(self.new or 0.0)}）"
        return f"{self.name}（{show(self.old or 0.0)}→{show(self.new or 0.0)}）"


@dataclass(frozen=True)
class Recheck:
    problem_id: int | str
    county: str
    verdict: Verdict
    explanation: str
    indicators: tuple[str, ...]
    numbers: dict[str, object] = field(default_factory=dict)
    schools: tuple[SchoolCheck, ...] = ()  # the schools the problem named
    new_failures: tuple[SchoolCheck, ...] = ()
    reasons: tuple[str, ...] = ()


def shortfall(r: IndicatorResult) -> float:
    """How far a result is from passing (0 when it passes): schools below standard for
    per-school indicators, otherwise the distance to the threshold."""
    if r.passed or r.value is None:
        return 0.0
    if r.counts_schools:
        return float(r.below)
    gap = r.threshold - r.value if r.comparison == ">=" else r.value - r.threshold
    return max(gap, 0.0)


def _summary(r: IndicatorResult) -> str:
    """A county-level result as a reviewer notes it: the value, and whether it meets the
    standard, said in words ("仍未达到50%的标准") rather than left to the reader."""
    ind = framework().get(r.key)
    level = LEVEL_NAMES[r.level] if r.level in {"primary", "junior"} else ""
    if r.value is None:
        return f"{level}{ind.name}无法评价（{r.reason}）"
    if r.counts_schools:
        n = r.below
        return f"{level}{ind.name}：{'全部学校达标' if n == 0 else f'{n}所学校未达标'}"
    value = value_text(ind, r.value, r.threshold)
    standard = threshold_text(ind, r.threshold)
    exact = r.passed and abs(r.value - r.threshold) <= 1e-9 * max(1.0, abs(r.threshold))
    if exact and ind.kind != "myopia_decline":
        # exactly the standard: "配备率100%，已达标", not "100.0%，已达到100%的标准"
        return f"{level}{ind.name}{standard}，已达标"
    meets = "已达到" if r.passed else "仍未达到"
    if ind.comparison == "<=" and ind.unit != "ratio":  # a ceiling: 差异系数 ≤ 0.50
        meets = "未超过" if r.passed else "仍超过"
    if ind.kind == "myopia_decline":  # "近视率下降比率下降1.29个百分点" says it twice
        if exact:
            return f"儿童青少年近视率较上年下降{standard}，已达标"
        return f"儿童青少年近视率较上年{value}，{meets}下降{standard}的标准"
    return f"{level}{ind.name}{value}，{meets}{standard}的标准"


def _county(ev: Evaluation | None, code: str) -> CountyResult | None:
    if ev is None:
        return None
    try:
        return ev.county(code)
    except EngineError:
        return None


def _per_school(key: str) -> bool:
    return key in PER_SCHOOL or framework().get(key).kind == "school_resource"


def _status(old: SchoolValue, new: SchoolValue | None, higher_is_better: bool) -> Status:
    if new is None:
        return "missing"
    if new.within_standard:
        return "fixed"
    if abs(new.value - old.value) <= 1e-9 * max(1.0, abs(old.value)):
        return "unchanged"
    better = new.value > old.value if higher_is_better else new.value < old.value
    return "improved" if better else "worse"


def _follow(
    key: str, level: Level, code: str, new: Evaluation, old: Evaluation, threshold: float
) -> tuple[list[SchoolCheck], list[SchoolCheck]]:
    """The schools below standard in `old`, followed into `new`; and the new failures."""
    before = old.school_values(code, level, key)
    after = new.school_values(code, level, key)
    higher = key != "class_size_over_share"
    named = [s for s in before.values() if s.problem]
    named.sort(key=lambda s: s.value if higher else -s.value)
    checks = []
    for s in named:
        now = after.get(s.school_id)
        checks.append(
            SchoolCheck(
                s.school_id,
                s.name,
                key,
                level,
                _status(s, now, higher),
                s.value,
                None if now is None else now.value,
                threshold,
            )
        )
    old_ids = {s.school_id for s in named}
    fresh = [
        SchoolCheck(s.school_id, s.name, key, level, "new", None, s.value, threshold)
        for s in after.values()
        if s.problem and s.school_id not in old_ids
    ]
    return checks, fresh


def _listing(checks: Sequence[SchoolCheck], status: Status) -> str | None:
    picked = [c for c in checks if c.status == status]
    if not picked:
        return None
    by_indicator: dict[tuple[str, str], list[SchoolCheck]] = {}
    for c in picked:
        by_indicator.setdefault((c.indicator, c.level), []).append(c)
    parts = []
    for (key, level), group in by_indicator.items():
        names = "、".join(c.text for c in group)
        # "资源配置达标学校占比" is the county's measure; for one school it is its 7 indicators
        name = "资源配置7项指标" if key == "school_rule_share" else framework().get(key).name
        said = f"{LEVEL_NAMES[level]}{name}{STATUS_NAMES[status]}的学校"
        parts.append(f"{said}{len(group)}所：{names}")
    return "；".join(parts)


def _one(problem: ProblemRef, new: Evaluation, old: Evaluation | None) -> Recheck:
    keys = problem.keys()
    levels = problem.school_levels()

    def make(verdict: Verdict, explanation: str, **more: object) -> Recheck:
        return Recheck(problem.id, problem.county, verdict, explanation, keys, **more)  # type: ignore[arg-type]

    if not keys:
        return make("not_evaluable", "该问题没有对应的量化指标，请结合整改材料人工核查。")
    now = _county(new, problem.county)
    if now is None:
        return make("not_evaluable", f"{new.year}年度数据中没有该区县，无法复核。")
    before = _county(old, problem.county)
    results = [
        r
        for k in keys
        for r in now.results_for(k)
        if r.evaluable and (r.level not in SCHOOL_LEVELS or r.level in levels)
    ]
    if not results:
        why = f"{new.year}年度数据无法评价该问题的指标（缺少数据），请补充数据后复核。"
        return make("not_evaluable", why)
    numbers: dict[str, object] = {}
    schools: list[SchoolCheck] = []
    fresh: list[SchoolCheck] = []
    better = worse = False
    county_ok = True
    for r in results:
        entry: dict[str, object] = {"new": result_evidence(r), "passed": r.passed}
        prev = (
            next((p for p in before.results_for(r.key) if p.level == r.level), None)
            if before
            else None
        )
        if prev is not None and prev.evaluable:
            entry["old"] = result_evidence(prev)
        numbers.setdefault(r.key, {})[r.level] = entry  # type: ignore[index]
        if _per_school(r.key) and old is not None and before is not None:
            level: Level = r.level
            checks, added = _follow(r.key, level, problem.county, new, old, r.threshold)
            schools += checks
            fresh += added
        elif prev is not None and prev.evaluable:
            better |= shortfall(r) < shortfall(prev)
            worse |= shortfall(r) > shortfall(prev)
            county_ok &= bool(r.passed)
        else:
            county_ok &= bool(r.passed)
    status = {c.status for c in schools}
    reasons = [
        text
        for s in ("fixed", "improved", "unchanged", "worse", "missing")
        if (text := _listing(schools, s)) is not None  # type: ignore[arg-type]
    ]
    if fresh:
        reasons.append(_listing(fresh, "new") or "")
    county_results = [r for r in results if not _per_school(r.key)]
    if county_results:
        reasons.append("；".join(_summary(r) for r in county_results))
    text = "。".join(reasons)
    better |= bool(status & {"fixed", "improved"})
    worse |= bool(status & {"worse"}) or bool(fresh)
    if old is None or before is None:
        if all(r.passed for r in results):
            verdict: Verdict = "resolved"
            explanation = f"按{new.year}年度数据，相关指标均已达标：{text}。"
        else:
            verdict = "not_resolved"
            summary = "；".join(_summary(r) for r in results)
            explanation = f"按{new.year}年度数据，问题仍未解决（无上一轮数据可比）：{summary}。"
            reasons = [summary]
    elif "missing" in status and not (worse or status & {"improved", "unchanged"}):
        verdict = "not_evaluable"
        explanation = (
            f"有学校不在{new.year}年度数据中，无法确认已整改（可能已撤并或漏报，请核实）。{text}。"
        )
    elif status <= {"fixed"} and not fresh and county_ok and all(r.passed for r in results):
        verdict = "resolved"
        explanation = f"按{new.year}年度数据，问题所列学校和指标均已达标。{text}。"
    elif better and not worse and "missing" not in status:
        verdict = "improved"
        explanation = f"按{new.year}年度数据，较{old.year}年度有所改善，但仍未达标。{text}。"
    else:
        verdict = "not_resolved"
        explanation = f"按{new.year}年度数据，问题仍未解决。{text}。"
    return make(
        verdict,
        explanation,
        numbers=numbers,
        schools=tuple(schools),
        new_failures=tuple(fresh),
        reasons=tuple(reasons),
    )


def recheck(
    problems: Sequence[ProblemRef], new: Evaluation, old: Evaluation | None = None
) -> list[Recheck]:
    """Judge each problem against the new evaluation (and the old one, to follow its
    schools and to tell "improved")."""
    return [_one(p, new, old) for p in problems]
