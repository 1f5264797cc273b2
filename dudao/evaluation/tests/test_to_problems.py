"""Findings become the problems of a round, as the supervisor edited them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.evaluation.models import Finding
from dudao.evaluation.tests.helpers import run, upload_demo_year
from dudao.rectification import services as ledger
from dudao.rectification.models import Item, Problem, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_round(personas: Any, regions: Any) -> Any:
    return ledger.round_create(
        acting_user=personas["hegang"],
        year=2023,
        evaluating_region=regions["230400"],
        evaluated_region=regions["230422"],
        title="鹤岗市对绥滨县人民政府履行教育职责评价",
    )


def test_picked_findings_become_audited_problems_with_items(
    personas: Any, client_for: Any, city_round: Any
) -> None:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    evaluation = run(hegang, 2023)
    url = reverse("evaluation-to-problems", args=[evaluation.pk])
    page = hegang.get(url).content.decode()
    assert "鹤岗市对绥滨县人民政府履行教育职责评价" in page
    # the province's round is not the city's to manage
    assert "省对鹤岗市" not in page
    sports, fitness = (
        Finding.objects.get(run=evaluation, region__code="230422", indicator=key)
        for key in ("sports_area_per_student", "fitness_good_rate")
    )
    data = {
        "round": city_round.pk,
        "assign": "on",
        "deadline": "2024-12-31",
        f"f{sports.pk}-pick": "on",
        f"f{sports.pk}-statement": "部分学校生均体育运动场馆面积不足",
        f"f{sports.pk}-dimension": "重点任务落实",
        f"f{fitness.pk}-pick": "on",
        f"f{fitness.pk}-statement": fitness.statement,
        f"f{fitness.pk}-dimension": "教育优先发展",
    }
    response = hegang.post(url, data)
    assert response.status_code == 302
    problems = list(Problem.objects.filter(round=city_round).order_by("order"))
    assert [p.statement for p in problems] == [
        "部分学校生均体育运动场馆面积不足",
        fitness.statement,
    ]
    assert [p.dimension for p in problems] == ["重点任务落实", "教育优先发展"]
    assert {p.source for p in problems} == {Source.ENGINE}
    items = Item.objects.filter(problem__in=problems)
    assert {i.region.code for i in items} == {"230422"}
    assert {i.deadline for i in items} == {datetime.date(2024, 12, 31)}
    sports.refresh_from_db()
    assert sports.problem == problems[0]
    assert AuditEvent.objects.filter(action="finding_to_problem").count() == 2
    assert AuditEvent.objects.filter(action="problem_add", target_id=problems[0].pk).exists()
    # linked findings are no longer offered, and the county page says where they went
    assert f"f{sports.pk}-pick" not in hegang.get(url).content.decode()
    county = hegang.get(reverse("evaluation-county", args=[evaluation.pk, "230422"]))
    assert "已转为问题：2023年 鹤岗市对绥滨县人民政府履行教育职责评价" in county.content.decode()


def test_a_finding_of_a_county_outside_the_round_is_not_assigned(
    personas: Any, client_for: Any, city_round: Any
) -> None:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    evaluation = run(hegang, 2023)
    luobei = Finding.objects.filter(run=evaluation, region__code="230421").first()
    assert luobei is not None
    url = reverse("evaluation-to-problems", args=[evaluation.pk])
    response = hegang.post(
        url,
        {
            "round": city_round.pk,
            "assign": "on",
            f"f{luobei.pk}-pick": "on",
            f"f{luobei.pk}-statement": luobei.statement,
            f"f{luobei.pk}-dimension": luobei.dimension,
        },
    )
    assert response.status_code == 400
    assert "萝北县不在“绥滨县”范围内，不能分配整改任务" in response.content.decode()
    assert not Problem.objects.filter(round=city_round).exists()
    luobei.refresh_from_db()
    assert luobei.problem is None


def test_an_empty_statement_is_refused_and_nothing_is_created(
    personas: Any, client_for: Any, city_round: Any
) -> None:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    evaluation = run(hegang, 2023)
    finding = Finding.objects.filter(run=evaluation, region__code="230422").first()
    assert finding is not None
    response = hegang.post(
        reverse("evaluation-to-problems", args=[evaluation.pk]),
        {"round": city_round.pk, f"f{finding.pk}-pick": "on", f"f{finding.pk}-statement": " "},
    )
    assert response.status_code == 400
    assert "问题表述不能为空" in response.content.decode()
    assert not Problem.objects.filter(round=city_round).exists()
    officer = client_for("suibin").get(reverse("evaluation-to-problems", args=[evaluation.pk]))
    assert officer.status_code in {403, 404}


def test_without_a_round_the_page_says_to_create_one_and_comes_back(
    personas: Any, client_for: Any
) -> None:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    evaluation = run(hegang, 2023)
    url = reverse("evaluation-to-problems", args=[evaluation.pk])
    response = hegang.get(url)
    page = response.content.decode()
    assert "先建立评价，再把发现转为问题" in page
    assert 'name="round"' not in page  # no empty 转入评价 list
    new_round = response.context["new_round_url"]
    assert new_round.startswith(reverse("round-new") + "?")
    form_page = hegang.get(new_round)
    assert form_page.context["form"].initial == {"year": "2023"}
    created = hegang.post(
        new_round,
        {
            "year": "2023",
            "evaluating_region": "230400",
            "evaluated_region": "230422",
            "title": "鹤岗市对绥滨县人民政府履行教育职责评价",
        },
    )
    assert created.status_code == 302, created.context["form"].errors
    assert created["Location"] == url
    again = hegang.get(url).content.decode()
    assert "鹤岗市对绥滨县人民政府履行教育职责评价" in again
    assert "先建立评价" not in again


def test_new_round_refuses_a_way_back_to_another_site(client_for: Any) -> None:
    page = client_for("hegang").get(reverse("round-new") + "?next=https://example.com/")
    assert page.context["back"] == ""
    assert "取消" in page.content.decode()
