"""Evaluation -> JSON-ready dict, in the shape the CLI prints and the web side stores:

{"counties": [{"code", "name", "level", "indicators": {key: {"value", "threshold", "passed",
"cv", "cv_limit", "schools_below"}}, "findings": [{"indicator", "dimension", "statement",
"evidence"}]}]}

One entry per county and level (primary, junior, preschool, county). A county's findings
are listed once, on its "county" entry, since one finding may cover both 小学 and 初中.
"""

from __future__ import annotations

from typing import Any

from dudao.engine.evaluation import Evaluation
from dudao.engine.indicators import LEVEL_NAMES
from dudao.engine.results import CountyResult, ExcludedSchool, Finding, IndicatorResult


def indicator_to_dict(r: IndicatorResult) -> dict[str, Any]:
    below: dict[str, Any] | None = None
    if r.schools_below is not None:
        below = {
            "count": r.below,
            "schools": [
                {"id": s.school_id, "name": s.name, "value": s.value} for s in r.schools_below
            ],
        }
    return {
        "name": r.name,
        "unit": r.unit,
        "value": r.value,
        "threshold": r.threshold,
        "comparison": r.comparison,
        "passed": r.passed,
        "evaluable": r.evaluable,
        "reason": r.reason,
        "cv": r.cv,
        "cv_limit": r.cv_limit,
        "cv_passed": r.cv_passed,
        "schools": r.schools,
        "schools_below": below,
    }


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "indicator": f.indicator,
        "indicators": list(f.indicators),
        "dimension": f.dimension,
        "statement": f.statement,
        "evidence": f.evidence,
    }


def excluded_to_dict(e: ExcludedSchool) -> dict[str, Any]:
    return {
        "id": e.school_id,
        "name": e.name,
        "type": e.school_type,
        "students": e.students,
        "reason": e.reason,
    }


def county_to_dicts(c: CountyResult) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "year": c.year,
            "level": lv.level,
            "level_name": LEVEL_NAMES[lv.level],
            "evaluable": lv.evaluable,
            "reason": lv.reason,
            "indicators": {k: indicator_to_dict(r) for k, r in lv.indicators.items()},
            "findings": [finding_to_dict(f) for f in c.findings] if lv.level == "county" else [],
            "risks": [finding_to_dict(f) for f in c.risks] if lv.level == "county" else [],
            "excluded": [excluded_to_dict(e) for e in c.excluded] if lv.level == "county" else [],
        }
        for lv in c.levels
    ]


def evaluation_to_dict(ev: Evaluation) -> dict[str, Any]:
    return {"counties": [entry for c in ev.counties() for entry in county_to_dicts(c)]}
