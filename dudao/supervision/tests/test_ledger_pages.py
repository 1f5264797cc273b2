"""What 督查督办 changes on the ledger's own pages: colours, 超期 only for items that can be
late, one date format, the reason of a send-back at the top of the item page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dudao.rectification import services
from dudao.supervision.remind import run

pytestmark = pytest.mark.django_db


def _ask(user: Any, item: Any) -> None:
    services.item_update(acting_user=user, item=item, expected_version=item.version, outcome="完成")
    services.item_start(acting_user=user, item=item, expected_version=item.version)
    services.item_request_signoff(acting_user=user, item=item, expected_version=item.version)


def test_waiting_and_ongoing_items_are_not_badged_overdue(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    first, second = ledger.suibin_items
    _ask(personas["suibin"], first)
    services.item_mark_ongoing(
        acting_user=personas["suibin"], item=second, expected_version=second.version
    )
    page = client_for("hegang").get("/ledger/?region=230422").content.decode()
    assert "2024年6月30日" in page and "2024-06-30" not in page
    assert '<span class="badge overdue">超期</span>' not in page
    assert '<span class="badge overdue">超期 0</span>' in page


def test_the_ledger_list_shows_the_warning_colour(ledger: Any, client_for: Any) -> None:
    run(today=datetime.date(2025, 9, 30), say=lambda _: None)
    page = client_for("hegang").get("/ledger/?region=230422").content.decode()
    assert page.count('<span class="badge warn-red">红</span>') == 2
    assert '<span class="badge overdue">超期</span>' in page


def test_the_reason_of_a_send_back_is_at_the_top_of_the_item_page(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    item = ledger.suibin_items[0]
    _ask(personas["suibin"], item)
    services.item_send_back(
        acting_user=personas["hegang"],
        item=item,
        expected_version=item.version,
        reason="请补充抽查结果",
    )
    page = client_for("suibin").get(f"/ledger/items/{item.pk}/").content.decode()
    top = page.index('<div class="sent-back"')
    assert "请补充抽查结果" in page[top : top + 300]
    assert top < page.index("<h2")
    item.refresh_from_db()
    services.item_request_signoff(
        acting_user=personas["suibin"], item=item, expected_version=item.version
    )
    again = client_for("suibin").get(f"/ledger/items/{item.pk}/").content.decode()
    assert 'class="sent-back"' not in again
