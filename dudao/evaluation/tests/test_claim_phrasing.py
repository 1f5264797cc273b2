"""Claims in a county's own words: every percentage is matched, mismatched or unchecked."""

from __future__ import annotations

import pytest

from dudao.evaluation.claims import check_outcome

ROWS = {2023: {"guard_rate": 92.0, "alarm_video_rate": 100.0}}


@pytest.mark.parametrize(
    "text",
    [
        "我县校园专职保安员配备率达到100%。",
        "专职保安配备率达100%。",
        "配齐专职保安员，配备率达100%。",
        "全县中小学专职保安配备率达到百分之百。",
    ],
)
def test_a_guard_claim_in_any_phrasing_is_checked_against_the_data(text: str) -> None:
    (check,) = check_outcome(text, ROWS, "230422", 2023)
    assert (check.rate, check.verdict) == ("guard_rate", "mismatch")
    assert "区县数据为92%" in check.message


def test_a_chinese_numeral_claim_that_holds_matches() -> None:
    (check,) = check_outcome("一键式报警和视频监控联网率百分之百。", ROWS, "230422", 2023)
    assert (check.rate, check.verdict) == ("alarm_video_rate", "match")


def test_a_percentage_without_an_indicator_is_unchecked_with_the_reason() -> None:
    (check,) = check_outcome("校园安防建设实现100%全覆盖。", ROWS, "230422", 2023)
    assert check.verdict == "unchecked" and check.text == "100%"
    assert "句中没有可识别的指标名称" in check.message


def test_a_year_named_in_the_claim_is_the_year_checked() -> None:
    rows = {2022: {"guard_rate": 86.7}, 2023: {"guard_rate": 92.0}}
    (check,) = check_outcome("2022年专职保安员配备率为86.7%。", rows, "230422", 2023)
    assert check.verdict == "match" and check.claimed == {"2022": 86.7}


def test_a_myopia_decline_in_points_is_checked_against_both_years() -> None:
    rows = {2022: {"myopia_rate": 54.1}, 2023: {"myopia_rate": 53.5}}
    (check,) = check_outcome("全县儿童青少年近视率较上年下降0.6个百分点。", rows, "230422", 2023)
    assert (check.rate, check.verdict) == ("myopia_rate", "match")
    (wrong,) = check_outcome("近视率下降1.2个百分点。", rows, "230422", 2023)
    assert wrong.verdict == "mismatch" and "下降0.6个百分点" in wrong.message


@pytest.mark.parametrize(
    ("text", "claim", "why"),
    [
        (
            "小学生均体育运动场馆面积达到8.2平方米。",
            "8.2平方米",
            "没有2023年度小学生均体育运动场馆面积",
        ),
        ("生均教学仪器设备值提高到2350元。", "2350元", "未说明是小学还是初中"),
        ("新建改建学校3所，补充教师25名。", "3所", "不是比率"),
    ],
)
def test_a_number_that_cannot_be_checked_is_reported_unchecked_with_why(
    text: str, claim: str, why: str
) -> None:
    checks = check_outcome(text, ROWS, "230422", 2023)
    assert checks and all(c.verdict == "unchecked" for c in checks)
    first = next(c for c in checks if c.text == claim)
    assert why in first.message


# the county values of the school indicators, as the evaluation computes them
VALUES = {
    2023: {
        "sports_area_per_student": {"primary": 8.1963, "junior": 9.874},
        "equipment_value_per_student": {"primary": 2351.2, "junior": 2410.0},
        "key_teachers_per_100": {"primary": 1.34, "junior": 0.96},
    }
}


@pytest.mark.parametrize(
    "text",
    [
        "小学生均体育运动场馆面积达到8.2平方米。",
        "全县小学生均体育运动场馆面积由7.6平方米提高到8.2平方米。",
        "2023年，小学生均运动场面积8.20平方米。",
    ],
)
def test_a_per_student_area_claim_is_checked_against_the_evaluation(text: str) -> None:
    checks = check_outcome(text, {}, "230422", 2023, VALUES)
    last = [c for c in checks if c.text.startswith("8.2")][-1]
    assert (last.rate, last.verdict) == ("sports_area_per_student", "match"), last.message


