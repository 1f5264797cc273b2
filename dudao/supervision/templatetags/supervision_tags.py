"""`cn_date`: the one way pages print a date (2024年6月30日, as official documents do);
`unread_count`: the header's inbox count."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from dudao.lib.zh import format_cn_date
from dudao.supervision.overview import Line

if TYPE_CHECKING:
    from dudao.regions.models import Region
    from dudao.supervision.overview import Cell, Row, Week

register = template.Library()


@register.filter
def cn_date(value: datetime.date | None, empty: str = "—") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localdate(value)
    return format_cn_date(value)


@register.simple_tag(takes_context=True)
def unread_count(context: template.Context) -> int:
    from dudao.accounts.models import User
    from dudao.supervision.notify import unread_count as count

    request = context.get("request")
    user = getattr(request, "user", None)
    return count(user) if isinstance(user, User) else 0


@register.filter
def get_cell(cells: dict[str, object], key: str) -> object:
    return cells.get(key)


@register.simple_tag
def item_rows(rows: Sequence[Line | tuple[Any, ...]], select: str = "") -> str:
    """The rows of an item list. A tag, not a template loop: the overview shows a hundred
    rows, and the template engine costs more than the queries behind them."""
    if not rows:
        return format_html('<tr><td colspan="{}" class="muted">无</td></tr>', 5 if select else 4)
    # One reverse() for all the rows (each costs as much as the rest of the row).
    base = reverse("item", args=[0]).removesuffix("0/")
    return format_html_join(
        "",
        '<tr>{}<td>{}</td><td><a href="{}">{}</a></td><td>{}</td>'
        '<td><span class="badge status-{}">{}</span></td></tr>',
        (
            (
                format_html(
                    '<td><input type="checkbox" name="items" value="{}" form="{}" '
                    'aria-label="选择"></td>',
                    i.pk,
                    select,
                )
                if select
                else "",
                i.region_name,
                f"{base}{i.pk}/",
                Truncator(i.statement).chars(60),
                cn_date(i.deadline),
                i.status,
                i.status_label,
            )
            for i in (r if isinstance(r, Line) else Line(*r) for r in rows)
        ),
    )


@register.simple_tag
def matrix_cell(cell: Cell | None) -> str:
    if cell is None:
        return mark_safe("<td>—</td>")
    badges = format_html_join(
        " ",
        '<span class="badge warn-{}">{} {}</span>',
        (
            (name, label, n)
            for name, label, n in (
                ("red", "红", cell.red),
                ("yellow", "黄", cell.yellow),
                ("blue", "蓝", cell.blue),
            )
            if n
        ),
    )
    return format_html(
        '<td class="warn-cell-{}">{}/{} · {}%{}{}</td>',
        cell.colour or "none",
        cell.signed_off,
        cell.total,
        cell.rate,
        mark_safe("<br>") if badges else "",
        badges,
    )


# The overview's tables as tags, not template loops (see item_rows): a province's overview
# has a few hundred cells, and each template variable costs more than the cell's HTML.


@register.simple_tag
def matrix_rows(rows: Sequence[Row], dimensions: Sequence[str]) -> str:
    if not rows:
        return format_html(
            '<tr><td colspan="{}" class="muted">暂无下级地区的整改任务</td></tr>',
            len(dimensions) + 2,
        )
    base = reverse("ledger")
    return format_html_join(
        "\n",
        '<tr><th><a href="{}?region={}">{}</a></th>{}'
        '<td class="warn-cell-{}"><b>{}%</b>（{}/{}）</td></tr>',
        (
            (
                base,
                row.region.code,
                row.region.name,
                mark_safe("".join(matrix_cell(row.cells.get(d)) for d in dimensions)),
                row.total.colour or "none",
                row.total.rate,
                row.total.signed_off,
                row.total.total,
            )
            for row in rows
        ),
    )


def _rate(rate: int | None, part: int, whole: int) -> str:
    return "—" if rate is None else f"{rate}%（{part}/{whole}）"


def _warn(n: int) -> str:
    return ' class="warn"' if n else ""


@register.simple_tag
def timeliness_rows(rows: Sequence[Row]) -> str:
    if not rows:
        return mark_safe('<tr><td colspan="7" class="muted">暂无下级地区的整改任务</td></tr>')
    return format_html_join(
        "\n",
        "<tr><th>{}</th><td>{}</td><td{}>{}</td><td{}>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>",
        (
            (
                row.region.name,
                t.extended,
                mark_safe(_warn(t.late_now)),
                t.late_now,
                mark_safe(_warn(t.late_original)),
                t.late_original,
                t.signed_off,
                _rate(t.rate_now, t.on_time_now, t.signed_off),
                _rate(t.rate_original, t.on_time_original, t.signed_off),
            )
            for row in rows
            for t in (row.timeliness,)
        ),
    )


@register.simple_tag
def week_bars(weeks: Sequence[Week]) -> str:
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="8" height="{}" class="bar">'
        "<title>{}起一周：{} 项</title></rect>",
        ((w.x, w.y, w.height, cn_date(w.start), w.count) for w in weeks),
    )


@register.simple_tag
def week_cells(weeks: Sequence[Week]) -> str:
    return format_html_join(
        "",
        "<td>{}/{}<br><b>{}</b></td>",
        ((w.start.month, w.start.day, w.count) for w in weeks),
    )


@register.simple_tag
def trend_rows(trend: Sequence[tuple[Region, Sequence[int]]]) -> str:
    if not trend:
        return mark_safe('<tr><td class="muted">暂无</td></tr>')
    return format_html_join(
        "\n",
        "<tr><th>{}</th>{}</tr>",
        (
            (region.name, format_html_join("", "<td>{}</td>", ((n,) for n in counts)))
            for region, counts in trend
        ),
    )
