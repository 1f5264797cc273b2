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

from collections.abc import Sequence
from functools import cache
from typing import Literal

from dudao.engine.display import plain, shown, threshold_text, value_text
from dudao.engine.indicators import LEVEL_NAMES, Indicator, framework
from dudao.engine.results import Finding, IndicatorResult, LevelResult, SchoolValue

CLASS_LIMITS = {"primary": 45, "junior": 50}
NAMED = 3  # schools named in a statement before "等N所"
RULE_TEXT = "“7项指标至少6项达标、其余不低于标准85%”"


def _below(r: IndicatorResult) -> int:
    """Schools that make the indicator a problem: below standard and, for the resource
    indicators, failing the 6-of-7 rule."""
    return r.failing_count if r.key in _resource_keys() else r.below


@cache
def _resource_keys() -> frozenset[str]:
    return frozenset(i.key for i in framework().indicators if i.kind == "school_resource")


def names(inds: Sequence[Indicator], joiner: str) -> str:
    """Indicator names joined; a name holding the joiner (体育、艺术) is quoted, so the
    list reads unambiguously: …教师数、“每百名学生拥有体育、艺术（美术、音乐）专任教师数”."""
    return joiner.join(f"“{i.name}”" if joiner in i.name else i.name for i in inds)


def school_list(schools: Sequence[SchoolValue], total: int, ind: Indicator | None) -> str:
    """ "甲校5.85平方米、乙校6.15平方米等4所": the worst few, with their values."""
    shown_schools = schools[:NAMED]
    parts = [s.name + (value_text(ind, s.value) if ind is not None else "") for s in shown_schools]
    text = "、".join(parts)
    return text + (f"等{total}所" if total > len(shown_schools) else "")


def _gap(ind: Indicator, value: float, threshold: float) -> str:
    gap = threshold - value if ind.comparison == ">=" else value - threshold
    unit = "个百分点" if ind.unit == "%" else ind.unit if ind.unit in {"平方米", "元"} else ""
    return f"{shown(gap, ind.decimals)}{unit}"


def _resource_level(ind: Indicator, r: IndicatorResult) -> str:
    level = LEVEL_NAMES[r.level]
    n = r.failing_count
    worst = r.schools_failing[0]
    facts = [
        f"{level}{n}所学校低于标准（{school_list(r.schools_failing, n, ind)}）",
        f"最低{value_text(ind, worst.value, r.threshold)}，标准{threshold_text(ind, r.threshold)}，"
        f"差{_gap(ind, worst.value, r.threshold)}",
    ]
    if r.allowed_count:
        listed = school_list(r.schools_allowed, r.allowed_count, ind)
        facts.append(f"另有{r.allowed_count}所低于标准但在85%允许范围内（{listed}，风险提示）")
    if r.cv is not None and r.cv_limit is not None:
        cv = shown(r.cv, 3, r.cv_limit, "<=")
        word = "超过" if r.cv_passed is False else "未超过"
        facts.append(f"县域差异系数{cv}，{word}{plain(r.cv_limit)}")
    return "，".join(facts)


def _resource_facts(ind: Indicator, results: Sequence[IndicatorResult]) -> str:
    levels = [_resource_level(ind, r) for r in results if r.failing_count]
    return f"{ind.name}：" + "；".join(levels)


def _details(ind: Indicator, results: Sequence[IndicatorResult]) -> list[str]:
    fw = framework()
    out: list[str] = []
    for r in results:
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


def _statement(ind: Indicator, results: Sequence[IndicatorResult]) -> str:
    if ind.kind == "school_resource":
        return f"部分义务教育学校{ind.name}不足。{_resource_facts(ind, results)}。"
    value = results[0].value
    if ind.kind == "school_rule":
        opening = "义务教育优质均衡发展存在短板，部分学校资源配置未达标"
        return f"{opening}（{'；'.join(_details(ind, results))}）"
    return ind.statement.format(
        name=ind.name,
        counts="",
        details="；".join(_details(ind, results)),
        value=value_text(ind, value, results[0].threshold) if value is not None else "",
        threshold=threshold_text(ind, results[0].threshold),
    )


def _evidence(
    year: int, failing: Sequence[tuple[Indicator, list[IndicatorResult]]]
) -> dict[str, object]:
    indicators: dict[str, object] = {}
    for ind, results in failing:
        indicators[ind.key] = {r.level: result_evidence(r) for r in results}
    return {"year": year, "indicators": indicators}


def _schools(schools: Sequence[SchoolValue]) -> list[dict[str, object]]:
    return [{"id": s.school_id, "name": s.name, "value": s.value} for s in schools]


def result_evidence(r: IndicatorResult) -> dict[str, object]:
    out: dict[str, object] = {
        "value": r.value,
        "threshold": r.threshold,
        "comparison": r.comparison,
        "unit": r.unit,
    }
    if r.cv is not None:
        out |= {"cv": r.cv, "cv_limit": r.cv_limit}
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


def _failing(
    levels: Sequence[LevelResult], kind: Literal["problem", "risk"]
) -> dict[str, list[IndicatorResult]]:
    """The results that make a problem (or a risk), per indicator."""
    resources = _resource_keys()
    out: dict[str, list[IndicatorResult]] = {}
    for lv in levels:
        for key, r in lv.indicators.items():
            if _is_problem(r) if kind == "problem" else key in resources and r.allowed_count:
                out.setdefault(key, []).append(r)
    if kind == "risk":  # a risk only where the indicator is not already a problem
        out = {
            key: results
            for key, results in out.items()
            if not any(_is_problem(lv.indicators[key]) for lv in levels if key in lv.indicators)
        }
    return out


def _is_problem(r: IndicatorResult) -> bool:
    return r.failing_count > 0 if r.key in _resource_keys() else r.passed is False


def draft_findings(levels: Sequence[LevelResult], year: int) -> tuple[Finding, ...]:
    fw = framework()
    failing = _failing(levels, "problem")
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


def draft_risks(levels: Sequence[LevelResult], year: int) -> tuple[Finding, ...]:
    """风险提示: schools below an indicator's standard but within the 6-of-7 rule's
    allowance, where the indicator is not a problem of the county."""
    fw = framework()
    risks: list[Finding] = []
    for key, results in _failing(levels, "risk").items():
        ind = fw.get(key)
        parts = []
        for r in results:
            listed = school_list(r.schools_allowed, r.allowed_count, ind)
            parts.append(f"{LEVEL_NAMES[r.level]}{r.allowed_count}所（{listed}）")
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
