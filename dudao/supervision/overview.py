"""The supervisor's overview and the officer's view: reads only, a constant number of
queries whatever the number of items. Colours are those the last `dudao remind` run stored
(ItemWatch): colouring every item of a province on each page view would cost seconds."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr, TruncDate, TruncWeek
from django.utils import timezone

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.rectification.models import NEVER_OVERDUE, ItemQuerySet, Status
from dudao.regions.models import Region
from dudao.supervision.models import Action, Colour, Step

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

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
class Timeliness:
    """A region's items against their current deadline and against the original one (an
    approved 延期 moves the deadline; `Extension.original_deadline` keeps the first)."""

    extended: int = 0  # items with an approved extension
    late_now: int = 0  # open and past the current deadline
    late_original: int = 0  # open and past the original deadline
    signed_off: int = 0
    on_time_now: int = 0  # signed off by the current deadline
    on_time_original: int = 0  # signed off by the original deadline

    @property
    def rate_now(self) -> int | None:
        return round(100 * self.on_time_now / self.signed_off) if self.signed_off else None

    @property
    def rate_original(self) -> int | None:
        return round(100 * self.on_time_original / self.signed_off) if self.signed_off else None


@dataclass
class Row:
    region: Region
    cells: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)
    timeliness: Timeliness = field(default_factory=Timeliness)


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


# GB/T 2260 codes are six digits: every level adds "NNNNNN/" to the materialised path.
PATH_STEP = 7


@dataclass(frozen=True)
class Subtree:
    """The supervised region and its subordinate units (its children). A region below it
    lies under the unit whose path is the first `unit_path_length` characters of its own,
    so the grouped queries group by that prefix in the database: no walk of the subtree
    in Python, whatever its size."""

    region: Region
    units: list[Region]

    @property
    def unit_path_length(self) -> int:
        return len(self.region.path) + PATH_STEP

    def below(self, prefix: str = "region__") -> Q:
        """Strictly below the region (its own items are what it dispatched)."""
        return Q(**{f"{prefix}path__startswith": self.region.path}) & ~Q(
            **{f"{prefix}path": self.region.path}
        )

    def unit_path(self, prefix: str = "region__") -> Substr:
        return Substr(f"{prefix}path", 1, self.unit_path_length)


def subtree(region: Region) -> Subtree:
    units = list(
        Region.objects.filter(parent=region)
        .only("id", "code", "name", "path", "parent_id", "level")
        .order_by("code")
    )
    return Subtree(region=region, units=units)


@functools.cache
def _fixed_offset(tzname: str) -> int | None:
    """The zone's offset from UTC in minutes if it has been the same all year, every year
    of the ledger's dates (Asia/Shanghai: +480 since 1991), else None."""
    zone = zoneinfo.ZoneInfo(tzname)
    offsets = {
        zone.utcoffset(datetime.datetime(year, month, 1))
        for year in range(1992, 2100)
        for month in (1, 7)
    }
    offset = offsets.pop() if len(offsets) == 1 else None
    return None if offset is None else int(offset.total_seconds()) // 60


