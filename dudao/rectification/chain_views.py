"""Pages of the chain of hand-offs: passing items on (分解下发) and following the children."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.rectification import selectors, services
from dudao.rectification.errors import LedgerError
from dudao.rectification.forms import DispatchForm
from dudao.rectification.models import Item
from dudao.regions.models import Region


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _dispatch(
    request: HttpRequest, user: User, form: DispatchForm, items: list[Item], regions: list[Region]
) -> bool:
    """Run the dispatch the bound form asks for; False (errors on the form) if refused."""
    if not form.is_valid():
        return False
    d = form.cleaned_data
    by_pk = {str(i.pk): i for i in items}
    by_code = {r.code: r for r in regions}
    try:
        created = services.items_dispatch(
            acting_user=user,
            items=[by_pk[k] for k in d["items"]],
            regions=[by_code[c] for c in d["regions"]],
            units=[d["units"]],
            deadline=d["deadline"],
            lead_unit=d["lead_unit"],
            co_units=d["co_units"],
        )
    except LedgerError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    messages.success(request, f"已下发 {len(created)} 项整改任务")
    return True


def _targets(items: list[Item]) -> list[Region]:
    region_ids = {i.region_id for i in items}
    return list(Region.objects.filter(parent_id__in=region_ids).order_by("code"))


@login_required
def item_children(request: HttpRequest, item_id: int) -> HttpResponse:
    """An item's children and their progress; its holder passes it on from here."""
    user = _user(request)
    item = access.item_for_user(user, item_id)
    can_dispatch = access.can_dispatch(user, item)
    regions = _targets([item]) if can_dispatch else []
    form = DispatchForm(initial={"items": [str(item.pk)]}, items=[item], regions=regions)
    status = 200
    if request.method == "POST":
        if not can_dispatch:
            raise access.AccessDenied("只有此整改任务的责任地区才能分解下发")
        form = DispatchForm(request.POST, items=[item], regions=regions)
        if _dispatch(request, user, form, [item], regions):
            return HttpResponseRedirect(reverse("item-children", args=[item.pk]))
        status = 400
    context: dict[str, Any] = {
        "item": item,
        "progress": selectors.children_progress(user, item),
        "can_dispatch": can_dispatch,
        "form": form,
        "parent_visible": item.parent is not None
        and access.can_see_region(user, item.parent.region),
    }
    return render(request, "rectification/item_children.html", context, status=status)


@login_required
def round_dispatch(request: HttpRequest, round_id: int) -> HttpResponse:
    """Pass many of a round's items on at once (the city to its counties)."""
    user = _user(request)
    rnd = access.round_for_user(user, round_id)
    items = selectors.items_user_can_dispatch(user, rnd.pk)
    if not items:
        raise access.AccessDenied("您在此评价中没有可分解下发的整改任务")
    regions = _targets(items)
    form = DispatchForm(
        request.POST or None,
        initial={"items": [str(i.pk) for i in items]},
        items=items,
        regions=regions,
    )
    status = 200
    if request.method == "POST":
        if _dispatch(request, user, form, items, regions):
            return HttpResponseRedirect(reverse("round", args=[rnd.pk]))
        status = 400
    return render(
        request, "rectification/round_dispatch.html", {"round": rnd, "form": form}, status=status
    )
