"""Hand-checked cases for every rule (the expected numbers are worked out in comments)."""

from __future__ import annotations

import pytest

from dudao.engine.errors import EngineError
from dudao.engine.evaluation import evaluate
from dudao.engine.results import CountyResult
from dudao.engine.tests.builders import JUNIOR, PRIMARY, counties, county, school, schools

# 200 pupils, everything at 2x standard except sports: 1400 m² = 7.0/pupil (93 % of 7.5)
DOUBLE = {
    k: (v * 2 if isinstance(v, int) and k != "小学超过45人的班级数" else v)
    for k, v in PRIMARY.items()
}


def four_schools() -> CountyResult:
    rows = [
        school("A", values={"小学超过45人的班级数": 1}),
        school("B", DOUBLE, values={"体育运动场馆面积（平方米）": 1400}),
        # C: sports 7.0 and teaching 4.2 (both 93 %): only 5 of 7 met -> fails the rule
        school(
            "C", values={"体育运动场馆面积（平方米）": 700, "教学及辅助用房面积（平方米）": 420}
        ),
        # D: equipment 16 万元 = 1600 元/pupil = 80 % of 2000 < 85 % -> fails the rule
        school("D", values={"教学仪器设备资产值（万元）": 16}),
    ]
    return evaluate(schools(rows), None, year=2023).county("230422")


def test_the_county_value_is_total_quantity_over_total_pupils() -> None:
    sports = four_schools().level("primary").indicators["sports_area_per_student"]  # type: ignore[union-attr]
    # (1500 + 1400 + 700 + 1500) / (100 + 200 + 100 + 100) = 10.2
    assert sports.value == pytest.approx(10.2)
    assert sports.threshold == 7.5
    # X = [15, 7, 7, 15], weights [.2, .4, .2, .2]: S² = .4·4.8² + .6·3.2² = 15.36
    assert sports.cv == pytest.approx(15.36**0.5 / 10.2, abs=1e-4)
    assert sports.cv_limit == 0.5 and sports.cv_passed is True


def test_schools_below_standard_are_listed_with_their_values() -> None:
    lv = four_schools().level("primary")
    assert lv is not None
    sports = lv.indicators["sports_area_per_student"]
    assert sports.passed is False
    assert [(s.school_id, s.value) for s in sports.schools_below or ()] == [("B", 7.0), ("C", 7.0)]
    equipment = lv.indicators["equipment_value_per_student"]
    assert [(s.school_id, s.value) for s in equipment.schools_below or ()] == [("D", 1600.0)]
    assert lv.indicators["key_teachers_per_100"].passed is True


def test_the_six_of_seven_and_85_percent_rule_per_school() -> None:
    rule = four_schools().level("primary").indicators["school_rule_share"]  # type: ignore[union-attr]
    # A meets 7, B meets 6 with the 7th at 93 % (ok); C meets 5; D's 7th is at 80 %
    assert rule.value == 50.0
    assert rule.passed is False
    assert [(s.school_id, s.value) for s in rule.schools_below or ()] == [("C", 5.0), ("D", 6.0)]


def test_class_size_share_of_classes_over_the_limit() -> None:
    cls = four_schools().level("primary").indicators["class_size_over_share"]  # type: ignore[union-attr]
    # 1 class over 45 of 3 + 6 + 3 + 3 = 15 classes
    assert cls.value == pytest.approx(100 / 15, abs=1e-4)
    assert cls.passed is False
    assert [s.school_id for s in cls.schools_below or ()] == ["A"]