class LocalDate(TruncDate):
    """TruncDate: the date a moment falls on in the current time zone. On SQLite Django
    computes it by calling back into Python for each row, which cost the overview half
    its grouped query; where the zone's offset never changes, SQLite's own date() with
    that offset gives the same date (Django stores datetimes there as UTC text,
    "YYYY-MM-DD HH:MM:SS[.ffffff]")."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        offset = _fixed_offset(self.get_tzname() or "UTC")
        if offset is None:
            sql, params = self.as_sql(compiler, connection, **extra_context)
            return sql, tuple(params)
        sql, params = compiler.compile(self.lhs)
        # Whole seconds: SQLite rounds a fraction to milliseconds (23:59:59.9995 would
        # become the next day).
        return f"date(substr({sql}, 1, 19), %s)", (*params, f"{offset:+d} minutes")


def original_deadline() -> Coalesce:
    """The deadline an item had before its first approved extension (kept on its watch
    row by extension_decide), else its deadline."""
    return Coalesce(F("watch__original_deadline"), F("deadline"))


def matrix(items: ItemQuerySet, tree: Subtree, today: datetime.date) -> tuple[list[str], list[Row]]:
    """Subordinate regions × dimensions: items, completion rate, colour counts, and each
    region's timeliness against the current and the original deadline, in one grouped
    query (grouped by unit path and dimension)."""
    by_path = {u.path: Row(region=u) for u in tree.units}
    dimensions: list[str] = []
    open_ = ~Q(status__in=NEVER_OVERDUE)
    signed = Q(status=Status.SIGNED_OFF)
    signed_on = LocalDate("signed_off_at")
    counts = (
        items.filter(tree.below())
        .annotate(sv_unit=tree.unit_path(), sv_original=original_deadline())
        .order_by()
        .values_list("sv_unit", "problem__dimension")
        .annotate(
            total=Count("id"),
            signed_off=Count("id", filter=signed),
            red=Count("id", filter=Q(watch__colour=Colour.RED)),
            yellow=Count("id", filter=Q(watch__colour=Colour.YELLOW)),
            blue=Count("id", filter=Q(watch__colour=Colour.BLUE)),
            extended=Count("id", filter=Q(sv_original__lt=F("deadline"))),
            late_now=Count("id", filter=open_ & Q(deadline__lt=today)),
            late_original=Count("id", filter=open_ & Q(sv_original__lt=today)),
            on_time_now=Count("id", filter=signed & Q(deadline__gte=signed_on)),
            on_time_original=Count("id", filter=signed & Q(sv_original__gte=signed_on)),
        )
    )
    for unit_path, dimension, total, signed_off, red, yellow, blue, *times in counts:
        row = by_path.get(unit_path)
        if row is None:  # a region whose parent is not its path's parent: never expected
            continue
        if dimension not in dimensions:
            dimensions.append(dimension)
        for cell in (row.cells.setdefault(dimension, Cell()), row.total):
            cell.total += total
            cell.signed_off += signed_off
            cell.red += red
            cell.yellow += yellow
            cell.blue += blue
        t = row.timeliness
        extended, late_now, late_original, on_time_now, on_time_original = times
        t.extended += extended
        t.late_now += late_now
        t.late_original += late_original
        t.signed_off += signed_off
        t.on_time_now += on_time_now
        t.on_time_original += on_time_original
    return sorted(dimensions), [r for r in by_path.values() if r.total.total]


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
    whose region is the item's, grouped by unit path."""
    weeks = _weeks(today, WEEKS)
    since = timezone.make_aware(datetime.datetime.combine(weeks[0], datetime.time.min))
    counts = (
        AuditEvent.objects.filter(tree.below(), action="item_sign_off", at__gte=since)
        .annotate(week=TruncWeek("at"), sv_unit=tree.unit_path())
        .order_by()
        .values_list("sv_unit", "week")
        .annotate(n=Count("id"))
    )
    total: dict[datetime.date, int] = {}
    per_unit: dict[str, dict[datetime.date, int]] = {}
    for unit_path, week, n in counts:
        day = _as_date(week)
        total[day] = total.get(day, 0) + n
        per = per_unit.setdefault(unit_path, {})
        per[day] = per.get(day, 0) + n
    top = max([total.get(w, 0) for w in weeks] + [1])
    chart = [Week(w, total.get(w, 0), i, top) for i, w in enumerate(weeks)]
    recent = weeks[-TREND_WEEKS:]
    trend = [(r.region, [per_unit.get(r.region.path, {}).get(w, 0) for w in recent]) for r in rows]
    return chart, recent, trend


def officer_view(user: User, limit: int = LIST_SIZE) -> dict[str, Any]:
    """Sent back to me (with the last reason), due soon, overdue, 催办/督办 received."""
    mine = access.items_visible_to(user)
    reason = (
        AuditEvent.objects.filter(item=OuterRef("pk"), action="item_send_back")
        .order_by("-at", "-id")
        .values("note")[:1]
    )
    returned = (
        mine.filter(status=Status.IN_PROGRESS, audit_events__action="item_send_back")
        .distinct()
        .annotate(sv_reason=Subquery(reason))
        .order_by("deadline", "id")
        .values_list(*LINE_FIELDS, "sv_reason")[:limit]
    )
    sent_back = [Line(*row[:-1]) for row in returned]
    reasons = {row[0]: row[-1] or "" for row in returned}
    received = list(
        Action.objects.filter(item__in=mine.values("id"))
        .filter(step__in=[Step.URGE, Step.DUBAN, Step.TONGBAO, Step.YUETAN])
        .select_related("item__problem", "item__region", "document")
        .order_by("-created_at", "-id")[:limit]
    )
    return {
        "sent_back": sent_back,
        "reasons": reasons,
        "due_soon": [Line(*r) for r in lines(mine.filter(watch__colour=Colour.BLUE))[:limit]],
        "overdue": [Line(*r) for r in lines(mine.filter(watch__colour=Colour.RED))[:limit]],
        "received": received,
    }
