"""Notifications for the ledger's own events, without the ledger importing this app: a
post_save receiver on AuditEvent, the row every ledger service writes in its transaction
(so a notification commits or rolls back with the change it reports)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from dudao.audit.models import AuditEvent
from dudao.rectification.models import Item
from dudao.supervision import selectors
from dudao.supervision.models import Kind
from dudao.supervision.notify import notify

# ledger action -> (kind, who is told, wording)
EVENTS = {
    "item_assign": (Kind.ASSIGNED, "officers", "新分配整改任务"),
    "item_send_back": (Kind.SENT_BACK, "officers", "整改任务被退回"),
    "item_sign_off": (Kind.SIGNED_OFF, "officers", "整改任务已销号"),
    "item_request_signoff": (Kind.SIGNOFF_REQUESTED, "reviewers", "申请销号，待您审核"),
}


def on_audit_event(
    sender: Any, instance: AuditEvent, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # raw: a restore (loaddata) is putting back past events, not making new ones.
    if raw or not created or instance.action not in EVENTS or instance.item_id is None:
        return
    kind, who, wording = EVENTS[instance.action]
    item = Item.objects.select_related("problem", "region").get(pk=instance.item_id)
    if who == "officers":
        users = selectors.officers_of([item.region_id]).get(item.region_id, [])
    else:
        users = selectors.reviewers_of([item.region]).get(item.region_id, [])
    users = [u for u in users if u.pk != instance.actor_id]
    reason = f"（{instance.note[:100]}）" if instance.note and kind == Kind.SENT_BACK else ""
    notify(
        users=users,
        kind=kind,
        item=item,
        text=f"{wording}{reason}：{item.region.name}“{item.problem.statement[:40]}”",
        key=f"audit:{instance.pk}",
    )


def connect() -> None:
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="supervision_notify")
