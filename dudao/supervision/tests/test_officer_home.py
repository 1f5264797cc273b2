"""The officer's home: sent back (with the reason, also at the top of the item page), due
soon, overdue, and the 催办/督办 received."""

from __future__ import annotations

from typing import Any

import pytest

from dudao.rectification import services as ledger_services
from dudao.supervision.calendar import work_calendar
from dudao.supervision.remind import run

pytestmark = pytest.mark.django_db


def test_the_officer_s_home_shows_what_needs_doing(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    suibin, hegang = personas["suibin"], personas["hegang"]
    late, soon = ledger.suibin_items  # both due 2024-06-30
    today = ledger_services.today()
    ledger_services.item_update(
        acting_user=suibin,
        item=soon,
        expected_version=soon.version,
        deadline=work_calendar().add(today, 2),
    )
    ledger_services.item_update(
        acting_user=suibin, item=late, expected_version=late.version, outcome="已完成"
    )
    ledger_services.item_start(acting_user=suibin, item=late, expected_version=None)
    ledger_services.item_request_signoff(acting_user=suibin, item=late, expected_version=None)
    ledger_services.item_send_back(
        acting_user=hegang, item=late, expected_version=None, reason="缺少验收报告"
    )
    client_for("hegang").post("/supervision/urge/", {"items": [late.pk], "note": "请三日内补齐"})
    run(today=today, say=lambda _: None)

    home = client_for("suibin").get("/").content.decode()
    section = home.split('id="supervision-home"', 1)[1].split("</section>", 1)[0]
    assert "被退回给我" in section and "退回理由：缺少验收报告" in section
    assert "临近时限" in section and "安防人员专业知识" in section
    assert "收到的催办与督办" in section and "请三日内补齐" in section
    assert f'href="/ledger/items/{late.pk}/"' in section
    # Overdue: the home's own list.
    overdue_row = f'<tr class="is-overdue"><td>绥滨县</td><td><a href="/ledger/items/{late.pk}/">'
    assert overdue_row in home
    item_page = client_for("suibin").get(f"/ledger/items/{late.pk}/").content.decode()
    assert item_page.index("缺少验收报告") < item_page.index("整改措施")

    assert 'id="supervision-home"' not in client_for("hegang").get("/").content.decode()
    neighbour = client_for("luobei").get("/").content.decode()
    assert "绥滨" not in neighbour and "请三日内补齐" not in neighbour
