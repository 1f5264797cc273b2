"""Each user sets their own e-mail address on the notification settings page; a supervisor
sets it for the users of its subtree. The daily digest then goes to the new address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.supervision.remind import run
from dudao.supervision.tests.conftest import Inbox, body_of

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def test_an_officer_sets_an_address_and_the_digest_goes_there(
    smtp: Inbox, ledger: Any, client_for: Any
) -> None:
    county = client_for("suibin")
    page = _text(county.get("/supervision/preferences/"))
    assert "尚未填写电子邮箱" in page
    bad = county.post("/supervision/preferences/", {"form": "email", "email": "张三@@gov"})
    assert bad.status_code == 400
    assert "不是有效的电子邮箱地址" in _text(bad)
    assert User.objects.get(username="suibin").email == ""

    county.post("/supervision/preferences/", {"form": "email", "email": " Zhang@Suibin.GOV.cn "})
    assert User.objects.get(username="suibin").email == "Zhang@suibin.gov.cn"
    event = AuditEvent.objects.get(action="user_set_email")
    assert event.actor is not None and event.actor.username == "suibin"
    assert event.changes == {"email": ["", "Zhang@suibin.gov.cn"]}
    assert "通知摘要发送到 <b>Zhang@suibin.gov.cn</b>" in _text(
        county.get("/supervision/preferences/")
    )

    # The city chases one of 绥滨县's items; the day's run mails the digest to the address.
    client_for("hegang").post(
        "/supervision/urge/", {"items": [ledger.suibin_items[0].pk], "note": "请本周内报送进展"}
    )
    run(today=datetime.date(2025, 9, 30), say=lambda _: None)
    to_county = [m for m in smtp.messages if m["To"] == "Zhang@suibin.gov.cn"]
    assert len(to_county) == 1
    assert "请本周内报送进展" in body_of(to_county[0])


def test_a_supervisor_sets_the_address_of_a_user_below_and_the_neighbour_cannot(
    smtp: Inbox, ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    suibin = personas["suibin"]
    city = client_for("hegang")
    city.post(f"/accounts/users/{suibin.pk}/email/", {"email": "suibin-jyj@example.gov.cn"})
    suibin.refresh_from_db()
    assert suibin.email == "suibin-jyj@example.gov.cn"
    assert "<td>suibin-jyj@example.gov.cn</td>" in _text(city.get("/accounts/users/"))
    page = _text(city.get(f"/accounts/users/{suibin.pk}/"))
    assert "电子邮箱：suibin-jyj@example.gov.cn" in page and "修改电子邮箱" in page
    event = AuditEvent.objects.get(action="user_set_email")
    assert event.actor is not None and event.actor.username == "hegang"

    wrong = city.post(
        f"/accounts/users/{suibin.pk}/email/", {"email": "not an address"}, follow=True
    )
    assert "不是有效的电子邮箱地址" in _text(wrong)
    suibin.refresh_from_db()
    assert suibin.email == "suibin-jyj@example.gov.cn"

    neighbour = client_for("luobei").post(
        f"/accounts/users/{suibin.pk}/email/", {"email": "x@example.gov.cn"}
    )
    assert neighbour.status_code in (403, 404)
    suibin.refresh_from_db()
    assert suibin.email == "suibin-jyj@example.gov.cn"

    client_for("hegang").post("/supervision/urge/", {"items": [ledger.suibin_items[0].pk]})
    run(today=datetime.date(2025, 9, 30), say=lambda _: None)
    assert [m["To"] for m in smtp.messages if "suibin" in m["To"]] == ["suibin-jyj@example.gov.cn"]
