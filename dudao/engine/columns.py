"""Columns of the two import templates: Chinese header, field name, kind and level.

School data: ONE ROW PER SCHOOL. A 九年一贯制学校, 完全中学 or 十二年一贯制学校 fills the
students, teachers and classes of each of its levels in that level's own columns (小学… /
初中…), and its floor areas, equipment value and multimedia rooms once for the whole
school; the engine splits the school into a 小学 part and a 初中 part and apportions those
shared resources by each level's share of the school's students (高中在校生数 counts in the
denominator, so a 完全中学's 初中 part gets only its share).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "code", "type", "int", "number", "money", "rate", "gross_rate", "year"]

SCHOOL_TYPES: dict[str, tuple[str, ...]] = {
    # type -> levels it teaches ("senior" only matters for apportioning shared resources)
    "小学": ("primary",),
    "初中": ("junior",),
    "九年一贯制学校": ("primary", "junior"),
    "完全中学": ("junior", "senior"),
    "十二年一贯制学校": ("primary", "junior", "senior"),
    # evaluated as a 小学 from 50 pupils; below that excluded (tables.SMALL_TEACHING_POINT)
    "教学点": ("primary",),
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: Kind
    required: bool = True
    level: str | None = None  # "primary"/"junior"/"senior": filled only by schools with it
    help: str = ""


SCHOOL_COLUMNS: tuple[Column, ...] = (
    Column("学校标识码", "school_id", "text", help="全国中小学校标识码（10位），请设为文本格式"),
    Column("学校名称", "school_name", "text"),
    Column("区县代码", "county", "code", help="学校所在县级行政区划代码（6位）"),
    Column(
        "学校类型",
        "school_type",
        "type",
        help="小学、初中、九年一贯制学校、完全中学、十二年一贯制学校、教学点"
        "（不足50人的教学点不纳入评估）",
    ),
    Column("小学在校生数", "primary_students", "int", level="primary"),
    Column("初中在校生数", "junior_students", "int", level="junior"),
    Column(
        "高中在校生数",
        "senior_students",
        "int",
        level="senior",
        help="仅完全中学、十二年一贯制学校填写，用于分摊共用校舍和设备",
    ),
    Column("小学专科及以上学历专任教师数", "primary_qualified_teachers", "int", level="primary"),
    Column("初中本科及以上学历专任教师数", "junior_qualified_teachers", "int", level="junior"),
    Column("小学县级及以上骨干教师数", "primary_key_teachers", "int", level="primary"),
    Column("初中县级及以上骨干教师数", "junior_key_teachers", "int", level="junior"),
    Column(
        "小学体育艺术专任教师数",
        "primary_pe_arts_teachers",
        "int",
        level="primary",
        help="体育、音乐、美术专任教师合计",
    ),
    Column(
        "初中体育艺术专任教师数",
        "junior_pe_arts_teachers",
        "int",
        level="junior",
        help="体育、音乐、美术专任教师合计",
    ),
    Column(
        "教学及辅助用房面积（平方米）", "teaching_area", "number", help="不含室内体育用房；全校合计"
    ),
    Column(
        "体育运动场馆面积（平方米）",
        "sports_area",
        "number",
        help="运动场地与体育馆面积之和；全校合计",
    ),
    Column(
        "教学仪器设备资产值（万元）",
        "equipment_yuan",
        "money",
        help="全校合计，单位万元（列名改为“（元）”则按元读取）",
    ),
    Column("网络多媒体教室数（间）", "multimedia_rooms", "int", help="全校合计"),
    Column("小学班级数", "primary_classes", "int", level="primary"),
    Column("小学超过45人的班级数", "primary_over_classes", "int", level="primary"),
    Column("初中班级数", "junior_classes", "int", level="junior"),
    Column("初中超过50人的班级数", "junior_over_classes", "int", level="junior"),
)

COUNTY_COLUMNS: tuple[Column, ...] = (
    Column("区县代码", "county", "code", help="县级行政区划代码（6位）"),
    Column("区县名称", "county_name", "text", required=False),
    Column("年度", "year", "year", help="数据所属年度，如 2023；一个文件可含多个年度"),
    Column(
        "学前三年毛入园率（%）",
        "preschool_gross_enrolment",
        "gross_rate",
        required=False,
        help="百分数，如 92.5；毛率可超过100",
    ),
    Column("普惠性幼儿园覆盖率（%）", "preschool_inclusive_coverage", "rate", required=False),
    Column("公办园在园幼儿占比（%）", "preschool_public_share", "rate", required=False),
    Column("在园幼儿数", "preschool_children", "int", required=False),
    Column("幼儿园专任教师数", "preschool_teachers", "int", required=False),
    Column("儿童青少年总体近视率（%）", "myopia_rate", "rate", required=False),
    Column("国家学生体质健康标准达标优良率（%）", "fitness_good_rate", "rate", required=False),
    Column("封闭化管理达标率（%）", "closed_campus_rate", "rate", required=False),
    Column("专职保安员配备率（%）", "guard_rate", "rate", required=False),
    Column("一键式报警和视频监控联网率（%）", "alarm_video_rate", "rate", required=False),
    Column("护学岗设置率（%）", "school_patrol_rate", "rate", required=False),
)

# A money column may be headed in 元 instead of 万元; the factor converts to 元.
MONEY_UNITS: dict[str, int] = {"（万元）": 10000, "（元）": 1}

# Quantities each level fills in its own columns of the school table (primary_students…).
LEVEL_FIELDS = (
    "students",
    "qualified_teachers",
    "key_teachers",
    "pe_arts_teachers",
    "classes",
    "over_classes",
)


def normalise_header(text: str) -> str:
    """Compare headers the way a clerk reads them: ignore spaces and the width of
    brackets and the percent sign (Excel users type either)."""
    table = str.maketrans({"(": "（", ")": "）", "％": "%"})
    return "".join(text.split()).translate(table)
