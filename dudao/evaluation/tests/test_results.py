"""Running an evaluation and reading it: findings, the city's CV charts, a county's schools."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.evaluation.models import Finding, RunCounty
from dudao.evaluation.tests.helpers import run, upload_demo_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_2023(personas: Any, client_for: Any) -> Any:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    return run(hegang, 2023)


def test_a_clean_upload_and_run_shows_the_findings(run_2023: Any, client_for: Any) -> None:
    assert RunCounty.objects.filter(run=run_2023).count() == 8
    suibin = list(Finding.objects.filter(run=run_2023, region__code="230422"))
    assert [f.dimension for f in suibin].count("重点任务落实") == 4
    assert "教育优先发展" in {f.dimension for f in suibin}  # 安防 “四个百分百”
    page = (
        client_for("hegang")
        .get(reverse("evaluation-county", args=[run_2023.pk, "230422"]))
        .content.decode()
    )
    assert "部分义务教育学校生均体育运动场馆面积、生均教学及辅助用房面积不足" in page
    assert "学生体质健康达标优良率未达标（21.2%，标准50%）" in page
    assert "绥滨县第七中学" in page  # below standard, with its value
    event = AuditEvent.objects.get(action="evaluation_run")
    assert event.actor is not None and event.actor.username == "hegang"


def test_the_city_page_has_a_cv_chart_with_one_bar_per_county_and_the_limit(
    run_2023: Any, client_for: Any
) -> None:
    page = client_for("hegang").get(reverse("evaluation-run", args=[run_2023.pk])).content.decode()
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) == 14  # 7 indicators × 小学, 初中
    equipment = next(c for c in charts if "初中" in page and "生均教学仪器设备值差异系数" in c)
    assert all(c.count('class="bar"') == 8 for c in charts)
    assert all(c.count('class="limit"') == 1 for c in charts)
    # 萝北县's junior equipment CV (0.507) is over 0.45: one red bar in the second set
    junior = charts[7:]
    red = [c for c in junior if 'fill="#b3261e"><title>萝北县' in c]
    assert len(red) == 1 and "生均教学仪器设备值" in red[0]
    assert "上限 0.45" in junior[0] and "上限 0.5" in charts[0]
    assert equipment
    table = page.split('id="pass-table"')[1]
    assert table.count(">绥滨县</a></th>") == 1 and "✗ 未达标" in table


def test_the_county_page_draws_each_schools_value_against_the_standard(
    run_2023: Any, client_for: Any
) -> None:
    page = (
        client_for("suibin")
        .get(reverse("evaluation-county", args=[run_2023.pk, "230422"]))
        .content.decode()
    )
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    sports = [c for c in charts if "生均体育运动场馆面积" in c]
    assert len(sports) == 2  # 小学 and 初中
    primary, junior = sports
    assert primary.count("<circle") == 6 and primary.count('class="dot below"') == 3
    assert junior.count('class="dot below"') == 4
    assert 'class="threshold"' in primary and "标准 7.5平方米" in primary
    assert "标准 10.2平方米" in junior


def test_a_county_officer_sees_only_its_own_countys_page(run_2023: Any, client_for: Any) -> None:
    luobei = client_for("luobei")
    own = reverse("evaluation-county", args=[run_2023.pk, "230421"])
    assert luobei.get(own).status_code == 200
    assert luobei.get(reverse("evaluation-county", args=[run_2023.pk, "230422"])).status_code == 404
    overview = luobei.get(reverse("evaluation-run", args=[run_2023.pk]))
    assert overview.status_code == 302 and overview["Location"] == own
    assert (
        client_for("nobody").get(reverse("evaluation-run", args=[run_2023.pk])).status_code == 404
    )
    viewer = client_for("viewer").get(reverse("evaluation-run", args=[run_2023.pk]))
    assert viewer.status_code == 200 and "把评估发现转为问题" not in viewer.content.decode()


def test_a_run_without_school_data_says_what_to_upload(
    personas: Any, client_for: Any, regions: Any
) -> None:
    response = client_for("hegang").post(
        reverse("evaluation-run-new"), {"region": regions["230400"].pk, "year": 2023}
    )
    assert response.status_code == 400
    assert "还没有鹤岗市2023年度的学校数据，请先上传学校数据" in response.content.decode()


def test_the_run_page_has_an_index_to_each_countys_column(client_for: Any) -> None:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    evaluation = run(hegang, 2023)
    page = hegang.get(reverse("evaluation-run", args=[evaluation.pk])).content.decode()
    index = page.split('id="page-index"')[1].split("</nav>")[0]
    assert '<a href="#col-230422">绥滨县</a>' in index
    assert 'id="col-230422"' in page.split('id="pass-table"')[1]
