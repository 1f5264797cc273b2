"""The Excel 台账 mapping step in Chromium at 1366×768, as a clerk goes through it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from dudao.documents.models import ColumnMapping
from dudao.documents.tests.test_sheet_import import TITLE, foreign_ledger
from dudao.rectification.models import Item, Status
from dudao.web.tests.browsing import CHROMIUM, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_clerk_maps_corrects_and_imports_an_own_ledger(
    browser: Any, live_server: Any, personas: dict[str, Any]
) -> None:
    page = login(browser, live_server, "suibin")
    page.goto(live_server.url + reverse("import-upload"))
    page.click("#sheet-import-link")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "绥滨县整改台账.xlsx", "mimeType": XLSX, "buffer": foreign_ledger()}],
    )
    page.click("main button.primary")
    page.wait_for_selector("#sheet-columns")
    # the proposal from the header names, on the ledger's sheet and header row
    assert page.input_value("select[name=sheet]") == "1"
    assert page.input_value("input[name=header_row]") == "3"
    assert page.input_value("select[name=col_2]") == "problem"
    assert page.input_value("select[name=col_8]") == ""
    assert "县级教育经费投入未做到“两个只增不减”" in page.inner_text("#sheet-columns")
    # the 整改进展 column was not guessed: the clerk sets it and previews
    page.select_option("select[name=col_8]", "outcome")
    page.click("#sheet-preview")
    page.wait_for_selector("#sheet-read")
    assert page.input_value("select[name=col_8]") == "outcome"
    assert "共 5 个问题" in page.inner_text("#sheet-read")
    assert "申请销号" in page.inner_text("#sheet-read")
    # a new round: its name and year come from the title row; the clerk names the sender
    assert page.input_value("input[name=title]") == TITLE
    page.fill("input[name=issuer]", "鹤岗市人民政府教育督导室")
    # the action stays on screen at 1366×768
    assert page.locator("#sheet-confirm").is_visible()
    page.click("#sheet-confirm")
    page.wait_for_selector("#sheet-result")
    assert "导入 5 个问题" in page.inner_text("#sheet-result")
    items = Item.objects.filter(problem__round__title=TITLE).order_by("problem__order")
    assert items.count() == 5
    assert items[0].outcome == "追加预算已于5月拨付到位"
    assert items[0].status == Status.SIGNOFF_REQUESTED
    assert ColumnMapping.objects.get().fields[8] == "outcome"
    # the ledger shows the round's items
    page.click("text=查看本评价的整改台账")
    page.wait_for_load_state()
    assert "县级教育经费投入未做到" in page.inner_text("main")
