"""The overview counts against the original deadline as well as the current one: an
approved 延期 moves an item's deadline, the statistics can still say it was late."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from dudao.rectification import services as ledger_services
from dudao.supervision.models import Extension

pytestmark = pytest.mark.django_db


def _row(page: str, region: str) -> list[str]:
    """The cells of `region`'s row in the timeliness table."""
    table = page.split('id="timeliness"', 1)[1].split("</table>", 1)[0]
    match = re.search(rf"<tr><th>{region}</th>(.*?)</tr>", table)
    assert match is not None, table
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_an_approved_extension_is_late_against_the_original_deadline(
    ledger: Any, personas: dict[str, Any], client_for: Any
) -> None:
    county, city = client_for("suibin"), client_for("hegang")
    extended = ledger.suibin_items[0]  # both items are due 2024-06-30, long past
    before = _row(city.get("/supervision/").content.decode(), "绥滨县")
    # Nothing extended: both are overdue by either count, nothing signed off yet.
    assert before == ["0", "2", "2", "0", "—", "—"]

    new = ledger_services.today() + datetime.timedelta(days=30)
    county.post(
        f"/supervision/items/{extended.pk}/extension/",
        {"new_deadline": new.isoformat(), "reason": "设备采购需走政府采购程序"},
    )
    ext = Extension.objects.get(item=extended)
    city.post(f"/supervision/extensions/{ext.pk}/decide/", {"decision": "approve", "note": "同意"})
    extended.refresh_from_db()
    assert extended.deadline == new
    page = city.get("/supervision/").content.decode()
    # The extended item is no longer overdue, but still late against its original deadline.
    assert _row(page, "绥滨县") == ["1", "1", "2", "0", "—", "—"]
    assert "按原期限超期" in page

    # Signed off today: in time for its new deadline, not for its original one.
    suibin, hegang = personas["suibin"], personas["hegang"]
    ledger_services.item_update(
        acting_user=suibin, item=extended, expected_version=extended.version, outcome="已完成"
    )
    ledger_services.item_start(acting_user=suibin, item=extended, expected_version=None)
    ledger_services.item_request_signoff(acting_user=suibin, item=extended, expected_version=None)
    ledger_services.item_sign_off(acting_user=hegang, item=extended, expected_version=None)
    page = city.get("/supervision/").content.decode()
    assert _row(page, "绥滨县") == ["1", "1", "1", "1", "100%（1/1）", "0%（0/1）"]
    # 萝北县 (due 2030) is on time by either count; it sees nothing of 绥滨县's rows.
    assert _row(page, "萝北县") == ["0", "0", "0", "0", "—", "—"]
    assert "绥滨县" not in client_for("luobei").get("/supervision/").content.decode()


@pytest.mark.parametrize(
    "utc",
    [
        "2024-06-29 15:59:59.999999",  # 23:59:59 in 绥滨县: still the 29th
        "2024-06-29 16:00:00",  # local midnight: the 30th
        "2024-06-30 15:59:59",  # the deadline's last second
        "2024-06-30 16:00:00.5",  # one moment late
        "2024-12-31 20:00:00",  # the new year, locally
    ],
)
def test_a_sign_off_falls_on_the_local_date_as_django_computes_it(
    ledger: Any, personas: dict[str, Any], utc: str
) -> None:
    """The overview's on-time counts compare the deadline with the local date of the
    sign-off; the SQLite shortcut (date() with the zone's fixed offset) must give the date
    Django's own TruncDate gives, on either database."""
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from dudao.rectification.models import Item
    from dudao.supervision.overview import LocalDate

    item = ledger.suibin_items[0]
    moment = datetime.datetime.fromisoformat(utc).replace(tzinfo=datetime.UTC)
    Item.objects.filter(pk=item.pk).update(signed_off_at=moment)
    ours, django = (
        Item.objects.filter(pk=item.pk)
        .annotate(ours=LocalDate("signed_off_at"), django=TruncDate("signed_off_at"))
        .values_list("ours", "django")
        .get()
    )
    assert ours == django == timezone.localtime(moment).date()
