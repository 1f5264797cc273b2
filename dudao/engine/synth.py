"""Synthetic school and county data with realistic shapes, for demos and benchmarks.

Counties get GB/T 2260-shaped codes under the real province prefixes; each county has its
own level of provision and its own spread between schools, so some counties fail each
rule (schools below standard, CV over the limit, large classes, low rates).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
import polars as pl

from dudao.engine.columns import COUNTY_COLUMNS, SCHOOL_COLUMNS
from dudao.engine.indicators import default_thresholds
from dudao.lib.zh import cn_numeral

# (prefix, name, short name, approximate number of county-level units)
PROVINCES: tuple[tuple[str, str, str, int], ...] = (
    ("11", "北京市", "京", 16),
    ("12", "天津市", "津", 16),
    ("13", "河北省", "冀", 167),
    ("14", "山西省", "晋", 117),
    ("15", "内蒙古自治区", "蒙", 103),
    ("21", "辽宁省", "辽", 100),
    ("22", "吉林省", "吉", 60),
    ("23", "黑龙江省", "黑", 121),
    ("31", "上海市", "沪", 16),
    ("32", "江苏省", "苏", 95),
    ("33", "浙江省", "浙", 90),
    ("34", "安徽省", "皖", 104),
    ("35", "福建省", "闽", 84),
    ("36", "江西省", "赣", 100),
    ("37", "山东省", "鲁", 136),
    ("41", "河南省", "豫", 157),
    ("42", "湖北省", "鄂", 103),
    ("43", "湖南省", "湘", 122),
    ("44", "广东省", "粤", 122),
    ("45", "广西壮族自治区", "桂", 111),
    ("46", "海南省", "琼", 25),
    ("50", "重庆市", "渝", 38),
    ("51", "四川省", "川", 183),
    ("52", "贵州省", "黔", 88),
    ("53", "云南省", "滇", 129),
    ("54", "西藏自治区", "藏", 74),
    ("61", "陕西省", "陕", 107),
    ("62", "甘肃省", "甘", 86),
    ("63", "青海省", "青", 44),
    ("64", "宁夏回族自治区", "宁", 22),
    ("65", "新疆维吾尔自治区", "新", 107),
)
TYPES = ("小学", "初中", "九年一贯制学校", "完全中学", "十二年一贯制学校")
TYPE_SHARES = (0.58, 0.20, 0.14, 0.06, 0.02)
COUNTIES_PER_CITY = 10
MAX_CITIES = 99
MAX_COUNTIES_PER_CITY = 98  # suffixes 02..99
MAX_PER_PROVINCE = MAX_CITIES * MAX_COUNTIES_PER_CITY
MAX_COUNTIES = 100_000  # the largest province's share stays under MAX_PER_PROVINCE
Array = npt.NDArray[np.float64]


def regions(counties: int, rng: np.random.Generator) -> pl.DataFrame:
    """Province, city and county rows: 行政区划代码, 名称, 上级代码, 级别."""
    weights = np.array([p[3] for p in PROVINCES], dtype=np.float64)
    per_province = rng.multinomial(counties - len(PROVINCES), weights / weights.sum()) + 1
    if int(per_province.max()) > MAX_PER_PROVINCE:
        raise ValueError("more counties than six-digit codes can hold")
    rows: list[tuple[str, str, str, str]] = []
    for (prefix, name, short, _), n in zip(PROVINCES, per_province, strict=True):
        rows.append((f"{prefix}0000", name, "", "省"))
        # GB/T 2260 gives a province two digits of cities (01-99) and a city two of
        # counties (01-99, 00 is the city itself, 01 its 市辖区): beyond 99 cities of 10, the
        # cities grow instead, so every code keeps six digits.
        per_city = max(COUNTIES_PER_CITY, -(-int(n) // MAX_CITIES))
        for i in range(int(n)):
            city, k = divmod(i, per_city)
            city_code = f"{prefix}{city + 1:02d}00"
            if k == 0:
                rows.append((city_code, f"{short}{cn_numeral(city + 1)}市", f"{prefix}0000", "市"))
            name_k = f"{short}{cn_numeral(city + 1)}市{cn_numeral(k + 1)}县"
            rows.append((f"{prefix}{city + 1:02d}{k + 2:02d}", name_k, city_code, "县"))
    return pl.DataFrame(rows, schema=["行政区划代码", "名称", "上级代码", "级别"], orient="row")


def _csv(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_csv(out)
    return out.getvalue()


def _lognormal(
    rng: np.random.Generator, median: Array | float, sigma: float | Array, n: int
) -> Array:
    return np.asarray(median * np.exp(rng.normal(0.0, 1.0, n) * sigma), dtype=np.float64)


def _schools(codes: list[str], n: int, rng: np.random.Generator) -> dict[str, Array]:
    """The stable part of each school: county, type, size and the county's effects."""
    k = len(codes)
    size = _lognormal(rng, 1.0, 0.5, k)
    per_county = rng.multinomial(n - k, size / size.sum()) + 1
    county = np.repeat(np.arange(k), per_county)
    return {
        "county": county.astype(np.float64),
        "type": rng.choice(len(TYPES), size=n, p=TYPE_SHARES).astype(np.float64),
        "size_p": _lognormal(rng, 420.0, 0.8, n),
        "size_j": _lognormal(rng, 650.0, 0.6, n),
        "size_s": _lognormal(rng, 900.0, 0.4, n),
        # county level of provision (some below 1 = failing) and spread between schools
        "level": _lognormal(rng, 1.45, 0.15, k)[county],
        "spread": rng.uniform(0.04, 0.4, k)[county],
        "class_size": rng.normal(38.0, 5.0, k)[county],
        "over_p": np.where(rng.random(k) < 0.2, rng.uniform(0.01, 0.2, k), 0.0)[county],
    }


