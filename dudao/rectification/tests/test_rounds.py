"""Creating a round, adding problems and assigning them, through the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dudao.rectification.models import Item, Problem, Round

pytestmark = pytest.mark.django_db


def test_a_supervisor_creates_a_round_adds_problems_and_assigns_them(
    regions: Any, client_for: Any
) -> None:
    hegang = client_for("hegang")
    response = hegang.post(
        reverse("round-new"),
        {
            "year": 2024,
            "evaluating_region": "230400",
            "evaluated_region": "230422",
            "title": "市对绥滨县人民政府履行教育职责评价",
            "source_doc_number": "鹤教督函〔2025〕3号",
        },
    )
    assert response.status_code == 302
    rnd = Round.objects.get(title="市对绥滨县人民政府履行教育职责评价")
    url = reverse("round", args=[rnd.pk])
    assert (
        hegang.post(url, {"dimension": "校园安全", "statement": "护学岗设置不全"}).status_code
        == 302
    )
    assert (
        hegang.post(url, {"dimension": "教师队伍建设", "statement": "音体美教师不足"}).status_code
        == 302
    )
    problems = list(Problem.objects.filter(round=rnd).order_by("order"))
    assert [p.order for p in problems] == [1, 2]
    response = hegang.post(
        url,
        {
            "problems": [str(p.pk) for p in problems],
            "regions": ["230422"],
            "deadline": "2025-06-30",
            "lead_unit": "绥滨县教育局",
        },
    )
    assert response.status_code == 302
    assert Item.objects.filter(problem__round=rnd, region__code="230422").count() == 2
    # Assigning again creates nothing new.
    hegang.post(url, {"problems": [str(problems[0].pk)], "regions": ["230422"]})
    assert Item.objects.filter(problem__round=rnd).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dimension": "校园安全", "statement": "   "}, "问题描述不能为空"),
        ({"dimension": "", "statement": "某问题"}, "请选择或填写问题所属维度"),
    ],
)
def test_bad_problems_are_refused_with_a_message(
    ledger: Any, client_for: Any, data: dict[str, str], message: str
) -> None:
    response = client_for("province").post(reverse("round", args=[ledger.round.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ledger.round.problems.count() == 2


def test_a_deadline_before_the_round_year_is_refused(ledger: Any, client_for: Any) -> None:
    response = client_for("province").post(
        reverse("round", args=[ledger.round.pk]),
        {
            "problems": [str(ledger.problems[0].pk)],
            "regions": ["230403"],
            "deadline": "2022-12-31",
        },
    )
    assert response.status_code == 400
    assert "整改时限（2022-12-31）不能早于评价年度 2023 年" in response.content.decode()
    assert not Item.objects.filter(region__code="230403").exists()


def test_a_round_must_evaluate_a_lower_region(regions: Any, client_for: Any) -> None:
    response = client_for("hegang").post(
        reverse("round-new"),
        {
            "year": 2024,
            "evaluating_region": "230400",
            "evaluated_region": "230400",
            "title": "自评",
        },
    )
    assert response.status_code == 200
    assert "被评价地区必须是评价方的下级地区" in response.content.decode()
    assert not Round.objects.exists()


def test_the_item_deadline_edit_is_checked_too(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    response = client_for("suibin").post(
        reverse("item-edit", args=[item.pk]), {"version": item.version, "deadline": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "不能早于评价年度" in response.content.decode()
    item.refresh_from_db()
    assert item.deadline.isoformat() == "2024-06-30"


def test_more_than_a_thousand_checkboxes_are_accepted(ledger: Any, client_for: Any) -> None:
    from dudao.rectification import services

    rnd = ledger.round
    problems = [
        services.problem_add(
            acting_user=ledger.round.created_by, rnd=rnd, dimension="校园安全", statement=f"问题{i}"
        )
        for i in range(1_050)
    ]
    response = client_for("province").post(
        reverse("round", args=[rnd.pk]),
        {
            "problems": [str(p.pk) for p in problems],
            "regions": ["230422"],
            "deadline": "2025-06-30",
            "lead_unit": "绥滨县教育局",
        },
    )
    assert response.status_code == 302
    assert Item.objects.filter(problem__in=problems, region__code="230422").count() == 1_050


def test_a_form_over_the_field_limit_says_so(ledger: Any, client_for: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    before = Item.objects.count()
    response = client_for("province").post(
        reverse("round", args=[ledger.round.pk]),
        {"problems": [str(p.pk) for p in ledger.problems] * 30, "regions": ["230422"]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "一次提交的项目太多（超过 50 项），请分几次选择后提交" in page
    assert Item.objects.count() == before
