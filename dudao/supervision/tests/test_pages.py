"""The 督查督办 pages as each persona uses them, through the Django test client."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from docx import Document

from dudao.audit.models import AuditEvent
from dudao.rectification import services as ledger_services
from dudao.supervision.models import (
    Action,
    Extension,
    ExtensionStatus,
    Kind,
    Notification,
    Step,
    SupervisionDocument,
)
from dudao.supervision.remind import run

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def test_the_header_counts_unread_notifications_and_the_inbox_marks_them_read(
    ledger: Any, client_for: Any
) -> None:
    # Assigning the items told 绥滨县's officer (the hook on the audit row).
    c = client_for("suibin")
    page = _text(c.get("/"))
    assert '<span class="unread-count">2</span>' in page
    inbox = _text(c.get("/supervision/inbox/"))
    assert "新分配整改任务：绥滨县“教育专网建设进度缓慢”" in inbox
    assert f'href="/ledger/items/{ledger.suibin_items[0].pk}/"' in inbox
    c.post("/supervision/inbox/read/", {})
    assert "unread-count" not in _text(c.get("/"))
    assert (
        Notification.objects.filter(user__username="luobei", text__contains="绥滨县").count() == 0
    )


def test_a_sent_back_item_tells_the_officer_with_the_reason(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    item = ledger.suibin_items[0]
    suibin, hegang = personas["suibin"], personas["hegang"]
    ledger_item = item
    from dudao.rectification import services

    services.item_update(
        acting_user=suibin, item=ledger_item, expected_version=item.version, outcome="已完成"
    )
    services.item_start(acting_user=suibin, item=item, expected_version=item.version)
    services.item_request_signoff(acting_user=suibin, item=item, expected_version=item.version)
    assert Notification.objects.filter(user=hegang, kind=Kind.SIGNOFF_REQUESTED).exists()
    services.item_send_back(
        acting_user=hegang, item=item, expected_version=item.version, reason="缺少佐证材料"
    )
    note = Notification.objects.get(user=suibin, kind=Kind.SENT_BACK)
    assert "缺少佐证材料" in note.text
    home = _text(client_for("suibin").get("/"))
    assert "有 1 项整改任务被退回" in home
    officer = _text(client_for("suibin").get("/supervision/"))
    assert "被退回给我" in officer and "教育专网建设进度缓慢" in officer


def test_the_supervisor_overview_counts_everything_waiting_for_sign_off(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    suibin = personas["suibin"]
    for item in ledger.suibin_items:
        services_update(suibin, item)
    run(today=datetime.date(2025, 9, 30), say=lambda _: None)
    page = _text(client_for("hegang").get("/supervision/"))
    assert "待我销号（共 2 项）" in page
    assert "绥滨县" in page and "萝北县" in page
    assert "0/1 · 0%" in page
    filtered = _text(client_for("hegang").get("/supervision/?awaiting_region=230421"))
    assert "待我销号（共 0 项）" in filtered
    home = _text(client_for("hegang").get("/"))
    assert "待我销号（共 2 项）" in home and 'href="/supervision/#awaiting"' in home
    assert "<svg" in page and "cdn" not in page.lower()
    item = ledger.suibin_items[0]
    item.refresh_from_db()
    ledger_services.item_sign_off(
        acting_user=personas["hegang"], item=item, expected_version=item.version
    )
    page = _text(client_for("hegang").get("/supervision/"))
    assert "待我销号（共 1 项）" in page
    assert (
        "<th>绥滨县</th><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td>"
        in page
    )
    assert "<title>" in page and "：1 项</title>" in page


def services_update(user: Any, item: Any) -> None:
    ledger_services.item_update(
        acting_user=user, item=item, expected_version=item.version, outcome="已完成"
    )
    ledger_services.item_start(acting_user=user, item=item, expected_version=item.version)
    ledger_services.item_request_signoff(acting_user=user, item=item, expected_version=item.version)


def test_the_overview_query_count_does_not_grow_with_items(
    ledger: Any, personas: dict[str, Any], client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for("hegang")
    services_update(personas["suibin"], ledger.suibin_items[0])
    run(today=datetime.date(2025, 9, 30), say=lambda _: None)
    c.get("/supervision/")
    with CaptureQueriesContext(connection) as few:
        c.get("/supervision/")
    services_update(personas["suibin"], ledger.suibin_items[1])
    for item in ledger.luobei_items:
        services_update(personas["luobei"], item)
    run(today=datetime.date(2025, 9, 30), say=lambda _: None)
    with django_assert_max_num_queries(len(few)):
        c.get("/supervision/")


def test_urge_duban_and_interview_are_recorded_on_the_item_and_seen_by_the_county(
    ledger: Any, client_for: Any
) -> None:
    item = ledger.suibin_items[0]
    city = client_for("hegang")
    city.post("/supervision/urge/", {"items": [item.pk], "note": "请本周内报送进展"})
    assert Action.objects.get(item=item, step=Step.URGE).note == "请本周内报送进展"
    city.post("/supervision/duban/", {"items": [item.pk]})
    doc = SupervisionDocument.objects.get(step=Step.DUBAN)
    response = city.get(f"/supervision/documents/{doc.pk}/")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response))).paragraphs)
    assert "绥滨县人民政府" in text and "教育专网建设进度缓慢" in text and "督办通知" in text
    county = client_for("suibin")
    assert county.get(f"/supervision/documents/{doc.pk}/").status_code == 200
    assert client_for("luobei").get(f"/supervision/documents/{doc.pk}/").status_code == 404
    city.post(
        "/supervision/interview/",
        {
            "items": [item.pk],
            "day": ledger_today(),
            "attendees": "绥滨县副县长、教育局局长",
            "minutes": "听取整改情况汇报，指出进度滞后。",
            "commitments": "一个月内完成教育专网招标",
            "follow_up_deadline": "2030-06-30",
        },
    )
    assert Action.objects.filter(item=item, step=Step.YUETAN, interview__isnull=False).exists()
    panel = _text(county.get(f"/ledger/items/{item.pk}/panels/"))
    for word in ("催办", "请本周内报送进展", "督办通知", "下载文书", "约谈"):
        assert word in panel
    assert "约谈承诺：一个月内完成教育专网招标" in panel  # a follow-up item (see its test)
    item_page = _text(county.get(f"/ledger/items/{item.pk}/"))
    assert "supervision_" not in item_page and "督办环节" in item_page
    assert Notification.objects.filter(user__username="suibin", kind=Kind.URGE).exists()
    # The county may not chase itself.
    county.post("/supervision/urge/", {"items": [item.pk]})
    assert Action.objects.filter(step=Step.URGE).count() == 1


def ledger_today() -> str:
    return ledger_services.today().isoformat()


def test_an_extension_is_requested_approved_and_keeps_the_original_deadline(
    ledger: Any, client_for: Any
) -> None:
    item = ledger.suibin_items[1]
    county, city = client_for("suibin"), client_for("hegang")
    new = (ledger_services.today() + datetime.timedelta(days=60)).isoformat()
    county.post(
        f"/supervision/items/{item.pk}/extension/",
        {"new_deadline": new, "reason": "设备采购需走政府采购程序"},
    )
    ext = Extension.objects.get(item=item)
    assert ext.status == ExtensionStatus.PENDING
    assert Notification.objects.filter(user__username="hegang", kind=Kind.EXTENSION).exists()
    refused = city.post(f"/supervision/extensions/{ext.pk}/decide/", {"decision": "refuse"})
    assert refused.status_code == 302
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.PENDING  # refusing needs a note
    city.post(f"/supervision/extensions/{ext.pk}/decide/", {"decision": "approve", "note": "同意"})
    ext.refresh_from_db()
    item.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED
    assert item.deadline == datetime.date.fromisoformat(new)
    panel = _text(county.get(f"/ledger/items/{item.pk}/panels/"))
    assert "原定整改时限：2024年6月30日" in panel
    assert Notification.objects.filter(user__username="suibin", kind=Kind.EXTENSION).exists()
    assert client_for("luobei").get(f"/ledger/items/{item.pk}/panels/").status_code == 404


def test_settings_say_a_year_without_data_falls_back_to_weekends(
    personas: dict[str, Any], client_for: Any
) -> None:
    city = client_for("hegang")
    assert client_for("suibin").get("/supervision/settings/").status_code == 403
    page = _text(city.get("/supervision/settings/?year=2027"))
    assert "无节假日数据，仅按周六周日计算" in page
    city.post(
        "/supervision/settings/",
        {"form": "holidays", "year": "2027", "table": "2027-01-01 休 元旦\n2027-02-06 班"},
    )
    page = _text(city.get("/supervision/settings/?year=2027"))
    assert "2027-01-01 休 元旦" in page
    bad = city.post(
        "/supervision/settings/",
        {"form": "holidays", "year": "2027", "table": "2027-13-01 休"},
        follow=True,
    )
    assert "第 1 行的日期" in _text(bad)
    city.post(
        "/supervision/settings/",
        {
            "region": "230400",
            "blue_days": "3",
            "idle_days": "10",
            "urge_before_days": "3",
            "urge_interval_days": "5",
            "urge_max": "3",
            "duban_after_days": "10",
            "tongbao_after_days": "20",
            "yuetan_after_days": "40",
        },
    )
    from dudao.supervision.models import WarningPolicy

    policy = WarningPolicy.objects.get(region__code="230400")
    assert (policy.blue_days, policy.auto_urge) == (3, False)


def test_preferences_turn_off_the_inbox_for_a_kind(ledger: Any, client_for: Any) -> None:
    c = client_for("suibin")
    data = {f"in_app_{k}": "on" for k in Kind.values if k != Kind.URGE}
    data |= {f"email_{k}": "on" for k in Kind.values}
    c.post("/supervision/preferences/", data)
    item = ledger.suibin_items[0]
    client_for("hegang").post("/supervision/urge/", {"items": [item.pk]})
    note = Notification.objects.get(user__username="suibin", kind=Kind.URGE)
    assert note.in_app is False
    assert "收到催办" not in _text(c.get("/supervision/inbox/"))
    event = AuditEvent.objects.get(action="notification_preferences_set")
    assert event.actor is not None and event.actor.username == "suibin"
    assert event.changes == {
        Kind.URGE: [{"in_app": True, "email": True}, {"in_app": False, "email": True}]
    }
    c.post("/supervision/preferences/", data)
    assert AuditEvent.objects.filter(action="notification_preferences_set").count() == 1


def test_a_round_s_automatic_urging_can_be_switched_off(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    """The deadline of 绥滨县's items, 2024-06-30, is three working days after 2024-06-25:
    the day of the automatic 催办 before it, unless the round's schedule is switched off."""
    city, province = client_for("hegang"), client_for("province")
    page = _text(province.get("/supervision/settings/"))
    assert "各评价的自动催办" in page and ledger.round.title in page
    assert "各评价的自动催办" not in _text(city.get("/supervision/settings/"))
    form = {
        "form": "schedule",
        "round": ledger.round.pk,
        "urge_before_days": "3",
        "urge_interval_days": "5",
        "urge_max": "3",
    }
    assert city.post("/supervision/settings/", form).status_code == 403
    province.post("/supervision/settings/", form)
    run(today=datetime.date(2024, 6, 25), say=lambda _: None)
    assert not Action.objects.filter(step=Step.URGE).exists()
    province.post("/supervision/settings/", {**form, "auto_urge": "on"})
    run(today=datetime.date(2024, 6, 25), say=lambda _: None)
    assert Action.objects.filter(step=Step.URGE, automatic=True).count() == 2
