"""Take the README's screenshots from a running demo (`dudao demo`), in Debian's Chromium.

.venv/bin/python docs/make_screenshots.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = os.environ.get("DUDAO_DEMO_PASSWORD", "dudao2024")
SHOTS = [
    ("hegang", "/ledger/?region=230422", "screenshot-ledger.png"),
    ("hegang", "/", "screenshot-home.png"),
    ("suibin", "/ledger/?q=体育运动场馆", "screenshot-item.png"),
]


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for user, path, name in SHOTS:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button.primary")
            page.goto(base + path)
            if name == "screenshot-item.png":
                page.click("table.ledger tbody a")
                page.wait_for_load_state("networkidle")  # the data check loads after the page
            page.screenshot(path=str(HERE / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