SUFFIX = ("小学", "中学", "学校", "中学", "学校")


def _names(county: npt.NDArray[np.int64], kind: npt.NDArray[np.int64]) -> list[str]:
    """第一小学, 第二中学… numbered within each county (schools are sorted by county)."""
    starts = np.searchsorted(county, county, side="left")
    seq = np.arange(len(county)) - starts + 1
    numerals = [cn_numeral(i) for i in range(int(seq.max()) + 1)]
    return [f"第{numerals[s]}{SUFFIX[k]}" for s, k in zip(seq.tolist(), kind.tolist(), strict=True)]


def _school_year(
    base: Mapping[str, Array],
    codes: list[str],
    prefix_ids: list[str],
    year_index: int,
    rng: np.random.Generator,
) -> pl.DataFrame:
    n = len(base["type"])
    t = default_thresholds()
    kind = base["type"].astype(int)
    has_p = np.isin(kind, (0, 2, 4))
    has_j = np.isin(kind, (1, 2, 3, 4))
    has_s = np.isin(kind, (3, 4))
    grow = 1.03**year_index
    drift = np.exp(rng.normal(0.0, 0.05, n))
    sp = np.where(has_p, np.clip(base["size_p"] * drift, 15, 3500), 0).round()
    sj = np.where(has_j, np.clip(base["size_j"] * drift, 20, 4000), 0).round()
    ss = np.where(has_s, np.clip(base["size_s"] * drift, 100, 4000), 0).round()
    lvl, spread = base["level"] * grow, base["spread"]

    def per(threshold_key: str, students: Array) -> Array:
        factor = lvl * np.exp(rng.normal(0.0, 1.0, n) * spread - spread**2 / 2)
        return np.asarray(students * t[threshold_key] * factor, dtype=np.float64)

    def shared(key: str, scale: float) -> Array:
        total = per(f"{key}.primary", sp) + per(f"{key}.junior", sj) + per(f"{key}.junior", ss)
        return total / scale

    def teachers(key: str, level: str, students: Array) -> Array:
        return np.round(per(f"{key}.{level}", students) / 100)

    classes_p = np.ceil(sp / base["class_size"])
    classes_j = np.ceil(sj / (base["class_size"] + 4))
    over_p = rng.binomial(classes_p.astype(np.int64), base["over_p"])
    over_j = rng.binomial(classes_j.astype(np.int64), base["over_p"])
    columns: dict[str, object] = {
        "学校标识码": prefix_ids,
        "学校名称": _names(base["county"].astype(np.int64), kind),
        "区县代码": [codes[c] for c in base["county"].astype(int)],
        "学校类型": [TYPES[k] for k in kind],
    }
    values: dict[str, tuple[Array, npt.NDArray[np.bool_] | None]] = {
        "小学在校生数": (sp, has_p),
        "初中在校生数": (sj, has_j),
        "高中在校生数": (ss, has_s),
        "小学专科及以上学历专任教师数": (
            teachers("qualified_teachers_per_100", "primary", sp),
            has_p,
        ),
        "初中本科及以上学历专任教师数": (
            teachers("qualified_teachers_per_100", "junior", sj),
            has_j,
        ),
        "小学县级及以上骨干教师数": (teachers("key_teachers_per_100", "primary", sp), has_p),
        "初中县级及以上骨干教师数": (teachers("key_teachers_per_100", "junior", sj), has_j),
        "小学体育艺术专任教师数": (teachers("pe_arts_teachers_per_100", "primary", sp), has_p),
        "初中体育艺术专任教师数": (teachers("pe_arts_teachers_per_100", "junior", sj), has_j),
        "教学及辅助用房面积（平方米）": (shared("teaching_area_per_student", 1).round(1), None),
        "体育运动场馆面积（平方米）": (shared("sports_area_per_student", 1).round(1), None),
        "教学仪器设备资产值（万元）": (shared("equipment_value_per_student", 10000).round(2), None),
        "网络多媒体教室数（间）": (np.round(shared("multimedia_rooms_per_100", 100)), None),
        "小学班级数": (classes_p, has_p),
        "小学超过45人的班级数": (over_p.astype(np.float64), has_p),
        "初中班级数": (classes_j, has_j),
        "初中超过50人的班级数": (over_j.astype(np.float64), has_j),
    }
    frame = pl.DataFrame(columns)
    for header, (array, mask) in values.items():
        is_int = not header.startswith(("教学及", "体育运动", "教学仪器"))
        series = pl.Series(header, array)
        if is_int:
            series = series.cast(pl.Int64)
        if mask is not None:
            series = pl.select(pl.when(pl.Series(mask)).then(series)).to_series().alias(header)
        frame = frame.with_columns(series)
    assert frame.columns == [c.header for c in SCHOOL_COLUMNS]
    return frame


