"""九年一贯制学校 and 完全中学 are split into their 小学 and 初中 parts."""

from __future__ import annotations

import pytest

from dudao.engine.evaluation import evaluate
from dudao.engine.tests.builders import school, schools

NINE_YEAR = {
    "学校类型": "九年一贯制学校",
    "小学在校生数": 300,
    "初中在校生数": 100,
    "小学专科及以上学历专任教师数": 15,
    "初中本科及以上学历专任教师数": 6,
    "小学县级及以上骨干教师数": 3,
    "初中县级及以上骨干教师数": 1,
    "小学体育艺术专任教师数": 3,
    "初中体育艺术专任教师数": 1,
    "教学及辅助用房面积（平方米）": 2000,
    "体育运动场馆面积（平方米）": 3600,
    "教学仪器设备资产值（万元）": 100,
    "网络多媒体教室数（间）": 12,
    "小学班级数": 8,
    "小学超过45人的班级数": 0,
    "初中班级数": 3,
    "初中超过50人的班级数": 1,
}
COMPLETE = {
    "学校类型": "完全中学",
    "初中在校生数": 200,
    "高中在校生数": 600,
    "初中本科及以上学历专任教师数": 12,
    "初中县级及以上骨干教师数": 2,
    "初中体育艺术专任教师数": 2,
    "教学及辅助用房面积（平方米）": 4800,
    "体育运动场馆面积（平方米）": 8000,
    "教学仪器设备资产值（万元）": 240,
    "网络多媒体教室数（间）": 20,
    "初中班级数": 4,
    "初中超过50人的班级数": 0,
}


def test_a_nine_year_school_counts_in_both_levels_with_shared_resources_apportioned() -> None:
    table = schools([school("N", NINE_YEAR)])
    units = table.units.sort("level")
    assert units["level"].to_list() == [0, 1]
    assert units["students"].to_list() == [300, 100]
    # 3600 m² shared 3:1 by pupils -> 2700 and 900; 100 万元 -> 750000 元 and 250000 元
    assert units["sports_area"].to_list() == [2700, 900]
    assert units["equipment_value"].to_list() == [750000, 250000]
    c = evaluate(table, None, year=2023).county("230422")
    primary = c.level("primary").indicators  # type: ignore[union-attr]
    junior = c.level("junior").indicators  # type: ignore[union-attr]
    # per pupil the apportioned value is the school's own: 9.0 m²; 小学 passes 7.5, 初中 fails 10.2
    assert primary["sports_area_per_student"].value == pytest.approx(9.0)
    assert primary["sports_area_per_student"].passed is True
    assert junior["sports_area_per_student"].passed is False
    # teachers come from each level's own columns: 15 / 300 × 100 = 5.0, 6 / 100 × 100 = 6.0
    assert primary["qualified_teachers_per_100"].value == pytest.approx(5.0)
    assert junior["qualified_teachers_per_100"].value == pytest.approx(6.0)
    assert junior["class_size_over_share"].value == pytest.approx(100 / 3, abs=1e-4)
    assert primary["class_size_over_share"].value == 0


def test_a_complete_middle_school_gives_only_its_junior_share_of_shared_resources() -> None:
    table = schools([school("W", COMPLETE)])
    c = evaluate(table, None, year=2023).county("230422")
    assert c.level("primary").evaluable is False  # type: ignore[union-attr]
    junior = c.level("junior").indicators  # type: ignore[union-attr]
    # 初中 has 200 of 800 pupils: 8000 m² × 1/4 / 200 = 10.0 per pupil (below 10.2)
    assert junior["sports_area_per_student"].value == pytest.approx(10.0)
    # 240 万元 × 1/4 / 200 = 3000 元
    assert junior["equipment_value_per_student"].value == pytest.approx(3000.0)
    assert junior["school_rule_share"].schools == 1
