"""Draft problem statements from failed indicators, in the register of a feedback letter.

A finding opens with the official sentence, as the sample letter words it ("部分义务教育学校
生均体育运动场馆面积、生均教学及辅助用房面积不足"), then gives the facts that make it
concrete: per level how many schools and which (the worst few by name, "等N所" beyond),
the worst gap (value, standard, shortfall) and the county's CV against its limit.
Indicators of one `group` that fail together become one finding; within a group the
indicator with more schools below standard comes first.

The official rule (教督〔2017〕6号, STANDARDS.md §2.1): a school meets the resource standard
when at least 6 of the 7 indicators reach it and the rest are no lower than 85 % of it. A
school below standard on one indicator but within that allowance is not a problem: it is a
"风险提示" (a risk), drafted separately (`draft_risks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from dudao.engine.display import plain, shown, threshold_text, value_text
from dudao.engine.indicators import LEVEL_NAMES, Indicator, Level, framework
from dudao.engine.results import Finding, IndicatorResult, LevelResult, SchoolValue

CLASS_LIMITS = {"primary": 45, "junior": 50}
NAMED = 3  # schools named in a statement before "等N所"
RULE_TEXT = "“7项指标至少6项达标、其余不低于标准85%”"


class ResourceHit(NamedTuple):
    """A resource indicator's result at one level, as the findings and risks draw on it
    (it has schools failing or within the allowance): its counts and its words, drafted
    already. `resource_hit` makes one from an `IndicatorResult`; the writers make them a
    block of counties at a time, from the engine's arrays (`prepare.py`)."""

    key: str
    level: Level
    threshold: float
    failing_count: int
    allowed_count: int
    facts: str  # `level_facts`, when schools fail
    allowed_listed: str  # `listed` of the schools within the allowance, when there are any
    evidence: Mapping[str, object]  # `result_evidence`


Hit = IndicatorResult | ResourceHit


def resource_hit(ind: Indicator, r: IndicatorResult) -> ResourceHit:
    allowed = school_list(r.schools_allowed, r.allowed_count, ind) if r.allowed_count else ""
    return ResourceHit(
        r.key,
        r.level,
        r.threshold,
        r.failing_count,
        r.allowed_count,
        _resource_level(ind, r, allowed) if r.failing_count else "",
        allowed,
        result_evidence(r),
    )


def _below(r: Hit) -> int:
    """Schools that make the indicator a problem: below standard and, for the resource
    indicators, failing the 6-of-7 rule."""
    return r.failing_count if isinstance(r, ResourceHit) else r.below


@cache
def _resource_keys() -> frozenset[str]:
    return frozenset(i.key for i in framework().indicators if i.kind == "school_resource")


def names(inds: Sequence[Indicator], joiner: str) -> str:
    """Indicator names joined; a name holding the joiner (体育、艺术) is quoted, so the
    list reads unambiguously: …教师数、“每百名学生拥有体育、艺术（美术、音乐）专任教师数”."""
    return joiner.join(f"“{i.name}”" if joiner in i.name else i.name for i in inds)


def school_list(schools: Sequence[SchoolValue], total: int, ind: Indicator | None) -> str:
    """ "甲校5.85平方米、乙校6.15平方米等4所": the worst few, with their values."""
    named = schools[:NAMED]
    return listed([s.name + (value_text(ind, s.value) if ind else "") for s in named], total)


def listed(parts: Sequence[str], total: int) -> str:
    """The first few of `total` schools (each as `parts` words it), "等N所" for the rest."""
    named = parts[:NAMED]
    return "、".join(named) + (f"等{total}所" if total > len(named) else "")


N = TypeVar("N", float, "npt.NDArray[np.float64]")


def gap_of(ind: Indicator, value: N, threshold: float) -> N:
    """How far `value` falls short of `threshold` (for many values at once, too)."""
    return threshold - value if ind.comparison == ">=" else value - threshold


