"""The item-page panel of 督查督办: the item's warning colour, its 延期 requests (with the
original deadline), its 长期坚持 plan, and the 催办/督办/通报/约谈 steps taken on it, with the
forms each side may use; and the 约谈 follow-ups it came from or led to. A handful of
queries, whatever the item."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.rectification.models import Item, Status
from dudao.rectification.services import today
from dudao.supervision import selectors
from dudao.supervision.models import Action, ExtensionStatus, FollowUp, OngoingPlan
from dudao.supervision.overview import officer_view


def item_panel(request: HttpRequest, item: Item) -> str:
    user = request.user
    if not isinstance(user, User):
        return ""
    day = today()
    loaded = selectors.with_facts(Item.objects.filter(pk=item.pk)).select_related("region").get()
    verdict = selectors.judge_for(day).verdict(loaded)
    extensions = selectors.extensions_of(item)
    actions = list(
        Action.objects.filter(item=item).select_related("by", "document").order_by("day", "id")
    )
    plan = OngoingPlan.objects.filter(item=item).first()
    # A 约谈 commitment made an item: where it came from; an item a 约谈 was about: the
    # follow-up items its commitments became (both visible to whoever sees this item).
    source = (
        FollowUp.objects.filter(item=item)
        .select_related("interview__region")
        .prefetch_related("origins__problem")
        .first()
    )
    follow_ups = list(
        FollowUp.objects.filter(origins=item)
        .select_related("item__region", "interview")
        .order_by("interview__day", "id")
    )
    context = {
        "item": item,
        "verdict": verdict,
        "extensions": extensions,
        "original": extensions[0].original_deadline if extensions else None,
        "pending": next((e for e in extensions if e.status == ExtensionStatus.PENDING), None),
        "actions": actions,
        "plan": plan,
        "source": source,
        "follow_ups": follow_ups,
        "can_edit": access.can_edit_item(user, item),
        "can_review": access.can_sign_off(user, item),
        "is_ongoing": item.status == Status.ONGOING,
        "can_extend": item.status not in (Status.SIGNED_OFF, Status.ONGOING),
        "evidence": list(
            item.evidence_files.filter(archived_at__isnull=True).only("id", "original_name")
        ),
    }
    return render_to_string("supervision/_item_panel.html", context, request=request)


HOME_LIST = 5


def home_panel(request: HttpRequest) -> str:
    """An officer's home: what was sent back (with the reason), what is due soon and the
    催办/督办/通报/约谈 received, each linking on (the home lists what is overdue itself).
    Supervisors have the overview instead."""
    user = request.user
    if not isinstance(user, User) or access.is_supervisor(user):
        return ""
    view = officer_view(user, limit=HOME_LIST)
    if not (view["sent_back"] or view["due_soon"] or view["received"]):
        return ""
    return render_to_string("supervision/_home_panel.html", view, request=request)
