"""Layout in a real browser at 1366×768: actions never cover the text they act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from dudao.documents.tests import test_import_support as support
from dudao.documents.tests.test_import_support import corrected_sample
from dudao.web.tests.browsing import CHROMIUM, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

suibin_round = support.suibin_round

OVERLAP = """([a, b]) => {
  const r = document.querySelector(a).getBoundingClientRect();
  const s = document.querySelector(b).getBoundingClientRect();
  const top = Math.max(r.top, s.top, 0), bottom = Math.min(r.bottom, s.bottom, innerHeight);
  const left = Math.max(r.left, s.left), right = Math.min(r.right, s.right);
  return Math.max(0, bottom - top) * Math.max(0, right - left);
}"""


def test_the_import_previews_actions_never_cover_the_source_text(
    browser: Any, live_server: Any, suibin_round: Any
) -> None:
    suibin = login(browser, live_server, "suibin")
    suibin.goto(live_server.url + reverse("import-upload"))
    suibin.set_input_files(
        "input[name=file]",
        files=[{"name": "整改报告.txt", "mimeType": "text/plain", "buffer": corrected_sample()}],
    )
    suibin.select_option("select[name=round]", str(suibin_round.round.pk))
    suibin.click("main button.primary")
    suibin.wait_for_selector("#source-text")
    height = suibin.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 300):
        suibin.evaluate(f"window.scrollTo(0, {y})")
        assert suibin.evaluate(OVERLAP, [".import-actions", "#source-text"]) == 0, y
    assert suibin.locator(".import-actions button.primary").is_visible()


@pytest.mark.parametrize("url", ["import-upload", "evaluation", "ledger-xlsx-import"])
def test_a_file_input_reads_chinese_in_an_english_browser_and_names_the_chosen_file(
    browser: Any, live_server: Any, suibin_round: Any, url: str
) -> None:
    # The browser runs in English (Playwright's Chromium without --lang): its own face
    # of a file input says "Choose File / No file chosen".
    suibin = login(browser, live_server, "suibin")
    suibin.goto(live_server.url + reverse(url))
    picker = suibin.locator(".file-picker").first
    assert picker.inner_text().split() == ["选择文件", "未选择文件"]
    native = picker.locator("input[type=file]")
    box = native.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    assert native.evaluate("(el) => getComputedStyle(el).opacity") == "0"
    # the label opens the native picker: a click on 选择文件 brings the file chooser
    with suibin.expect_file_chooser() as chooser:
        picker.locator(".file-button").click()
    chooser.value.set_files(
        files=[{"name": "整改报告.txt", "mimeType": "text/plain", "buffer": b"x"}]
    )
    assert picker.locator(".file-name").inner_text() == "整改报告.txt"
    # the keyboard reaches the input itself, and its focus shows on the button
    native.focus()
    assert suibin.evaluate("document.activeElement.type") == "file"
    outline = picker.locator(".file-button").evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


def test_a_file_past_the_forms_limit_is_refused_in_the_browser_before_it_is_sent(
    browser: Any, live_server: Any, suibin_round: Any
) -> None:
    suibin = login(browser, live_server, "suibin")
    suibin.goto(live_server.url + reverse("import-upload"))
    posts: list[str] = []
    suibin.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    big = b"x" * (21 << 20)  # the report import takes 20 MB
    suibin.set_input_files(
        "input[name=file]",
        files=[{"name": "大报告.pdf", "mimeType": "application/pdf", "buffer": big}],
    )
    name = suibin.locator(".file-picker .file-name")
    assert name.inner_text() == (
        "文件“大报告.pdf”大小为 21 MB，超过系统上限（20 MB），不能上传。请拆分或压缩后重新选择。"
    )
    assert "error" in (name.get_attribute("class") or "")
    suibin.select_option("select[name=round]", str(suibin_round.round.pk))
    suibin.click("main button.primary")
    suibin.wait_for_timeout(500)
    assert posts == []
    # a smaller file clears the refusal
    suibin.set_input_files(
        "input[name=file]",
        files=[{"name": "报告.txt", "mimeType": "text/plain", "buffer": b"x"}],
    )
    assert name.inner_text() == "报告.txt"
    assert suibin.evaluate("document.querySelector('input[name=file]').validity.valid")
