"""The ladder in a real browser, as the city and as the county: 催办, 督办通知 (with its
document), 通报, 约谈, and an extension requested and approved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dudao.rectification import services as ledger_services
from dudao.supervision.remind import run
from dudao.web.tests.browsing import login

pytestmark = [pytest.mark.browser]


def test_the_ladder_and_an_extension_in_the_browser(
    browser: Any,
    live_server: Any,
    ledger: Any,
) -> None:
    item = ledger.suibin_items[0]
    run(today=datetime.date(2025, 9, 30), say=lambda _: None, mail=False)

    city = login(browser, live_server, "hegang")
    city.click("text=督查督办")
    assert "各地各维度整改情况" in city.inner_text("main")
    city.check(f"input[name=items][value='{item.pk}']")
    city.fill("#chase-note", "请本周内报送进展")
    city.click("#chase button:has-text('催办')")
    assert "已催办 1 项整改任务" in city.inner_text(".messages")
    city.check(f"input[name=items][value='{item.pk}']")
    city.click("#chase button:has-text('发督办通知')")
    year = ledger_services.today().year
    assert f"已生成督办通知 1 份：鹤教督函〔{year}〕" in city.inner_text(".messages")
    city.check(f"input[name=items][value='{item.pk}']")
    city.click("#chase button:has-text('通报')")
    assert f"已生成通报：鹤教督函〔{year}〕" in city.inner_text(".messages")
    city.check(f"input[name=items][value='{item.pk}']")
    city.click("#chase button:has-text('记录约谈')")
    city.fill("textarea[name=attendees]", "绥滨县副县长、教育局局长")
    city.fill("textarea[name=minutes]", "听取整改汇报，指出进度滞后。")
    city.fill("textarea[name=commitments]", "一个月内完成招标")
    city.click("button:has-text('保存约谈记录')")
    # A commitment needs a deadline: refused with the reason, nothing recorded.
    assert "第 1 条整改承诺没有完成时限" in city.inner_text(".messages")
    city.check(f"input[name=items][value='{item.pk}']")
    city.click("#chase button:has-text('记录约谈')")
    city.fill("textarea[name=attendees]", "绥滨县副县长、教育局局长")
    city.fill("textarea[name=minutes]", "听取整改汇报，指出进度滞后。")
    city.fill("textarea[name=commitments]", "一个月内完成招标")
    city.fill("#iv-due", "2030-06-30")
    city.click("button:has-text('保存约谈记录')")
    assert "整改承诺已列为 1 项后续整改任务" in city.inner_text(".messages")

    county = login(browser, live_server, "suibin")
    assert county.inner_text(".unread-count")
    county.click("text=督查督办")
    received = county.inner_text("main")
    for word in ("收到的催办与督办", "催办", "督办通知", "通报", "约谈"):
        assert word in received
    href = county.get_attribute("a:has-text('下载文书') >> nth=0", "href")
    response = county.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert ".docx" in response.headers["content-disposition"]
    pdf = county.get_attribute("a:has-text('PDF') >> nth=0", "href")
    assert pdf is not None and pdf.endswith("/pdf/")
    county.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    county.wait_for_selector("#supervision-panel")
    panel = county.inner_text("#supervision-panel")
    assert f"鹤教督函〔{year}〕" in panel and "约谈承诺：一个月内完成招标" in panel
    county.click("summary:has-text('申请延期')")
    county.fill("input[name=new_deadline]", "2030-06-30")
    county.fill("textarea[name=reason]", "需走政府采购程序")
    county.click("button:has-text('提交延期申请')")
    assert "已提交延期申请" in county.inner_text(".messages")

    city.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    city.wait_for_selector("#supervision-panel")
    city.fill("#ext-note", "同意，请按期完成")
    city.click("button:has-text('同意延期')")
    assert "已同意延期" in city.inner_text(".messages")
    city.wait_for_selector("#supervision-panel")
    panel = city.inner_text("#supervision-panel")
    assert "原定整改时限：2024年6月30日" in panel and "2030年6月30日" in panel
