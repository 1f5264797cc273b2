"""Home page: each user lands on their own work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.rectification import selectors, services
from dudao.rectification.models import Status
from dudao.web.panels import panels_for_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    today = services.today()
    items = access.items_visible_to(user)
    counts = selectors.status_counts(items, today=today)
    awaiting_all = access.items_user_can_sign_off(user)
    awaiting_me = list(selectors.for_list(awaiting_all)[:10])
    awaiting_count = awaiting_all.count() if len(awaiting_me) == 10 else len(awaiting_me)
    sent_back = (
        items.filter(status=Status.IN_PROGRESS, audit_events__action="item_send_back")
        .values("id")
        .distinct()
        .count()
    )
    overdue = list(selectors.for_list(items.filter(selectors.late_q(today)))[:10])
    by_region = selectors.counts_by_region(items, today=today) if access.is_supervisor(user) else []
    return render(
        request,
        "web/home.html",
        {
            "memberships": access.describe(user),
            "counts": counts,
            "awaiting_me": awaiting_me,
            "awaiting_count": awaiting_count,
            "sent_back": sent_back,
            "overdue": overdue,
            "by_region": by_region,
            "statuses": Status.choices,
            "today": today,
            "panels": panels_for_home(request),
        },
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page; a form too large for the limits names the limit."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    reason = ""
    if isinstance(exception, TooManyFieldsSent):
        reason = (
            f"一次提交的项目太多（超过 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} 项），"
            "请分几次选择后提交；刷新页面不能解决。"
        )
    elif isinstance(exception, RequestDataTooBig):
        limit = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1024 / 1024
        reason = f"提交的内容太大（超过 {limit:.0f} MB），请减少内容后分次提交。"
    return render(request, "400.html", {"reason": reason}, status=400)


def minimal(request: HttpRequest) -> HttpResponse:
    """The base template with no data: the baseline the page benchmark compares against."""
    return render(request, "web/minimal.html", {})
