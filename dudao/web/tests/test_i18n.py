"""Chinese by default; English through Django's i18n (Accept-Language)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default(ledger: Any, client_for: Any) -> None:
    page = client_for("hegang").get(reverse("ledger")).content.decode()
    assert 'lang="zh-CN"' in page
    assert "整改台账" in page and "牵头单位" in page


def test_english_is_available(ledger: Any, client_for: Any) -> None:
    page = client_for("hegang").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page
    assert "All items" in page and "Ledger" in page
    assert "全部整改任务" not in page


def test_the_ledger_table_is_translated_too(ledger: Any, client_for: Any) -> None:
    # The table is also the htmx answer (a partial of the page): translated alike.
    english = client_for("hegang").get(reverse("ledger"), HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    assert "<th>Lead unit</th>" in page and "<th>牵头单位</th>" not in page
    htmx = client_for("hegang").get(
        reverse("ledger"), HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true"
    )
    assert "<th>Lead unit</th>" in htmx.content.decode()
