"""Every write of the evaluation app: uploads, runs, threshold overrides, findings turned
into problems. Each checks the rule, saves, and writes the audit row in one transaction."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import polars as pl
from django.db import transaction

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.services import audit_record
from dudao.engine import (
    CountyTable,
    DataError,
    EngineError,
    SchoolTable,
    default_thresholds,
    evaluate,
    framework,
    read_counties,
    read_schools,
)
from dudao.engine.compute import RESOURCE_QUANTITIES
from dudao.engine.export import county_to_dicts
from dudao.engine.sheet import MAX_BYTES, too_large
from dudao.evaluation import selectors
from dudao.evaluation.models import (
    Dataset,
    EvaluationRun,
    Finding,
    Kind,
    RunCounty,
    ThresholdOverride,
)
from dudao.evaluation.tables import assemble, subset
from dudao.lib.files import store_file
from dudao.rectification import services as ledger
from dudao.rectification.errors import LedgerError, NotAllowed
from dudao.rectification.models import Problem, Round, Source
from dudao.regions.models import Level, Region

ALLOWED_SUFFIXES = (".xlsx", ".csv")
MAX_UPLOAD = MAX_BYTES


class EvaluationError(Exception):
    """A refused upload, run or setting. `message` is Chinese; `errors` lists the bad
    cells of a file by row and column (`total` counts them all, also those not listed)."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: Sequence[DataError] = (),
        total: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = tuple(errors)
        self.total = total or len(self.errors)


def county_codes_under(region: Region) -> set[str]:
    if region.level == Level.COUNTY:
        return {region.code}
    return set(
        Region.objects.filter(path__startswith=region.path, level=Level.COUNTY).values_list(
            "code", flat=True
        )
    )


# --- data files --------------------------------------------------------------------------


