"""Reads of the ledger. Every query starts from the access module's visible set."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Lower

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.lib.zh import format_cn_date
from dudao.rectification.models import NEVER_OVERDUE, Item, ItemQuerySet, Status, overdue_q
from dudao.regions.models import Region


@dataclass(frozen=True)
class LedgerFilter:
    # The regions whose items to show: the access module's visible set (regions_visible_to),
    # narrowed to `region` when one is chosen. Status is applied apart (see with_status).
    region_ids: tuple[int, ...]
    region: Region | None = None
    round_id: int | None = None
    dimension: str = ""
    overdue: bool = False
    q: str = ""
    archived: bool = False


# Statuses that can be late: an item waiting for sign-off waits on its reviewer, and a
# 长期坚持 item has no deadline to miss (issue 13); neither is badged or counted 超期.
LATE_STATUSES = tuple(s for s in Status.values if s not in NEVER_OVERDUE)


def late_q(today: datetime.date) -> Q:
    return overdue_q(today) & Q(status__in=LATE_STATUSES)


def ledger_items(f: LedgerFilter, *, today: datetime.date) -> ItemQuerySet:
    qs = Item.objects.filter(region_id__in=f.region_ids)
    qs = qs.filter(archived_at__isnull=False) if f.archived else qs.active()
    if f.round_id is not None:
        qs = qs.filter(problem__round_id=f.round_id)
    if f.dimension:
        qs = qs.filter(problem__dimension=f.dimension)
    if f.overdue:
        qs = qs.filter(late_q(today))
    if f.q:
        qs = _search(qs, f.q.split()[:5])
    # Status is applied last so the per-status counts can be taken before it.
    return qs


_SEARCHED = ("problem__statement", "measures", "outcome", "lead_unit")


def _search(qs: ItemQuerySet, words: list[str]) -> ItemQuerySet:
    """Items whose problem, measures, outcome or lead unit contain every word, whatever the
    case of Latin letters (PDF, GB/T). Not `icontains`: SQLite runs with case_sensitive_like
    (for the region path index), which makes it case-sensitive. A word with Latin letters is
    matched as LOWER(field) LIKE '%word%', alike on SQLite and PostgreSQL; a Chinese word has
    no case and takes the plain LIKE, which is cheaper."""
    lowered = False
    for word in words:
        if word.lower() == word.upper():
            qs = qs.filter(_any_contains(_SEARCHED, word))
            continue
        if not lowered:
            qs = qs.alias(**{_lower(n): Lower(n) for n in _SEARCHED})
            lowered = True
        qs = qs.filter(_any_contains([_lower(n) for n in _SEARCHED], word.lower()))
    return qs


def _lower(name: str) -> str:
    return "lower_" + name.replace("__", "_")


def _any_contains(fields: Any, word: str) -> Q:
    q = Q()
    for name in fields:
        q |= Q(**{f"{name}__contains": word})
    return q


def with_status(qs: ItemQuerySet, status: str) -> ItemQuerySet:
    return qs.filter(status=status) if status else qs


def status_counts(qs: ItemQuerySet, *, today: datetime.date) -> dict[str, int]:
    """Items per status plus "overdue" and "total", in one query grouped by status (a
    handful of rows; cheaper to build than one filtered COUNT per status)."""
    counts = dict.fromkeys([*Status.values, "overdue", "total"], 0)
    rows = (
        qs.order_by()
        .values_list("status")
        .annotate(n=Count("id"), late=Count("id", filter=Q(deadline__lt=today)))
    )
    for status, n, late in rows:
        counts[status] = n
        counts["total"] += n
        if status not in NEVER_OVERDUE:
            counts["overdue"] += late
    return counts


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


class ListRow(NamedTuple):
    number: int
    pk: int
    region: str
    dimension: str
    statement: str
    lead_unit: str
    deadline: str
    overdue: bool
    status: str
    status_label: str
    # The warning colour of the last `dudao remind` run ("", blue, yellow, red).
    colour: str = ""


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
    "watch__colour",
)


def list_page(qs: ItemQuerySet) -> Any:
    """The ledger list's rows as tuples (no model instances: a page builds 50 rows)."""
    return qs.order_by("deadline", "problem__order", "region__code", "id").values_list(*LIST_FIELDS)


