"""The Jinja2 environment for the hot fragments Dudao renders with Jinja2: the bodies of
the ledger list and the item page, the two pages every user opens all day. Django's
template engine cost more there than all the pages' queries. The pages around them (base
template, every other screen) stay Django templates; this gives Jinja2 the same vocabulary:
`url()`, `_()` through Django's translations, Django's date and text filters, form fields."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.template import defaultfilters, engines
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def date(value: Any, fmt: str) -> str:
    """Django's `date` filter, with aware datetimes shown in Asia/Shanghai as Django
    templates do."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, fmt)


def environment(**options: Any) -> Environment:
    from dudao.web.templatetags import dudao_tags

    extensions = [*options.pop("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(**options, extensions=extensions)
    # `_("…")` translates through Django's catalogues (dudao/locale), as {% translate %} does.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(url=url, field_row=dudao_tags.field_row)
    env.filters.update(
        date=date,
        linebreaksbr=defaultfilters.linebreaksbr,
        filesizeformat=defaultfilters.filesizeformat,
        truncatechars=defaultfilters.truncatechars,
        action_label=dudao_tags.action_label,
        field_label=dudao_tags.field_label,
    )
    return env


def fragment(template_name: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    """A Jinja2 fragment rendered for a Django page's `{{ body }}` (autoescaped by Jinja2)."""
    html = engines["jinja2"].get_template(template_name).render(context, request)
    return mark_safe(html)
