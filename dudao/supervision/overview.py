"""The supervisor's overview and the officer's view: reads only, a constant number of
queries whatever the number of items. Colours are those the last `dudao remind` run stored
(ItemWatch): colouring every item of a province on each page view would cost seconds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.rectification.models import ItemQuerySet, Status
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


@dataclass(frozen=True)
class Subtree:
    """The supervised region's subordinate units (its children) and, for every region below
    it, the unit it lies under: read once, so the grouped queries need no join to regions."""

    region: Region
    units: list[Region]
    unit_of: dict[int, Region]


def subtree(region: Region) -> Subtree:
    below = list(
        Region.objects.filter(path__startswith=region.path)
        .exclude(pk=region.pk)
        .only("id", "code", "name", "path", "parent_id", "level")
        .order_by("code")
    )
    units = [r for r in below if r.parent_id == region.pk]
    by_path = {u.path: u for u in units}
    depth = region.path.count("/") + 1
    unit_of = {}
    for r in below:
        unit = by_path.get("/".join(r.path.split("/")[:depth]) + "/")
        if unit is not None:
            unit_of[r.pk] = unit
    return Subtree(region=region, units=units, unit_of=unit_of)


def matrix(items: ItemQuerySet, tree: Subtree) -> tuple[list[str], list[Row]]:
    """Subordinate regions × dimensions: items, completion rate, colour counts, in one
    grouped query."""
    rows = {u.pk: Row(region=u) for u in tree.units}
    dimensions: list[str] = []
    counts = (
        items.filter(region_id__in=list(tree.unit_of))
        .order_by()
        .values_list("region_id", "problem__dimension")
        .annotate(
            total=Count("id"),
            signed_off=Count("id", filter=Q(status=Status.SIGNED_OFF)),
            red=Count("id", filter=Q(watch__colour=Colour.RED)),
            yellow=Count("id", filter=Q(watch__colour=Colour.YELLOW)),
            blue=Count("id", filter=Q(watch__colour=Colour.BLUE)),
        )
    )
    for region_id, dimension, total, signed_off, red, yellow, blue in counts:
        unit = tree.unit_of[region_id]
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


class Line(NamedTuple):
    """An item as the overview's lists show it (tuples, not model instances: the page
    lists about seventy)."""

    pk: int
    region_name: str
    statement: str
    deadline: datetime.date | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = dict(Status.choices)
LINE_FIELDS = ("id", "region__name", "problem__statement", "deadline", "status")


def lines(qs: ItemQuerySet) -> Any:
    """`qs` as Line tuples, by deadline (a lazy query: slice or paginate it)."""
    return qs.order_by("deadline", "id").values_list(*LINE_FIELDS, named=False)


def coloured(items: ItemQuerySet, colour: str) -> list[Line]:
    return [Line(*row) for row in lines(items.filter(watch__colour=colour))[:LIST_SIZE]]


def awaiting(user: User, region_code: str = "") -> Any:
    qs = access.items_user_can_sign_off(user)
    if region_code:
        qs = qs.filter(region__code=region_code)
    return lines(qs)


TREND_WEEKS = 8


def _weeks(today: datetime.date, n: int) -> list[datetime.date]:
    start = today - datetime.timedelta(days=today.weekday())
    return [start - datetime.timedelta(weeks=k) for k in range(n - 1, -1, -1)]


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def sign_offs(
    tree: Subtree, rows: list[Row], today: datetime.date
) -> tuple[list[Week], list[datetime.date], list[tuple[Region, list[int]]]]:
    """Sign-offs per week over the subtree (the last WEEKS weeks, as a chart) and per
    subordinate region (the last TREND_WEEKS weeks): one grouped query on the audit rows,
    whose region is the item's."""
    weeks = _weeks(today, WEEKS)
    since = timezone.make_aware(datetime.datetime.combine(weeks[0], datetime.time.min))
    counts = (
        AuditEvent.objects.filter(
            action="item_sign_off", at__gte=since, region_id__in=list(tree.unit_of)
        )
        .annotate(week=TruncWeek("at"))
        .order_by()
        .values_list("region_id", "week")
        .annotate(n=Count("id"))
    )
    total: dict[datetime.date, int] = {}
    per_unit: dict[int, dict[datetime.date, int]] = {}
    for region_id, week, n in counts:
        day = _as_date(week)
        total[day] = total.get(day, 0) + n
        unit = tree.unit_of[region_id]
        per = per_unit.setdefault(unit.pk, {})
        per[day] = per.get(day, 0) + n
    top = max([total.get(w, 0) for w in weeks] + [1])
    chart = [Week(w, total.get(w, 0), i, top) for i, w in enumerate(weeks)]
    recent = weeks[-TREND_WEEKS:]
    trend = [(r.region, [per_unit.get(r.region.pk, {}).get(w, 0) for w in recent]) for r in rows]
    return chart, recent, trend


def officer_view(user: User) -> dict[str, Any]:
    """Sent back to me, due soon, overdue, 催办/督办 received."""
    mine = access.items_visible_to(user)
    sent_back = [
        Line(*row)
        for row in lines(
            mine.filter(status=Status.IN_PROGRESS, audit_events__action="item_send_back")
        ).distinct()[:LIST_SIZE]
    ]
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