def _county_year(
    codes: list[str],
    names: list[str],
    year: int,
    years_from_start: int,
    rng: np.random.Generator,
    base: dict[str, Array],
) -> pl.DataFrame:
    k = len(codes)

    def rate(center: Array, noise: float, top: float = 100.0) -> Array:
        return np.asarray(
            np.clip(center + rng.normal(0, noise, k), 0, top).round(1), dtype=np.float64
        )

    def safety() -> Array:
        return np.where(rng.random(k) < 0.85, 100.0, rng.uniform(80, 99.9, k).round(1))

    children = base["children"] * (0.97**years_from_start)
    frame = pl.DataFrame(
        {
            "区县代码": codes,
            "区县名称": names,
            "年度": [year] * k,
            "学前三年毛入园率（%）": rate(base["gross"] + years_from_start, 1.0, 120.0),
            "普惠性幼儿园覆盖率（%）": rate(base["inclusive"] + years_from_start, 1.0),
            "公办园在园幼儿占比（%）": rate(base["public"] + years_from_start, 1.0),
            "在园幼儿数": children.round().astype(np.int64),
            "幼儿园专任教师数": np.maximum(1, (children / base["ratio"]).round()).astype(np.int64),
            "儿童青少年总体近视率（%）": np.round(
                base["myopia"] - base["decline"] * years_from_start + rng.normal(0, 0.1, k), 2
            ),
            "国家学生体质健康标准达标优良率（%）": rate(
                base["fitness"] + 1.5 * years_from_start, 1.0
            ),
            "封闭化管理达标率（%）": safety(),
            "专职保安员配备率（%）": safety(),
            "一键式报警和视频监控联网率（%）": safety(),
            "护学岗设置率（%）": safety(),
        }
    )
    # a few counties did not report health data this year: they must show as not evaluable
    missing = pl.Series(rng.random(k) < 0.005)
    col = "国家学生体质健康标准达标优良率（%）"
    frame = frame.with_columns(pl.when(missing).then(None).otherwise(pl.col(col)).alias(col))
    assert frame.columns == [c.header for c in COUNTY_COLUMNS]
    return frame


def synth(counties: int, schools: int, years: Iterable[int], seed: int) -> dict[str, bytes]:
    """Files by name: regions.csv, schools_<year>.csv and counties_<year>.csv per year."""
    years = list(years)
    if not len(PROVINCES) <= counties <= MAX_COUNTIES or schools < counties or not years:
        raise ValueError("need at least one county per province, one school per county, a year")
    rng = np.random.default_rng(seed)
    region = regions(counties, rng)
    county_rows = region.filter(pl.col("级别") == "县")
    codes = county_rows["行政区划代码"].to_list()
    names = county_rows["名称"].to_list()
    base = _schools(codes, schools, rng)
    ids = [f"2{codes[c][:2]}{i:07d}" for i, c in enumerate(base["county"].astype(int))]
    k = len(codes)
    county_base = {
        "gross": rng.normal(90, 5, k),
        "inclusive": rng.normal(85, 6, k),
        "public": rng.normal(55, 12, k),
        "children": _lognormal(rng, 6000.0, 0.7, k),
        "ratio": rng.normal(13.0, 2.5, k).clip(6, 25),
        "myopia": rng.normal(52, 8, k),
        "decline": rng.normal(0.9, 0.7, k),
        "fitness": rng.normal(52, 10, k),
    }
    files = {"regions.csv": _csv(region.drop("级别"))}
    for i, year in enumerate(years):
        year_rng = np.random.default_rng([seed, year])
        files[f"schools_{year}.csv"] = _csv(_school_year(base, codes, ids, i, year_rng))
        files[f"counties_{year}.csv"] = _csv(
            _county_year(codes, names, year, i, year_rng, county_base)
        )
    return files
