"""The browser import does what `dudao import-report` does: without a round chosen, it finds
the round from the letter's problems, and for a letter from a sender outside Dudao it
offers, then creates, the region's received round."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from dudao.documents import generation
from dudao.documents.models import OfficialDocument
from dudao.documents.tests import sample_chain
from dudao.parser import parse_file
from dudao.rectification.models import Item, Round

pytestmark = pytest.mark.django_db

FORMATS = [
    "docx",
    pytest.param(
        "pdf", marks=pytest.mark.skipif(not generation.pdf_available(), reason="no LibreOffice")
    ),
]


def upload(client: Client, name: str, data: bytes, region: str = "230422") -> Any:
    """The upload form as a county clerk leaves it: the file, 评价 left on 自动识别."""
    return client.post(
        reverse("import-upload"),
        {"file": SimpleUploadedFile(name, data), "round": "", "region": region},
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_county_uploads_its_notice_and_sees_its_items_matched(
    personas: Any, client_for: Any, fmt: str
) -> None:
    rnd, city_items = sample_chain.province_round(personas["province"])
    suibin = sample_chain.dispatch(personas["hegang"], city_items, "230422")
    sample_chain.dispatch(personas["hegang"], city_items, "230421")
    _, data = sample_chain.notice_file(personas["hegang"], rnd, "230422", fmt)
    versions = [(i.pk, i.version) for i in Item.objects.order_by("pk")]
    clerk = client_for("suibin")

    uploaded = upload(clerk, f"整改通知.{fmt}", data)
    assert uploaded.status_code == 302, uploaded.content.decode()
    preview = clerk.get(uploaded["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.rnd == rnd  # found from the letter's problems
    assert [e.item for e in plan.entries] == suibin
    assert "与绥滨县的整改任务对照：已有 15 项，新问题 0 个，台账中有而来文未提及 0 项" in html
    assert html.count("与台账中的问题一致") == 15
    assert "没有需要更新的内容" in html
    assert [(i.pk, i.version) for i in Item.objects.order_by("pk")] == versions


def test_a_letter_that_names_an_item_less_lists_it_as_not_mentioned(
    personas: Any, client_for: Any
) -> None:
    rnd, city_items = sample_chain.province_round(personas["province"])
    suibin = sample_chain.dispatch(personas["hegang"], city_items, "230422")
    _, data = sample_chain.notice_file(personas["hegang"], rnd, "230422", "docx")
    text = "\n".join(
        line for line in _text(data).splitlines() if suibin[14].problem.statement not in line
    )
    clerk = client_for("suibin")
    html = clerk.get(clerk_page(upload(clerk, "通知.txt", text.encode()))).content.decode()
    assert "已有 14 项，新问题 0 个，台账中有而来文未提及 1 项" in html


def test_a_report_with_no_round_of_its_own_is_refused_without_a_trace(
    personas: Any, client_for: Any
) -> None:
    from dudao.documents.tests.test_import_support import corpus

    page = upload(client_for("suibin"), "绥政函17号.txt", corpus("suibin-2024-17.txt"))
    assert page.status_code == 400
    assert "只能从反馈意见或整改通知建立收文评价" in page.content.decode()
    assert not Round.objects.exists() and not OfficialDocument.objects.exists()


def test_a_fresh_county_imports_the_same_notice_and_answers_it(regions: Any) -> None:
    """On a database holding only the regions and one county officer."""
    from dudao.accounts.models import Membership, Role, User

    # The notice as the city generated it in its own Dudao: made, then rolled back.
    with transaction.atomic():
        made = {name: User.objects.create_user(username=name, password="pw") for name in ("p", "h")}
        Membership.objects.create(user=made["p"], region=regions["230000"], role=Role.SUPERVISOR)
        Membership.objects.create(user=made["h"], region=regions["230400"], role=Role.SUPERVISOR)
        rnd, city_items = sample_chain.province_round(made["p"])
        sent = sample_chain.dispatch(made["h"], city_items, "230422")
        fmt = "pdf" if generation.pdf_available() else "docx"
        notice, data = sample_chain.notice_file(made["h"], rnd, "230422", fmt)
        # (the notice prints each problem's lead unit and deadline, not its 配合单位)
        expected = [
            (i.problem.dimension, i.problem.statement, i.lead_unit, i.deadline) for i in sent
        ]
        header = (notice.issuer, notice.doc_number, notice.date, notice.title)
        transaction.set_rollback(True)
    assert not User.objects.exists() and not Round.objects.exists()
    clerk_user = User.objects.create_user(username="clerk", password="pw-clerk")
    Membership.objects.create(user=clerk_user, region=regions["230422"], role=Role.OFFICER)
    clerk = Client()
    clerk.force_login(clerk_user)

    uploaded = upload(clerk, f"鹤教督函.{fmt}", data)
    assert uploaded.status_code == 302, uploaded.content.decode()
    assert "/receive/" in uploaded["Location"]
    offer = clerk.get(uploaded["Location"])
    html = offer.content.decode()
    assert offer.status_code == 200
    assert not Round.objects.exists()  # nothing is created before the clerk confirms
    assert "确认后将按来文为鹤岗市绥滨县建立收文评价，来文中的 15 个问题" in html
    for value in (header[0], header[1], "2024年3月1日", header[3]):
        assert value in html

    done = clerk.post(uploaded["Location"], {"confirm": "1"})
    assert done.status_code == 302
    result = clerk.get(done["Location"]).content.decode()
    assert "已按来文建立收文评价" in result and "新增整改任务 15 项" in result
    received = Round.objects.get()
    assert (
        received.source_issuer,
        received.source_doc_number,
        received.source_date,
        received.source_title,
    ) == header
    assert (received.evaluating_region.code, received.evaluated_region.code) == (
        "230400",
        "230422",
    )
    items = Item.objects.filter(problem__round=received).order_by("problem__order")
    assert [
        (i.problem.dimension, i.problem.statement, i.lead_unit, i.deadline)
        for i in items.select_related("problem")
    ] == expected
    assert {i.region.code for i in items} == {"230422"}
    # the letter is kept; the same file again is matched, not received twice
    assert OfficialDocument.objects.get().doc_number == header[1]
    again = clerk.get(clerk_page(upload(clerk, f"鹤教督函.{fmt}", data)))
    assert "已有 15 项，新问题 0 个，台账中有而来文未提及 0 项" in again.content.decode()
    assert Round.objects.count() == 1

    # the reply, generated in the browser, cites the notice and answers its sender
    url = f"{reverse('document-new')}?round={received.pk}&region=230422&kind=rectification"
    form = clerk.get(url).context["form"]
    data_form = {n: form[n].value() or "" for n in form.fields}
    assert clerk.post(url, data_form).status_code == 302
    reply = OfficialDocument.objects.get(kind="rectification")
    read = parse_file(generation.document_bytes(reply), "reply.docx")
    assert read.recipient == header[0]
    assert f"《{header[3]}》（{header[1]}）" in read.preamble
    assert reply.date == datetime.date.fromisoformat(str(data_form["date"]))


def test_the_neighbour_cannot_receive_a_letter_for_suibin(personas: Any, client_for: Any) -> None:
    from dudao.parser.tests.test_notice import NOTICE

    page = upload(client_for("luobei"), "notice.txt", NOTICE.encode(), region="230422")
    assert page.status_code == 404
    assert not Round.objects.exists()


def clerk_page(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def _text(docx: bytes) -> str:
    from dudao.parser import extract_text

    return extract_text(docx, "notice.docx")


def test_a_viewer_cannot_receive_a_letter(personas: Any, client_for: Any) -> None:
    from dudao.parser.tests.test_notice import NOTICE

    page = upload(client_for("viewer"), "notice.txt", NOTICE.encode(), region="230422")
    assert page.status_code == 403
    assert "不能登记其来文" in page.content.decode()
    assert not Round.objects.exists() and not OfficialDocument.objects.exists()


def test_a_stale_or_foreign_receive_page_is_not_found(personas: Any, client_for: Any) -> None:
    from dudao.parser.tests.test_notice import NOTICE

    clerk = client_for("suibin")
    offer = clerk_page(upload(clerk, "notice.txt", NOTICE.encode()))
    assert client_for("luobei").get(offer).status_code == 404  # another session's token
    assert client_for("luobei").post(offer, {"confirm": "1"}).status_code == 404
    assert clerk.post(offer, {"confirm": "1"}).status_code == 302
    assert clerk.post(offer, {"confirm": "1"}).status_code == 404  # not received twice
    assert Round.objects.count() == 1
