"""Every impossible cell is refused with its row, column and reason; nothing panics."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dudao.cli import main
from dudao.engine import EngineError, evaluate, read_counties, read_schools, synth
from dudao.engine.columns import SCHOOL_COLUMNS
from dudao.engine.errors import DataError
from dudao.engine.synth import regions
from dudao.engine.tests.builders import (
    JUNIOR,
    PRIMARY,
    counties_csv,
    county,
    school,
    schools,
    schools_csv,
)

NON_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"]


def school_errors(data: bytes, **kwargs: object) -> list[DataError]:
    with pytest.raises(EngineError) as caught:
        read_schools(data, "schools.csv", year=2023, **kwargs)  # type: ignore[arg-type]
    return list(caught.value.errors)


@pytest.mark.parametrize("cell", NON_FINITE)
@pytest.mark.parametrize(
    "column", ["小学在校生数", "体育运动场馆面积（平方米）", "小学专科及以上学历专任教师数"]
)
def test_a_non_finite_number_is_refused_in_any_numeric_cell(cell: str, column: str) -> None:
    errors = school_errors(schools_csv([school("A"), school("B", values={column: cell})]))
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert errors[0].message == f"“{cell}”不是有效数值（不能为非数字或无穷大）"


@pytest.mark.parametrize("cell", NON_FINITE)
def test_a_non_finite_rate_is_refused_in_the_county_file(cell: str) -> None:
    data = counties_csv([county(values={"专职保安员配备率（%）": cell})])
    with pytest.raises(EngineError) as caught:
        read_counties(data, "counties.csv")
    (error,) = caught.value.errors
    assert (error.row, error.column) == (2, "专职保安员配备率（%）")
    assert "不是有效数值" in error.message


def test_an_impossible_count_is_refused_as_too_large() -> None:
    errors = school_errors(schools_csv([school("A", values={"小学在校生数": "5000000"})]))
    assert [(e.row, e.column) for e in errors] == [(2, "小学在校生数")]
    assert errors[0].message == "“5000000”数值过大（超过1,000,000），请核对单位"


def test_the_cli_refuses_infinity_in_a_student_count_in_one_chinese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "schools.csv"
    path.write_bytes(schools_csv([school("A", values={"小学在校生数": "inf"})]))
    assert main(["evaluate", "--schools", str(path), "--year", "2023", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "错误：学校数据有1处错误，请修正后重新导入："
        "第2行「小学在校生数」：“inf”不是有效数值（不能为非数字或无穷大）\n"
    )
    assert captured.out == ""


def test_a_rate_written_as_a_fraction_is_accepted_with_a_warning() -> None:
    data = counties_csv(
        [
            county("230422", values={"专职保安员配备率（%）": "0.92"}),
            county("230421", values={"护学岗设置率（%）": "0"}),
        ]
    )
    table = read_counties(data, "counties.csv")
    assert table.frame.filter(pl.col("county") == "230422")["guard_rate"].to_list() == [0.92]
    assert [(w.row, w.column) for w in table.warnings] == [(2, "专职保安员配备率（%）")]
    assert table.warnings[0].message.startswith("“0.92”像是小数形式的比率")


def test_the_cli_prints_the_unit_warning_and_still_evaluates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "s.csv").write_bytes(schools_csv([school("A")]))
    (tmp_path / "c.csv").write_bytes(
        counties_csv([county(values={"专职保安员配备率（%）": "0.92"})])
    )
    args = ["--schools", str(tmp_path / "s.csv"), "--counties", str(tmp_path / "c.csv")]
    assert main(["evaluate", *args, "--year", "2023"]) == 0
    captured = capsys.readouterr()
    assert "提示：第2行「专职保安员配备率（%）」：“0.92”像是小数形式的比率" in captured.err
    assert "专职保安员配备率0.92%" in captured.out


def test_a_small_teaching_point_is_excluded_and_listed_with_the_reason() -> None:
    point = {**PRIMARY, "学校类型": "教学点", "小学在校生数": 32, "体育运动场馆面积（平方米）": 10}
    big_point = {**PRIMARY, "学校类型": "教学点", "小学在校生数": 60}
    table = schools([school("A"), school("P", point), school("Q", big_point), school("J", JUNIOR)])
    assert sorted(table.units["school_id"].to_list()) == ["A", "J", "Q"]
    assert table.excluded.select("school_id", "reason").rows() == [
        ("P", "教学点在校生32人，不足50人，按优质均衡评估办法不纳入评估")
    ]
    result = evaluate(table, None, year=2023).county("230422")
    assert [(s.school_id, s.reason) for s in result.excluded] == [
        ("P", "教学点在校生32人，不足50人，按优质均衡评估办法不纳入评估")
    ]
    primary = result.level("primary")
    assert primary is not None
    assert primary.indicators["sports_area_per_student"].schools == 2  # A and Q, not P


def test_a_100k_row_file_with_many_bad_county_codes_lists_the_errors() -> None:
    files = synth(300, 100_000, [2023], seed=5)
    frame = pl.read_csv(files["schools_2023.csv"], infer_schema=False)
    codes = frame["区县代码"].to_numpy().astype(object)
    codes[::3] = np.where(np.arange(len(codes[::3])) % 2 == 0, "abc", "9" + codes[::3][0][1:])
    data = frame.with_columns(pl.Series("区县代码", codes.tolist())).write_csv().encode()
    known = set(frame["区县代码"].unique().sort().to_list()[:150])
    errors = school_errors(data, known_counties=known, allowed_counties=set(sorted(known)[:10]))
    assert 1 <= len(errors) <= 1000
    assert all(e.column == "区县代码" and e.row >= 2 for e in errors)


def test_synth_keeps_six_digit_county_codes_at_twenty_thousand_counties() -> None:
    frame = regions(20_000, np.random.default_rng(1))
    codes = frame["行政区划代码"]
    assert codes.str.len_chars().unique().to_list() == [6]
    assert not codes.is_duplicated().any()
    counties = frame.filter(pl.col("级别") == "县")["行政区划代码"]
    assert counties.len() == 20_000 and not counties.str.ends_with("00").any()


CELLS = st.one_of(
    st.sampled_from(["", "0", "1", "45", "-3", "3.5", "1e3", "1,200", "nan", "inf", "-inf"]),
    st.sampled_from(["1e400", "9" * 30, "＋5", "五十", "0x10", "  7 ", "\u00a0", "1.2.3"]),
    st.text(max_size=6),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
NUMERIC = [c.header for c in SCHOOL_COLUMNS if c.kind in {"int", "number", "money"}]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from([*NUMERIC, "区县代码", "学校类型", "学校标识码"]), CELLS),
        min_size=1,
        max_size=6,
    )
)
def test_any_cell_content_gives_a_table_or_a_clean_error(edits: list[tuple[str, str]]) -> None:
    rows = [school("A"), school("B", JUNIOR), school("C")]
    for i, (column, cell) in enumerate(edits):
        rows[i % 3][column] = cell
    try:
        table = read_schools(schools_csv(rows), "schools.csv", year=2023)
    except EngineError as error:
        assert error.errors or error.message
        return
    numbers = table.units.select(pl.col(pl.Float64)).to_numpy()
    assert np.isfinite(numbers).all()
    ev = evaluate(table, None, year=2023)
    for result in ev.counties():
        for level in result.levels:
            for r in level.indicators.values():
                assert r.value is None or math.isfinite(r.value)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=0, max_value=2**31),
    st.sampled_from(["nan", "inf", "abc", "-1", "1e9"]),
    st.sampled_from(["小学在校生数", "区县代码", "体育运动场馆面积（平方米）"]),
)
def test_a_generated_100k_row_file_with_bad_cells_never_panics(
    seed: int, cell: str, column: str
) -> None:
    base = _national_sample()
    rng = np.random.default_rng(seed)
    rows = rng.choice(base.height, size=2000, replace=False)
    values = base[column].to_numpy().astype(object)
    values[rows] = cell
    data = base.with_columns(pl.Series(column, values.tolist())).write_csv().encode()
    try:
        read_schools(data, "schools.csv", year=2023)
    except EngineError as error:
        assert error.total_errors >= 1 and 1 <= len(error.errors) <= 1000
        assert all(e.row >= 2 for e in error.errors)


_SAMPLE: list[pl.DataFrame] = []


def _national_sample() -> pl.DataFrame:
    if not _SAMPLE:
        files = synth(400, 100_000, [2023], seed=2)
        _SAMPLE.append(pl.read_csv(files["schools_2023.csv"], infer_schema=False))
    return _SAMPLE[0]
