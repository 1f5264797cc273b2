"""The item-page panel: what next year's data say about the problem (re-check), and whether
the numbers in the county's account match its data (claim check).

A constant number of queries whatever the data: the files covering the county (1), the runs
whose thresholds apply (1), the thresholds in force today (1), the finding
the problem came from (1). Renders nothing when there is no data for the county.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from dudao.engine import (
    ClaimCheck,
    Evaluation,
    ProblemRef,
    Recheck,
    evaluate,
    framework,
    recheck,
)
from dudao.engine.claims import school_counts
from dudao.engine.display import value_text
from dudao.engine.indicators import LEVEL_NAMES
from dudao.engine.recheck import STATUS_NAMES, SchoolCheck
from dudao.evaluation import selectors
from dudao.evaluation.claims import check_outcome
from dudao.evaluation.models import Dataset, Finding, Kind
from dudao.evaluation.tables import assemble, county_year_rows
from dudao.rectification.services import today
from dudao.regions.models import Level, Region

if TYPE_CHECKING:
    from dudao.rectification.models import Item

VERDICTS = {
    "resolved": "已解决",
    "improved": "有改善",
    "not_resolved": "未解决",
    "not_evaluable": "无法用数据判断",
}
CLAIM_VERDICTS = {"match": "一致", "mismatch": "不一致", "unchecked": "未核对"}
YEARS_AHEAD = 6


@dataclass(frozen=True)
class SchoolRow:
    name: str
    indicator: str
    level: str
    old: str
    new: str
    status: str
    label: str


def school_rows(checks: Sequence[SchoolCheck]) -> list[SchoolRow]:
    def text(check: SchoolCheck, value: float | None) -> str:
        if value is None:
            return "—"
        if check.indicator == "school_rule_share":
            return f"{value:.0f}项达标"
        if check.indicator == "class_size_over_share":
            return f"超标班级{value:.0f}个"
        return value_text(framework().get(check.indicator), value, check.threshold)

    def name(key: str) -> str:
        # the county measures the share of its schools; a school, its 7 indicators met
        return "资源配置7项指标" if key == "school_rule_share" else framework().get(key).name

    return [
        SchoolRow(
            name=c.name,
            indicator=name(c.indicator),
            level=LEVEL_NAMES.get(c.level, c.level),
            old=text(c, c.old),
            new=text(c, c.new),
            status=c.status,
            label=STATUS_NAMES[c.status],
        )
        for c in checks
    ]


@dataclass(frozen=True)
class NumberRow:
    name: str
    level: str
    old: str
    new: str
    passed: bool | None


def _thresholds(region: Region, years: list[int], group: Region) -> dict[int, dict[str, float]]:
    """The thresholds of the run that evaluated the county that year, so a re-check judges
    as the evaluation did; the thresholds in force today when there was no run."""
    runs = selectors.latest_runs_covering(region, years)
    out: dict[int, dict[str, float]] = {}
    # read even when every year has a run, so the page's query count never depends on data
    now = selectors.overrides_in_force([group], today())[group.code]
    for year in years:
        run = runs.get(year)
        if run is not None and group.code in run.thresholds:
            out[year] = dict(run.thresholds[group.code])
        else:
            out[year] = selectors.resolved(now)
    return out


# A county's evaluation depends only on the data files (immutable, named by their SHA-256),
# the year and the thresholds: kept per process so an item page does not evaluate again.
_EVALUATIONS: OrderedDict[tuple[object, ...], Evaluation | None] = OrderedDict()
_EVALUATIONS_SIZE = 256


def _evaluation(
    datasets: list[Dataset], code: str, year: int, thresholds: dict[str, float]
) -> Evaluation | None:
    key = (tuple(sorted(d.sha256 for d in datasets)), code, year, tuple(sorted(thresholds.items())))
    if key in _EVALUATIONS:
        _EVALUATIONS.move_to_end(key)
        return _EVALUATIONS[key]
    data = assemble(datasets, [code], year)
    result = (
        None
        if data.schools is None
        else evaluate(data.schools, data.counties, year=year, thresholds=thresholds)
    )
    _EVALUATIONS[key] = result
    if len(_EVALUATIONS) > _EVALUATIONS_SIZE:
        _EVALUATIONS.popitem(last=False)
    return result


_COUNTS: OrderedDict[tuple[object, ...], dict[str, int] | None] = OrderedDict()


def _school_counts(datasets: list[Dataset], code: str, year: int) -> dict[str, int] | None:
    """The county's schools and teachers of `year` (for the claim check), cached like the
    evaluations: the files are immutable."""
    key = (tuple(sorted(d.sha256 for d in datasets)), code, year)
    if key in _COUNTS:
        _COUNTS.move_to_end(key)
        return _COUNTS[key]
    schools = assemble(datasets, [code], year).schools
    result = None if schools is None else school_counts(schools, code)
    _COUNTS[key] = result
    if len(_COUNTS) > _EVALUATIONS_SIZE:
        _COUNTS.popitem(last=False)
    return result


def _number(entry: dict[str, Any] | None, key: str) -> str:
    if entry is None:
        return "—"
    value = entry.get("value")
    text = "—" if not isinstance(value, int | float) else value_text(framework().get(key), value)
    below = entry.get("schools_below_count")
    if isinstance(below, int) and key != "class_size_over_share":
        text = f"{below}所学校低于标准" if below else "全部学校达标"
    return text


def number_rows(rc: Recheck) -> list[NumberRow]:
    rows = []
    for key, levels in rc.numbers.items():
        assert isinstance(levels, dict)
        for level, entry in levels.items():
            rows.append(
                NumberRow(
                    name=framework().get(key).name,
                    level=LEVEL_NAMES.get(str(level), str(level)),
                    old=_number(entry.get("old"), key),
                    new=_number(entry.get("new"), key),
                    passed=entry.get("passed"),
                )
            )
    return rows


@dataclass(frozen=True)
class ClaimRow:
    verdict: str
    label: str
    text: str  # the claim as quoted, empty for the line that gathers the other numbers
    message: str


def claim_rows(claims: Sequence[ClaimCheck]) -> list[ClaimRow]:
    """The claim checks as a reviewer notes them: the verdict once (not again at the start of
    the message), and the numbers that are no indicator's value (人数, 万元, 次数) gathered
    in one line, so they are said but do not bury the checks that matter."""
    rows: list[ClaimRow] = []
    others: list[str] = []
    for c in claims:
        if c.verdict == "unchecked" and ("不是比率" in c.message or "县域值" in c.message):
            if c.text not in others:
                others.append(c.text)
            continue
        message = c.message.removeprefix("未核对：").removeprefix("与区县数据不符：")
        message = message.removeprefix("与评估数据不符：").removeprefix("与学校数据不符：")
        rows.append(ClaimRow(c.verdict, CLAIM_VERDICTS[c.verdict], c.text, message))
    if others:
        listed = "、".join(f"“{t}”" for t in others)
        message = f"{listed}不是指标数据中的数值（人数、金额、次数等），请结合整改材料核对"
        rows.append(ClaimRow("unchecked", CLAIM_VERDICTS["unchecked"], "", message))
    return rows


def _county_values(ev: Evaluation, code: str) -> dict[str, dict[str, float | None]]:
    """{indicator key: {level: county value}} of the school indicators, for the claim check."""
    if code not in ev.county_codes:
        return {}
    out: dict[str, dict[str, float | None]] = {}
    for lv in ev.county(code, named=1).levels:
        if lv.level in {"primary", "junior"}:
            for key, r in lv.indicators.items():
                out.setdefault(key, {})[lv.level] = r.value
    return out


def _notes(
    ev: Evaluation, code: str, indicators: Sequence[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The later year's 风险提示 on the problem's indicators (all of them when the problem
    names none) and the county's schools left out of the evaluation, with why: a school
    the problem named may have become a small 教学点, or sit just inside the allowance."""
    if code not in ev.county_codes:
        return [], []
    county = ev.county(code)
    risks = [f.statement for f in county.risks if not indicators or f.indicator in indicators]
    return risks, [(e.name, e.reason) for e in county.excluded]


