"""Every transition of an item and its refusals, through the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.rectification.models import Item, Status

pytestmark = pytest.mark.django_db


def post(client: Any, item: Item, action: str, **data: Any) -> Any:
    item.refresh_from_db()
    payload = {"version": item.version, **data}
    return client.post(reverse("item-transition", args=[item.pk, action]), payload)


def fill_outcome(client: Any, item: Item, outcome: str = "已完成教育城域网改造。") -> None:
    item.refresh_from_db()
    response = client.post(
        reverse("item-edit", args=[item.pk]),
        {
            "version": item.version,
            "outcome": outcome,
            "lead_unit": item.lead_unit,
            "deadline": item.deadline.isoformat() if item.deadline else "",
        },
    )
    assert response.status_code == 302, response.content.decode()


def status_of(item: Item) -> str:
    item.refresh_from_db()
    return item.status


def test_the_full_cycle_from_start_to_sign_off(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    suibin, hegang = client_for("suibin"), client_for("hegang")
    assert post(suibin, item, "start").status_code == 302
    assert status_of(item) == Status.IN_PROGRESS
    fill_outcome(suibin, item)
    assert post(suibin, item, "request_signoff").status_code == 302
    assert status_of(item) == Status.SIGNOFF_REQUESTED
    assert post(hegang, item, "sign_off", note="核查属实").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.SIGNED_OFF
    assert item.signed_off_at is not None
    assert item.signed_off_by.username == "hegang"
    actions = list(AuditEvent.objects.filter(item=item).values_list("action", flat=True))
    assert actions == [
        "item_assign",
        "item_start",
        "item_update",
        "item_request_signoff",
        "item_sign_off",
    ]
    page = hegang.get(reverse("item", args=[item.pk])).content.decode()
    assert "已销号" in page and "核查属实" in page


def test_send_back_requires_a_reason_and_returns_to_in_progress(
    ledger: Any, client_for: Any
) -> None:
    item = ledger.suibin_items[0]
    suibin, hegang = client_for("suibin"), client_for("hegang")
    post(suibin, item, "start")
    fill_outcome(suibin, item)
    post(suibin, item, "request_signoff")
    refused = post(hegang, item, "send_back", note="  ")
    assert refused.status_code == 400
    assert "退回时必须填写退回理由" in refused.content.decode()
    assert status_of(item) == Status.SIGNOFF_REQUESTED
    assert post(hegang, item, "send_back", note="佐证材料不足").status_code == 302
    assert status_of(item) == Status.IN_PROGRESS
    event = AuditEvent.objects.filter(item=item, action="item_send_back").get()
    assert event.note == "佐证材料不足"
    assert event.changes == {"status": ["申请销号", "整改中"]}


def test_request_signoff_needs_an_outcome(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    suibin = client_for("suibin")
    post(suibin, item, "start")
    response = post(suibin, item, "request_signoff")
    assert response.status_code == 400
    assert "申请销号前请先填写整改情况" in response.content.decode()
    assert status_of(item) == Status.IN_PROGRESS


@pytest.mark.parametrize("who", ["suibin", "suibin_supervisor", "luobei", "viewer"])
def test_only_a_higher_supervisor_may_sign_off(ledger: Any, client_for: Any, who: str) -> None:
    item = ledger.suibin_items[0]
    suibin = client_for("suibin")
    post(suibin, item, "start")
    fill_outcome(suibin, item)
    post(suibin, item, "request_signoff")
    before = AuditEvent.objects.count()
    response = post(client_for(who), item, "sign_off")
    # The neighbour cannot even see the item; the others see it but may not sign it off.
    assert response.status_code == (404 if who == "luobei" else 403)
    assert status_of(item) == Status.SIGNOFF_REQUESTED
    assert AuditEvent.objects.count() == before
    if who != "luobei":
        assert "只有上级督导人员才能销号或退回" in response.content.decode()


def test_the_province_may_sign_off_too(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    suibin = client_for("suibin")
    post(suibin, item, "start")
    fill_outcome(suibin, item)
    post(suibin, item, "request_signoff")
    assert post(client_for("province"), item, "sign_off").status_code == 302
    assert status_of(item) == Status.SIGNED_OFF


def test_ongoing_and_back(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[1]
    suibin = client_for("suibin")
    post(suibin, item, "start")
    assert post(suibin, item, "mark_ongoing").status_code == 302
    assert status_of(item) == Status.ONGOING
    fill_outcome(suibin, item)
    assert post(suibin, item, "request_signoff").status_code == 302
    assert status_of(item) == Status.SIGNOFF_REQUESTED
    assert post(client_for("hegang"), item, "send_back", note="需长期坚持").status_code == 302
    assert post(suibin, item, "mark_ongoing").status_code == 302
    assert post(suibin, item, "resume").status_code == 302
    assert status_of(item) == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("sign_off", Status.IN_PROGRESS),
        ("send_back", Status.IN_PROGRESS),
        ("start", Status.IN_PROGRESS),
        ("resume", Status.IN_PROGRESS),
        ("request_signoff", Status.NOT_STARTED),
    ],
)
def test_a_transition_from_the_wrong_status_is_refused(
    ledger: Any, client_for: Any, action: str, status: str
) -> None:
    item = ledger.suibin_items[0]
    Item.objects.filter(pk=item.pk).update(status=status, outcome="有内容")
    who = "hegang" if action in ("sign_off", "send_back") else "suibin"
    response = post(client_for(who), item, action, note="理由")
    assert response.status_code == 400
    assert "当前状态为" in response.content.decode()
    assert status_of(item) == status


def test_signed_off_items_are_read_only(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    Item.objects.filter(pk=item.pk).update(status=Status.SIGNED_OFF)
    item.refresh_from_db()
    response = client_for("suibin").post(
        reverse("item-edit", args=[item.pk]), {"version": item.version, "outcome": "改"}
    )
    assert response.status_code == 400
    assert "已销号的整改任务不能再修改" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == ""


def test_unknown_action_is_not_found(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    assert post(client_for("suibin"), item, "delete").status_code == 404
