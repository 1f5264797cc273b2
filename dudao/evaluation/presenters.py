"""Stored results -> what the pages show: charts, the pass/fail table, evidence lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.engine import framework
from dudao.engine.compute import RESOURCE_QUANTITIES
from dudao.engine.display import threshold_text, value_text
from dudao.engine.indicators import LEVEL_NAMES
from dudao.evaluation.charts import Bar, Dot, bar_chart, strip_chart
from dudao.evaluation.forms import ThresholdInfo, threshold_info
from dudao.evaluation.models import EvaluationRun, Finding, RunCounty, ThresholdOverride

LEVEL_ORDER = ("primary", "junior", "preschool", "county")
SIGN = {">=": "≥", "<=": "≤"}


def value_display(key: str, value: object) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return value_text(framework().get(key), float(value))


def threshold_display(key: str, comparison: str, threshold: object) -> str:
    if not isinstance(threshold, int | float):
        return "—"
    return SIGN.get(comparison, "") + threshold_text(framework().get(key), float(threshold))


@dataclass(frozen=True)
class Cell:
    passed: bool | None
    text: str


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]


def _row_keys(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    present = {k for county in summary.values() for k in county["cells"]}
    order = {ind.key: ind.order for ind in framework().indicators}
    keys = [(k.split(".", 1)[0], k.split(".", 1)[1]) for k in present]
    return sorted(keys, key=lambda kl: (LEVEL_ORDER.index(kl[1]), order.get(kl[0], 999)))


def run_overview(run: EvaluationRun) -> dict[str, Any]:
    summary: Mapping[str, Any] = run.summary
    codes = sorted(summary)
    names = [summary[c]["name"] for c in codes]
    charts: list[tuple[str, list[SafeString]]] = []
    for level in ("primary", "junior"):
        level_charts = []
        for key in RESOURCE_QUANTITIES:
            cells = [summary[c]["cells"].get(f"{key}.{level}") for c in codes]
            limits = Counter(c["cv_limit"] for c in cells if c and c["cv_limit"] is not None)
            if not limits:
                continue
            bars = [
                Bar(name, c["cv"] if c else None, c["cv_passed"] if c else None)
                for name, c in zip(names, cells, strict=True)
            ]
            title = f"{framework().get(key).name}差异系数"
            level_charts.append(bar_chart(title, bars, limits.most_common(1)[0][0]))
        if level_charts:
            charts.append((LEVEL_NAMES[level], level_charts))
    rows = []
    for key, level in _row_keys(summary):
        cells = []
        for code in codes:
            cell = summary[code]["cells"].get(f"{key}.{level}")
            if cell is None:
                cells.append(Cell(None, ""))
                continue
            text = value_display(key, cell["value"])
            if cell.get("below"):
                text += f"（{cell['below']}所低于标准）"
            cells.append(Cell(cell["passed"], text))
        rows.append(TableRow(f"{LEVEL_NAMES[level]}·{framework().get(key).name}", cells))
    counties = [
        (
            c,
            summary[c]["name"],
            summary[c]["findings"],
            len(summary[c].get("risks", [])),
            len(summary[c].get("excluded", [])),
        )
        for c in codes
    ]
    notes = [
        CountyNotes(
            c,
            summary[c]["name"],
            list(summary[c].get("risks", [])),
            [(e["name"], e["reason"]) for e in summary[c].get("excluded", [])],
        )
        for c in codes
    ]
    return {
        "run": run,
        "charts": charts,
        "names": names,
        "rows": rows,
        "counties": counties,
        "notes": [n for n in notes if n.risks or n.excluded],
    }


@dataclass(frozen=True)
class CountyNotes:
    """What a county's run says besides its findings: 风险提示 (schools below a standard
    but within the 85 % allowance: not a problem) and schools left out of the evaluation."""

    code: str
    name: str
    risks: list[str]
    excluded: list[tuple[str, str]]  # (school name, why)


@dataclass(frozen=True)
class IndicatorLine:
    level: str
    name: str
    value: str
    threshold: str
    passed: bool | None
    reason: str
    cv: str


def _below_ids(result: Mapping[str, Any]) -> set[str]:
    below = result.get("schools_below") or {}
    return {s["id"] for s in below.get("schools", [])}


def county_page(
    run: EvaluationRun, county: RunCounty, findings: Sequence[Finding]
) -> dict[str, Any]:
    strips: list[tuple[str, list[SafeString]]] = []
    lines: list[IndicatorLine] = []
    below: list[tuple[str, str, list[dict[str, Any]], str]] = []
    reasons: list[str] = []
    risks: list[str] = []
    excluded: list[tuple[str, str]] = []
    for entry in county.entries:
        risks += [r["statement"] for r in entry.get("risks", [])]
        excluded += [(e["name"], e["reason"]) for e in entry.get("excluded", [])]
        level = entry["level"]
        lname = LEVEL_NAMES[level]
        if not entry["evaluable"]:
            reasons.append(f"{lname}：{entry['reason']}")
            continue
        level_strips = []
        for key, r in entry["indicators"].items():
            ind = framework().get(key)
            cv = ""
            if r.get("cv") is not None:
                cv = f"{r['cv']:.3f}（上限{r['cv_limit']:g}）"
            lines.append(
                IndicatorLine(
                    lname,
                    ind.name,
                    value_display(key, r["value"]),
                    threshold_display(key, r["comparison"], r["threshold"]),
                    r["passed"],
                    r.get("reason") or "",
                    cv,
                )
            )
            values = county.schools.get(key, {}).get(level)
            if values:
                ids = _below_ids(r)
                dots = [Dot(name, value, sid in ids) for sid, name, value in values]
                unit = ind.unit if ind.unit in {"平方米", "元"} else ""
                level_strips.append(strip_chart(ind.name, dots, r["threshold"], unit))
            schools = (r.get("schools_below") or {}).get("schools") or []
            if schools and key != "school_rule_share":
                threshold = threshold_display(key, r["comparison"], r["threshold"])
                below.append((lname, ind.name, schools, threshold))
        if level_strips:
            strips.append((lname, level_strips))
    return {
        "run": run,
        "county": county,
        "region": county.region,
        "strips": strips,
        "lines": lines,
        "below": below,
        "reasons": reasons,
        "risks": risks,
        "excluded": excluded,
        "findings": [(f, evidence_lines(f.evidence)) for f in findings],
    }


def _school_value(key: str, value: float, threshold: float | None) -> str:
    if key == "school_rule_share":
        return f"7项中{value:.0f}项达标"
    return value_text(framework().get(key), value, threshold)


def evidence_lines(evidence: Mapping[str, Any]) -> list[str]:
    """{"indicators": {key: {level: {...}}}} -> "小学生均体育运动场馆面积：7.79平方米（标准≥7.5
    平方米），3所学校低于标准：…"."""
    out = []
    for key, levels in (evidence.get("indicators") or {}).items():
        for level, e in levels.items():
            text = (
                f"{LEVEL_NAMES.get(level, level)}{framework().get(key).name}："
                f"{value_display(key, e.get('value'))}"
                f"（标准{threshold_display(key, e.get('comparison', ''), e.get('threshold'))}）"
            )
            if e.get("cv") is not None:
                text += f"，差异系数{e['cv']:.3f}（上限{e['cv_limit']:g}）"
            # the schools that make it a problem (a resource indicator's schools within the
            # 85 % allowance are 风险提示, listed apart), each value with its unit
            schools = e.get("schools_failing") or e.get("schools_below") or []
            total = e.get("schools_failing_count", e.get("schools_below_count", len(schools)))
            if schools and key != "class_size_over_share":
                threshold = e.get("threshold")
                listed = "、".join(
                    f"{s['name']}（{_school_value(key, s['value'], threshold)}）"
                    for s in schools[:12]
                )
                more = f"等{total}所" if isinstance(total, int) and total > 12 else ""
                text += f"；低于标准的学校：{listed}{more}"
            out.append(text)
    return out


def overrides_for(user: User) -> list[tuple[ThresholdOverride, ThresholdInfo]]:
    """Overrides of the regions the user sees and of the regions above its own (the rule
    for runs, which these thresholds feed)."""
    rows = ThresholdOverride.objects.filter(access.evaluation_runs_q(user)).select_related(
        "region__parent", "created_by"
    )
    return [(r, threshold_info(r.key)) for r in rows]
