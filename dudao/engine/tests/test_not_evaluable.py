"""Counties the data cannot judge are reported with a reason, never a NaN or a crash."""

from __future__ import annotations

import json

from dudao.engine.evaluation import evaluate
from dudao.engine.export import evaluation_to_dict
from dudao.engine.tests.builders import JUNIOR, PRIMARY, counties, county, school, schools


def test_a_county_without_schools_or_county_data_is_not_evaluable() -> None:
    ev = evaluate(
        schools([school("A")]),
        counties([county("230422")]),
        year=2023,
        county_names={"230421": "萝北县", "230422": "绥滨县", "230400": "鹤岗市"},
    )
    assert ev.county_codes == ("230421", "230422")  # the city's name adds no county
    luobei = ev.county("230421")
    assert luobei.name == "萝北县"
    reasons = {lv.level: lv.reason for lv in luobei.levels}
    assert reasons["primary"] == "没有小学学校数据"
    assert reasons["county"] == "未导入该区县2023年度的区县数据（县域指标）"
    assert luobei.findings == ()


def test_zero_pupils_make_a_level_not_evaluable() -> None:
    empty = school("A", values={"小学在校生数": 0})
    c = evaluate(schools([empty, school("J", JUNIOR)]), None, year=2023).county("230422")
    primary = c.level("primary")
    assert primary is not None and primary.evaluable is False
    assert primary.reason == "小学在校生数合计为0，无法计算生均指标"
    assert c.level("junior").evaluable is True  # type: ignore[union-attr]


def test_missing_values_are_not_evaluable_with_the_reason() -> None:
    row = county(values={"国家学生体质健康标准达标优良率（%）": None, "幼儿园专任教师数": 0})
    c = evaluate(schools([school("A", PRIMARY)]), counties([row]), year=2023).county("230422")
    (fitness,) = c.results_for("fitness_good_rate")
    assert fitness.passed is None and fitness.reason == "未填报学生体质健康达标优良率"
    (ratio,) = c.results_for("preschool_child_teacher_ratio")
    assert ratio.reason == "幼儿园专任教师数为0，无法计算师幼比"
    (myopia,) = c.results_for("myopia_decline")
    assert myopia.reason == "缺少2022年度近视率，无法计算下降幅度"
    assert all("体质" not in f.statement for f in c.findings)


def test_the_json_has_no_nan_even_for_degenerate_counties() -> None:
    rows = [school("A", values={"小学在校生数": 0}), school("B", county="230421")]
    ev = evaluate(schools(rows), counties([county(values={"护学岗设置率（%）": None})]), year=2023)
    text = json.dumps(evaluation_to_dict(ev), allow_nan=False, ensure_ascii=False)
    assert "在校生数合计为0" in text
