"""The supervisor's overview and the officer's view: reads only, a constant number of
queries whatever the number of items. Colours are those the last `dudao remind` run stored
(ItemWatch): colouring every item of a province on each page view would cost seconds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.rectification import selectors as ledger_selectors
from dudao.rectification.models import Item, ItemQuerySet, Status
from dudao.regions.models import Region
from dudao.supervision.models import Action, Colour, Step

LIST_SIZE = 20
WEEKS = 12


@dataclass
class Cell:
    total: int = 0
    signed_off: int = 0
    red: int = 0
    yellow: int = 0
    blue: int = 0

    @property
    def rate(self) -> int:
        return round(100 * self.signed_off / self.total) if self.total else 0

    @property
    def colour(self) -> str:
        for name in ("red", "yellow", "blue"):
            if getattr(self, name):
                return name
        return ""


@dataclass
class Row:
    region: Region
    cells: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)


CHART_HEIGHT = 60
BAR_STEP = 10


@dataclass(frozen=True)
class Week:
    start: datetime.date
    count: int
    index: int
    top: int  # the week with most sign-offs

    @property
    def x(self) -> int:
        return self.index * BAR_STEP + 1

    @property
    def height(self) -> int:
        return round((CHART_HEIGHT - 2) * self.count / max(self.top, 1))

    @property
    def y(self) -> int:
        return CHART_HEIGHT - self.height


def _unit_of(path: str, units: dict[str, Region]) -> Region | None:
    """The subordinate region (child of the supervised region) a path lies under."""
    parts = [p for p in path.split("/") if p]
    for depth in range(len(parts), 0, -1):
        prefix = "/".join(parts[:depth]) + "/"
        if prefix in units:
            return units[prefix]
    return None


def matrix(items: ItemQuerySet, region: Region) -> tuple[list[str], list[Row]]:
    """Subordinate regions × dimensions: items, completion rate, colour counts. One query
    for the children, one grouped query for the counts."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    units = {c.path: c for c in children}
    rows = {c.pk: Row(region=c) for c in children}
    dimensions: list[str] = []
    counts = (
        items.filter(region__path__startswith=region.path)
        .exclude(region_id=region.pk)
        .order_by()
        .values_list("region__path", "problem__dimension")
        .annotate(
            total=Count("id"),
            signed_off=Count("id", filter=Q(status=Status.SIGNED_OFF)),
            red=Count("id", filter=Q(watch__colour=Colour.RED)),
            yellow=Count("id", filter=Q(watch__colour=Colour.YELLOW)),
            blue=Count("id", filter=Q(watch__colour=Colour.BLUE)),
        )
    )
    for path, dimension, total, signed_off, red, yellow, blue in counts:
        unit = _unit_of(path, units)
        if unit is None:
            continue
        if dimension not in dimensions:
            dimensions.append(dimension)
        row = rows[unit.pk]
        for cell in (row.cells.setdefault(dimension, Cell()), row.total):
            cell.total += total
            cell.signed_off += signed_off
            cell.red += red
            cell.yellow += yellow
            cell.blue += blue
    return sorted(dimensions), [r for r in rows.values() if r.total.total]


def coloured(items: ItemQuerySet, colour: str) -> list[Item]:
    return list(
        ledger_selectors.for_list(items.filter(watch__colour=colour)).order_by("deadline", "id")[
            :LIST_SIZE
        ]
    )


def awaiting(user: User, region_code: str = "") -> ItemQuerySet:
    qs = access.items_user_can_sign_off(user)
    if region_code:
        qs = qs.filter(region__code=region_code)
    return ledger_selectors.for_list(qs)


def throughput(user: User, today: datetime.date) -> list[Week]:
    """Sign-offs per week, the last WEEKS weeks, over the items the user sees."""
    since = today - datetime.timedelta(days=7 * WEEKS + today.weekday())
    visible = access.items_visible_to(user).values("id")
    rows = dict(
        AuditEvent.objects.filter(action="item_sign_off", item_id__in=visible, at__date__gte=since)
        .annotate(week=TruncWeek("at"))
        .order_by()
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    counts = {(w.date() if isinstance(w, datetime.datetime) else w): n for w, n in rows.items()}
    start = today - datetime.timedelta(days=today.weekday())
    weeks = [start - datetime.timedelta(weeks=k) for k in range(WEEKS - 1, -1, -1)]
    top = max([counts.get(w, 0) for w in weeks] + [1])
    return [Week(w, counts.get(w, 0), i, top) for i, w in enumerate(weeks)]


TREND_WEEKS = 8


def _weeks(today: datetime.date, n: int) -> list[datetime.date]:
    start = today - datetime.timedelta(days=today.weekday())
    return [start - datetime.timedelta(weeks=k) for k in range(n - 1, -1, -1)]


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def trend(
    items: ItemQuerySet, region: Region, rows: list[Row], today: datetime.date
) -> tuple[list[datetime.date], list[tuple[Region, list[int]]]]:
    """Sign-offs per subordinate region per week, the last TREND_WEEKS weeks: one grouped
    query over the audit rows."""
    weeks = _weeks(today, TREND_WEEKS)
    units = {r.region.path: r.region for r in rows}
    counts = (
        AuditEvent.objects.filter(
            action="item_sign_off",
            item_id__in=items.filter(region__path__startswith=region.path).values("id"),
            at__date__gte=weeks[0],
        )
        .annotate(week=TruncWeek("at"))
        .order_by()
        .values_list("region__path", "week")
        .annotate(n=Count("id"))
    )
    table: dict[int, dict[datetime.date, int]] = {}
    for path, week, n in counts:
        unit = _unit_of(path, units)
        if unit is not None:
            per = table.setdefault(unit.pk, {})
            per[_as_date(week)] = per.get(_as_date(week), 0) + n
    return weeks, [(r.region, [table.get(r.region.pk, {}).get(w, 0) for w in weeks]) for r in rows]


def officer_view(user: User) -> dict[str, Any]:
    """Sent back to me, due soon, overdue, 催办/督办 received."""
    mine = access.items_visible_to(user)
    sent_back = list(
        ledger_selectors.for_list(
            mine.filter(status=Status.IN_PROGRESS, audit_events__action="item_send_back")
        ).distinct()[:LIST_SIZE]
    )
    received = list(
        Action.objects.filter(item__in=mine.values("id"))
        .filter(step__in=[Step.URGE, Step.DUBAN, Step.TONGBAO, Step.YUETAN])
        .select_related("item__problem", "item__region", "document")
        .order_by("-created_at", "-id")[:LIST_SIZE]
    )
    return {
        "sent_back": sent_back,
        "due_soon": coloured(mine, Colour.BLUE),
        "overdue": coloured(mine, Colour.RED),
        "received": received,
    }