def test_a_wrong_per_student_amount_is_flagged_with_the_datas_figure() -> None:
    (check,) = check_outcome("初中生均教学仪器设备值达到2500元。", {}, "230422", 2023, VALUES)
    assert check.verdict == "mismatch"
    assert "报告称2023年度初中生均教学仪器设备值为2500元，按学校数据计算为2410元" in check.message
    (ok,) = check_outcome("小学每百名学生拥有骨干教师1.3人。", {}, "230422", 2023, VALUES)
    assert (ok.rate, ok.verdict) == ("key_teachers_per_100", "match")


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("小学生均体育运动场馆面积由7.6平方米提高到8.2平方米。", {"2022": 7.6, "2023": 8.2}),
        ("2023年，小学生均运动场面积从7.60平方米增加至8.20平方米。", {"2022": 7.6, "2023": 8.2}),
        ("小学生均运动场面积由2022年的7.6平方米提高到8.2平方米。", {"2022": 7.6, "2023": 8.2}),
    ],
)
def test_a_from_to_claim_checks_each_number_against_its_own_year(
    text: str, claimed: dict[str, float]
) -> None:
    values = {
        2022: {"sports_area_per_student": {"primary": 7.6}},
        2023: {"sports_area_per_student": {"primary": 8.1963}},
    }
    checks = check_outcome(text, {}, "230422", 2023, values)
    assert [(c.claimed, c.verdict) for c in checks] == [
        ({y: v}, "match") for y, v in claimed.items()
    ], [c.message for c in checks]


def test_the_earlier_number_of_a_from_to_claim_without_that_years_data_is_unchecked() -> None:
    checks = check_outcome(
        "小学生均体育运动场馆面积由7.6平方米提高到8.5平方米。", {}, "230422", 2023, VALUES
    )
    assert [c.verdict for c in checks] == ["unchecked", "mismatch"]
    assert "没有2022年度小学生均体育运动场馆面积的评估数据" in checks[0].message
    assert "报告称2023年度小学生均体育运动场馆面积为8.5平方米" in checks[1].message
    assert "按学校数据计算为8.1963平方米" in checks[1].message


def test_a_rate_from_to_claim_checks_the_later_rate_against_the_current_year() -> None:
    rows = {2022: {"myopia_rate": 65.1}, 2023: {"myopia_rate": 63.79}}
    checks = check_outcome("儿童青少年近视率从65.1%下降至63.79%。", rows, "230422", 2023)
    assert [(c.claimed, c.verdict) for c in checks] == [
        ({"2022": 65.1}, "match"),
        ({"2023": 63.79}, "match"),
    ]
    wrong = check_outcome("近视率由65.1%下降到62.5%。", rows, "230422", 2023)
    assert [c.verdict for c in wrong] == ["match", "mismatch"]
    assert "报告称2023年度儿童青少年总体近视率为62.5%，区县数据为63.79%" in wrong[1].message
    (gap,) = [
        c
        for c in check_outcome("近视率由65.1%下降到63.79%。", {2023: rows[2023]}, "230422", 2023)
        if c.verdict != "match"
    ]
    assert gap.verdict == "unchecked" and "没有2022年度儿童青少年总体近视率" in gap.message


# --- ratios --------------------------------------------------------------------------------

PRESCHOOL = {2023: {"preschool_children": 1342, "preschool_teachers": 100}}


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("小学生师比为15:1。", "小学"),
        ("全县义务教育阶段生师比达到1:15。", "中小学"),
        ("初中师生比1∶13.5。", "初中"),
        ("初中师生比达到1：13.5，教师配备满足需要。", "初中"),
    ],
)
def test_a_student_teacher_ratio_is_reported_unchecked_with_why(text: str, level: str) -> None:
    (check,) = check_outcome(text, PRESCHOOL, "230422", 2023)
    assert (check.rate, check.verdict) == ("student_teacher_ratio", "unchecked")
    assert f"学校数据中没有{level}专任教师总数" in check.message
    assert "无法计算生师比" in check.message


def test_two_ratios_of_one_sentence_are_both_reported() -> None:
    checks = check_outcome("小学、初中生师比分别为15:1、13:1。", PRESCHOOL, "230422", 2023)
    assert [c.text for c in checks] == ["15:1", "13:1"]
    assert all(c.verdict == "unchecked" and "中小学专任教师总数" in c.message for c in checks)


@pytest.mark.parametrize(
    ("text", "verdict", "said"),
    [
        ("全县幼儿园师幼比为1:13.4。", "match", "2023年度师幼比1:13.4，与区县数据1:13.42"),
        ("幼儿园生师比13.42∶1。", "match", "2023年度师幼比1:13.42，与区县数据1:13.42"),
        ("师幼比达到1比15。", "mismatch", "报告称2023年度师幼比为1:15，区县数据为1:13.42"),
    ],
)
def test_a_preschool_ratio_is_checked_against_the_county_data(
    text: str, verdict: str, said: str
) -> None:
    (check,) = check_outcome(text, PRESCHOOL, "230422", 2023)
    assert (check.rate, check.verdict) == ("preschool_child_teacher_ratio", verdict)
    assert said in check.message and "在园幼儿1342人、专任教师100人" in check.message


