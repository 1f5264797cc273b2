"""Reads for 督查督办: each item's warning facts, the policy that governs it, recipients."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from dudao.accounts.models import Membership, Role, User
from dudao.audit.models import AuditEvent
from dudao.rectification.models import Item, ItemQuerySet, Progress
from dudao.regions.models import Region, ancestor_paths
from dudao.supervision.calendar import work_calendar
from dudao.supervision.models import Extension, WarningPolicy
from dudao.supervision.warnings import DEFAULT_POLICY, Facts, Policy, Verdict, judge
from dudao.supervision.workdays import WorkCalendar


def with_facts(qs: ItemQuerySet) -> ItemQuerySet:
    """Annotate what the warning needs: the last progress day, when the pending sign-off
    was requested, the next review of a 长期坚持 item. Sub-queries, so one query in all."""
    last_request = (
        AuditEvent.objects.filter(item=OuterRef("pk"), action="item_request_signoff")
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    last_progress = Progress.objects.filter(item=OuterRef("pk")).order_by("-day").values("day")[:1]
    return qs.annotate(
        sv_last_progress=Subquery(last_progress),
        sv_requested_at=Subquery(last_request),
        sv_next_review=Max("ongoing_plan__next_review"),
    )


def facts_of(item: Item) -> Facts:
    """The facts of an item annotated by with_facts."""
    requested_at: datetime.datetime | None = getattr(item, "sv_requested_at", None)
    return Facts(
        status=item.status,
        deadline=item.deadline,
        assigned_on=timezone.localdate(item.created_at),
        last_progress_on=getattr(item, "sv_last_progress", None),
        requested_on=timezone.localdate(requested_at) if requested_at else None,
        next_review=getattr(item, "sv_next_review", None),
    )


@dataclass(frozen=True)
class Policies:
    """Every supervising region's policy, by region path; an item takes the one of its
    nearest strictly higher region that has one, else the defaults."""

    by_path: dict[str, WarningPolicy]

    def for_region(self, region_path: str) -> Policy:
        row = self.row_for(region_path)
        if row is None:
            return DEFAULT_POLICY
        return Policy(blue_days=row.blue_days, idle_days=row.idle_days)

    def row_for(self, region_path: str) -> WarningPolicy | None:
        for path in reversed(ancestor_paths(region_path)[:-1]):
            if path in self.by_path:
                return self.by_path[path]
        return None


def policies() -> Policies:
    rows = WarningPolicy.objects.select_related("region")
    return Policies(by_path={p.region.path: p for p in rows})


@dataclass(frozen=True)
class Judge:
    """Everything needed to colour items, read once (two small queries)."""

    today: datetime.date
    calendar: WorkCalendar
    policies: Policies

    def verdict(self, item: Item) -> Verdict:
        return judge(
            facts_of(item),
            self.today,
            self.calendar,
            self.policies.for_region(item.region.path),
        )


def judge_for(today: datetime.date) -> Judge:
    return Judge(today=today, calendar=work_calendar(), policies=policies())


def verdicts(items: Sequence[Item], judge_: Judge) -> dict[int, Verdict]:
    return {item.pk: judge_.verdict(item) for item in items}


# --- recipients -----------------------------------------------------------------------


def officers_of(region_ids: Iterable[int]) -> dict[int, list[User]]:
    """Each region's officers (经办人), by region id, in one query."""
    out: dict[int, list[User]] = {}
    rows = Membership.objects.filter(
        region_id__in=list(region_ids), role=Role.OFFICER, user__is_active=True
    ).select_related("user")
    for m in rows.order_by("user_id"):
        out.setdefault(m.region_id, []).append(m.user)
    return out


def reviewers_of(regions: Iterable[Region]) -> dict[int, list[User]]:
    """Each region's reviewers: the supervisors of its nearest higher region that has any
    (the city's 督导室 for a county), by region id, in one query."""
    regions = list(regions)
    paths = sorted({p for r in regions for p in ancestor_paths(r.path)[:-1]})
    by_path: dict[str, list[User]] = {}
    rows = Membership.objects.filter(
        region__path__in=paths, role=Role.SUPERVISOR, user__is_active=True
    ).select_related("user", "region")
    for m in rows.order_by("user_id"):
        by_path.setdefault(m.region.path, []).append(m.user)
    out: dict[int, list[User]] = {}
    for region in regions:
        for path in reversed(ancestor_paths(region.path)[:-1]):
            if path in by_path:
                out[region.pk] = by_path[path]
                break
    return out


def supervising_region(region: Region) -> Region | None:
    """The region whose 督导室 chases `region`'s items: its parent."""
    return region.parent


# --- extensions -------------------------------------------------------------------------


def extensions_of(item: Item) -> list[Extension]:
    return list(Extension.objects.filter(item=item).select_related("requested_by", "decided_by"))
