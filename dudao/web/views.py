"""Home page: each user lands on their own work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.rectification import selectors, services
from dudao.rectification.models import Status


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
        },
    )


def minimal(request: HttpRequest) -> HttpResponse:
    """The base template with no data: the baseline the page benchmark compares against."""
    return render(request, "web/minimal.html", {})
