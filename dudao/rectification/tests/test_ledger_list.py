"""The ledger list: filters, counts per status, pagination, constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dudao.rectification import services
from dudao.rectification.models import Item, Problem, Status

pytestmark = pytest.mark.django_db


def test_filters_by_region_status_dimension_overdue_and_text(ledger: Any, client_for: Any) -> None:
    hegang = client_for("hegang")
    Item.objects.filter(pk=ledger.suibin_items[1].pk).update(status=Status.SIGNOFF_REQUESTED)
    url = reverse("ledger")

    def rows(query: str) -> str:
        body: str = hegang.get(url + query).content.decode()
        return body.split("<tbody>")[1]

    assert "萝北县" not in rows("?region=230422")
    assert rows("?status=signoff_requested").count("<tr") == 1
    assert "安防人员" in rows("?dimension=校园安全") and "教育专网" not in rows(
        "?dimension=校园安全"
    )
    overdue = rows("?overdue=on")  # 绥滨's deadline 2024-06-30 has passed; 萝北's 2030 has not
    assert "绥滨县" in overdue and "萝北县" not in overdue
    assert rows("?q=专网").count("<tr") == 2
    assert "没有符合条件的整改任务" in rows("?q=不存在的词")


def test_text_search_ignores_the_case_of_latin_letters(ledger: Any, client_for: Any) -> None:
    # Reports mix Latin abbreviations into Chinese text (PDF, GB/T, CT); a clerk types them
    # in either case. SQLite runs with case_sensitive_like for the region index.
    Item.objects.filter(pk=ledger.suibin_items[0].pk).update(measures="上传 PDF 版验收报告")
    Item.objects.filter(pk=ledger.suibin_items[1].pk).update(lead_unit="县教育局 gb/t 小组")
    Problem.objects.filter(pk=ledger.problems[0].pk).update(statement="CT 室未建成")  # 2 items
    hegang = client_for("hegang")
    cases = (("pdf", 1), ("PDF", 1), ("Pdf 验收", 1), ("GB/T", 1), ("ct", 2), ("pdfx", 0))
    for query, expected in cases:
        body = hegang.get(reverse("ledger"), {"q": query}).content.decode()
        assert body.count('href="/ledger/items/') == expected, query


def test_counts_per_status_ignore_the_status_filter(ledger: Any, client_for: Any) -> None:
    page = client_for("hegang").get(reverse("ledger") + "?status=signed_off").content.decode()
    assert "全部 4" in page
    assert "未开始 4" in page
    assert "超期 2" in page


def test_htmx_requests_get_only_the_table(ledger: Any, client_for: Any) -> None:
    response = client_for("hegang").get(reverse("ledger"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


def make_many(ledger: Any, personas: Any, regions: Any, n: int) -> None:
    for i in range(n):
        p = services.problem_add(
            acting_user=personas["province"],
            rnd=ledger.round,
            dimension="校园安全",
            statement=f"问题{i}",
        )
        services.items_assign(
            acting_user=personas["province"],
            rnd=ledger.round,
            problems=[p],
            regions=[regions["230422"], regions["230402"]],
            deadline=None,
        )


def test_the_query_count_does_not_grow_with_the_page(
    ledger: Any, personas: Any, regions: Any, client_for: Any
) -> None:
    hegang = client_for("hegang")
    hegang.get(reverse("ledger"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert hegang.get(reverse("ledger")).status_code == 200
    make_many(ledger, personas, regions, 30)
    with CaptureQueriesContext(connection) as large:
        page = hegang.get(reverse("ledger")).content.decode()
    assert page.count('<a href="/ledger/items/') == 50
    assert "第 1 / 2 页，共 64 项" in page
    assert len(large) == len(small)
    second = hegang.get(reverse("ledger") + "?page=2").content.decode()
    assert second.count('<a href="/ledger/items/') == 14


def test_the_item_page_query_count_is_constant(ledger: Any, personas: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    hegang = client_for("hegang")
    hegang.get(reverse("item", args=[item.pk]))
    with CaptureQueriesContext(connection) as few:
        hegang.get(reverse("item", args=[item.pk]))
    for n in range(5):
        services.progress_add(acting_user=personas["suibin"], item=item, text=f"进展{n}")
    with CaptureQueriesContext(connection) as many:
        page = hegang.get(reverse("item", args=[item.pk])).content.decode()
    assert "进展4" in page
    assert len(many) == len(few)
