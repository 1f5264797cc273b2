"""The workflow in a real browser: headless Debian Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dudao.web.tests.browsing import CHROMIUM, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def test_a_county_reports_and_the_city_signs_off(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    item = ledger.suibin_items[0]
    suibin = login(browser, live_server, "suibin")
    suibin.click("text=整改台账")
    suibin.click("text=教育专网建设进度缓慢")
    assert "未开始" in suibin.inner_text(".meta")
    suibin.click("button:has-text('开始整改')")
    suibin.fill("textarea[name=outcome]", "已完成教育城域网改造，网络拓扑和安全策略已完善。")
    suibin.click("#details button:has-text('保存')")
    assert "已保存" in suibin.inner_text(".messages")
    suibin.fill("textarea[name=text]", "完成专家论证")
    suibin.click("button:has-text('添加进展')")
    assert "完成专家论证" in suibin.inner_text("#timeline")
    suibin.click("button:has-text('申请销号')")
    assert "等待上级督导审核" in suibin.inner_text(".messages")

    hegang = login(browser, live_server, "hegang")
    assert "待我销号" in hegang.inner_text("main")
    hegang.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    hegang.click("button:has-text('退回')")  # the reason is required: the browser stops it
    assert hegang.url.endswith(f"/ledger/items/{item.pk}/")
    hegang.fill("form[action$='/send_back/'] textarea[name=note]", "请补充佐证材料")
    hegang.click("button:has-text('退回')")
    assert "已退回" in hegang.inner_text(".messages")

    suibin.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    assert "请补充佐证材料" in suibin.inner_text("#timeline")
    suibin.click("button:has-text('申请销号')")
    hegang.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    hegang.click("button:has-text('同意销号')")
    assert "已销号" in hegang.inner_text(".meta")
    item.refresh_from_db()
    assert item.status == "signed_off"


def test_the_ledger_filters_update_in_place_and_the_neighbour_sees_nothing(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    hegang = login(browser, live_server, "hegang")
    hegang.goto(f"{live_server.url}/ledger/")
    assert hegang.locator("table.ledger tbody tr").count() == 4
    hegang.select_option("select[name=region]", "230421")
    hegang.wait_for_url("**/ledger/?*region=230421*")
    hegang.wait_for_function("document.querySelectorAll('table.ledger tbody tr').length === 2")
    assert "绥滨县" not in hegang.inner_text("table.ledger")

    luobei = login(browser, live_server, "luobei")
    luobei.goto(f"{live_server.url}/ledger/items/{ledger.suibin_items[0].pk}/")
    assert "未找到" in luobei.inner_text("main")
    luobei.goto(f"{live_server.url}/ledger/")
    assert "绥滨县" not in luobei.inner_text("main")


def test_the_ledger_search_narrows_the_list_as_the_user_types(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    hegang = login(browser, live_server, "hegang")
    hegang.goto(f"{live_server.url}/ledger/")
    assert hegang.locator("table.ledger tbody tr").count() == 4
    # typed key by key, and no Enter: the list follows the box
    hegang.locator("input[name=q]").press_sequentially("专网", delay=50)
    expect(hegang.locator("table.ledger tbody tr")).to_have_count(2)
    assert "q=" in hegang.url
    assert "安防人员" not in hegang.inner_text("table.ledger")

    # the neighbouring county's officer, typing the same, finds only its own item
    luobei = login(browser, live_server, "luobei")
    luobei.goto(f"{live_server.url}/ledger/")
    luobei.locator("input[name=q]").press_sequentially("专网", delay=50)
    expect(luobei.locator("table.ledger tbody tr")).to_have_count(1)
    assert "绥滨县" not in luobei.inner_text("main")


def test_the_excel_export_shows_its_progress_and_saves_the_file(
    browser: Any, live_server: Any, ledger: Any, tmp_path: Any
) -> None:
    hegang = login(browser, live_server, "hegang")
    hegang.goto(f"{live_server.url}/ledger/?region=230422")
    with hegang.expect_download() as download_info:
        hegang.click("#export-xlsx")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes()[:2] == b"PK"
    hegang.wait_for_function(
        "document.getElementById('export-progress').textContent.startsWith('已导出')"
    )


def test_the_excel_export_takes_the_filters_chosen_after_the_page_loaded(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    hegang = login(browser, live_server, "hegang")
    hegang.goto(f"{live_server.url}/ledger/")
    with hegang.expect_response("**/ledger/?*"):
        hegang.select_option("select[name=region]", "230422")
    with hegang.expect_request("**/documents/ledger.xlsx?*") as request_info:
        hegang.click("#export-xlsx")
    assert "region=230422" in request_info.value.url


def test_a_round_assigns_every_problem_to_the_counties_picked_by_a_filter(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    from dudao.rectification.models import Item

    province = login(browser, live_server, "province")
    province.goto(f"{live_server.url}/ledger/rounds/{ledger.round.pk}/")
    problems = province.locator(".field:has(.checklist[data-filter='筛选问题'])")
    regions = province.locator(".field:has(.checklist[data-filter^='筛选地区'])")
    problems.get_by_role("button", name="全选所显示的").click()
    regions.locator(".checklist-bar input").fill("东山")
    shown = regions.locator(".checklist label:visible").all_inner_texts()
    assert [t.strip() for t in shown] == ["东山区"]
    regions.get_by_role("button", name="全选所显示的").click()
    # Enter in the filter box filters; it does not submit the form.
    regions.locator(".checklist-bar input").press("Enter")
    regions.locator(".checklist-bar input").fill("")
    checked = regions.locator("input:checked")
    assert checked.count() == 1 and checked.get_attribute("value") == "230406"
    province.fill("input[name=deadline]", "2025-06-30")
    province.get_by_role("button", name="分配").click()
    province.wait_for_selector("text=已分配 2 项整改任务")
    assigned = Item.objects.filter(problem__round=ledger.round, region__code="230406")
    assert assigned.count() == len(ledger.problems)


def test_the_item_page_loads_the_data_check_after_itself(
    browser: Any, live_server: Any, db: Any
) -> None:
    from dudao.accounts.models import User
    from dudao.evaluation.demo import seed_evaluation
    from dudao.rectification.demo import seed_demo
    from dudao.rectification.models import Item

    seed_demo("pw-suibin")
    assert seed_evaluation(User.objects.get(username="hegang"))
    item = Item.objects.get(problem__order=9, region__code="230422")
    suibin = login(browser, live_server, "suibin")
    suibin.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    suibin.wait_for_selector("#data-check")
    assert "有改善" in suibin.inner_text("#data-check")
    assert suibin.locator("#item-panels").count() == 0  # replaced by the panels
