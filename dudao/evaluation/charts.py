"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, and they print.

Every label goes through `format_html`, so school and county names are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

OK = "#4b7bbf"
FAIL = "#b3261e"
GREY = "#9ca3af"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    ok: bool | None


@dataclass(frozen=True)
class Dot:
    label: str
    value: float
    below: bool


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def bar_chart(title: str, bars: Sequence[Bar], limit: float, *, width: int = 380) -> SafeString:
    """One bar per county (its CV), the limit as a dashed line; bars over it are red."""
    height, left, top, bottom = 190, 34, 22, 40
    plot_w, plot_h = width - left - 8, height - top - bottom
    top_value = max([limit, *(b.value for b in bars if b.value is not None)]) * 1.15 or 1.0
    slot = plot_w / max(len(bars), 1)
    bar_w = max(min(slot * 0.6, 28), 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / top_value)

    parts = []
    for i, b in enumerate(bars):
        x = left + slot * i + (slot - bar_w) / 2
        if b.value is None:
            parts.append(
                format_html(
                    '<text class="na" x="{}" y="{}" text-anchor="middle" font-size="10"'
                    ' fill="{}">—</text>',
                    f"{x + bar_w / 2:.1f}",
                    f"{top + plot_h - 3:.1f}",
                    GREY,
                )
            )
        else:
            colour = FAIL if b.ok is False else OK
            parts.append(
                format_html(
                    '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}：{}</title></rect>",
                    f"{x:.1f}",
                    f"{y(b.value):.1f}",
                    f"{bar_w:.1f}",
                    f"{top + plot_h - y(b.value):.1f}",
                    colour,
                    b.label,
                    _number(b.value),
                )
            )
        if len(bars) <= 20:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                    f"{left + slot * i + slot / 2:.1f}",
                    height - bottom + 14,
                    b.label,
                )
            )
    ly = y(limit)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"'
        ' aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
        '<text x="{left}" y="14" font-size="12" font-weight="bold">{title}</text>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#6b7280"/>'
        "{bars}"
        '<line class="limit" x1="{left}" y1="{ly}" x2="{right}" y2="{ly}" stroke="{fail}"'
        ' stroke-dasharray="5 3"/>'
        '<text x="{right}" y="{lyt}" text-anchor="end" font-size="10" fill="{fail}">'
        "上限 {limit}</text></svg>",
        w=width,
        h=height,
        title=title,
        left=left,
        right=width - 8,
        base=top + plot_h,
        bars=mark_safe("".join(parts)),
        ly=f"{ly:.1f}",
        lyt=f"{ly - 3:.1f}",
        fail=FAIL,
        limit=_number(limit),
    )


def strip_chart(
    title: str, dots: Sequence[Dot], threshold: float, unit: str, *, width: int = 600
) -> SafeString:
    """Each school's value as a dot on one axis, the standard as a vertical line; schools
    below standard are red. Dots are spread over a few lanes so close values stay visible."""
    height, left, right, top = 96, 10, 14, 22
    lanes = 5
    axis_y = height - 20
    top_value = max([threshold, *(d.value for d in dots)]) * 1.1 or 1.0
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + plot_w * max(value, 0) / top_value

    lane_h = (axis_y - top - 6) / lanes
    circles = format_html_join(
        "",
        '<circle class="dot{}" cx="{}" cy="{}" r="4" fill="{}" fill-opacity="0.85">'
        "<title>{}：{}</title></circle>",
        (
            (
                " below" if d.below else "",
                f"{x(d.value):.1f}",
                f"{top + 4 + lane_h * (i % lanes) + lane_h / 2:.1f}",
                FAIL if d.below else OK,
                d.label,
                _number(d.value),
            )
            for i, d in enumerate(sorted(dots, key=lambda d: d.value))
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}" font-size="10" fill="#6b7280">{}</text>',
        (
            (f"{x(v):.1f}", axis_y + 13, anchor, _number(round(v, 2)))
            for v, anchor in ((0, "start"), (top_value / 2, "middle"), (top_value, "end"))
        ),
    )
    tx = x(threshold)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"'
        ' aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
        '<text x="{left}" y="14" font-size="12" font-weight="bold">{title}</text>'
        '<line x1="{left}" y1="{ay}" x2="{ax2}" y2="{ay}" stroke="#6b7280"/>{ticks}{circles}'
        '<line class="threshold" x1="{tx}" y1="{top}" x2="{tx}" y2="{ay}" stroke="{fail}"'
        ' stroke-width="1.5" stroke-dasharray="4 2"/>'
        '<text x="{txl}" y="{top}" font-size="10" fill="{fail}">标准 {threshold}{unit}</text>'
        "</svg>",
        w=width,
        h=height,
        title=title,
        left=left,
        ay=axis_y,
        ax2=width - right,
        ticks=ticks,
        circles=circles,
        tx=f"{tx:.1f}",
        txl=f"{tx + 3:.1f}",
        top=top,
        fail=FAIL,
        threshold=_number(threshold),
        unit=unit,
    )
