"""One rule for partial updates, in a real browser: whatever a partial form posts, an answer
with a message (4xx) is shown where the user acted, and the form keeps what was typed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from dudao.web.tests.browsing import CHROMIUM, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def _export(user: Any) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("ledger-xlsx"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _with_deadline(data: bytes, text: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["绥滨县"]
    header = [c.value for c in sheet[2]]
    sheet.cell(row=3, column=header.index("整改时限") + 1).value = text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page: Any, name: str, data: bytes) -> None:
    page.set_input_files(
        "input[name=file]",
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}],
    )
    page.click("button:has-text('检查')")


def test_a_bad_row_in_an_excel_ledger_is_shown_on_the_page(
    browser: Any, live_server: Any, ledger: Any, personas: Any
) -> None:
    data = _with_deadline(_export(personas["suibin"]), "2025年13月1日")
    suibin = login(browser, live_server, "suibin")
    suibin.goto(f"{live_server.url}{reverse('ledger-xlsx-import')}")
    _upload(suibin, "绥滨县台账.xlsx", data)
    suibin.wait_for_selector("#import-result .error")
    result = suibin.inner_text("#import-result")
    assert "第3行" in result
    assert "“2025年13月1日”不是有效日期" in result
    # The form is still there, with the file picked, to upload again after fixing the row.
    assert suibin.locator("input[name=file]").evaluate("e => e.files[0].name") == "绥滨县台账.xlsx"


def test_a_pdf_uploaded_as_an_excel_ledger_is_refused_on_the_page(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    suibin = login(browser, live_server, "suibin")
    suibin.goto(f"{live_server.url}{reverse('ledger-xlsx-import')}")
    _upload(suibin, "台账.xlsx", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    suibin.wait_for_selector("#import-result .error")
    message = suibin.inner_text("#import-result")
    assert "台账.xlsx：" in message
    assert "PDF" in message or "不是" in message


def test_an_expired_confirmation_says_so_on_the_page(
    browser: Any, live_server: Any, ledger: Any, personas: Any
) -> None:
    from dudao.rectification.models import Item

    data = _export(personas["suibin"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["绥滨县"]
    header = [c.value for c in sheet[2]]
    sheet.cell(row=3, column=header.index("备注") + 1).value = "已核实"
    out = io.BytesIO()
    book.save(out)
    suibin = login(browser, live_server, "suibin")
    suibin.goto(f"{live_server.url}{reverse('ledger-xlsx-import')}")
    _upload(suibin, "台账.xlsx", out.getvalue())
    suibin.wait_for_selector("button:has-text('确认导入')")
    # The preview is confirmed in another tab (or the session ended): the token is gone.
    suibin.evaluate("document.querySelector('input[name=token]').value = 'stale'")
    suibin.click("button:has-text('确认导入')")
    suibin.wait_for_selector("text=导入已过期或已完成，请重新上传台账文件")
    assert not Item.objects.filter(remark="已核实").exists()


def test_a_refused_indicator_upload_keeps_the_choices_made(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    hegang = login(browser, live_server, "hegang")
    hegang.goto(f"{live_server.url}{reverse('evaluation')}")
    suibin_county = hegang.locator("#upload select[name=region] option", has_text="绥滨县")
    chosen = suibin_county.first.get_attribute("value")
    hegang.select_option("#upload select[name=region]", chosen)
    hegang.fill("#upload input[name=year]", "2023")
    hegang.set_input_files(
        "#upload input[name=file]",
        files=[{"name": "数据.xlsx", "mimeType": "text/plain", "buffer": "不是表格".encode()}],
    )
    hegang.click("#upload button:has-text('上传并校验')")
    hegang.wait_for_selector("#upload .error")
    assert hegang.locator("#upload .error").first.inner_text().strip()
    assert hegang.input_value("#upload select[name=region]") == chosen
    assert hegang.input_value("#upload input[name=year]") == "2023"


def test_a_whole_error_page_answering_a_partial_request_is_shown_as_its_message(
    browser: Any, live_server: Any, ledger: Any, personas: Any
) -> None:
    suibin = login(browser, live_server, "suibin")
    suibin.goto(f"{live_server.url}{reverse('ledger-xlsx-import')}")
    # The CSRF cookie is gone (the browser cleared it, the session ended): the check is
    # answered by the whole 403 page, whose message is shown above the form.
    suibin.context.clear_cookies(name="csrftoken")
    _upload(suibin, "台账.xlsx", _export(personas["suibin"]))
    suibin.wait_for_selector(".partial-error:not([hidden])")
    assert "页面已过期，请刷新页面后重新提交" in suibin.inner_text(".partial-error")
    assert suibin.locator("h1").all_inner_texts() == ["导入 Excel 台账"]


def test_a_refused_concurrent_change_on_one_item_says_why_and_keeps_the_text(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    item = ledger.suibin_items[0]
    url = f"{live_server.url}{reverse('item', args=[item.pk])}"
    first = login(browser, live_server, "suibin")
    first.goto(url)
    second = first.context.new_page()
    second.goto(url)
    second.click("button:has-text('开始整改')")
    assert "已开始整改" in second.inner_text(".messages")
    # The first tab still shows the item as not started: its click is refused with a reason.
    first.click("button:has-text('开始整改')")
    first.wait_for_selector("#actions .error")
    assert "当前状态为“整改中”，不能开始整改" in first.inner_text("#actions .error")
    # Two clerks edit the same item: the later save is refused (409), the text stays.
    first.goto(url)
    second.goto(url)
    second.fill("textarea[name=outcome]", "第二位经办人的整改情况。")
    second.click("#details button:has-text('保存')")
    first.fill("textarea[name=outcome]", "第一位经办人的整改情况。")
    first.click("#details button:has-text('保存')")
    first.wait_for_selector("#details .error")
    assert "已被他人修改" in first.inner_text("#details .error")
    assert first.input_value("textarea[name=outcome]") == "第一位经办人的整改情况。"
    item.refresh_from_db()
    assert item.outcome == "第二位经办人的整改情况。"
