"""风险提示 (schools inside the 85 % allowance: not problems) and schools left out of the
evaluation (a 教学点 under 50 pupils) on the run page, the county page and the item panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dudao.evaluation.models import Finding
from dudao.evaluation.tests.helpers import demo_files, post_upload, run

pytestmark = pytest.mark.django_db

# a 绥滨县 教学点 with 32 pupils: left out of the 优质均衡 evaluation
SMALL_POINT = "2304229901,绥滨县北岗教学点,230422,教学点,32,,,3,,0,,1,,150,300,4,1,3,0,,"
REASON = "教学点在校生32人，不足50人，按优质均衡评估办法不纳入评估"
# 萝北县第二中学's junior equipment value is 2,250 元 against 2,500 元: within the allowance
RISK = "风险提示：生均教学仪器设备值低于标准2500元的学校有初中1所（萝北县第二中学2250元）"


def upload_with_small_point(client: Any, year: int) -> None:
    files = demo_files()
    schools = files[f"schools_{year}.csv"].decode().rstrip("\n") + "\n" + SMALL_POINT + "\n"
    uploads = [
        ("schools", year, schools.encode()),
        ("counties", year - 1, files[f"counties_{year - 1}.csv"]),
        ("counties", year, files[f"counties_{year}.csv"]),
    ]
    for kind, y, data in uploads:
        response = post_upload(client, kind, y, "230400", f"{kind}_{y}.csv", data)
        assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def run_2023(personas: Any, client_for: Any) -> Any:
    hegang = client_for("hegang")
    upload_with_small_point(hegang, 2023)
    return run(hegang, 2023)


def test_the_city_supervisor_sees_risks_and_excluded_schools_per_county(
    run_2023: Any, client_for: Any
) -> None:
    page = client_for("hegang").get(reverse("evaluation-run", args=[run_2023.pk])).content.decode()
    notes = page.split('id="notes"')[1].split("</section>")[0]
    assert "萝北县" in notes and RISK in notes
    assert "不纳入评估：绥滨县北岗教学点（" + REASON + "）" in notes
    # a risk is not a problem: 萝北县's equipment is no finding of the run
    assert not Finding.objects.filter(
        run=run_2023, region__code="230421", indicator="equipment_value_per_student"
    ).exists()
    counties = page.split('id="counties"')[1].split("</section>")[0]
    assert "1 所" in counties and "1 条" in counties
    county = client_for("hegang").get(reverse("evaluation-county", args=[run_2023.pk, "230422"]))
    text = county.content.decode()
    assert "不纳入评估的学校（1所）" in text and "绥滨县北岗教学点" in text and REASON in text


def test_the_neighbouring_county_sees_its_own_risk_and_nothing_of_suibin(
    run_2023: Any, client_for: Any
) -> None:
    luobei = client_for("luobei")
    response = luobei.get(reverse("evaluation-run", args=[run_2023.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/230421/")
    assert RISK in page
    assert "绥滨" not in page and "北岗教学点" not in page
    other = luobei.get(reverse("evaluation-county", args=[run_2023.pk, "230422"]))
    assert other.status_code == 404