def gap_unit(ind: Indicator) -> str:
    return "个百分点" if ind.unit == "%" else ind.unit if ind.unit in {"平方米", "元"} else ""


def _resource_level(ind: Indicator, r: IndicatorResult, allowed_listed: str) -> str:
    worst = r.schools_failing[0]
    cv = None
    if r.cv is not None and r.cv_limit is not None:
        cv = shown(r.cv, 3, r.cv_limit, "<=")
    return level_facts(
        LEVEL_NAMES[r.level],
        r.failing_count,
        school_list(r.schools_failing, r.failing_count, ind),
        value_text(ind, worst.value, r.threshold),
        threshold_text(ind, r.threshold),
        shown(gap_of(ind, worst.value, r.threshold), ind.decimals) + gap_unit(ind),
        r.allowed_count,
        allowed_listed,
        cv,
        r.cv_passed is False,
        plain(r.cv_limit) if r.cv_limit is not None else "",
    )


def level_facts(
    level: str,
    failing: int,
    failing_listed: str,
    worst: str,
    standard: str,
    gap: str,
    allowed: int,
    allowed_listed: str,
    cv: str | None,
    cv_over: bool,
    cv_limit: str,
) -> str:
    """A resource indicator's facts at one level, from its numbers as printed: how many
    schools fail and which, the worst gap, those within the allowance, the county's CV."""
    facts = [
        f"{level}{failing}所学校低于标准（{failing_listed}）",
        f"最低{worst}，标准{standard}，差{gap}",
    ]
    if allowed:
        facts.append(f"另有{allowed}所低于标准但在85%允许范围内（{allowed_listed}，风险提示）")
    if cv is not None:
        facts.append(f"县域差异系数{cv}，{'超过' if cv_over else '未超过'}{cv_limit}")
    return "，".join(facts)


def _resource_facts(ind: Indicator, results: Sequence[Hit]) -> str:
    levels = [r.facts for r in results if isinstance(r, ResourceHit) and r.failing_count]
    return f"{ind.name}：" + "；".join(levels)


def _results(results: Sequence[Hit]) -> list[IndicatorResult]:
    """The results of an indicator other than the resource ones, as they are."""
    return [r for r in results if isinstance(r, IndicatorResult)]


def _details(ind: Indicator, results: Sequence[Hit]) -> list[str]:
    fw = framework()
    out: list[str] = []
    for r in _results(results):
        level = LEVEL_NAMES[r.level] if r.level in {"primary", "junior"} else ""
        if ind.kind == "school_rule":
            listed = school_list(r.schools_below or (), r.below, None)
            out.append(f"{level}{r.below}所未达到{RULE_TEXT}的要求：{listed}")
        elif ind.kind == "balance_cv":
            for key, cv, limit in r.details.get("failing_cvs", ()):  # type: ignore[attr-defined]
                value = shown(cv, ind.decimals, limit, "<=")
                out.append(f"{level}{fw.get(key).name}差异系数{value}，超过{plain(limit)}")
        elif ind.kind == "class_size":
            listed = school_list(r.schools_below or (), r.below, None)
            out.append(
                ind.detail.format(
                    level=level,
                    limit=CLASS_LIMITS[r.level],
                    over=int(r.details.get("over_classes", 0)),  # type: ignore[call-overload]
                    value=value_text(ind, r.value or 0.0, r.threshold),
                )
                + f"，涉及{listed}"
            )
        else:
            out.append(
                ind.detail.format(
                    name=ind.name,
                    value=value_text(ind, r.value or 0.0, r.threshold),
                    threshold=threshold_text(ind, r.threshold),
                )
            )
    return out


