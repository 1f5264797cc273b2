"""`cn_date`: the one way pages print a date (2024年6月30日, as official documents do);
`unread_count`: the header's inbox count."""

from __future__ import annotations

import datetime

from django import template

from dudao.lib.zh import format_cn_date

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
