from __future__ import annotations

import pytest

from dudao.engine import evaluate
from dudao.engine.evaluation import Evaluation
from dudao.engine.indicators import framework
from dudao.engine.keywords import indicators_for_statement
from dudao.engine.recheck import ProblemRef, _summary, recheck
from dudao.engine.results import IndicatorResult
from dudao.engine.tests.builders import JUNIOR, school, schools
from dudao.engine.tests.test_hegang import demo


@pytest.mark.parametrize(
    ("statement", "keys"),
    [
        (
            "生均体育运动场馆面积、生均教学及辅助用房面积不足",
            ["sports_area_per_student", "teaching_area_per_student"],
        ),
        (
            "学生体质健康达标优良率和儿童青少年近视率下降比率未达标",
            ["fitness_good_rate", "myopia_decline"],
        ),
        (
            "部分学校人防投入不足，导致安防建设‘四个百分百’质量不高",
            ["closed_campus_rate", "guard_rate", "alarm_video_rate", "school_patrol_rate"],
        ),
        ("义务教育优质均衡发展存在短板", ["school_rule_share", "balance_cv"]),
        ("部分公办幼儿园非在编教师与在编教师未实现同工同酬", []),
        ("安防人员专业知识与风险防控能力不足", []),
        (
            "部分学校 每百名学生拥有体育、艺术（美术、音乐）专任教师数不足",
            ["pe_arts_teachers_per_100"],
        ),
    ],
)
def test_statements_map_to_indicator_keys(statement: str, keys: list[str]) -> None:
    assert indicators_for_statement(statement) == keys


def suibin(id_: int, statement: str) -> ProblemRef:
    return ProblemRef(id=id_, county="230422", statement=statement)


def test_verdicts_of_the_suibin_items_against_2024_data() -> None:
    problems = [
        suibin(2, "部分学校人防投入不足，导致安防建设‘四个百分百’质量不高"),
        suibin(7, "部分义务教育学校生均体育运动场馆面积、生均教学及辅助用房面积不足"),
        suibin(9, "学生体质健康达标优良率和儿童青少年近视率下降比率未达标"),
        suibin(3, "教育专网建设进度缓慢"),
    ]
    results = {r.problem_id: r for r in recheck(problems, demo(2024), demo(2023))}
    assert results[2].verdict == "resolved"
    assert "专职保安员配备率100%，已达标" in results[2].explanation
    # three sports grounds built, three not: fewer schools below, teaching rooms fixed
    assert results[7].verdict == "improved"
    by_status = {(c.name, c.indicator, c.level): c.status for c in results[7].schools}
    assert by_status[("绥滨县第五中学", "sports_area_per_student", "junior")] == "fixed"
    assert by_status[("绥滨县第七中学", "sports_area_per_student", "junior")] == "unchanged"
    assert by_status[("绥滨县第八中学", "sports_area_per_student", "junior")] == "improved"
    assert "小学生均体育运动场馆面积已达标的学校2所：绥滨县第三小学" in results[7].explanation
    assert results[7].new_failures == ()
    sports = results[7].numbers["sports_area_per_student"]
    assert sports["junior"]["old"]["schools_below_count"] == 4  # type: ignore[index]
    assert sports["junior"]["new"]["schools_below_count"] == 3  # type: ignore[index]
    assert results[9].verdict == "improved"  # fitness 21.2 % -> 26.4 %, still under 50 %
    assert results[3].verdict == "not_evaluable"


def test_without_an_old_evaluation_a_failing_problem_is_not_resolved() -> None:
    (result,) = recheck([suibin(9, "学生体质健康达标优良率未达标")], demo(2024), None)
    assert result.verdict == "not_resolved"
    assert "无上一轮数据可比" in result.explanation


def test_a_problem_that_got_worse_is_not_resolved() -> None:
    problem = ProblemRef(id=1, county="230422", indicators=("fitness_good_rate",))
    (result,) = recheck([problem], demo(2022), demo(2023))  # 21.2 % then, 17.3 % "now"
    assert result.verdict == "not_resolved"


