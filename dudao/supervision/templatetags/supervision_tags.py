"""`cn_date`: the one way pages print a date (2024年6月30日, as official documents do);
`unread_count`: the header's inbox count."""

from __future__ import annotations

import datetime
import html
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


def _e(value: object) -> str:
    """Escaped as Django's `escape` does it (html.escape of the text), without its lazy
    wrapper and SafeString checks: the overview's tables escape about a thousand values a
    page, and format_html's per-value machinery cost more than the page's queries. Only
    plain values (text, numbers) reach it; markup is concatenated by the tags themselves."""
    return html.escape(str(value))


def _truncate(text: str, length: int = 60) -> str:
    """Truncator(text).chars(length), which costs as much as the rest of a row: only for
    a text that is longer (a shorter one is returned as it is)."""
    return text if len(text) <= length else Truncator(text).chars(length)


@register.simple_tag
def item_rows(rows: Sequence[Line | tuple[Any, ...]], select: str = "") -> str:
    """The rows of an item list. A tag, not a template loop: the overview shows a hundred
    rows, and the template engine costs more than the queries behind them."""
    if not rows:
        return format_html('<tr><td colspan="{}" class="muted">无</td></tr>', 5 if select else 4)
    # One reverse() for all the rows (each costs as much as the rest of the row).
    base = reverse("item", args=[0]).removesuffix("0/")
    form = _e(select)
    out = []
    for r in rows:
        i = r if isinstance(r, Line) else Line(*r)
        box = (
            f'<td><input type="checkbox" name="items" value="{i.pk}" form="{form}" '
            'aria-label="选择"></td>'
            if select
            else ""
        )
        out.append(
            f"<tr>{box}<td>{_e(i.region_name)}</td>"
            f'<td><a href="{base}{i.pk}/">{_e(_truncate(i.statement))}</a></td>'
            f"<td>{cn_date(i.deadline)}</td>"
            f'<td><span class="badge status-{_e(i.status)}">{_e(i.status_label)}</span></td></tr>'
        )
    return mark_safe("".join(out))


WARNINGS = (("red", "红"), ("yellow", "黄"), ("blue", "蓝"))


@register.simple_tag
def matrix_cell(cell: Cell | None) -> str:
    if cell is None:
        return mark_safe("<td>—</td>")
    badges = " ".join(
        f'<span class="badge warn-{name}">{label} {n}</span>'
        for name, label in WARNINGS
        if (n := getattr(cell, name))
    )
    return mark_safe(
        f'<td class="warn-cell-{cell.colour or "none"}">{cell.signed_off}/{cell.total} · '
        f"{cell.rate}%{'<br>' if badges else ''}{badges}</td>"
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
    base = _e(reverse("ledger"))
    return mark_safe(
        "\n".join(
            f'<tr><th><a href="{base}?region={_e(row.region.code)}">{_e(row.region.name)}</a></th>'
            + "".join(matrix_cell(row.cells.get(d)) for d in dimensions)
            + f'<td class="warn-cell-{row.total.colour or "none"}"><b>{row.total.rate}%</b>'
            f"（{row.total.signed_off}/{row.total.total}）</td></tr>"
            for row in rows
        )
    )


def _rate(rate: int | None, part: int, whole: int) -> str:
    return "—" if rate is None else f"{rate}%（{part}/{whole}）"


def _warn(n: int) -> str:
    return ' class="warn"' if n else ""


@register.simple_tag
def timeliness_rows(rows: Sequence[Row]) -> str:
    if not rows:
        return mark_safe('<tr><td colspan="7" class="muted">暂无下级地区的整改任务</td></tr>')
    return mark_safe(
        "\n".join(
            f"<tr><th>{_e(row.region.name)}</th><td>{t.extended}</td>"
            f"<td{_warn(t.late_now)}>{t.late_now}</td>"
            f"<td{_warn(t.late_original)}>{t.late_original}</td><td>{t.signed_off}</td>"
            f"<td>{_rate(t.rate_now, t.on_time_now, t.signed_off)}</td>"
            f"<td>{_rate(t.rate_original, t.on_time_original, t.signed_off)}</td></tr>"
            for row in rows
            for t in (row.timeliness,)
        )
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
    return mark_safe(
        "\n".join(
            f"<tr><th>{_e(region.name)}</th>" + "".join(f"<td>{n}</td>" for n in counts) + "</tr>"
            for region, counts in trend
        )
    )
