"""The item-page panel of 督查督办: the item's warning colour, its 延期 requests (with the
original deadline), its 长期坚持 plan, and the 催办/督办/通报/约谈 steps taken on it, with the
forms each side may use. Four queries: the item's facts, the calendar and policies, the
extensions, the steps."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.rectification.models import Item, Status
from dudao.rectification.services import today
from dudao.supervision import selectors
from dudao.supervision.models import Action, ExtensionStatus, OngoingPlan


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
    context = {
        "item": item,
        "verdict": verdict,
        "extensions": extensions,
        "original": extensions[0].original_deadline if extensions else None,
        "pending": next((e for e in extensions if e.status == ExtensionStatus.PENDING), None),
        "actions": actions,
        "plan": plan,
        "can_edit": access.can_edit_item(user, item),
        "can_review": access.can_sign_off(user, item),
        "is_ongoing": item.status == Status.ONGOING,
        "can_extend": item.status not in (Status.SIGNED_OFF, Status.ONGOING),
        "evidence": list(
            item.evidence_files.filter(archived_at__isnull=True).only("id", "original_name")
        ),
    }
    return render_to_string("supervision/_item_panel.html", context, request=request)