def test_findings_merge_a_group_worst_first_in_the_letters_register() -> None:
    statements = [f.statement for f in four_schools().findings]
    assert statements == [
        "部分义务教育学校生均教学及辅助用房面积、生均体育运动场馆面积、生均教学仪器设备值不足。"
        "生均教学及辅助用房面积：小学1所学校低于标准（学校C4.20平方米），最低4.20平方米，"
        "标准4.5平方米，差0.30平方米，县域差异系数0.239，未超过0.5。"
        "生均体育运动场馆面积：小学1所学校低于标准（学校C7.00平方米），最低7.00平方米，"
        "标准7.5平方米，差0.50平方米，另有1所低于标准但在85%允许范围内"
        "（学校B7.00平方米，风险提示），县域差异系数0.384，未超过0.5。"
        "生均教学仪器设备值：小学1所学校低于标准（学校D1600元），最低1600元，标准2000元，"
        "差400元，县域差异系数0.273，未超过0.5。",
        "义务教育优质均衡发展存在短板，部分学校资源配置未达标"
        "（小学2所未达到“7项指标至少6项达标、其余不低于标准85%”的要求：学校C、学校D）",
        "部分义务教育学校班额超标（小学超过45人的班级1个、占6.7%，涉及学校A）",
    ]
    first = four_schools().findings[0]
    assert first.indicators == (
        "teaching_area_per_student",
        "sports_area_per_student",
        "equipment_value_per_student",
    )
    assert first.dimension == "重点任务落实"


def test_a_cv_over_the_limit_is_a_balance_finding() -> None:
    rows = [
        school("A", values={"体育运动场馆面积（平方米）": 2000}),
        school("B", values={"体育运动场馆面积（平方米）": 200}),
    ]
    c = evaluate(schools(rows), None, year=2023).county("230422")
    bal = c.level("primary").indicators["balance_cv"]  # type: ignore[union-attr]
    # X = [20, 2], X̄ = 11, S = 9, CV = 0.818
    assert bal.value == pytest.approx(9 / 11, abs=1e-4)
    assert bal.passed is False
    assert "小学生均体育运动场馆面积差异系数0.818，超过0.5" in c.findings[-1].statement


def test_thresholds_are_inclusive_at_the_boundary() -> None:
    at = school("J1", JUNIOR, values={"体育运动场馆面积（平方米）": 1020})  # 10.2 exactly
    under = school("J2", JUNIOR, values={"体育运动场馆面积（平方米）": 1019})
    c = evaluate(schools([at, under]), None, year=2023).county("230422")
    sports = c.level("junior").indicators["sports_area_per_student"]  # type: ignore[union-attr]
    assert [s.school_id for s in sports.schools_below or ()] == ["J2"]
    assert sports.threshold == 10.2 and sports.cv_limit == 0.45


@pytest.mark.parametrize(
    ("values", "key", "passed"),
    [
        ({"学前三年毛入园率（%）": 85}, "preschool_gross_enrolment", True),
        ({"学前三年毛入园率（%）": 84.9}, "preschool_gross_enrolment", False),
        ({"普惠性幼儿园覆盖率（%）": 79.9}, "preschool_inclusive_coverage", False),
        ({"公办园在园幼儿占比（%）": 50}, "preschool_public_share", True),
        ({"公办园在园幼儿占比（%）": 49.9}, "preschool_public_share", False),
        ({"在园幼儿数": 1500, "幼儿园专任教师数": 100}, "preschool_child_teacher_ratio", True),
        ({"在园幼儿数": 1501, "幼儿园专任教师数": 100}, "preschool_child_teacher_ratio", False),
        ({"国家学生体质健康标准达标优良率（%）": 49.9}, "fitness_good_rate", False),
        ({"国家学生体质健康标准达标优良率（%）": 50}, "fitness_good_rate", True),
        ({"封闭化管理达标率（%）": 99.9}, "closed_campus_rate", False),
        ({"专职保安员配备率（%）": 93.3}, "guard_rate", False),
        ({"一键式报警和视频监控联网率（%）": 100}, "alarm_video_rate", True),
        ({"护学岗设置率（%）": 95}, "school_patrol_rate", False),
        ({"儿童青少年总体近视率（%）": 49.5}, "myopia_decline", True),  # 50 -> 49.5
        ({"儿童青少年总体近视率（%）": 49.6}, "myopia_decline", False),  # falls 0.4 pp
        ({"儿童青少年总体近视率（%）": 50.4}, "myopia_decline", False),  # rises
    ],
)
def test_county_rates_against_their_national_thresholds(
    values: dict[str, object], key: str, passed: bool
) -> None:
    table = counties([county(year=2022), county(year=2023, values=values)])
    c = evaluate(schools([school("A")]), table, year=2023).county("230422")
    (result,) = c.results_for(key)
    assert result.passed is passed