def test_explicit_indicator_keys_win_over_the_statement() -> None:
    problem = ProblemRef(id=1, county="230422", indicators=("guard_rate",), statement="近视")
    (result,) = recheck([problem], demo(2024), demo(2023))
    assert result.indicators == ("guard_rate",) and result.verdict == "resolved"


SMALL = {"体育运动场馆面积（平方米）": 500, "教学及辅助用房面积（平方米）": 300}  # 5.0, 3.0


def _ev(rows: list[dict[str, object]], year: int) -> Evaluation:
    return evaluate(schools(rows, year=year), None, year=year)


SPORTS = ProblemRef(id=1, county="230422", indicators=("sports_area_per_student",))


def test_a_failing_school_missing_from_the_new_data_is_never_resolved() -> None:
    old = _ev([school("A"), school("B", values=SMALL)], 2023)
    new = _ev([school("A")], 2024)
    (result,) = recheck([SPORTS], new, old)
    assert result.verdict == "not_evaluable"
    assert [(c.school_id, c.status) for c in result.schools] == [("B", "missing")]
    assert "不在新数据中的学校" in result.explanation


def test_a_fixed_school_replaced_by_a_newly_failing_one_is_not_resolved() -> None:
    old = _ev([school("A"), school("B", values=SMALL)], 2023)
    new = _ev([school("A", values=SMALL), school("B")], 2024)
    (result,) = recheck([SPORTS], new, old)
    assert result.verdict == "not_resolved"
    assert [(c.school_id, c.status) for c in result.schools] == [("B", "fixed")]
    assert [c.school_id for c in result.new_failures] == ["A"]
    assert "小学生均体育运动场馆面积新增未达标的学校1所：学校A" in result.explanation


def test_one_school_fixed_while_another_collapses_is_not_improved() -> None:
    worse = {"体育运动场馆面积（平方米）": 200, "教学及辅助用房面积（平方米）": 300}
    old = _ev([school("A", values=SMALL), school("B", values=SMALL)], 2023)
    new = _ev([school("A"), school("B", values=worse)], 2024)
    (result,) = recheck([SPORTS], new, old)
    assert result.verdict == "not_resolved"
    assert {c.school_id: c.status for c in result.schools} == {"A": "fixed", "B": "worse"}


def test_all_schools_closer_but_still_below_is_improved() -> None:
    closer = {"体育运动场馆面积（平方米）": 650, "教学及辅助用房面积（平方米）": 300}
    old = _ev([school("A", values=SMALL), school("B", values=SMALL)], 2023)
    new = _ev([school("A", values=closer), school("B", values=closer)], 2024)
    (result,) = recheck([SPORTS], new, old)
    assert result.verdict == "improved"
    assert {c.status for c in result.schools} == {"improved"}


def test_the_problem_level_is_respected() -> None:
    junior = ProblemRef(id=1, county="230422", statement="部分初中学校生均体育运动场馆面积不足")
    assert junior.school_levels() == ("junior",)
    old = _ev([school("A", values=SMALL), school("J", JUNIOR_BASE)], 2023)
    new = _ev([school("A", values=SMALL), school("J", JUNIOR_BASE)], 2024)
    (result,) = recheck([junior], new, old)
    assert result.verdict == "resolved"  # the 小学 below standard is not this problem's
    assert result.schools == ()


JUNIOR_BASE = dict(JUNIOR)


def test_a_value_exactly_at_the_standard_reads_as_met_once() -> None:
    """ "100.0%，已达到100%的标准" says the standard twice, once with a stray decimal."""
    fw = framework()
    guard = IndicatorResult.of(fw.get("guard_rate"), "county", 100.0, value=100.0, passed=True)
    assert _summary(guard) == "专职保安员配备率100%，已达标"
    myopia = IndicatorResult.of(fw.get("myopia_decline"), "county", 0.5, value=0.5, passed=True)
    assert _summary(myopia) == "儿童青少年近视率较上年下降0.5个百分点，已达标"
    above = IndicatorResult.of(fw.get("guard_rate"), "county", 100.0, value=99.5, passed=False)
    assert _summary(above) == "专职保安员配备率99.5%，仍未达到100%的标准"
