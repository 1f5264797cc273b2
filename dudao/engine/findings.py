"""Draft problem statements from failed indicators, in the register of a feedback letter.

Indicators of one `group` (e.g. sports area and teaching area) that fail together become
one finding, as in the sample letter: "部分义务教育学校生均体育运动场馆面积、生均教学及辅助
用房面积不足". Within a group, the indicator with more schools below standard comes first.
"""

from __future__ import annotations

from collections.abc import Sequence

from dudao.engine.display import fixed, plain, threshold_text, value_text
from dudao.engine.indicators import LEVEL_NAMES, Indicator, framework
from dudao.engine.results import Finding, IndicatorResult, LevelResult

CLASS_LIMITS = {"primary": 45, "junior": 50}


def _below(r: IndicatorResult) -> int:
    return r.below


def _counts(results: Sequence[IndicatorResult]) -> str:
    return "、".join(f"{LEVEL_NAMES[r.level]}{_below(r)}所" for r in results if _below(r))


def _details(ind: Indicator, results: Sequence[IndicatorResult]) -> list[str]:
    fw = framework()
    out: list[str] = []
    if results and results[0].counts_schools:
        return [ind.detail.format(name=ind.name, counts=_counts(results))]
    for r in results:
        level = LEVEL_NAMES[r.level] if r.level in {"primary", "junior"} else ""
        if ind.kind == "balance_cv":
            for key, cv, limit in r.details.get("failing_cvs", ()):  # type: ignore[attr-defined]
                name = fw.get(key).name
                out.append(
                    ind.detail.format(
                        level=level,
                        name=name,
                        value=fixed(cv, ind.decimals),
                        threshold=plain(limit),
                    )
                )
        elif ind.kind == "class_size":
            out.append(
                ind.detail.format(
                    level=level,
                    limit=CLASS_LIMITS[r.level],
                    over=int(r.details.get("over_classes", 0)),  # type: ignore[call-overload]
                    value=value_text(ind, r.value or 0.0),
                )
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
    value = results[0].value
    return ind.statement.format(
        name=ind.name,
        counts=_counts(results),
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
            "schools_below": [
                {"id": s.school_id, "name": s.name, "value": s.value} for s in r.schools_below
            ],
        }
    return out | dict(r.details)


def draft_findings(levels: Sequence[LevelResult], year: int) -> tuple[Finding, ...]:
    fw = framework()
    failing: dict[str, list[IndicatorResult]] = {}
    for lv in levels:
        for key, r in lv.indicators.items():
            if r.passed is False:
                failing.setdefault(key, []).append(r)
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
        else:
            group = fw.groups[bucket]
            statement = group.statement.format(
                names=group.joiner.join(i.name for i in inds),
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
