"""Reads: effective thresholds, the data files that cover a region, visible runs."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.engine import default_thresholds
from dudao.evaluation.models import Dataset, EvaluationRun, ThresholdOverride
from dudao.regions.models import Level, Region, ancestor_paths


def overrides_in_force(groups: Iterable[Region], on: datetime.date) -> dict[str, dict[str, float]]:
    """{group code: {key: value}}: national defaults are overridden by the province's rows,
    then by the city's, each the latest with valid_from ≤ `on`. One query for all groups."""
    groups = list(groups)
    chains = {g.code: ancestor_paths(g.path) for g in groups}
    paths = sorted({p for chain in chains.values() for p in chain})
    rows = list(
        ThresholdOverride.objects.filter(region__path__in=paths, valid_from__lte=on)
        .select_related("region")
        .order_by("valid_from", "id")
    )
    by_path: dict[str, dict[str, float]] = {}
    for row in rows:  # oldest first: the latest row of a region wins
        by_path.setdefault(row.region.path, {})[row.key] = row.value
    out: dict[str, dict[str, float]] = {}
    for code, chain in chains.items():
        values: dict[str, float] = {}
        for path in chain:  # province first, then city: the nearer region wins
            values |= by_path.get(path, {})
        out[code] = values
    return out


def resolved(overrides: dict[str, float]) -> dict[str, float]:
    return default_thresholds() | overrides


def datasets_covering(region: Region, *, years: Iterable[int]) -> list[Dataset]:
    """Files of those years whose scope contains `region` or lies inside it."""
    wanted = sorted(set(years))
    parent_loaded = Region._meta.get_field("parent").is_cached(region)
    if region.level == Level.COUNTY and parent_loaded and len(ancestor_paths(region.path)) <= 3:
        # A county (the item page's panel, with its parent loaded): nothing lies inside it,
        # and its ancestors are at hand as ids — no join to regions to build or run.
        parent = region.parent
        ids = [i for i in (region.pk, region.parent_id, parent and parent.parent_id) if i]
        datasets = Dataset.objects.filter(region_id__in=ids, year__in=wanted)
        return list(datasets.select_related("region"))
    ancestors = ancestor_paths(region.path)
    q = Q(region__path__in=ancestors) | Q(region__path__startswith=region.path)
    return list(Dataset.objects.filter(q, year__in=wanted).select_related("region"))


def datasets_visible(user: User) -> QuerySet[Dataset]:
    return Dataset.objects.filter(region__in=access.regions_visible_to(user)).select_related(
        "region__parent", "created_by"
    )


def runs_visible(user: User) -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.filter(access.evaluation_runs_q(user)).select_related(
        "region__parent", "created_by"
    )


def latest_runs_covering(region: Region, years: Iterable[int]) -> dict[int, EvaluationRun]:
    """The newest run of each year whose region contains `region` (for its thresholds)."""
    runs = EvaluationRun.objects.filter(
        region__path__in=ancestor_paths(region.path), year__in=sorted(set(years))
    ).only("id", "year", "thresholds", "created_at")
    out: dict[int, EvaluationRun] = {}
    for run in sorted(runs, key=lambda r: (r.created_at, r.pk)):
        out[run.year] = run
    return out