@transaction.atomic
def dataset_upload(
    *,
    acting_user: User,
    kind: str,
    year: int,
    region: Region,
    data: bytes,
    filename: str,
    progress: Callable[[int, int], None] | None = None,
) -> Dataset:
    """Validate every row of the file; store it only when it is clean."""
    if not access.can_upload_data_for(acting_user, region):
        raise EvaluationError(f"您无权上传“{region.name}”的指标数据", field="region")
    if kind not in Kind.values:
        raise EvaluationError("请选择数据类型", field="kind")
    if not 2000 <= year <= 2100:
        raise EvaluationError("年度应为四位年份", field="year")
    suffix = PurePath(filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise EvaluationError("只能上传 .xlsx 或 .csv 文件（请使用下载的模板）", field="file")
    if message := too_large(len(data)):
        raise EvaluationError(message, field="file")
    allowed = county_codes_under(region)
    known = set(Region.objects.filter(level=Level.COUNTY).values_list("code", flat=True))
    table: SchoolTable | CountyTable
    try:
        if kind == Kind.SCHOOLS:
            table = read_schools(
                data,
                filename,
                year=year,
                allowed_counties=allowed,
                known_counties=known,
                progress=progress,
            )
            counties, years, rows = list(table.counties), [year], table.schools.height
        else:
            table = read_counties(
                data,
                filename,
                year=year,
                allowed_counties=allowed,
                known_counties=known,
                progress=progress,
            )
            frame = table.frame
            counties = sorted(frame["county"].unique().to_list())
            years, rows = sorted(frame["year"].unique().to_list()), frame.height
    except EngineError as exc:
        raise EvaluationError(exc.message, errors=exc.errors, total=exc.total_errors) from exc
    stored = store_file("evaluation", data, suffix)
    dataset = Dataset.objects.create(
        kind=kind,
        year=year,
        region=region,
        original_name=PurePath(filename).name[:255],
        stored_name=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        rows=rows,
        counties=counties,
        years=years,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="dataset_upload",
        target_type="dataset",
        target_id=dataset.pk,
        region=region,
        changes={"file": ("", dataset.original_name), "year": (None, year), "rows": (None, rows)},
    )
    return dataset


# --- runs ----------------------------------------------------------------------------------


def school_values(table: SchoolTable, code: str) -> dict[str, dict[str, list[list[Any]]]]:
    """{indicator key: {level: [[school id, name, value], ...]}} of one county, for the
    strip charts (schools without students of a level are left out, as in the engine)."""
    units = table.units.filter((pl.col("county") == code) & (pl.col("students") > 0))
    fw = framework()
    out: dict[str, dict[str, list[list[Any]]]] = {}
    for key, column in RESOURCE_QUANTITIES.items():
        scale = fw.get(key).scale
        frame = units.select(
            "school_id",
            "school_name",
            "level",
            (pl.col(column) / pl.col("students") * scale).round(4).alias("value"),
        )
        for level, name in ((0, "primary"), (1, "junior")):
            part = frame.filter(pl.col("level") == level)
            if part.height:
                out.setdefault(key, {})[name] = [
                    [sid, sname, value] for sid, sname, _, value in part.iter_rows()
                ]
    return out


def _cells(entries: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    cells: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for key, r in entry["indicators"].items():
            cells[f"{key}.{entry['level']}"] = {
                "passed": r["passed"],
                "value": r["value"],
                "threshold": r["threshold"],
                "cv": r["cv"],
                "cv_limit": r["cv_limit"],
                "cv_passed": r["cv_passed"],
                "below": (r["schools_below"] or {}).get("count"),
            }
    return cells


@transaction.atomic
def evaluation_run(
    *, acting_user: User, region: Region, year: int, on: datetime.date | None = None
) -> EvaluationRun:
    """Evaluate the counties of `region` for `year` with the thresholds in force `on`
    (today by default), and store the results, frozen, with those thresholds."""
    if not access.can_run_evaluation_for(acting_user, region):
        raise EvaluationError(f"只有“{region.name}”的督导人员才能运行评估", field="region")
    on = on or ledger.today()
    counties = list(
        Region.objects.filter(path__startswith=region.path, level=Level.COUNTY).select_related(
            "parent"
        )
    )
    if not counties:
        raise EvaluationError(f"“{region.name}”下没有区县", field="region")
    datasets = selectors.datasets_covering(region, years=[year - 1, year])
    data = assemble(datasets, [c.code for c in counties], year)
    if data.schools is None:
        raise EvaluationError(
            f"还没有{region.name}{year}年度的学校数据，请先上传学校数据", field="year"
        )
    groups: dict[str, Region] = {}
    members: dict[str, list[Region]] = {}
    for county in counties:
        group = county.parent or county
        groups[group.code] = group
        members.setdefault(group.code, []).append(county)
    overrides = selectors.overrides_in_force(groups.values(), on)
    run = EvaluationRun.objects.create(
        region=region,
        year=year,
        evaluated_on=on,
        thresholds={code: selectors.resolved(o) for code, o in overrides.items()},
        datasets=list(data.used),
        created_by=acting_user,
    )
    run_counties: list[RunCounty] = []
    findings: list[Finding] = []
    by_code = {c.code: c for c in counties}
    for code, group_counties in members.items():
        codes = [c.code for c in group_counties]
        county_table = None
        if data.counties is not None:
            county_table = CountyTable(data.counties.frame.filter(pl.col("county").is_in(codes)))
        schools = subset(data.schools, codes)
        ev = evaluate(
            schools,
            county_table,
            year=year,
            thresholds=run.thresholds[code],
            county_names={c.code: c.name for c in group_counties},
        )
        for result in ev.counties():
            county = by_code[result.code]
            entries = county_to_dicts(result)
            run_counties.append(
                RunCounty(
                    run=run,
                    region=county,
                    entries=entries,
                    schools=school_values(schools, result.code),
                    group=code,
                )
            )
            findings += [
                Finding(
                    run=run,
                    region=county,
                    order=i,
                    indicator=f.indicator,
                    indicators=list(f.indicators),
                    dimension=f.dimension,
                    statement=f.statement,
                    evidence=dict(f.evidence),
                )
                for i, f in enumerate(result.findings, start=1)
            ]
            run.summary[result.code] = {
                "name": county.name,
                "findings": len(result.findings),
                "cells": _cells(entries),
                "risks": [f.statement for f in result.risks],
                "excluded": [{"name": e.name, "reason": e.reason} for e in result.excluded],
            }
    RunCounty.objects.bulk_create(run_counties)
    Finding.objects.bulk_create(findings)
    run.save(update_fields=["summary"])
    audit_record(
        actor=acting_user,
        action="evaluation_run",
        target_type="evaluation_run",
        target_id=run.pk,
        region=region,
        changes={"year": (None, year), "findings": (None, len(findings))},
    )
    return run


# --- thresholds ------------------------------------------------------------------------------


@transaction.atomic
def threshold_override_add(
    *,
    acting_user: User,
    region: Region,
    key: str,
    value: float,
    valid_from: datetime.date,
    note: str = "",
) -> ThresholdOverride:
    if not access.can_set_thresholds(acting_user, region):
        raise EvaluationError("只有省级、市级督导人员才能调整本地区的阈值", field="region")
    defaults = default_thresholds()
    if key not in defaults:
        raise EvaluationError(f"未知的阈值项“{key}”", field="key")
    if not math.isfinite(value) or value < 0:
        raise EvaluationError("阈值应为不小于0的数", field="value")
    before = selectors.overrides_in_force([region], valid_from)[region.code].get(key, defaults[key])
    row = ThresholdOverride.objects.create(
        region=region,
        key=key,
        value=value,
        valid_from=valid_from,
        note=note.strip(),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="threshold_override_add",
        target_type="threshold_override",
        target_id=row.pk,
        region=region,
        changes={key: (before, value), "valid_from": (None, valid_from)},
        note=row.note,
    )
    return row


# --- findings into problems ------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    finding: Finding
    statement: str
    dimension: str


@transaction.atomic
def findings_to_problems(
    *,
    acting_user: User,
    rnd: Round,
    picks: Sequence[Pick],
    assign: bool = False,
    deadline: datetime.date | None = None,
) -> list[Problem]:
    """Each picked finding, as edited, becomes a problem of the round (source "engine"),
    optionally assigned to the finding's county; the finding keeps a link to it."""
    if not access.can_manage_round(acting_user, rnd):
        raise NotAllowed("只有评价方的督导人员才能把评估发现转为问题", field="round")
    if not picks:
        raise LedgerError("请至少选择一条评估发现", field="findings")
    problems = []
    locked = Finding.objects.select_for_update().in_bulk([p.finding.pk for p in picks])
    for pick in picks:
        finding = locked[pick.finding.pk]
        if finding.problem_id is not None:
            raise LedgerError(f"“{finding.statement[:20]}…”已经转为问题", field="findings")
        if assign and not access.can_assign_to(acting_user, rnd, pick.finding.region):
            raise LedgerError(
                f"{pick.finding.region.name}不在“{rnd.evaluated_region.name}”范围内，"
                "不能分配整改任务",
                field="assign",
            )
        problem = ledger.problem_add(
            acting_user=acting_user,
            rnd=rnd,
            dimension=pick.dimension,
            statement=pick.statement,
            source=Source.ENGINE,
        )
        if assign:
            ledger.items_assign(
                acting_user=acting_user,
                rnd=rnd,
                problems=[problem],
                regions=[pick.finding.region],
                deadline=deadline,
            )
        finding.problem = problem
        finding.save(update_fields=["problem"])
        audit_record(
            actor=acting_user,
            action="finding_to_problem",
            target_type="finding",
            target_id=finding.pk,
            region=pick.finding.region,
            changes={
                "problem": (None, problem.pk),
                "statement": (finding.statement, problem.statement),
            },
        )
        problems.append(problem)
    return problems
