"""对账 pages: a round's regions side by side, and one dispatched item against what its
region reported, for the level that signs it off."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.reconciliation import reported_for, round_reconciliation
from dudao.rectification import selectors
from dudao.rectification.forms import TransitionForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def round_reconciliation_page(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_for_user(user, round_id)
    rows = round_reconciliation(user, rnd)
    return render(request, "documents/reconciliation.html", {"round": rnd, "rows": rows})


@login_required
def item_review(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id)
    evidence = item.evidence_files.filter(archived_at__isnull=True).order_by("uploaded_at", "id")
    return render(
        request,
        "documents/item_review.html",
        {
            "item": item,
            "reported": reported_for(item),
            "evidence": list(evidence),
            "timeline": selectors.item_timeline(item),
            "can_sign_off": access.can_sign_off(user, item),
            "form": TransitionForm(initial={"version": item.version}),
        },
    )
