"""The county's reply to the notice it received: cites it, is addressed to its sender,
takes a 文号 of its date's year, and warns about items the letter would print unfinished."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dudao.documents.models import OfficialDocument
from dudao.rectification import services

pytestmark = pytest.mark.django_db


def form_page(client: Any, chain: Any, region: str, kind: str) -> Any:
    url = f"{reverse('document-new')}?round={chain.round.pk}&region={region}&kind={kind}"
    page = client.get(url)
    assert page.status_code == 200, page.content.decode()
    return page


def send_notice(chain: Any, client_for: Any) -> OfficialDocument:
    page = form_page(client_for("hegang"), chain, "230422", "feedback")
    data = {n: page.context["form"][n].value() or "" for n in page.context["form"].fields}
    data.update(doc_number="鹤教督函〔2024〕3号", date="2024-03-01")
    url = f"{reverse('document-new')}?round={chain.round.pk}&region=230422&kind=feedback"
    assert client_for("hegang").post(url, data).status_code == 302
    return OfficialDocument.objects.get(kind="feedback")


def test_the_reply_cites_the_notice_and_answers_its_sender(chain: Any, client_for: Any) -> None:
    notice = send_notice(chain, client_for)
    form = form_page(client_for("suibin"), chain, "230422", "rectification").context["form"]
    assert notice.issuer == "鹤岗市人民政府教育督导室"
    assert form["recipient"].value() == "鹤岗市人民政府教育督导室"
    assert f"按照《{notice.title}》（鹤教督函〔2024〕3号）要求" in form["preamble"].value()


def test_without_a_notice_it_falls_back_to_the_committee(chain: Any, client_for: Any) -> None:
    form = form_page(client_for("suibin"), chain, "230422", "rectification").context["form"]
    assert form["recipient"].value() == "鹤岗市人民政府教育督导委员会"


def test_the_doc_number_year_is_the_dates_year(chain: Any, client_for: Any) -> None:
    clerk = client_for("suibin")
    page = form_page(clerk, chain, "230422", "rectification")
    form = page.context["form"]
    assert form["doc_number"].value() == f"绥政函〔{form['date'].value().year}〕1号"
    data = {n: form[n].value() or "" for n in form.fields}
    data.update(doc_number="绥政函〔2024〕17号", date="2026-03-01")
    url = f"{reverse('document-new')}?round={chain.round.pk}&region=230422&kind=rectification"
    refused = clerk.post(url, data)
    assert refused.status_code == 400
    assert "文号的年份（2024）应与成文日期的年份（2026）一致" in refused.content.decode()
    assert not OfficialDocument.objects.exists()


def test_it_warns_before_generating_and_lists_the_items(
    chain: Any, client_for: Any, personas: Any
) -> None:
    suibin, hegang = personas["suibin"], personas["hegang"]
    first, second = chain.suibin_items
    services.item_update(
        acting_user=suibin, item=first, expected_version=first.version, outcome="已完成。"
    )
    services.item_start(acting_user=suibin, item=first, expected_version=first.version)
    services.item_request_signoff(acting_user=suibin, item=first, expected_version=first.version)
    services.item_send_back(
        acting_user=hegang, item=first, expected_version=first.version, reason="请补充佐证。"
    )
    page = form_page(client_for("suibin"), chain, "230422", "rectification")
    warnings = {w.message: [i.pk for i in w.items] for w in page.context["warnings"]}
    assert warnings == {
        "1 个问题尚未填写整改情况": [second.pk],
        "1 个问题被退回后尚未修改": [first.pk],
        "2 个问题尚未销号": [first.pk, second.pk],
    }
    body = page.content.decode()
    assert "生成前请注意" in body and "安防人员专业知识与风险防控能力不足" in body
    first.refresh_from_db()
    services.item_update(
        acting_user=suibin, item=first, expected_version=first.version, outcome="已补充佐证。"
    )
    page = form_page(client_for("suibin"), chain, "230422", "rectification")
    assert [w.message for w in page.context["warnings"]] == [
        "1 个问题尚未填写整改情况",
        "2 个问题尚未销号",
    ]


def test_the_command_takes_kind_notice_and_prints_the_warnings(
    chain: Any, tmp_path: Any, capsys: Any
) -> None:
    from dudao.cli import main

    main(["report", "--round", str(chain.round.pk), "--region", "230422", "--kind", "notice",
          "--user", "hegang", "--date", "2024-03-01", "-o", str(tmp_path / "n.docx")])  # fmt: skip
    assert OfficialDocument.objects.get().kind == "feedback"
    capsys.readouterr()
    main(["report", "--round", str(chain.round.pk), "--region", "230422", "--kind",
          "rectification", "--user", "suibin", "--date", "2024-05-28",
          "-o", str(tmp_path / "r.docx")])  # fmt: skip
    err = capsys.readouterr().err
    assert "提示：2 个问题尚未填写整改情况（第 1、2 号）" in err
    assert "提示：2 个问题尚未销号（第 1、2 号）" in err