def _statement(ind: Indicator, results: Sequence[Hit]) -> str:
    if ind.kind == "school_resource":
        return f"部分义务教育学校{ind.name}不足。{_resource_facts(ind, results)}。"
    first = _results(results)[0]
    value = first.value
    if ind.kind == "school_rule":
        opening = "义务教育优质均衡发展存在短板，部分学校资源配置未达标"
        return f"{opening}（{'；'.join(_details(ind, results))}）"
    return ind.statement.format(
        name=ind.name,
        counts="",
        details="；".join(_details(ind, results)),
        value=value_text(ind, value, first.threshold) if value is not None else "",
        threshold=threshold_text(ind, first.threshold),
    )


def _evidence(year: int, failing: Sequence[tuple[Indicator, Sequence[Hit]]]) -> dict[str, object]:
    indicators: dict[str, object] = {}
    for ind, results in failing:
        indicators[ind.key] = {
            r.level: r.evidence if isinstance(r, ResourceHit) else result_evidence(r)
            for r in results
        }
    return {"year": year, "indicators": indicators}


def _schools(schools: Sequence[SchoolValue]) -> list[dict[str, object]]:
    return [{"id": s.school_id, "name": s.name, "value": s.value} for s in schools]


def result_evidence(r: IndicatorResult) -> dict[str, object]:
    if r.key in _resource_keys() and r.schools_below is not None:
        out = resource_evidence(
            r.value,
            r.threshold,
            r.comparison,
            r.unit,
            r.cv,
            r.cv_limit,
            r.schools,
            r.below,
            _schools(r.schools_below),
            r.failing_count,
            _schools(r.schools_failing),
            r.allowed_count,
        )
        return out | dict(r.details)
    out = _evidence_head(r.value, r.threshold, r.comparison, r.unit, r.cv, r.cv_limit)
    if r.schools_below is not None:
        out |= {
            "schools": r.schools,
            "schools_below_count": r.below,
            "schools_below": _schools(r.schools_below),
        }
    if r.key in _resource_keys():
        out |= {
            "schools_failing_count": r.failing_count,
            "schools_failing": _schools(r.schools_failing),
            "schools_allowed_count": r.allowed_count,
        }
    return out | dict(r.details)


def _evidence_head(
    value: float | None,
    threshold: float,
    comparison: str,
    unit: str,
    cv: float | None,
    cv_limit: float | None,
) -> dict[str, object]:
    out: dict[str, object] = {
        "value": value,
        "threshold": threshold,
        "comparison": comparison,
        "unit": unit,
    }
    if cv is not None:
        out["cv"] = cv
        out["cv_limit"] = cv_limit
    return out


def resource_evidence(
    value: float | None,
    threshold: float,
    comparison: str,
    unit: str,
    cv: float | None,
    cv_limit: float | None,
    schools: int | None,
    below_count: int,
    below: object,
    failing_count: int,
    failing: object,
    allowed_count: int,
) -> dict[str, object]:
    """A resource indicator's evidence (`result_evidence`) from its parts; `below` and
    `failing` are the lists of the worst schools (`{"id", "name", "value"}`)."""
    out = _evidence_head(value, threshold, comparison, unit, cv, cv_limit)
    out["schools"] = schools
    out["schools_below_count"] = below_count
    out["schools_below"] = below
    out["schools_failing_count"] = failing_count
    out["schools_failing"] = failing
    out["schools_allowed_count"] = allowed_count
    return out


def hits(
    levels: Sequence[LevelResult], resources: Iterable[ResourceHit] | None = None
) -> list[Hit]:
    """What the findings and risks draw on, in level order: the resource results with
    schools failing or within the allowance (as `ResourceHit`s: `resources`, when given,
    in place of those of `levels`) and the other results that fail."""
    keys = _resource_keys()
    out: list[Hit] = []
    if resources is not None:
        out += resources
    fw = framework()
    for lv in levels:
        for key, r in lv.indicators.items():
            if key not in keys:
                if r.passed is False:
                    out.append(r)
            elif resources is None and (r.failing_count or r.allowed_count):
                out.append(resource_hit(fw.get(key), r))
    return out