def test_a_ratio_that_is_no_ratio_is_said_not_dropped() -> None:
    (zero,) = check_outcome("师幼比为0:15。", PRESCHOOL, "230422", 2023)
    assert zero.verdict == "unchecked" and "0:15不是有效的比例" in zero.message
    (long,) = check_outcome("师幼比1:134200。", PRESCHOOL, "230422", 2023)
    assert long.verdict == "mismatch" and long.text == "1:134200"


def test_a_preschool_ratio_without_the_years_data_is_unchecked_with_why() -> None:
    (check,) = check_outcome("师幼比1:13.4。", {2023: {"myopia_rate": 60.0}}, "230422", 2023)
    assert check.verdict == "unchecked"
    assert "区县数据中没有2023年度在园幼儿数和幼儿园专任教师数" in check.message


# --- counts of schools and teachers ----------------------------------------------------------


@pytest.fixture(scope="module")
def counts() -> dict[int, dict[str, int]]:
    """绥滨县's schools of 2023 in the demo data: 小学4, 初中3, 九年一贯制2, 完全中学1."""
    from dudao.engine import hegang_demo, read_schools
    from dudao.engine.claims import school_counts

    table = read_schools(hegang_demo()["schools_2023.csv"], "schools.csv", year=2023)
    return {2023: school_counts(table, "230422")}


def test_the_demo_county_school_counts(counts: dict[int, dict[str, int]]) -> None:
    c = counts[2023]
    assert (c["schools"], c["type:小学"], c["type:初中"], c["level:primary"]) == (10, 4, 3, 6)
    assert c["key_teachers"] == c["key_teachers:primary"] + c["key_teachers:junior"] == 77


@pytest.mark.parametrize(
    ("text", "verdicts"),
    [
        ("全县共有中小学10所。", ["match"]),
        ("全县中小学校共12所。", ["mismatch"]),
        ("全县共有小学4所、初中3所、九年一贯制学校2所。", ["match", "match", "match"]),
        ("全县有小学6所。", ["match"]),  # counted with the schools that teach 小学
        ("全县有小学五所。", ["mismatch"]),
    ],
)
def test_a_school_count_is_checked_against_the_school_data(
    text: str, verdicts: list[str], counts: dict[int, dict[str, int]]
) -> None:
    checks = check_outcome(text, {}, "230422", 2023, None, counts)
    assert [(c.rate, c.verdict) for c in checks] == [("schools", v) for v in verdicts]


def test_a_wrong_school_count_gives_the_datas_figure(counts: dict[int, dict[str, int]]) -> None:
    (check,) = check_outcome("全县共有小学5所。", {}, "230422", 2023, None, counts)
    assert check.message == (
        "与学校数据不符：报告称2023年度有小学5所，学校数据为小学4所"
        "（连同设小学部的一贯制学校、完全中学共6所）"
    )


def test_teacher_counts_are_checked_where_the_data_count_them(
    counts: dict[int, dict[str, int]],
) -> None:
    text = "全县共有专任教师1,234人，其中县级以上骨干教师77人，小学骨干教师40人；新招聘教师二十名。"
    checks = check_outcome(text, {}, "230422", 2023, None, counts)
    assert [(c.text, c.verdict) for c in checks] == [
        ("1,234人", "unchecked"),
        ("77人", "match"),
        ("40人", "mismatch"),
        ("二十名", "unchecked"),
    ]
    assert "学校数据中没有专任教师总数" in checks[0].message
    assert "学校数据合计42人" in checks[2].message
    assert checks[3].claimed == {} and "不是比率" in checks[3].message


def test_teachers_given_a_title_are_no_census_of_the_teachers(
    counts: dict[int, dict[str, int]],
) -> None:
    text = "2023年评定一级教师16人、高级教师1人、正高级教师1人。现有教师共计420人。"
    checks = check_outcome(text, {}, "230422", 2023, None, counts)
    assert [(c.text, c.verdict, "不是比率" in c.message) for c in checks] == [
        ("16人", "unchecked", True),
        ("1人", "unchecked", True),
        ("420人", "unchecked", False),
    ]
    assert "学校数据中没有专任教师总数" in checks[2].message


def test_schools_built_or_without_the_years_data_are_not_taken_for_a_census(
    counts: dict[int, dict[str, int]],
) -> None:
    (built,) = check_outcome("新建改建学校3所。", {}, "230422", 2023, None, counts)
    assert built.verdict == "unchecked" and "不是比率" in built.message
    (later,) = check_outcome("2024年全县共有中小学10所。", {}, "230422", 2023, None, counts)
    assert later.verdict == "unchecked" and "没有2024年度的学校数据" in later.message
