"""Threshold overrides: province, then city; new runs only; audited; supervisors only."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.evaluation import selectors, services
from dudao.evaluation.models import Finding, RunCounty, ThresholdOverride
from dudao.evaluation.tests.helpers import run, upload_demo_year

pytestmark = pytest.mark.django_db
KEY = "sports_area_per_student.primary"


def sports_primary(run_id: int) -> dict[str, Any]:
    county = RunCounty.objects.get(run_id=run_id, region__code="230422")
    entry = next(e for e in county.entries if e["level"] == "primary")
    result: dict[str, Any] = entry["indicators"]["sports_area_per_student"]
    return result


def test_an_override_applies_to_new_runs_only(personas: Any, client_for: Any, regions: Any) -> None:
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    old = run(hegang, 2023)
    before = sports_primary(old.pk)
    assert before["schools_below"]["count"] == 3
    response = hegang.post(
        reverse("evaluation-thresholds"),
        {
            "region": regions["230400"].pk,
            "key": KEY,
            "value": "5.5",
            "valid_from": "2020-01-01",
            "note": "鹤教督〔2023〕1号",
        },
    )
    assert response.status_code == 302
    new = run(hegang, 2023)
    assert new.thresholds["230400"][KEY] == 5.5
    assert sports_primary(new.pk)["schools_below"] is None or (
        sports_primary(new.pk)["schools_below"]["count"] == 0
    )
    old.refresh_from_db()
    assert old.thresholds["230400"][KEY] == 7.5
    assert sports_primary(old.pk) == before
    old_statements = Finding.objects.filter(run=old, region__code="230422")
    assert any("小学2所学校低于标准" in f.statement for f in old_statements)
    assert any("另有1所低于标准但在85%允许范围内" in f.statement for f in old_statements)
    event = AuditEvent.objects.get(action="threshold_override_add")
    assert event.changes[KEY] == [7.5, 5.5] and event.note == "鹤教督〔2023〕1号"
    page = hegang.get(reverse("evaluation-thresholds")).content.decode()
    assert "鹤教督〔2023〕1号" in page and "生均体育运动场馆面积（小学）" in page


def test_the_city_wins_over_the_province_and_dates_decide(personas: Any, regions: Any) -> None:
    def add(who: str, code: str, value: float, day: datetime.date) -> None:
        services.threshold_override_add(
            acting_user=personas[who], region=regions[code], key=KEY, value=value, valid_from=day
        )

    add("province", "230000", 8.0, datetime.date(2023, 1, 1))
    add("hegang", "230400", 9.0, datetime.date(2024, 1, 1))
    add("hegang", "230400", 9.5, datetime.date(2025, 1, 1))
    on = selectors.overrides_in_force
    assert on([regions["230400"]], datetime.date(2023, 6, 1))["230400"] == {KEY: 8.0}
    assert on([regions["230400"]], datetime.date(2024, 6, 1))["230400"] == {KEY: 9.0}
    assert on([regions["230400"]], datetime.date(2025, 6, 1))["230400"] == {KEY: 9.5}


@pytest.mark.parametrize("who", ["suibin", "viewer", "suibin_supervisor"])
def test_only_province_and_city_supervisors_change_thresholds(
    who: str, personas: Any, client_for: Any, regions: Any
) -> None:
    response = client_for(who).post(
        reverse("evaluation-thresholds"),
        {"region": regions["230400"].pk, "key": KEY, "value": "1", "valid_from": "2024-01-01"},
    )
    assert response.status_code == 403
    assert ThresholdOverride.objects.count() == 0


def test_an_unknown_key_or_a_negative_value_is_refused(personas: Any, regions: Any) -> None:
    with pytest.raises(services.EvaluationError, match="阈值应为不小于0的数"):
        services.threshold_override_add(
            acting_user=personas["hegang"],
            region=regions["230400"],
            key=KEY,
            value=-1,
            valid_from=datetime.date(2024, 1, 1),
        )
    with pytest.raises(services.EvaluationError, match="未知的阈值项"):
        services.threshold_override_add(
            acting_user=personas["hegang"],
            region=regions["230400"],
            key="nope",
            value=1,
            valid_from=datetime.date(2024, 1, 1),
        )


def test_the_thresholds_page_names_indicators_with_level_and_unit(
    personas: Any, client_for: Any, regions: Any
) -> None:
    hegang = client_for("hegang")
    hegang.post(
        reverse("evaluation-thresholds"),
        {"region": regions["230400"].pk, "key": KEY, "value": "8", "valid_from": "2020-01-01"},
    )
    page = hegang.get(reverse("evaluation-thresholds")).content.decode()
    overrides = page.split('id="overrides"')[1].split("</section>")[0]
    assert '<td>生均体育运动场馆面积</td><td class="nowrap">小学</td>' in overrides
    assert "不低于8平方米" in overrides
    defaults = page.split('id="defaults"')[1].split("</section>")[0]
    assert "不低于4.2人" in defaults and "不高于1:15" in defaults and "不低于85%" in defaults
    text = re.sub(r"<[^>]+>", " ", page)  # what the user reads: no keys, even in the form
    assert "qualified_teachers_per_100" not in text and KEY not in text
    assert "（单位：平方米）" in page  # the form says what unit to type the value in
