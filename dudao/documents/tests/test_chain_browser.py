"""The whole chain in Chromium, as each role: the city dispatches the province's problems to
its eight counties and generates their notices; 绥滨县 imports its notice's PDF (15 matched,
0 new, 0 missing), fills its outcomes, asks for sign-off and writes its reply citing the
notice; the city signs off and sends one back with a reason; once every county is done,
the city asks the province, which signs off.

Every value typed into a field is recorded (`Typing`) and checked against what the ledger
and the documents already held at that moment: only new information is typed (outcomes,
a send-back reason). To keep it under two minutes on a shared machine, each per-item step
(fill in, start, ask for sign-off; sign off) is walked in the browser for the first
BY_HAND items and done with the same services for the others, and the other seven
counties' items are completed through the services."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dudao.accounts.models import Membership, Role, User
from dudao.audit.models import AuditEvent
from dudao.documents import generation
from dudao.documents.models import OfficialDocument
from dudao.documents.tests import sample_chain
from dudao.lib.zh import format_cn_date
from dudao.parser import extract_text
from dudao.rectification import services
from dudao.rectification.models import Item, Problem, Round, Status
from dudao.regions.models import Region
from dudao.web.tests.browsing import login

pytestmark = [pytest.mark.browser]

SUIBIN, CITY = "230422", "230400"
SEND_BACK = 2  # the third of 绥滨县's items is sent back once
REASON = "佐证材料不足，请补充验收报告后再申请销号。"
BY_HAND = 4  # items walked in the browser at each per-item step (SEND_BACK among them)
# The item pages are walked 100 times: wait for their HTML, not for their styles and panels.
READY = "domcontentloaded"
REVISED = "已补充第三方验收报告，全县学校均已接入教育专网并通过验收。"


class Typing:
    """Wraps a page's fill and type: records every value typed, and whether the ledger or a
    document already held it (or it holds a statement, title or 文号 they hold)."""

    def __init__(self) -> None:
        self.typed: list[tuple[str, str]] = []  # (who, value)
        self.retyped: list[str] = []
        self._documents: dict[int, str] = {}

    def watch(self, page: Any, who: str) -> Any:
        # The item page's data panels (evaluation re-check: over a second each, fetched by
        # htmx after the page) are not part of the chain: answered empty, so that walking a
        # hundred item pages stays quick.
        page.route("**/panels/", lambda route: route.fulfill(status=200, body=""))
        for name in ("fill", "type"):
            original = getattr(page, name)
            setattr(page, name, self._counting(original, who))
        return page

    def _counting(self, original: Callable[..., Any], who: str) -> Callable[..., Any]:
        def typed(selector: str, value: str, **kwargs: Any) -> Any:
            self.typed.append((who, value))
            corpus, atoms = self.known()
            if value.strip() and (value in corpus or any(a in value for a in atoms)):
                self.retyped.append(value)
            return original(selector, value, **kwargs)

        return typed

    def known(self) -> tuple[str, list[str]]:
        """All the text the ledger and the documents hold now, and its notable pieces."""
        atoms: list[str] = []
        for rnd in Round.objects.all():
            atoms += [rnd.title, rnd.source_title, rnd.source_doc_number, rnd.source_issuer]
        atoms += list(Problem.objects.values_list("statement", flat=True))
        for item in Item.objects.all():
            atoms += [item.lead_unit, item.co_units, item.measures, item.outcome, item.remark]
            if item.deadline:
                atoms += [item.deadline.isoformat(), format_cn_date(item.deadline)]
        atoms += [e.note for e in AuditEvent.objects.exclude(note="")]
        texts = []
        for doc in OfficialDocument.objects.all():
            atoms += [doc.doc_number, doc.title, doc.issuer, doc.recipient]
            if doc.date:
                atoms += [doc.date.isoformat(), format_cn_date(doc.date)]
            if doc.pk not in self._documents:
                self._documents[doc.pk] = extract_text(generation.document_bytes(doc), "d.docx")
            texts.append(self._documents[doc.pk])
        atoms = [a for a in atoms if a and len(a) >= 6]
        return "\n".join([*atoms, *texts]), atoms


def _officers(codes: list[str]) -> dict[str, User]:
    """One officer for each county the personas do not cover."""
    users = {}
    for code in codes:
        user = User.objects.create_user(username=f"officer{code}", password="pw")
        Membership.objects.create(
            user=user, region=Region.objects.get(code=code), role=Role.OFFICER
        )
        users[code] = user
    return users


def _request(item: Item, officer: User, outcome: str) -> Item:
    """What the county does on an item's page, through the services: outcome, start,
    request sign-off."""
    item = Item.objects.get(pk=item.pk)
    services.item_update(
        acting_user=officer, item=item, expected_version=item.version, outcome=outcome
    )
    item = services.item_start(
        acting_user=officer, item=Item.objects.get(pk=item.pk), expected_version=None
    )
    return services.item_request_signoff(acting_user=officer, item=item, expected_version=None)


def _complete(item: Item, officer: User, hegang: User, outcome: str) -> None:
    """A county's item done through the services, the city signing it off."""
    item = _request(item, officer, outcome)
    services.item_sign_off(acting_user=hegang, item=item, expected_version=None)


