"""Demo data for 鹤岗市's eight county-level units (STANDARDS.md §5).

绥滨县's numbers reproduce the problems of the sample letter (绥政函〔2024〕17号): sports and
teaching area per student below standard in some schools (第二、第三小学, 第五、第七、
第八、第九中学), 体质健康达标优良率 17.3 % (2022) → 21.2 % (2023), 近视率 67.22 % (2022)
→ 63.79 % (2023), 学前教育普及普惠 short, 专职保安员配备率 below 100 % in 2023. In 2024 the
three sports grounds built with 薄改资金 (第五中学、第三小学、第二小学) and the teaching rooms
are fixed, the others are not, and safety reaches 100 % — for the re-check demo.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

from dudao.engine.columns import COUNTY_COLUMNS, SCHOOL_COLUMNS, SCHOOL_TYPES
from dudao.engine.indicators import default_thresholds

HEGANG_COUNTIES: dict[str, str] = {
    "230402": "向阳区",
    "230403": "工农区",
    "230404": "南山区",
    "230405": "兴安区",
    "230406": "东山区",
    "230407": "兴山区",
    "230421": "萝北县",
    "230422": "绥滨县",
}
SUIBIN = "230422"
GOOD = 1.25  # provision of a school without problems, as a multiple of the standard


@dataclass(frozen=True)
class DemoSchool:
    name: str
    school_type: str
    students: tuple[int, int, int]  # 小学, 初中, 高中
    weak: Mapping[str, float] = field(default_factory=dict)  # until 2023
    weak_2024: Mapping[str, float] | None = None  # None: same as before
    over_classes: int = 0

    def factor(self, key: str, year: int) -> float:
        weak = self.weak if year < 2024 or self.weak_2024 is None else self.weak_2024
        return weak.get(key, GOOD)


SUIBIN_SCHOOLS = (
    DemoSchool("绥滨县第一小学", "小学", (1150, 0, 0)),
    DemoSchool("绥滨县第二小学", "小学", (760, 0, 0), {"sports_area_per_student": 0.82}, {}),
    DemoSchool(
        "绥滨县第三小学",
        "小学",
        (640, 0, 0),
        {"sports_area_per_student": 0.78, "teaching_area_per_student": 0.9},
        {},
    ),
    DemoSchool("绥滨县第五中学", "初中", (0, 690, 0), {"sports_area_per_student": 0.8}, {}),
    DemoSchool("绥滨县第七中学", "初中", (0, 610, 0), {"sports_area_per_student": 0.72}),
    DemoSchool(
        "绥滨县第八中学",
        "初中",
        (0, 520, 0),
        {"sports_area_per_student": 0.76, "teaching_area_per_student": 0.93},
        {"sports_area_per_student": 0.78},
    ),
    DemoSchool(
        "绥滨县第九中学", "九年一贯制学校", (310, 220, 0), {"sports_area_per_student": 0.84}
    ),
    DemoSchool("绥滨县第一中学", "完全中学", (0, 420, 960)),
    DemoSchool("绥滨县北岗乡中心学校", "九年一贯制学校", (160, 110, 0)),
    DemoSchool("绥滨县忠仁镇中心小学", "小学", (230, 0, 0)),
)


def _other_schools(code: str) -> tuple[DemoSchool, ...]:
    name = HEGANG_COUNTIES[code]
    schools = [
        DemoSchool(f"{name}第一小学", "小学", (980, 0, 0)),
        DemoSchool(f"{name}第二小学", "小学", (620, 0, 0)),
        DemoSchool(f"{name}第三小学", "小学", (410, 0, 0)),
        DemoSchool(f"{name}第一中学", "初中", (0, 760, 0)),
        DemoSchool(f"{name}第二中学", "初中", (0, 540, 0)),
        DemoSchool(f"{name}实验学校", "九年一贯制学校", (350, 260, 0)),
    ]
    if code == "230421":  # 萝北县: equipment very uneven between its junior schools
        schools[3] = DemoSchool(
            f"{name}第一中学", "初中", (0, 760, 0), {"equipment_value_per_student": 2.9}
        )
        schools[4] = DemoSchool(
            f"{name}第二中学", "初中", (0, 540, 0), {"equipment_value_per_student": 0.9}
        )
    if code == "230402":  # 向阳区: large classes in its biggest primary school
        schools[0] = DemoSchool(f"{name}第一小学", "小学", (980, 0, 0), over_classes=4)
    return tuple(schools)


def _row(s: DemoSchool, sid: str, county: str, year: int) -> dict[str, object]:
    t = default_thresholds()
    levels = SCHOOL_TYPES[s.school_type]
    p, j, h = s.students

    def teachers(key: str, level: str, n: int) -> int | None:
        if level not in levels:
            return None
        return math.ceil(n * t[f"{key}.{level}"] * s.factor(key, year) / 100)

    def shared(key: str, unit: float) -> float:
        need = p * t[f"{key}.primary"] + (j + h) * t[f"{key}.junior"]
        return need * s.factor(key, year) / unit

    classes = {lv: math.ceil(n / 40) for lv, n in (("primary", p), ("junior", j))}
    row: dict[str, object] = {
        "学校标识码": sid,
        "学校名称": s.name,
        "区县代码": county,
        "学校类型": s.school_type,
        "小学在校生数": p if "primary" in levels else None,
        "初中在校生数": j if "junior" in levels else None,
        "高中在校生数": h if "senior" in levels else None,
        "小学专科及以上学历专任教师数": teachers("qualified_teachers_per_100", "primary", p),
        "初中本科及以上学历专任教师数": teachers("qualified_teachers_per_100", "junior", j),
        "小学县级及以上骨干教师数": teachers("key_teachers_per_100", "primary", p),
        "初中县级及以上骨干教师数": teachers("key_teachers_per_100", "junior", j),
        "小学体育艺术专任教师数": teachers("pe_arts_teachers_per_100", "primary", p),
        "初中体育艺术专任教师数": teachers("pe_arts_teachers_per_100", "junior", j),
        "教学及辅助用房面积（平方米）": math.ceil(shared("teaching_area_per_student", 1) * 10) / 10,
        "体育运动场馆面积（平方米）": math.ceil(shared("sports_area_per_student", 1) * 10) / 10,
        "教学仪器设备资产值（万元）": math.ceil(shared("equipment_value_per_student", 100)) / 100,
        "网络多媒体教室数（间）": math.ceil(shared("multimedia_rooms_per_100", 100)),
        "小学班级数": classes["primary"] if "primary" in levels else None,
        "小学超过45人的班级数": s.over_classes if "primary" in levels else None,
        "初中班级数": classes["junior"] if "junior" in levels else None,
        "初中超过50人的班级数": 0 if "junior" in levels else None,
    }
    assert list(row) == [c.header for c in SCHOOL_COLUMNS]
    return row


# 绥滨县 by year: (毛入园率, 普惠覆盖率, 公办占比, 在园幼儿, 专任教师, 近视率, 达标优良率,
#                 封闭化管理, 专职保安, 一键报警视频, 护学岗)
SUIBIN_YEARS: dict[int, tuple[float, ...]] = {
    2021: (87.0, 74.8, 46.5, 2150, 128, 67.42, 15.1, 100, 80.0, 86.7, 86.7),
    2022: (88.0, 76.5, 47.2, 2100, 130, 67.22, 17.3, 100, 86.7, 93.3, 93.3),
    2023: (89.5, 78.9, 52.0, 2050, 140, 63.79, 21.2, 100, 93.3, 100, 100),
    2024: (91.0, 82.3, 53.1, 1990, 142, 62.50, 26.4, 100, 100, 100, 100),
}


def _county_row(code: str, year: int) -> dict[str, object]:
    n = year - 2021
    if code == SUIBIN:
        values = SUIBIN_YEARS[year]
    else:
        seed = int(code[-2:])
        fitness = 46.0 + n if code == "230421" else 54.0 + seed % 5 + n
        gross = 82.0 + n * 0.5 if code == "230407" else 92.0 + seed % 4
        values = (
            gross,
            86.0 + seed % 5,
            55.0 + seed % 7,
            2600 + 40 * seed,
            205 + 3 * seed,
            round(58.0 - 0.8 * n - seed % 3 * 0.1, 2),
            fitness,
            100,
            100,
            100,
            100,
        )
    headers = [c.header for c in COUNTY_COLUMNS]
    return dict(zip(headers, (code, HEGANG_COUNTIES[code], year, *values), strict=True))


def _csv(rows: list[dict[str, object]], headers: list[str]) -> bytes:
    schema = {
        h: (
            pl.String
            if h in {"学校标识码", "学校名称", "区县代码", "学校类型", "区县名称"}
            else pl.Float64
        )
        for h in headers
    }
    frame = pl.DataFrame(rows, schema=schema)
    # whole numbers as integers: "45", not "45.0"
    frame = frame.with_columns(
        pl.when(pl.col(c) == pl.col(c).round())
        .then(pl.col(c).cast(pl.Int64).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in headers
        if schema[c] == pl.Float64
    )
    out = io.BytesIO()
    frame.write_csv(out)
    return out.getvalue()


def hegang_demo(years: Iterable[int] = range(2021, 2025)) -> dict[str, bytes]:
    """Files by name: regions.csv, schools_<year>.csv, counties_<year>.csv and
    counties.csv (every year in one file, which the myopia decline needs)."""
    years = [y for y in years if y in SUIBIN_YEARS]
    files: dict[str, bytes] = {}
    regions = [("230000", "黑龙江省", ""), ("230400", "鹤岗市", "230000")]
    regions += [(c, n, "230400") for c, n in HEGANG_COUNTIES.items()]
    files["regions.csv"] = (
        pl.DataFrame(regions, schema=["行政区划代码", "名称", "上级代码"], orient="row")
        .write_csv()
        .encode()
    )
    all_county_rows = []
    school_headers = [c.header for c in SCHOOL_COLUMNS]
    county_headers = [c.header for c in COUNTY_COLUMNS]
    for year in years:
        rows = []
        for code in HEGANG_COUNTIES:
            schools = SUIBIN_SCHOOLS if code == SUIBIN else _other_schools(code)
            rows += [_row(s, f"2{code[1:]}{i + 1:04d}", code, year) for i, s in enumerate(schools)]
        files[f"schools_{year}.csv"] = _csv(rows, school_headers)
        county_rows = [_county_row(code, year) for code in HEGANG_COUNTIES]
        files[f"counties_{year}.csv"] = _csv(county_rows, county_headers)
        all_county_rows += county_rows
    files["counties.csv"] = _csv(all_county_rows, county_headers)
    return files
