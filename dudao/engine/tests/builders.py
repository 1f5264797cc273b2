"""Small hand-made school and county files for tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from dudao.engine.columns import COUNTY_COLUMNS, SCHOOL_COLUMNS
from dudao.engine.tables import CountyTable, SchoolTable, read_counties, read_schools

# A 小学 of 100 pupils that meets every standard comfortably (values per 100 pupils / per pupil
# are 2x the 小学 thresholds or more).
PRIMARY = {
    "学校类型": "小学",
    "小学在校生数": 100,
    "小学专科及以上学历专任教师数": 9,
    "小学县级及以上骨干教师数": 2,
    "小学体育艺术专任教师数": 2,
    "教学及辅助用房面积（平方米）": 900,
    "体育运动场馆面积（平方米）": 1500,
    "教学仪器设备资产值（万元）": 40,
    "网络多媒体教室数（间）": 5,
    "小学班级数": 3,
    "小学超过45人的班级数": 0,
}
JUNIOR = {
    "学校类型": "初中",
    "初中在校生数": 100,
    "初中本科及以上学历专任教师数": 11,
    "初中县级及以上骨干教师数": 2,
    "初中体育艺术专任教师数": 2,
    "教学及辅助用房面积（平方米）": 1200,
    "体育运动场馆面积（平方米）": 2100,
    "教学仪器设备资产值（万元）": 50,
    "网络多媒体教室数（间）": 5,
    "初中班级数": 3,
    "初中超过50人的班级数": 0,
}


def school(
    sid: str,
    base: Mapping[str, object] = PRIMARY,
    county: str = "230422",
    values: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """A school row: `base` with `values` (keyed by Chinese header) changed."""
    row: dict[str, object] = {"学校标识码": sid, "学校名称": f"学校{sid}", "区县代码": county}
    return row | dict(base) | dict(values or {})


def to_csv(rows: Sequence[Mapping[str, object]], headers: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue().encode("utf-8")


def schools_csv(rows: Sequence[Mapping[str, object]]) -> bytes:
    return to_csv(rows, [c.header for c in SCHOOL_COLUMNS])


def schools(rows: Sequence[Mapping[str, object]], year: int = 2023) -> SchoolTable:
    return read_schools(schools_csv(rows), "schools.csv", year=year)


def county(
    code: str = "230422", year: int = 2023, values: Mapping[str, object] | None = None
) -> dict[str, object]:
    """A county row with sound values; `values` (keyed by Chinese header) changes some."""
    row: dict[str, object] = {
        "区县代码": code,
        "年度": year,
        "学前三年毛入园率（%）": 90,
        "普惠性幼儿园覆盖率（%）": 85,
        "公办园在园幼儿占比（%）": 55,
        "在园幼儿数": 1300,
        "幼儿园专任教师数": 100,
        "儿童青少年总体近视率（%）": 50,
        "国家学生体质健康标准达标优良率（%）": 60,
        "封闭化管理达标率（%）": 100,
        "专职保安员配备率（%）": 100,
        "一键式报警和视频监控联网率（%）": 100,
        "护学岗设置率（%）": 100,
    }
    return row | dict(values or {})


def counties_csv(rows: Sequence[Mapping[str, object]]) -> bytes:
    return to_csv(rows, [c.header for c in COUNTY_COLUMNS])


def counties(rows: Sequence[Mapping[str, object]]) -> CountyTable:
    return read_counties(counties_csv(rows), "counties.csv")