def test_high_myopia_provinces_need_one_point_a_year() -> None:
    table = counties(
        [county(year=2022), county(year=2023, values={"儿童青少年总体近视率（%）": 49.2})]
    )
    ev_normal = evaluate(schools([school("A")]), table, year=2023)
    ev_high = evaluate(schools([school("A")]), table, year=2023, high_myopia=True)
    (normal,) = ev_normal.county("230422").results_for("myopia_decline")
    (high,) = ev_high.county("230422").results_for("myopia_decline")
    assert normal.value == pytest.approx(0.8) and normal.passed is True
    assert high.threshold == 1.0 and high.passed is False


def test_a_province_can_override_a_threshold_and_a_typo_is_refused() -> None:
    table = counties([county(values={"国家学生体质健康标准达标优良率（%）": 55})])
    ev = evaluate(schools([school("A")]), table, year=2023, thresholds={"fitness_good_rate": 60})
    (fitness,) = ev.county("230422").results_for("fitness_good_rate")
    assert fitness.threshold == 60 and fitness.passed is False
    with pytest.raises(EngineError, match="未知的指标阈值"):
        evaluate(schools([school("A")]), table, year=2023, thresholds={"fitness_rate": 60})


def test_indicators_only_apply_in_their_years() -> None:
    table = counties([county(year=2021, values={"国家学生体质健康标准达标优良率（%）": 10})])
    c = evaluate(schools([school("A")]), table, year=2021).county("230422")
    assert c.results_for("fitness_good_rate") == ()  # the 50 % target starts in 2022


def test_a_school_within_the_allowance_is_a_risk_not_a_problem() -> None:
    # B: sports 7.0 per pupil (93 % of 7.5), everything else met: 6 of 7, the 7th >= 85 %
    rows = [school("A"), school("B", DOUBLE, values={"体育运动场馆面积（平方米）": 1400})]
    c = evaluate(schools(rows), None, year=2023).county("230422")
    assert c.findings == ()
    (risk,) = c.risks
    assert risk.statement == (
        "风险提示：生均体育运动场馆面积低于标准7.5平方米的学校有小学1所（学校B7.00平方米），"
        "仍在“7项指标至少6项达标、其余不低于标准85%”的允许范围内，资源配置达标，建议关注。"
    )


def test_a_failing_value_never_prints_as_its_standard() -> None:
    # 1,354 children and 90 teachers: 15.044 children per teacher, over 1:15
    c = evaluate(
        schools([school("A")]),
        counties([county(values={"在园幼儿数": 1354, "幼儿园专任教师数": 90})]),
        year=2023,
    ).county("230422")
    (finding,) = [f for f in c.findings if "preschool_child_teacher_ratio" in f.indicators]
    assert "幼儿园专任教师与在园幼儿比未达标（1:15.04，标准1:15）" in finding.statement
    guard = evaluate(
        schools([school("A")]),
        counties([county(values={"专职保安员配备率（%）": 99.96})]),
        year=2023,
    ).county("230422")
    assert any("专职保安员配备率99.96%，标准100%" in f.statement for f in guard.findings)


def test_names_holding_the_list_separator_are_quoted() -> None:
    rows = [
        school("A", values={"小学县级及以上骨干教师数": 0, "小学体育艺术专任教师数": 0}),
        school("B"),
    ]
    (finding, *_) = evaluate(schools(rows), None, year=2023).county("230422").findings
    assert finding.statement.startswith(
        "部分义务教育学校每百名学生拥有县级以上骨干教师数、"
        "“每百名学生拥有体育、艺术（美术、音乐）专任教师数”不足。"
    )
