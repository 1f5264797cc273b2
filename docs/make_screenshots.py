"""Take the README's screenshots from a running demo (`dudao demo`), in Debian's Chromium.

.venv/bin/python docs/make_screenshots.py [http://127.0.0.1:8000]

Chromium runs in Chinese (`--lang=zh-CN` and LANGUAGE), as on a clerk's computer, so that
its own parts of the page (the date picker's 年/月/日) read as they would there; that needs
Debian's `chromium-l10n` package (without it they stay English).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import FilePayload, sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = os.environ.get("DUDAO_DEMO_PASSWORD", "dudao2024")
SHOTS = [
    ("hegang", "/ledger/?region=230422", "screenshot-ledger.png"),
    ("hegang", "/", "screenshot-home.png"),
    ("suibin", "/ledger/?q=体育运动场馆", "screenshot-item.png"),
    # The screens of issue 16 (every screen as its user first meets it).
    ("hegang", "/evaluation/thresholds/", "screenshot-thresholds.png"),
    ("suibin", "/documents/", "screenshot-documents-county.png"),
    ("hegang", "/ledger/rounds/new/", "screenshot-round-new.png"),
    ("hegang", "run:problems", "screenshot-to-problems.png"),
    ("hegang", "run:", "screenshot-run-index.png"),
    ("suibin", "/documents/ledger/import/", "screenshot-import-error.png"),
]
# A PDF chosen as the 台账: the import's refusal shows on the page.
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--lang=zh-CN",
            ],
            env={**os.environ, "LANGUAGE": "zh_CN:zh", "LANG": "zh_CN.UTF-8"},
        )
        for user, path, name in SHOTS:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button.primary")
            if path.startswith("run:"):
                page.goto(base + "/evaluation/")
                page.click("a[href*='/evaluation/runs/']")
                if path == "run:problems":
                    page.click("text=把评估发现转为问题")
            else:
                page.goto(base + path)
            if name == "screenshot-import-error.png":
                page.set_input_files(
                    "input[name=file]",
                    files=[FilePayload(name="台账.xlsx", mimeType="application/pdf", buffer=PDF)],
                )
                page.click("button:has-text('检查')")
                page.wait_for_selector("#import-result .error")
            if name == "screenshot-item.png":
                page.click("table.ledger tbody a")
                page.wait_for_load_state("networkidle")  # the data check loads after the page
            page.screenshot(path=str(HERE / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
