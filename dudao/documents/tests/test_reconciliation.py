"""对账: the round's regions side by side, and a dispatched item against its report."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from dudao.cli import main
from dudao.rectification import services

pytestmark = pytest.mark.django_db


def report(chain: Any, tmp_path: Path, region: str, kind: str, user: str, *extra: str) -> None:
    out = tmp_path / f"{region}-{kind}.docx"
    main(["report", "--round", str(chain.round.pk), "--region", region, "--kind", kind,
          "--user", user, "-o", str(out), *extra])  # fmt: skip


def test_the_round_page_shows_notice_report_and_sign_offs_per_region(
    chain: Any, tmp_path: Path, client_for: Any, capsys: Any, personas: Any
) -> None:
    report(chain, tmp_path, "230422", "feedback", "hegang", "--date", "2024-03-01",
           "--doc-number", "鹤教督函〔2024〕3号")  # fmt: skip
    report(chain, tmp_path, "230421", "feedback", "hegang", "--date", "2024-03-01",
           "--doc-number", "鹤教督函〔2024〕4号")  # fmt: skip
    report(chain, tmp_path, "230422", "rectification", "suibin", "--date", "2024-05-28",
           "--doc-number", "绥政函〔2024〕17号")  # fmt: skip
    report(chain, tmp_path, "230421", "rectification", "luobei", "--date", "2025-02-01",
           "--doc-number", "萝政函〔2025〕2号")  # fmt: skip
    item = chain.suibin_items[0]
    services.item_update(
        acting_user=personas["suibin"], item=item, expected_version=item.version, outcome="已完成。"
    )
    services.item_start(acting_user=personas["suibin"], item=item, expected_version=item.version)
    services.item_request_signoff(
        acting_user=personas["suibin"], item=item, expected_version=item.version
    )
    services.item_sign_off(acting_user=personas["hegang"], item=item, expected_version=item.version)
    page = client_for("hegang").get(reverse("round-reconciliation", args=[chain.round.pk]))
    rows = {r.region.code: r for r in page.context["rows"]}
    suibin, luobei, city = rows["230422"], rows["230421"], rows["230400"]
    assert suibin.notice.doc_number == "鹤教督函〔2024〕3号"
    assert (suibin.report.doc_number, suibin.report.date) == (
        "绥政函〔2024〕17号",
        datetime.date(2024, 5, 28),
    )
    assert suibin.on_time is True and (suibin.signed_off, suibin.total) == (1, 2)
    assert luobei.on_time is False  # after 2024-12-31, its items' latest deadline
    assert city.notice is None and city.report is None
    body = page.content.decode()
    assert "绥政函〔2024〕17号，2024年5月28日" in body and "逾期" in body
    # the neighbour sees its own row only
    page = client_for("luobei").get(reverse("round-reconciliation", args=[chain.round.pk]))
    assert [r.region.code for r in page.context["rows"]] == ["230421"]


def test_the_review_page_shows_what_the_county_reported(
    chain: Any, tmp_path: Path, client_for: Any, capsys: Any, personas: Any
) -> None:
    item = chain.suibin_items[1]
    suibin = personas["suibin"]
    services.item_update(
        acting_user=suibin, item=item, expected_version=item.version, outcome="已开展安防培训。"
    )
    report(chain, tmp_path, "230422", "rectification", "suibin", "--date", "2024-05-28",
           "--doc-number", "绥政函〔2024〕17号")  # fmt: skip
    item.refresh_from_db()
    services.item_update(
        acting_user=suibin, item=item, expected_version=item.version, outcome="改过的整改情况。"
    )
    services.item_start(acting_user=suibin, item=item, expected_version=item.version)
    services.item_request_signoff(acting_user=suibin, item=item, expected_version=item.version)
    page = client_for("hegang").get(reverse("item-review", args=[item.pk]))
    assert page.context["reported"].text == "已开展安防培训。"  # as the letter printed it
    body = page.content.decode()
    assert "改过的整改情况。" in body and "同意销号" in body and "退回理由" in body
    assert "申请销号" in body  # the history
    assert client_for("luobei").get(reverse("item-review", args=[item.pk])).status_code == 404
    assert (
        "同意销号"
        not in client_for("province").get(reverse("item-review", args=[item.pk])).content.decode()
    )