def _failing(
    hits: Iterable[Hit],
) -> tuple[dict[str, list[Hit]], dict[str, list[ResourceHit]]]:
    """The results that make a problem, and those that make a risk, per indicator (each in
    the order of `hits`: level order)."""
    problems: dict[str, list[Hit]] = {}
    allowed: dict[str, list[ResourceHit]] = {}
    for r in hits:
        if isinstance(r, ResourceHit):
            if r.failing_count:
                problems.setdefault(r.key, []).append(r)
            if r.allowed_count:
                allowed.setdefault(r.key, []).append(r)
        elif r.passed is False:
            problems.setdefault(r.key, []).append(r)
    # a risk only where the indicator is not already a problem
    return problems, {key: rs for key, rs in allowed.items() if key not in problems}


def draft(
    levels: Sequence[LevelResult], year: int, resources: Iterable[ResourceHit] | None = None
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """The findings and risks of a county's `levels` (with `resources`, its resource
    results drafted already: see `hits`)."""
    problems, risks = _failing(hits(levels, resources))
    return _draft_findings(problems, year), _draft_risks(risks, year)


def draft_findings(levels: Sequence[LevelResult], year: int) -> tuple[Finding, ...]:
    return _draft_findings(_failing(hits(levels))[0], year)


def draft_risks(levels: Sequence[LevelResult], year: int) -> tuple[Finding, ...]:
    return _draft_risks(_failing(hits(levels))[1], year)


def _draft_findings(failing: Mapping[str, list[Hit]], year: int) -> tuple[Finding, ...]:
    fw = framework()
    buckets: dict[str, list[Indicator]] = {}
    for ind in fw.indicators:  # framework order keeps the findings in a stable order
        if ind.key in failing:
            buckets.setdefault(ind.group or ind.key, []).append(ind)
    findings: list[Finding] = []
    for bucket, inds in buckets.items():
        inds.sort(key=lambda i: (-sum(_below(r) for r in failing[i.key]), i.order))
        members = [(i, failing[i.key]) for i in inds]
        if len(inds) == 1:
            statement = _statement(inds[0], failing[inds[0].key])
        elif all(i.kind == "school_resource" for i in inds):
            group = fw.groups[bucket]
            facts = "。".join(_resource_facts(i, rs) for i, rs in members)
            statement = f"部分义务教育学校{names(inds, group.joiner)}不足。{facts}。"
        else:
            group = fw.groups[bucket]
            statement = group.statement.format(
                names=names(inds, group.joiner),
                details="；".join(d for i, rs in members for d in _details(i, rs)),
            )
        findings.append(
            Finding(
                indicator=inds[0].key,
                indicators=tuple(i.key for i in inds),
                dimension=inds[0].dimension,
                statement=statement,
                evidence=_evidence(year, members),
            )
        )
    return tuple(findings)


def _draft_risks(failing: Mapping[str, list[ResourceHit]], year: int) -> tuple[Finding, ...]:
    """风险提示: schools below an indicator's standard but within the 6-of-7 rule's
    allowance, where the indicator is not a problem of the county."""
    fw = framework()
    risks: list[Finding] = []
    for key, results in failing.items():
        ind = fw.get(key)
        parts = []
        for r in results:
            parts.append(f"{LEVEL_NAMES[r.level]}{r.allowed_count}所（{r.allowed_listed}）")
        statement = (
            f"风险提示：{ind.name}低于标准{threshold_text(ind, results[0].threshold)}的学校有"
            + "、".join(parts)
            + f"，仍在{RULE_TEXT}的允许范围内，资源配置达标，建议关注。"
        )
        risks.append(
            Finding(
                indicator=key,
                indicators=(key,),
                dimension=ind.dimension,
                statement=statement,
                evidence=_evidence(year, [(ind, results)]),
            )
        )
    return tuple(risks)
