"""The documents page offers each user only what it may do, and regions by name."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def kinds_offered(page: Any) -> list[str]:
    return [label for value, label in page.context["target_form"].fields["kind"].widget.choices]


def test_a_county_is_offered_only_its_own_report(ledger: Any, client_for: Any) -> None:
    page = client_for("suibin").get(reverse("documents"))
    assert kinds_offered(page) == ["整改情况报告"]
    generate = page.content.decode().split('id="generate"')[1].split("</section>")[0]
    assert 'value="rectification"' in generate
    assert 'value="feedback"' not in generate and 'value="summary"' not in generate


def test_a_city_supervisor_is_offered_every_kind(ledger: Any, client_for: Any) -> None:
    page = client_for("hegang").get(reverse("documents"))
    assert kinds_offered(page) == ["整改情况报告", "整改通知", "整改汇总报告"]


def test_a_viewer_is_told_it_cannot_generate(ledger: Any, client_for: Any) -> None:
    body = client_for("viewer").get(reverse("documents")).content.decode()
    assert "只读账号可以查看和下载公文，不能生成公文" in body
    assert reverse("document-new") not in body


def test_the_region_filter_lists_the_regions_the_user_sees_by_name(
    ledger: Any, client_for: Any
) -> None:
    hegang = client_for("hegang").get(reverse("documents"))
    choices = dict(hegang.context["form"].fields["region"].choices)
    assert choices["230422"] == "鹤岗市绥滨县"
    assert "230000" not in choices  # above the city
    assert "地区代码" not in hegang.content.decode()
    luobei = client_for("luobei").get(reverse("documents"))
    assert list(dict(luobei.context["form"].fields["region"].choices)) == ["", "230421"]
    refused = client_for("luobei").get(reverse("documents") + "?region=230422")
    assert refused.status_code == 200 and not refused.context["form"].is_valid()


def test_a_viewer_is_offered_neither_generating_nor_importing(ledger: Any, client_for: Any) -> None:
    viewer = client_for("viewer")
    round_page = viewer.get(reverse("round", args=[ledger.round.pk])).content.decode()
    assert reverse("document-new") not in round_page
    assert reverse("ledger-xlsx-import") not in round_page
    assert reverse("ledger-xlsx-import") not in viewer.get(reverse("documents")).content.decode()
    refused = viewer.get(reverse("document-new") + f"?round={ledger.round.pk}")
    assert refused.status_code == 403
    assert "不能生成公文" in refused.content.decode()
    assert (
        reverse("document-new")
        in client_for("suibin").get(reverse("round", args=[ledger.round.pk])).content.decode()
    )
