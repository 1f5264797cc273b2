"""A 约谈's commitments become follow-up items: each a rectification item of the
interviewed region with its own deadline, linked to the 约谈 and to the items it was
about, seen by both sides, audited, and chased like any item."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dudao.audit.models import AuditEvent
from dudao.rectification import services as ledger_services
from dudao.rectification.models import Item
from dudao.supervision.models import Action, Colour, FollowUp, Interview, ItemWatch, Step
from dudao.supervision.remind import run

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def _interview(city: Any, items: list[Any], commitments: str, default: str = "") -> Any:
    return city.post(
        "/supervision/interview/",
        {
            "items": [i.pk for i in items],
            "day": ledger_services.today().isoformat(),
            "attendees": "绥滨县副县长、教育局局长",
            "minutes": "听取整改情况汇报，指出进度滞后。",
            "commitments": commitments,
            "follow_up_deadline": default,
        },
        follow=True,
    )


def test_each_commitment_becomes_an_item_seen_and_chased_on_both_sides(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    city, county = client_for("hegang"), client_for("suibin")
    origins = ledger.suibin_items
    done = _interview(
        city,
        origins,
        "2030年3月31日前完成教育专网招标\n配齐专职安防人员",
        default="2030-06-30",
    )
    assert "整改承诺已列为 2 项后续整改任务" in _text(done)
    follow_ups = list(FollowUp.objects.select_related("item__problem").order_by("id"))
    assert [f.item.problem.statement for f in follow_ups] == [
        "约谈承诺：2030年3月31日前完成教育专网招标",
        "约谈承诺：配齐专职安防人员",
    ]
    assert [f.item.deadline for f in follow_ups] == [
        datetime.date(2030, 3, 31),
        datetime.date(2030, 6, 30),
    ]
    first = follow_ups[0].item
    assert first.region.code == "230422" and first.problem.round_id == ledger.round.pk
    assert set(follow_ups[0].origins.all()) == set(origins)
    assert follow_ups[0].interview == Interview.objects.get()

    # Audited: the problem, the assignment, and a line on each item the 约谈 was about.
    assert AuditEvent.objects.filter(action="problem_add", target_id=first.problem_id).exists()
    assert AuditEvent.objects.filter(action="item_assign", item=first).exists()
    assert AuditEvent.objects.filter(action="interview_follow_up", item=origins[0]).count() == 2

    # The county sees them in its ledger, told as newly assigned, both ways linked.
    assert "约谈承诺：配齐专职安防人员" in _text(county.get("/ledger/"))
    inbox = _text(county.get("/supervision/inbox/"))
    assert "新分配整改任务：绥滨县“约谈承诺：2030年3月31日前完成教育专网招标”" in inbox
    origin_panel = _text(county.get(f"/ledger/items/{origins[0].pk}/panels/"))
    assert "约谈承诺（后续整改任务）" in origin_panel
    assert f'href="/ledger/items/{first.pk}/"' in origin_panel
    source_panel = _text(city.get(f"/ledger/items/{first.pk}/panels/"))
    assert "约谈绥滨县的整改承诺" in source_panel
    assert f'href="/ledger/items/{origins[0].pk}/"' in source_panel
    # Not progress notes any more.
    assert "约谈承诺" not in "".join(p.text for i in origins for p in i.progress_updates.all())

    # The neighbour sees nothing of it.
    luobei = client_for("luobei")
    assert luobei.get(f"/ledger/items/{first.pk}/").status_code == 404
    assert "约谈承诺" not in _text(luobei.get("/ledger/"))

    # Chased like any item: red once its own deadline passes, urged, signed off from above.
    run(today=datetime.date(2030, 4, 8), say=lambda _: None)
    assert ItemWatch.objects.get(item=first).colour == Colour.RED
    city.post("/supervision/urge/", {"items": [first.pk], "note": "请报送招标结果"})
    assert Action.objects.filter(item=first, step=Step.URGE, note="请报送招标结果").exists()
    suibin = personas["suibin"]
    ledger_services.item_update(
        acting_user=suibin, item=first, expected_version=first.version, outcome="已完成招标"
    )
    ledger_services.item_start(acting_user=suibin, item=first, expected_version=None)
    ledger_services.item_request_signoff(acting_user=suibin, item=first, expected_version=None)
    ledger_services.item_sign_off(acting_user=personas["hegang"], item=first, expected_version=None)
    first.refresh_from_db()
    assert first.status == "signed_off"


def test_a_commitment_without_a_deadline_is_refused_and_nothing_is_saved(
    ledger: Any, client_for: Any
) -> None:
    items, made = Item.objects.count(), AuditEvent.objects.count()
    page = _interview(client_for("hegang"), ledger.suibin_items[:1], "完成招标\n配齐人员")
    assert "第 1 条整改承诺没有完成时限" in _text(page)
    bad_date = _interview(client_for("hegang"), ledger.suibin_items[:1], "完成招标 2030-02-30")
    assert "不是有效日期" in _text(bad_date)
    assert not Interview.objects.exists() and not FollowUp.objects.exists()
    assert (Item.objects.count(), AuditEvent.objects.count()) == (items, made)