def list_rows(rows: Any, *, today: datetime.date, first: int) -> list[ListRow]:
    """A page of `list_page` tuples as the plain rows the ledger table shows."""
    labels = dict(Status.choices)
    return [
        ListRow(
            number=first + n,
            pk=pk,
            region=region,
            dimension=dimension,
            statement=_short(statement, 70),
            lead_unit=lead_unit or "—",
            deadline=format_cn_date(deadline) if deadline else "—",
            overdue=deadline is not None and deadline < today and status not in NEVER_OVERDUE,
            status=status,
            status_label=labels[status],
            colour=colour or "",
        )
        for n, (pk, status, deadline, lead_unit, region, dimension, statement, colour) in enumerate(
            rows
        )
    ]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "progress" | "evidence" | "event"
    actor: str
    obj: Any


def item_timeline(item: Item) -> list[TimelineEntry]:
    """Progress, evidence and audit events of an item, oldest first.

    Three raw queries (`Model.objects.raw`, still model instances with Django's field
    conversions): on the item page the ORM spent several times longer building these three
    queries than the database spent answering them. The SQL is plain and portable."""
    from dudao.rectification.models import Evidence, Progress

    entries: list[TimelineEntry] = []
    for p in _with_actor(Progress, "author", item.pk):
        entries.append(TimelineEntry(p.created_at, "progress", _actor(p), p))
    for e in _with_actor(Evidence, "uploaded_by", item.pk):
        entries.append(TimelineEntry(e.uploaded_at, "evidence", _actor(e), e))
    # Adding progress or evidence is audited too; those events are shown as the entries above.
    shown_above = " AND t.action NOT IN (%s, %s)", "progress_add", "evidence_add"
    for ev in _with_actor(AuditEvent, "actor", item.pk, *shown_above):
        entries.append(TimelineEntry(ev.at, "event", _actor(ev, "系统"), ev))
    entries.sort(key=lambda e: e.at)
    return entries


def _with_actor(model: Any, actor_field: str, item_id: int, where: str = "", *params: Any) -> Any:
    """Rows of `model` for an item, each with the acting user's name (one query)."""
    ops = connection.ops
    users = ops.quote_name(User._meta.db_table)
    column = ops.quote_name(model._meta.get_field(actor_field).column)
    sql = (
        "SELECT t.*, u.display_name AS actor_display_name, u.username AS actor_username "
        f"FROM {ops.quote_name(model._meta.db_table)} t "
        f"LEFT JOIN {users} u ON u.id = t.{column} "
        f"WHERE t.item_id = %s{where} ORDER BY t.id"
    )
    return model.objects.raw(sql, [item_id, *params])


def _actor(row: Any, default: str = "") -> str:
    name: str = row.actor_display_name or row.actor_username or default
    return name


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
            overdue=Count("id", filter=late_q(today)),
        )
        .order_by("region__code")
    )


# --- the chain of hand-offs ---------------------------------------------------------------


@dataclass(frozen=True)
class ChildrenProgress:
    children: list[Item]
    total: int
    signed_off: int
    ongoing: int
    requested: int

    @property
    def done(self) -> int:
        return self.signed_off + self.ongoing

    @property
    def rest(self) -> int:
        return self.total - self.done - self.requested


def children_progress(user: User, item: Item) -> ChildrenProgress:
    """The children of an item the user may see, with how far they are."""
    children = list(
        access.items_visible_to(user)
        .filter(parent=item)
        .select_related("region")
        .order_by("region__code", "unit", "id")
    )
    statuses = [c.status for c in children]
    return ChildrenProgress(
        children=children,
        total=len(children),
        signed_off=statuses.count(Status.SIGNED_OFF),
        ongoing=statuses.count(Status.ONGOING),
        requested=statuses.count(Status.SIGNOFF_REQUESTED),
    )


def items_user_can_dispatch(user: User, round_id: int) -> list[Item]:
    """The round's items the user holds and may pass on."""
    own = [g.region_id for g in access.grants(user)]
    items = (
        access.items_visible_to(user)
        .filter(problem__round_id=round_id, region_id__in=own, unit="")
        .select_related("problem", "region")
        .order_by("problem__order", "problem_id", "region__code")
    )
    return [i for i in items if access.can_dispatch(user, i)]
