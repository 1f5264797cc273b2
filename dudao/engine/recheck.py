"""Re-check: does next year's data show a problem fixed?

resolved      every indicator of the problem now passes, at every level
improved      still failing, but no indicator is worse and at least one is better than in
              the previous evaluation (fewer schools below standard, or a value closer to
              the threshold)
not_resolved  otherwise
not_evaluable the problem has no indicator, or the new data cannot judge it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from dudao.engine.display import threshold_text, value_text
from dudao.engine.errors import EngineError
from dudao.engine.evaluation import Evaluation
from dudao.engine.findings import result_evidence
from dudao.engine.indicators import LEVEL_NAMES, framework
from dudao.engine.keywords import indicators_for_statement
from dudao.engine.results import CountyResult, IndicatorResult

Verdict = Literal["resolved", "improved", "not_resolved", "not_evaluable"]


@dataclass(frozen=True)
class ProblemRef:
    """A problem of a round: its id, county code, and either its indicator keys or its
    statement (mapped to keys by `indicators_for_statement`)."""

    id: int | str
    county: str
    indicators: tuple[str, ...] = ()
    statement: str = ""

    def keys(self) -> tuple[str, ...]:
        return self.indicators or tuple(indicators_for_statement(self.statement))


@dataclass(frozen=True)
class Recheck:
    problem_id: int | str
    county: str
    verdict: Verdict
    explanation: str
    indicators: tuple[str, ...]
    numbers: dict[str, object] = field(default_factory=dict)


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
    ind = framework().get(r.key)
    level = LEVEL_NAMES[r.level] if r.level in {"primary", "junior"} else ""
    if r.value is None:
        return f"{level}{ind.name}无法评价（{r.reason}）"
    if r.counts_schools:
        n = r.below
        return f"{level}{ind.name}{'全部学校达标' if n == 0 else f'{n}所学校未达标'}"
    value = value_text(ind, r.value, r.threshold)
    return f"{level}{ind.name}{value}（标准{threshold_text(ind, r.threshold)}）"


def _county(ev: Evaluation | None, code: str) -> CountyResult | None:
    if ev is None:
        return None
    try:
        return ev.county(code)
    except EngineError:
        return None


def _one(problem: ProblemRef, new: Evaluation, old: Evaluation | None) -> Recheck:
    keys = problem.keys()

    def make(
        verdict: Verdict, explanation: str, numbers: dict[str, object] | None = None
    ) -> Recheck:
        return Recheck(problem.id, problem.county, verdict, explanation, keys, numbers or {})

    if not keys:
        why = "该问题没有对应的量化指标，请结合整改材料人工核查。"
        return make("not_evaluable", why)
    now = _county(new, problem.county)
    if now is None:
        why = f"{new.year}年度数据中没有该区县，无法复核。"
        return make("not_evaluable", why)
    before = _county(old, problem.county)
    results = [r for k in keys for r in now.results_for(k) if r.evaluable]
    if not results:
        why = f"{new.year}年度数据无法评价该问题的指标（缺少数据），请补充数据后复核。"
        return make("not_evaluable", why)
    numbers: dict[str, object] = {}
    better = worse = False
    for r in results:
        entry: dict[str, object] = {"new": result_evidence(r), "passed": r.passed}
        prev = (
            next((p for p in before.results_for(r.key) if p.level == r.level), None)
            if before
            else None
        )
        if prev is not None and prev.evaluable:
            entry["old"] = result_evidence(prev)
            better |= shortfall(r) < shortfall(prev)
            worse |= shortfall(r) > shortfall(prev)
        numbers.setdefault(r.key, {})[r.level] = entry  # type: ignore[index]
    text = "；".join(_summary(r) for r in results)
    if all(r.passed for r in results):
        verdict: Verdict = "resolved"
        explanation = f"按{new.year}年度数据，相关指标均已达标：{text}。"
    elif better and not worse:
        verdict = "improved"
        explanation = (
            f"按{new.year}年度数据，较{old.year if old else ''}年度有所改善，但仍未达标：{text}。"
        )
    else:
        verdict = "not_resolved"
        compare = "" if before is not None else "（无上一轮数据可比）"
        explanation = f"按{new.year}年度数据，问题仍未解决{compare}：{text}。"
    return make(verdict, explanation, numbers)


def recheck(
    problems: Sequence[ProblemRef], new: Evaluation, old: Evaluation | None = None
) -> list[Recheck]:
    """Judge each problem against the new evaluation (and the old one, for "improved")."""
    return [_one(p, new, old) for p in problems]
