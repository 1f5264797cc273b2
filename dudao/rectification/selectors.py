"""Reads of the ledger. Every query starts from the access module's visible set."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.rectification.models import Item, ItemQuerySet, Status, overdue_q
from dudao.regions.models import Region


@dataclass(frozen=True)
class LedgerFilter:
    region: Region | None = None
    round_id: int | None = None
    dimension: str = ""
    status: str = ""
    overdue: bool = False
    q: str = ""
    archived: bool = False
    # The ids of the visible regions to show (the access module's visible set, narrowed to
    # `region`), when the caller already read them; else they are worked out in SQL.
    region_ids: tuple[int, ...] | None = None


def ledger_items(user: User, f: LedgerFilter, *, today: datetime.date) -> ItemQuerySet:
    if f.region_ids is not None:
        qs = Item.objects.filter(region_id__in=f.region_ids)
        qs = qs if f.archived else qs.active()
    else:
        qs = access.items_visible_to(user, archived=f.archived)
        if f.region is not None:
            qs = qs.filter(region__in=Region.objects.filter(path__startswith=f.region.path))
    if f.archived:
        qs = qs.filter(archived_at__isnull=False)
    if f.round_id is not None:
        qs = qs.filter(problem__round_id=f.round_id)
    if f.dimension:
        qs = qs.filter(problem__dimension=f.dimension)
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    if f.q:
        for word in f.q.split()[:5]:
            qs = qs.filter(
                Q(problem__statement__icontains=word)
                | Q(measures__icontains=word)
                | Q(outcome__icontains=word)
                | Q(lead_unit__icontains=word)
            )
    # Status is applied last so the per-status counts can be taken before it.
    return qs


def with_status(qs: ItemQuerySet, status: str) -> ItemQuerySet:
    return qs.filter(status=status) if status else qs


def status_counts(qs: ItemQuerySet, *, today: datetime.date) -> dict[str, int]:
    """Items per status plus "overdue" and "total", in one query."""
    aggregates: dict[str, Any] = {s.value: Count("id", filter=Q(status=s.value)) for s in Status}
    aggregates["overdue"] = Count("id", filter=overdue_q(today))
    aggregates["total"] = Count("id")
    return qs.order_by().aggregate(**aggregates)


def for_list(qs: ItemQuerySet) -> ItemQuerySet:
    return (
        qs.select_related("problem", "region")
        .only(
            "id",
            "status",
            "deadline",
            "lead_unit",
            "archived_at",
            "region",
            "problem",
            "region__name",
            "region__code",
            "region__path",
            "problem__dimension",
            "problem__statement",
            "problem__order",
        )
        .order_by("deadline", "problem__order", "region__code", "id")
    )


@dataclass(frozen=True)
class ListRow:
    # Strings, not ints: the template would localise every number it prints.
    number: str
    pk: str
    region: str
    dimension: str
    statement: str
    lead_unit: str
    deadline: str
    overdue: bool
    status: str
    status_label: str


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


LIST_FIELDS = (
    "id",
    "status",
    "deadline",
    "lead_unit",
    "region__name",
    "problem__dimension",
    "problem__statement",
)


def list_page(qs: ItemQuerySet) -> Any:
    """The ledger list's rows as tuples (no model instances: a page builds 50 rows)."""
    return qs.order_by("deadline", "problem__order", "region__code", "id").values_list(*LIST_FIELDS)


def list_rows(rows: Any, *, today: datetime.date, first: int) -> list[ListRow]:
    """A page of `list_page` tuples as the plain rows the ledger table shows."""
    labels = dict(Status.choices)
    signed_off = Status.SIGNED_OFF.value
    return [
        ListRow(
            number=str(first + n),
            pk=str(pk),
            region=region,
            dimension=dimension,
            statement=_short(statement, 70),
            lead_unit=lead_unit or "—",
            deadline=deadline.isoformat() if deadline else "—",
            overdue=deadline is not None and deadline < today and status != signed_off,
            status=status,
            status_label=labels[status],
        )
        for n, (pk, status, deadline, lead_unit, region, dimension, statement) in enumerate(rows)
    ]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "progress" | "evidence" | "event"
    actor: str
    obj: Any


def item_timeline(item: Item) -> list[TimelineEntry]:
    """Progress, evidence and audit events of an item, oldest first (three queries)."""
    entries: list[TimelineEntry] = []
    for p in item.progress_updates.select_related("author"):
        entries.append(TimelineEntry(p.created_at, "progress", str(p.author), p))
    for e in item.evidence_files.select_related("uploaded_by"):
        entries.append(TimelineEntry(e.uploaded_at, "evidence", str(e.uploaded_by), e))
    events = AuditEvent.objects.filter(item=item).exclude(
        action__in=("progress_add", "evidence_add")
    )
    for ev in events.select_related("actor"):
        entries.append(TimelineEntry(ev.at, "event", str(ev.actor or "系统"), ev))
    entries.sort(key=lambda e: e.at)
    return entries


def round_item_counts(user: User, rnd: Any) -> dict[int, dict[str, int]]:
    """Per problem of a round: visible items and how many are signed off (one query)."""
    rows = (
        access.items_visible_to(user)
        .filter(problem__round=rnd)
        .values("problem_id")
        .annotate(
            total=Count("id"),
            signed_off=Count("id", filter=Q(status=Status.SIGNED_OFF)),
        )
    )
    return {r["problem_id"]: {"total": r["total"], "signed_off": r["signed_off"]} for r in rows}


def counts_by_region(qs: ItemQuerySet, *, today: datetime.date) -> list[dict[str, Any]]:
    """Per responsible region: total, signed off, awaiting sign-off, overdue (one query)."""
    return list(
        qs.order_by()
        .values("region__code", "region__name")
        .annotate(
            total=Count("id"),
            signed_off=Count("id", filter=Q(status=Status.SIGNED_OFF)),
            requested=Count("id", filter=Q(status=Status.SIGNOFF_REQUESTED)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by("region__code")
    )