def panel_context(item: Item) -> dict[str, Any] | None:
    region = item.region
    if region.level != Level.COUNTY:
        return None
    year = item.problem.round.year
    code = region.code
    every_year = range(year - 1, year + YEARS_AHEAD)
    datasets = selectors.datasets_covering(region, years=every_year)
    if not datasets:
        return None
    school_years = sorted(
        {d.year for d in datasets if d.kind == Kind.SCHOOLS and code in d.counties}
    )
    later = [y for y in school_years if y > year]
    result: Recheck | None = None
    evaluated: dict[int, Evaluation | None] = {}
    risks: list[str] = []
    excluded: list[tuple[str, str]] = []
    new_year = later[-1] if later else None
    if year in school_years and new_year is not None:
        group = region.parent or region
        thresholds = _thresholds(region, [year, new_year], group)
        old = _evaluation(datasets, code, year, thresholds[year])
        new = _evaluation(datasets, code, new_year, thresholds[new_year])
        evaluated |= {year: old, new_year: new}
        finding = Finding.objects.filter(problem_id=item.problem_id, region=region).first()
        ref = ProblemRef(
            id=item.problem_id,
            county=code,
            indicators=tuple(finding.indicators) if finding else (),
            statement=item.problem.statement,
        )
        if new is not None:
            (result,) = recheck([ref], new, old)
            # the indicators the re-check judged: the finding's, or those its statement names
            risks, excluded = _notes(new, code, result.indicators)
    claims: list[ClaimCheck] = []
    if item.outcome.strip():
        counties = assemble(datasets, [code], year, county_years=every_year).counties
        if year in school_years and year not in evaluated:
            group = region.parent or region
            evaluated[year] = _evaluation(
                datasets, code, year, _thresholds(region, [year], group)[year]
            )
        values = {y: _county_values(ev, code) for y, ev in evaluated.items() if ev is not None}
        rows = county_year_rows(counties, code)
        # the years an account's figures can describe: the round's and later (no extra file
        # is read for the year before, which only a from-to phrase's first number needs)
        counts = {
            y: c for y in school_years if y >= year and (c := _school_counts(datasets, code, y))
        }
        claims = check_outcome(item.outcome, rows, code, year, values, counts)
    if result is None and not claims:
        return None
    return {
        "item": item,
        "year": year,
        "new_year": new_year,
        "recheck": result,
        "verdict": VERDICTS[result.verdict] if result else "",
        "numbers": number_rows(result) if result else [],
        "schools": school_rows(result.schools) if result else [],
        "new_failures": school_rows(result.new_failures) if result else [],
        "claims": claim_rows(claims),
        "risks": risks,
        "excluded": excluded,
    }


def item_panel(request: HttpRequest, item: Item) -> str:
    context = panel_context(item)
    if context is None:
        return ""
    return render_to_string("evaluation/_item_panel.html", context, request=request)
