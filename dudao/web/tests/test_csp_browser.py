"""The Content-Security-Policy in a real browser: every main page, htmx and the evaluation
charts work under it, and Chromium reports no violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from dudao.evaluation.tests.helpers import run, upload_demo_year
from dudao.web.tests.browsing import CHROMIUM, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

# Collects what the page's own listener sees, before any of the page's scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
                           " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _pages(ledger: Any, evaluation_run: Any) -> dict[str, list[str]]:
    item = ledger.suibin_items[0].pk
    rnd = ledger.round.pk
    county = [
        "/",
        reverse("ledger"),
        f"{reverse('ledger')}?q=专网",
        reverse("item", args=[item]),
        reverse("rounds"),
        reverse("round", args=[rnd]),
        reverse("import-upload"),
        reverse("documents"),
        reverse("ledger-xlsx-import"),
        reverse("evaluation"),
        reverse("password-change"),
    ]
    city = [
        *county,
        reverse("evaluation-run", args=[evaluation_run.pk]),
        reverse("evaluation-county", args=[evaluation_run.pk, "230422"]),
        reverse("evaluation-thresholds"),
        reverse("users"),
    ]
    return {"hegang": city, "suibin": county, "viewer": county[:6]}


@pytest.fixture
def evaluation_run(ledger: Any, client_for: Any) -> Any:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    return run(hegang, 2023)


def test_no_page_breaks_the_content_security_policy(
    browser: Any, live_server: Any, ledger: Any, evaluation_run: Any
) -> None:
    seen: list[str] = []
    anonymous = browser.new_page()
    anonymous.add_init_script(LISTEN)
    anonymous.goto(f"{live_server.url}/accounts/login/")
    anonymous.wait_for_load_state("networkidle")
    seen += [f"anonymous login: {v}" for v in anonymous.evaluate("window.__violations")]
    anonymous.close()
    for persona, urls in _pages(ledger, evaluation_run).items():
        page = login(browser, live_server, persona)
        page.add_init_script(LISTEN)
        console: list[str] = []
        page.on(
            "console",
            lambda m, c=console: c.append(m.text) if "Content Security Policy" in m.text else None,
        )
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, (persona, url)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            found = page.evaluate("window.__violations")
            seen += [f"{persona} {url}: {v}" for v in found]
            seen.append(f"{persona} {url}: htmx={page.evaluate('typeof htmx')}")
        seen += [f"{persona} console: {text}" for text in console]
        page.close()
    problems = [s for s in seen if not s.endswith("htmx=object")]
    assert problems == []
    assert len(seen) == sum(len(u) for u in _pages(ledger, evaluation_run).values())


def test_htmx_filters_the_ledger_under_the_policy(
    browser: Any, live_server: Any, ledger: Any
) -> None:
    page = login(browser, live_server, "hegang")
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}{reverse('ledger')}")
    from playwright.sync_api import expect

    assert page.locator("table.ledger tbody tr").count() == 4
    page.select_option("select[name=region]", "230421")
    page.wait_for_url("**/ledger/?*region=230421*")
    # (not wait_for_function: it evaluates a string, which the policy refuses)
    expect(page.locator("table.ledger tbody tr")).to_have_count(2)
    page.fill("input[name=q]", "安防")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/ledger/?*q=*")
    expect(page.locator("table.ledger tbody tr")).to_have_count(1)
    table = page.inner_text("#ledger-table")
    assert "安防人员专业知识" in table and "教育专网" not in table and "绥滨县" not in table
    assert page.evaluate("window.__violations") == []
    # htmx's indicator style comes from app.css, not an inline style element it would add
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    page.close()