def _click(page: Any, live_server: Any, item: Item, action: str) -> None:
    """Press the button of `action` on the item's page and wait for the page it leads to."""
    page.goto(f"{live_server.url}/ledger/items/{item.pk}/", wait_until=READY)
    with page.expect_navigation(wait_until=READY):
        page.click(f"form[action$='/{item.pk}/{action}/'] button")


def test_the_chain_of_hand_offs_in_the_browser(
    browser: Any, live_server: Any, personas: Any, tmp_path: Path
) -> None:
    started = time.monotonic()
    hegang_user, province_user = personas["hegang"], personas["province"]
    rnd, city_items = sample_chain.province_round(province_user)
    counties = list(Region.objects.filter(parent__code=CITY).order_by("code"))
    assert len(counties) == 8
    others = [c.code for c in counties if c.code not in (SUIBIN, "230421")]
    officers = {"230421": personas["luobei"], **_officers(others)}
    typing = Typing()

    # --- the city passes every problem on to its eight counties ---------------------------
    city = typing.watch(login(browser, live_server, "hegang"), "hegang")
    city.goto(f"{live_server.url}/ledger/rounds/{rnd.pk}/dispatch/")
    for county in counties:
        city.check(f"input[name=regions][value='{county.code}']")
    city.click("button:has-text('下发')")
    assert "已下发 120 项整改任务" in city.inner_text(".messages")

    # ... and generates the counties' notices (绥滨县's, 萝北县's; 绥滨县's also as PDF)
    for county in (c for c in counties if c.code in ("230421", SUIBIN)):
        city.goto(
            f"{live_server.url}/documents/new/?round={rnd.pk}&region={county.code}&kind=feedback"
        )
        city.click("button:has-text('生成 Word 文档')")
        assert "已生成" in city.inner_text(".messages")
    notice = OfficialDocument.objects.get(kind="feedback", region__code=SUIBIN)
    fmt = "pdf" if generation.pdf_available() else "docx"  # no LibreOffice: the .docx
    city.goto(f"{live_server.url}/documents/?round={rnd.pk}&region={SUIBIN}")
    with city.expect_download() as download:
        city.click(f"a[href='/documents/{notice.pk}/{fmt}/']")
    sent = tmp_path / f"整改通知.{fmt}"
    download.value.save_as(sent)

    # --- 绥滨县 imports the file it received: its 15 items, matched -------------------------
    county = typing.watch(login(browser, live_server, "suibin"), "suibin")
    county.goto(f"{live_server.url}/imports/")
    county.set_input_files("input[name=file]", str(sent))
    county.click("button:has-text('读取并预览')")
    county.wait_for_selector("#matching")
    assert f"评价：{rnd}" in county.inner_text(".meta")  # the round, found from the letter
    assert county.inner_text("#matching") == (
        "与绥滨县的整改任务对照：已有 15 项，新问题 0 个，台账中有而来文未提及 0 项"
    )
    assert county.locator("text=与台账中的问题一致").count() == 15
    county.click("button:has-text('确认导入')")
    assert "没有需要更新的内容" in county.inner_text("h1")

    # ... fills in what it did, and asks the city to sign each item off (the first BY_HAND
    # items in the browser, the others through the services with the same steps: the same
    # buttons fifteen times would only make the test slow)
    suibin = list(
        Item.objects.filter(problem__round=rnd, region__code=SUIBIN)
        .select_related("problem")
        .order_by("problem__order")
    )
    outcomes = [f"第{n}项已整改：制定专项方案并完成年度目标，形成台账{n}册。" for n in range(1, 16)]
    for item, outcome in zip(suibin[:BY_HAND], outcomes[:BY_HAND], strict=True):
        county.goto(f"{live_server.url}/ledger/items/{item.pk}/", wait_until=READY)
        county.fill("textarea[name=outcome]", outcome)
        with county.expect_navigation(wait_until=READY):
            county.click(f"form[action$='/{item.pk}/edit/'] button")
        with county.expect_navigation(wait_until=READY):
            county.click(f"form[action$='/{item.pk}/start/'] button")
        with county.expect_navigation(wait_until=READY):
            county.click(f"form[action$='/{item.pk}/request_signoff/'] button")
        assert "已申请销号" in county.inner_text(".messages")
    for item, outcome in zip(suibin[BY_HAND:], outcomes[BY_HAND:], strict=True):
        _request(item, personas["suibin"], outcome)

    # ... and writes its reply: it cites the notice and is addressed to its sender
    county.goto(
        f"{live_server.url}/documents/new/?round={rnd.pk}&region={SUIBIN}&kind=rectification"
    )
    assert county.input_value("input[name=recipient]") == notice.issuer
    assert f"《{notice.title}》（{notice.doc_number}）" in county.input_value(
        "textarea[name=preamble]"
    )
    county.click("button:has-text('生成 Word 文档')")
    assert "已生成" in county.inner_text(".messages")
    reply = OfficialDocument.objects.get(kind="rectification", region__code=SUIBIN)
    assert f"《{notice.title}》（{notice.doc_number}）" in extract_text(
        generation.document_bytes(reply), "reply.docx"
    )

    # --- the city signs off, and sends one back: not without a reason -------------------
    back = suibin[SEND_BACK]
    city.goto(f"{live_server.url}/ledger/items/{back.pk}/")
    city.click(f"form[action$='/{back.pk}/send_back/'] button")  # the browser asks for a reason
    assert Item.objects.get(pk=back.pk).status == Status.SIGNOFF_REQUESTED
    city.fill(f"form[action$='/{back.pk}/send_back/'] textarea[name=note]", REASON)
    with city.expect_navigation(wait_until=READY):
        city.click(f"form[action$='/{back.pk}/send_back/'] button")
    assert Item.objects.get(pk=back.pk).status == Status.IN_PROGRESS
    for item in suibin[:BY_HAND]:
        if item != back:
            _click(city, live_server, item, "sign_off")
            assert "已销号" in city.inner_text(".messages")
    for item in suibin[BY_HAND:]:
        services.item_sign_off(
            acting_user=hegang_user, item=Item.objects.get(pk=item.pk), expected_version=None
        )

    # the county sees why, revises, and asks again; the city signs it off
    county.goto(f"{live_server.url}/ledger/items/{back.pk}/")
    assert REASON in county.inner_text(".sent-back")
    county.fill("textarea[name=outcome]", REVISED)
    with county.expect_navigation(wait_until=READY):
        county.click(f"form[action$='/{back.pk}/edit/'] button")
    _click(county, live_server, back, "request_signoff")
    _click(city, live_server, back, "sign_off")

    # --- the other seven counties, done through the services (not the subject here) -----
    for item in Item.objects.filter(problem__round=rnd, region__code__in=list(officers)):
        _complete(item, officers[item.region.code], hegang_user, f"{item.region.name}已完成整改。")

    # --- the city asks the province; the province signs off -----------------------------
    # (again the first BY_HAND items in the browser, the others through the services)
    province = typing.watch(login(browser, live_server, "province"), "province")
    for n, item in enumerate(city_items):
        if n < BY_HAND:
            _click(city, live_server, item, "request_signoff")
            assert "已申请销号" in city.inner_text(".messages")
            _click(province, live_server, item, "sign_off")
            assert "已销号" in province.inner_text(".messages")
        else:
            item = services.item_request_signoff(
                acting_user=hegang_user, item=Item.objects.get(pk=item.pk), expected_version=None
            )
            services.item_sign_off(acting_user=province_user, item=item, expected_version=None)
    statuses = Item.objects.filter(problem__round=rnd).values_list("status", flat=True)
    assert set(statuses) == {Status.SIGNED_OFF} and len(statuses) == 15 + 120

    # Only new information was typed: the outcomes, a reason, a revision. Nothing typed was
    # already in the ledger or a document (文号, titles, statements, dates).
    assert typing.retyped == []
    corpus, _ = typing.known()  # what typing is checked against holds the letters' words
    for held in (notice.doc_number, notice.title, reply.doc_number, suibin[0].problem.statement):
        assert held in corpus
    assert typing.typed == [
        *(("suibin", o) for o in outcomes[:BY_HAND]),
        ("hegang", REASON),
        ("suibin", REVISED),
    ]
    print(f"chain in the browser: {time.monotonic() - started:.1f} s")  # noqa: T201
