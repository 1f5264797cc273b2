"""Every screen as each persona first meets it, in Chromium at 1366×768.

Each persona opens every page of the menu, and the pages those link to within the app
(two levels deep, to reach a run's county page; one page per kind of address, e.g. one
item page, one county page). On
each: no error status, no English words beyond a short allow-list (file names, units such
as MB, PDF, Excel), no raw keys (dotted identifiers, snake_case), no select without a
choice unless the page says why, and no element laid over another.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from dudao.web.tests.browsing import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]

PASSWORD = "pw-walk"
PERSONAS = ("province", "hegang", "suibin", "luobei", "viewer")
MAX_PAGES = 60  # per persona: the menu's pages and one of each kind of page they link to
DEPTH = 2  # the menu's pages, the pages they link to, and the pages those link to

# Screens every persona reaches (the walk found its way, and the menu works).
EVERYONE_SEES = {
    "/", "/ledger/", "/ledger/items/N/", "/ledger/rounds/", "/ledger/rounds/N/", "/documents/",
    "/evaluation/", "/evaluation/runs/N/", "/imports/",
}  # fmt: skip
# Words a clerk meets in Chinese offices too: formats, units, and the hash's name.
ALLOWED_WORDS = {
    "PDF", "Excel", "Word", "WPS", "MB", "KB", "GB", "bytes", "SHA", "docx", "xlsx", "xls",
    "csv", "pdf", "txt", "doc", "jpg", "png", "wps", "LibreOffice", "CSV", "ZIP", "UTF", "GBK",
}  # fmt: skip
FILE_NAME = re.compile(r"\S+\.(?:pdf|docx?|xlsx?|csv|txt|png|jpe?g|zip)\b", re.IGNORECASE)
HEX = re.compile(r"\b[0-9a-f]{12,}\b")
WORD = re.compile(r"[A-Za-z]{2,}")
RAW_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\b")
# Not screens: downloads, the way out, and the form posts behind buttons.
SKIP = re.compile(r"/accounts/logout|/admin/|/evidence/|/download|/docx|/pdf|xlsx|/template")

# The elements whose boxes must not cross: what a user reads or clicks. Boxes of inline
# elements are taken line by line; parts clipped away by a scrolling box are not counted;
# sticky and fixed bars (the page index, the import's actions) float over content by design.
OVERLAPS = """() => {
  const sel = "main a, main button, main input, main select, main textarea, main label, "
    + "main h1, main h2, main h3, main th, main td, main p, main li, main dt, main dd, "
    + "header a, header button";
  const floating = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const p = getComputedStyle(e).position;
      if (p === "sticky" || p === "fixed") return true;
    }
    return false;
  };
  const clip = (el, r) => {
    let [l, t, rr, b] = [r.left, r.top, r.right, r.bottom];
    for (let e = el.parentElement; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX !== "visible" || s.overflowY !== "visible") {
        const c = e.getBoundingClientRect();
        l = Math.max(l, c.left); t = Math.max(t, c.top);
        rr = Math.min(rr, c.right); b = Math.min(b, c.bottom);
      }
    }
    return rr - l > 1 && b - t > 1 ? [l, t, rr, b] : null;
  };
  const boxes = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || floating(el)) continue;
    if (el.closest("details:not([open])") && !el.closest("summary")) continue;  // folded away
    if (getComputedStyle(el).visibility === "hidden") continue;
    for (const r of el.getClientRects()) {
      const c = clip(el, r);
      if (c) boxes.push([el, c]);
    }
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "")
    + " “" + (el.innerText || el.value || "").trim().slice(0, 20) + "”";
  const found = [];
  for (let i = 0; i < boxes.length && found.length < 5; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (a === b || a.contains(b) || b.contains(a)) continue;
      const w = Math.min(p[2], q[2]) - Math.max(p[0], q[0]);
      const h = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
      if (w > 2 && h > 2) { found.push(name(a) + " × " + name(b)); break; }
    }
  }
  return found;
}"""

EMPTY_SELECTS = """() => Array.from(document.querySelectorAll("main select"))
  .filter((s) => s.offsetParent && !Array.from(s.options).some((o) => o.value !== ""))
  .filter((s) => !(s.closest("form, section") || document.body)
    .querySelector(".empty-note, .muted, [role=status]"))
  .map((s) => s.name)"""

LINKS = """() => Array.from(document.querySelectorAll("header nav a, main a[href]"))
  .map((a) => a.href)"""


@pytest.fixture
def demo(db: Any) -> None:
    from dudao.accounts.models import Membership, Role, User
    from dudao.evaluation.demo import seed_evaluation
    from dudao.rectification.demo import seed_demo
    from dudao.regions.models import Region

    seed_demo(PASSWORD)
    assert seed_evaluation(User.objects.get(username="hegang"))
    viewer = User.objects.create_user("viewer", password=PASSWORD, display_name="鹤岗市 查阅员")
    city = Region.objects.get(code="230400")
    Membership.objects.create(user=viewer, region=city, role=Role.VIEWER)


def _kind_of(url: str) -> str:
    """One page per kind of address: /ledger/items/12/ and /ledger/items/13/ are one kind."""
    return re.sub(r"/\d+|/[0-9a-f]{32}|/\d{6}(?=/)", "/N", urlsplit(url).path)


def _problems(page: Any) -> list[str]:
    text = page.inner_text("body")
    readable = HEX.sub(" ", FILE_NAME.sub(" ", text))
    problems = []
    english = sorted({w for w in WORD.findall(readable) if w not in ALLOWED_WORDS})
    if english:
        problems.append(f"English: {english[:8]}")
    keys = sorted(set(RAW_KEY.findall(readable)))
    if keys:
        problems.append(f"raw keys: {keys[:8]}")
    empty = page.evaluate(EMPTY_SELECTS)
    if empty:
        problems.append(f"empty selects without a word why: {empty}")
    overlaps = page.evaluate(OVERLAPS)
    if overlaps:
        problems.append(f"overlapping: {overlaps}")
    return problems


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_screen_reads_as_chinese_and_nothing_overlaps(
    browser: Any, live_server: Any, demo: None, persona: str
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", persona)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    menu = [f"{base}/", *(a for a in page.evaluate(LINKS) if a.startswith(base))]

    seen: set[str] = set()
    failures: dict[str, list[str]] = {}
    queue = [(url, DEPTH) for url in menu]
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.pop(0)
        url = url.split("#")[0]
        kind = _kind_of(url)
        if kind in seen or SKIP.search(url) or not url.startswith(base):
            continue
        head = context.request.get(url, max_redirects=0)
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download or a redirect to one
        seen.add(kind)
        response = page.goto(url)
        page.wait_for_load_state("networkidle")  # panels loaded after the page
        assert response is not None
        problems = _problems(page)
        if response.status >= 400:
            problems.insert(0, f"status {response.status}")
        if problems:
            failures[url.removeprefix(base)] = problems
        if depth:
            queue += [(a, depth - 1) for a in page.evaluate(LINKS) if a.startswith(base)]
    context.close()
    assert not EVERYONE_SEES - seen, sorted(seen)
    assert not failures, "\n".join(f"{u}: {p}" for u, p in failures.items())
