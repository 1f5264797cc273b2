"""The engine's county values and CVs against a deliberately naive implementation of the
official method (STANDARDS.md §2.2), on random schools read through the real reader:

    X̄ = ΣQ / ΣP,   S = √(Σ (Pᵢ / P)(Xᵢ − X̄)²),   CV = S / X̄
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dudao.engine import evaluate
from dudao.engine.tests.builders import PRIMARY, school, schools

# indicator key -> (template column, factor to the indicator's unit: per 100 pupils, 万元 -> 元)
COLUMNS = {
    "qualified_teachers_per_100": ("小学专科及以上学历专任教师数", 100.0),
    "key_teachers_per_100": ("小学县级及以上骨干教师数", 100.0),
    "pe_arts_teachers_per_100": ("小学体育艺术专任教师数", 100.0),
    "teaching_area_per_student": ("教学及辅助用房面积（平方米）", 1.0),
    "sports_area_per_student": ("体育运动场馆面积（平方米）", 1.0),
    "equipment_value_per_student": ("教学仪器设备资产值（万元）", 10000.0),
    "multimedia_rooms_per_100": ("网络多媒体教室数（间）", 100.0),
}


def naive(students: list[int], quantities: list[float]) -> tuple[float, float]:
    """(X̄, CV) the way the method's 说明 writes them, one school at a time."""
    p = 0
    for pi in students:
        p += pi
    q = 0.0
    for qi in quantities:
        q += qi
    xbar = q / p
    if xbar == 0:
        return 0.0, math.nan  # no CV of an indicator nobody has
    s2 = 0.0
    for pi, qi in zip(students, quantities, strict=True):
        xi = qi / pi
        s2 += (pi / p) * (xi - xbar) ** 2
    return xbar, math.sqrt(s2) / xbar


SCHOOL = st.fixed_dictionaries(
    {
        "小学在校生数": st.integers(1, 3000),
        "小学专科及以上学历专任教师数": st.integers(0, 200),
        "小学县级及以上骨干教师数": st.integers(0, 60),
        "小学体育艺术专任教师数": st.integers(0, 40),
        "教学及辅助用房面积（平方米）": st.integers(0, 30000),
        "体育运动场馆面积（平方米）": st.integers(0, 50000),
        "教学仪器设备资产值（万元）": st.integers(0, 9000),
        "网络多媒体教室数（间）": st.integers(0, 90),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(SCHOOL, min_size=1, max_size=8), min_size=1, max_size=4))
def test_values_and_cvs_match_the_naive_formula(counties: list[list[dict[str, int]]]) -> None:
    codes = [f"2304{21 + i:02d}" for i in range(len(counties))]
    rows = [
        school(f"S{c}{j}", PRIMARY, code, values)
        for c, (code, members) in enumerate(zip(codes, counties, strict=True))
        for j, values in enumerate(members)
    ]
    ev = evaluate(schools(rows), None, year=2023)
    for code, members in zip(codes, counties, strict=True):
        level = ev.county(code).level("primary")
        assert level is not None
        p = [m["小学在校生数"] for m in members]
        for key, (column, scale) in COLUMNS.items():
            xbar, cv = naive(p, [m[column] * scale for m in members])
            r = level.indicators[key]
            assert r.value is not None
            assert math.isclose(r.value, xbar, rel_tol=1e-9, abs_tol=1e-12), key
            if xbar > 0:
                assert r.cv is not None and math.isclose(r.cv, cv, rel_tol=1e-7, abs_tol=1e-12)
            else:
                assert r.cv is None
