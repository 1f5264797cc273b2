"""A county adopting Dudao alone: importing the notice it received from a city that does not
use Dudao creates its received round, and its reply answers that letter."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dudao.cli import main
from dudao.documents.models import OfficialDocument
from dudao.parser.tests.test_notice import NOTICE
from dudao.rectification.models import Item, Problem, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def alone(regions: Any) -> Any:
    """Only the regions and one county officer."""
    from dudao.accounts.models import Membership, Role, User

    user = User.objects.create_user(username="clerk", password="pw-clerk")
    Membership.objects.create(user=user, region=regions["230422"], role=Role.OFFICER)
    return user


def test_importing_the_notice_creates_the_countys_received_round(
    alone: Any, tmp_path: Path, capsys: Any
) -> None:
    from dudao.accounts.models import User

    assert list(User.objects.values_list("username", flat=True)) == ["clerk"]
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    main(["import-report", str(path), "--user", "clerk", "--dry-run", "--json"])
    planned = json.loads(capsys.readouterr().out)
    assert planned["round"] is None and not Round.objects.exists()
    assert [p["match"] for p in planned["problems"]] == ["new"] * 3

    main(["import-report", str(path), "--user", "clerk", "--json"])
    result = json.loads(capsys.readouterr().out)
    rnd = Round.objects.get()
    assert result["round"] == rnd.pk and result["kind"] == "notice"
    assert (rnd.source_issuer, rnd.source_doc_number, rnd.source_date, rnd.year) == (
        "鹤岗市人民政府教育督导室",
        "鹤教督函〔2024〕3号",
        datetime.date(2024, 3, 1),
        2023,
    )
    assert (rnd.evaluating_region.code, rnd.evaluated_region.code) == ("230400", "230422")
    items = list(Item.objects.order_by("problem__order").select_related("problem"))
    assert [(i.problem.dimension, i.lead_unit, i.deadline) for i in items] == [
        ("教育优先发展", "绥滨县教育局", datetime.date(2024, 6, 30)),
        ("教育优先发展", "绥滨县教育局", datetime.date(2024, 12, 31)),
        ("校园安全", "绥滨县公安局", datetime.date(2024, 6, 30)),
    ]
    assert items[0].co_units == "绥滨县财政局、绥滨县发改局"
    assert [p["item"] for p in result["problems"]] == [i.pk for i in items]
    assert {p["match"] for p in result["problems"]} == {"new"}
    letter = OfficialDocument.objects.get()
    assert (letter.kind, letter.origin, letter.doc_number) == (
        "feedback",
        "imported",
        "鹤教督函〔2024〕3号",
    )

    # importing it again finds the round and changes nothing
    main(["import-report", str(path), "--user", "clerk", "--json"])
    again = json.loads(capsys.readouterr().out)
    assert again["round"] == rnd.pk and {p["match"] for p in again["problems"]} == {"matched"}
    assert Round.objects.count() == 1 and Problem.objects.count() == 3

    # the reply cites the notice and is addressed to its sender
    clerk = Client()
    clerk.force_login(alone)
    url = f"{reverse('document-new')}?round={rnd.pk}&region=230422&kind=rectification"
    form = clerk.get(url).context["form"]
    assert form["recipient"].value() == "鹤岗市人民政府教育督导室"
    assert f"《{letter.title}》（鹤教督函〔2024〕3号）" in form["preamble"].value()


def test_a_report_is_not_a_letter_to_build_a_round_from(
    alone: Any, tmp_path: Path, capsys: Any
) -> None:
    from dudao.documents.tests.test_import_support import corpus

    path = tmp_path / "report.txt"
    path.write_bytes(corpus("suibin-2024-17.txt"))
    with pytest.raises(SystemExit):
        main(["import-report", str(path), "--user", "clerk"])
    assert "只能从反馈意见或整改通知建立收文评价" in capsys.readouterr().err
    assert not Round.objects.exists()
