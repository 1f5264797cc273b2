"""An item marked 长期坚持 carries stage goals and a next review date, set on its page,
audited; the date triggers its own reminder in `dudao remind` (blue before it, yellow once
it has passed), never an overdue warning."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dudao.audit.models import AuditEvent
from dudao.cli import main
from dudao.rectification import services as ledger_services
from dudao.supervision.models import Kind, Notification, OngoingPlan

pytestmark = pytest.mark.django_db


def test_the_next_review_date_has_its_own_reminder(
    ledger: Any, personas: dict[str, Any], client_for: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    suibin = personas["suibin"]
    item = ledger.suibin_items[0]  # due 2024-06-30: overdue, unless 长期坚持
    ledger_services.item_mark_ongoing(
        acting_user=suibin, item=item, expected_version=item.version, note="需逐年落实"
    )
    county = client_for("suibin")
    review = ledger_services.today() + datetime.timedelta(days=60)
    county.post(
        f"/supervision/items/{item.pk}/ongoing/",
        {"stage_goals": "2027年底前完成一期建设", "next_review": review.isoformat()},
    )
    plan = OngoingPlan.objects.get(item=item)
    assert (plan.stage_goals, plan.next_review) == ("2027年底前完成一期建设", review)
    assert AuditEvent.objects.filter(action="ongoing_plan_set", item=item).exists()
    panel = county.get(f"/ledger/items/{item.pk}/panels/").content.decode()
    assert "阶段目标：2027年底前完成一期建设" in panel and "下次复查日期" in panel
    # The neighbour cannot set it.
    url = f"/supervision/items/{item.pk}/ongoing/"
    assert client_for("luobei").post(url, {}).status_code == 404

    # Far from the review: no warning, though the item's deadline is long past.
    main(["remind", "--today", (review - datetime.timedelta(days=30)).isoformat()])
    assert not Notification.objects.filter(item=item, kind=Kind.REVIEW).exists()
    # Two days before the review: its own reminder (blue), to the county's officer.
    main(["remind", "--today", (review - datetime.timedelta(days=2)).isoformat()])
    out = capsys.readouterr().out
    assert "长期坚持" in out and "后复查" in out
    reminder = Notification.objects.get(user=suibin, item=item, kind=Kind.REVIEW)
    assert "蓝色预警（长期坚持" in reminder.text
    # Review date passed without a new one: yellow.
    main(["remind", "--today", (review + datetime.timedelta(days=7)).isoformat()])
    texts = list(
        Notification.objects.filter(user=suibin, item=item, kind=Kind.REVIEW).values_list(
            "text", flat=True
        )
    )
    assert any("黄色预警（长期坚持，复查日期已过" in t for t in texts)
    assert not Notification.objects.filter(item=item, text__contains="红色预警").exists()
