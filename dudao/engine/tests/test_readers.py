"""Import validation: every bad cell is reported by row and column, in Chinese."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from dudao.engine.columns import SCHOOL_COLUMNS
from dudao.engine.errors import DataError, EngineError
from dudao.engine.sheet import CLI_MAX_ROWS, read_sheet, read_sheet_batches
from dudao.engine.tables import _index, read_counties, read_schools
from dudao.engine.template import write_template
from dudao.engine.tests.builders import (
    JUNIOR,
    PRIMARY,
    counties_csv,
    county,
    school,
    schools,
    schools_csv,
    to_csv,
)

HEADERS = [c.header for c in SCHOOL_COLUMNS]


def errors_of(data: bytes, **kwargs: object) -> list[DataError]:
    with pytest.raises(EngineError) as caught:
        read_schools(data, "schools.csv", year=2023, **kwargs)  # type: ignore[arg-type]
    return list(caught.value.errors)


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"小学在校生数": "三百"}, "小学在校生数", "“三百”不是数字"),
        ({"小学在校生数": -5}, "小学在校生数", "“-5”不能为负数"),
        ({"小学在校生数": 10.5}, "小学在校生数", "“10.5”应为整数"),
        ({"小学在校生数": None}, "小学在校生数", "学校类型为小学，此列必填"),
        ({"初中在校生数": 20}, "初中在校生数", "学校类型为小学，此列应为空或0"),
        ({"学校名称": None}, "学校名称", "必填，不能为空"),
        (
            {"学校类型": "高中"},
            "学校类型",
            "“高中”应为：小学、初中、九年一贯制学校、完全中学、十二年一贯制学校、教学点之一",
        ),
        ({"区县代码": "23042"}, "区县代码", "“23042”不是6位县级行政区划代码"),
        ({"区县代码": "990422"}, "区县代码", "“990422”的前两位不是省级行政区划代码"),
        ({"区县代码": "230400"}, "区县代码", "“230400”是省或市的代码，请填写区县代码"),
        ({"体育运动场馆面积（平方米）": "约900"}, "体育运动场馆面积（平方米）", "“约900”不是数字"),
        ({"教学仪器设备资产值（万元）": "-3"}, "教学仪器设备资产值（万元）", "“-3”不能为负数"),
        ({"教学仪器设备资产值（万元）": "1e3"}, "教学仪器设备资产值（万元）", "“1e3”不是数字"),
        ({"小学超过45人的班级数": 5}, "小学超过45人的班级数", "超标班级数不能大于班级数"),
    ],
)
def test_it_rejects_a_bad_cell_with_its_row_and_column(
    values: dict[str, object], column: str, message: str
) -> None:
    data = schools_csv([school("A"), school("B", values=values)])
    assert errors_of(data) == [DataError(3, column, message)]


def test_it_reports_every_error_of_the_file_not_just_the_first() -> None:
    rows = [
        school("A", values={"小学在校生数": "x"}),
        school("A", values={"网络多媒体教室数（间）": -1}),
        school("C", county="230421"),
    ]
    errors = errors_of(
        schools_csv(rows), known_counties={"230422", "230421"}, allowed_counties={"230422"}
    )
    assert [(e.row, e.column) for e in errors] == [
        (2, "小学在校生数"),
        (3, "学校标识码"),
        (3, "网络多媒体教室数（间）"),
        (4, "区县代码"),
    ]
    assert errors[1].message == "学校标识码“A”与第2行重复"
    assert errors[3].message == "区县代码“230421”不在您的管辖范围内，不能导入"


def test_it_rejects_county_codes_not_in_the_region_list() -> None:
    errors = errors_of(schools_csv([school("A", county="230499")]), known_counties={"230422"})
    assert errors == [DataError(2, "区县代码", "区县代码“230499”不在行政区划中，请核对")]


def test_it_reports_missing_unknown_and_duplicate_columns_on_row_one() -> None:
    headers = [h for h in HEADERS if h != "小学班级数"] + ["备注", "学校名称"]
    data = to_csv([school("A")], headers)
    errors = errors_of(data)
    assert DataError(1, "备注", "不是模板中的列，请使用下载的模板，不要增改列名") in errors
    assert DataError(1, "学校名称", "列名重复，请删除多余的一列") in errors
    assert DataError(1, "小学班级数", "缺少此列，请使用下载的模板") in errors


def test_a_money_column_without_its_unit_is_refused() -> None:
    headers = [h.replace("（万元）", "") for h in HEADERS]
    row = {h.replace("（万元）", ""): v for h, v in school("A").items()}
    assert DataError(
        1, "教学仪器设备资产值", "请在列名中注明金额单位：（万元）或（元）"
    ) in errors_of(to_csv([row], headers))


def test_money_in_wan_yuan_is_converted_exactly_to_fen() -> None:
    rows = [
        school("A", values={"教学仪器设备资产值（万元）": "123.4567"}),
        school("B", values={"教学仪器设备资产值（万元）": "0.000015"}),  # 0.15 元 -> 15 分
        school(
            "C", values={"教学仪器设备资产值（万元）": "0.0000005"}
        ),  # 0.005 元 rounds up to 1 分
    ]
    table = schools(rows)
    assert table.schools["equipment_yuan"].to_list() == [123456700, 15, 1]


def test_a_money_column_headed_in_yuan_is_read_in_yuan() -> None:
    headers = [h.replace("（万元）", "（元）") for h in HEADERS]
    row = {h.replace("（万元）", "（元）"): v for h, v in school("A").items()}
    row["教学仪器设备资产值（元）"] = "250000.50"
    table = read_schools(to_csv([row], headers), "s.csv", year=2023)
    assert table.schools["equipment_yuan"].to_list() == [25000050]


def test_a_gbk_csv_from_chinese_excel_is_read() -> None:
    data = schools_csv([school("A")]).decode("utf-8").encode("gb18030")
    assert read_schools(data, "s.csv", year=2023).schools.height == 1


def test_the_xlsx_template_filled_in_is_read_back() -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_template("schools", "xlsx")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    for row in (school("A"), school("B", JUNIOR)):
        sheet.append([row.get(h) for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    table = read_schools(out.getvalue(), "学校数据.xlsx", year=2023)
    assert table.schools["school_id"].to_list() == ["A", "B"]
    assert table.schools["primary_students"].to_list() == [100, None]


def test_excels_unicode_text_utf16_and_tab_separated_is_read() -> None:
    text = schools_csv([school("A"), school("B")]).decode("utf-8").replace(",", "\t")
    data = text.encode("utf-16")  # with its byte-order mark, as Excel saves it
    table = read_schools(data, "s.csv", year=2023)
    assert table.schools.height == 2
    assert sorted(table.schools["school_name"].to_list()) == ["学校A", "学校B"]


def test_a_gb18030_csv_reads_and_undecodable_bytes_are_refused_by_name() -> None:
    # GB18030 text reads; bytes that are neither UTF-8 nor GB18030 are refused by name
    assert (
        read_schools(
            schools_csv([school("A")]).decode().encode("gb18030"), "s.csv", year=2023
        ).schools.height
        == 1
    )
    with pytest.raises(EngineError, match="无法识别文件编码"):
        read_schools(schools_csv([school("A")]) + b"\xff\xfe\xff\n", "s.csv", year=2023)


def test_the_csv_template_has_the_chinese_headers_and_a_bom() -> None:
    data = write_template("counties", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").startswith("区县代码,区县名称,年度,学前三年毛入园率（%）")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "s.csv", "文件是空的"),
        (",".join(HEADERS).encode(), "s.csv", "学校数据没有数据行"),
        (b"%PDF-1.4", "s.pdf", "不支持的文件类型"),
        (b"not a zip", "s.xlsx", "无法读取Excel文件"),
    ],
)
def test_it_refuses_unusable_files_with_a_clear_message(
    data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(EngineError, match=message):
        read_schools(data, filename, year=2023)


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        (
            {"普惠性幼儿园覆盖率（%）": 100.5},
            "普惠性幼儿园覆盖率（%）",
            "100.5超过100%，请填写百分数（如 92.5）",
        ),
        ({"护学岗设置率（%）": "一百"}, "护学岗设置率（%）", "“一百”不是数字"),
        ({"年度": "23"}, "年度", "“23”不是有效年度（如 2023）"),
        (
            {"学前三年毛入园率（%）": 160},
            "学前三年毛入园率（%）",
            "160超过150%，请核实（填写百分数，如 92.5）",
        ),
    ],
)
def test_county_rows_are_validated(values: dict[str, object], column: str, message: str) -> None:
    with pytest.raises(EngineError) as caught:
        read_counties(counties_csv([county(values=values)]), "c.csv")
    assert caught.value.errors == (DataError(2, column, message),)


def test_a_gross_enrolment_rate_may_exceed_100_and_rates_may_be_left_empty() -> None:
    row = county(values={"学前三年毛入园率（%）": 103.2, "护学岗设置率（%）": None})
    table = read_counties(counties_csv([row]), "c.csv")
    assert table.frame["preschool_gross_enrolment"].to_list() == [103.2]


def test_duplicate_county_years_and_a_missing_year_are_reported() -> None:
    with pytest.raises(EngineError) as caught:
        read_counties(counties_csv([county(), county()]), "c.csv")
    assert caught.value.errors == (
        DataError(3, "区县代码", "区县“230422”的2023年度数据与第2行重复"),
    )
    with pytest.raises(EngineError, match="文件中没有2024年度的数据"):
        read_counties(counties_csv([county()]), "c.csv", year=2024)


def test_progress_is_reported_while_reading() -> None:
    seen: list[tuple[int, int]] = []
    read_schools(
        schools_csv([school("A", PRIMARY)]),
        "s.csv",
        year=2023,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1][0] == seen[-1][1] and len(seen) > 3


def test_a_file_is_checked_in_batches_with_errors_and_duplicates_across_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows are checked a batch at a time (memory follows the numbers, not the text); an
    error in a later batch and a school id repeated in another batch are still found."""
    from dudao.engine import tables

    monkeypatch.setattr(tables, "BATCH_ROWS", 3)
    monkeypatch.setattr(tables, "ONE_BATCH_ROWS", 5)  # larger files go in batches
    rows = [school(f"S{i}") for i in range(8)]
    rows[6] = school("S1")  # row 8 repeats row 3, two batches later
    rows[7] = school("S7", values={"小学在校生数": "nan"})
    with pytest.raises(EngineError) as caught:
        read_schools(schools_csv(rows), "s.csv", year=2023)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert (8, "学校标识码") in found
    assert (9, "小学在校生数") in found
    assert caught.value.total_errors == 2
    clean = read_schools(schools_csv([school(f"S{i}") for i in range(8)]), "s.csv", year=2023)
    assert clean.schools["school_id"].to_list() == [f"S{i}" for i in range(8)]


def test_the_command_line_reads_more_rows_than_an_upload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dudao.engine import sheet

    monkeypatch.setattr(sheet, "MAX_ROWS", 4)
    data = schools_csv([school(f"S{i}") for i in range(6)])
    with pytest.raises(EngineError, match="超过系统一次导入的上限"):
        read_schools(data, "s.csv", year=2023, max_rows=sheet.MAX_ROWS)
    assert read_schools(data, "s.csv", year=2023, max_rows=10).schools.height == 6


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\n1,2\n"x\ny",3\n\n4,5\n,\n6,"7\n8\n9"\n10,11\n12,13\n',
        b'\xef\xbb\xbfa,b\r\n1,2\r\n"q,""r""",3\r\n\r\n\r\n4,5\r\n6,7',
        b"a,b\n",
        b"a,b\n,\n,\n1,2\n",
        "学校,值\n一,1\n二,2\n三,3\n四,4\n五,5\n".encode("gb18030"),
    ],
)
def test_the_command_lines_slices_read_as_the_upload_does(data: bytes) -> None:
    """The command line reads a CSV a slice of rows at a time in its own process; quoted
    line breaks, blank and empty rows fall and are numbered as in the upload's one frame."""
    whole = read_sheet(data, "x.csv")
    for rows in (1, 2, 3, 100):
        parts = list(read_sheet_batches(data, "x.csv", max_rows=CLI_MAX_ROWS, batch_rows=rows))
        assert all(part.columns == whole.columns for part in parts)
        assert pl.concat(parts).equals(whole)


def test_units_are_sorted_by_level_county_and_row_unless_already() -> None:
    units = pl.DataFrame(
        {"level": [1, 0, 0, 0], "county": ["a", "b", "a", "a"], "__row": [2, 3, 5, 4]}
    )
    ordered = _index(units)
    assert ordered.select("level", "county", "__row").rows() == [
        (0, "a", 4),
        (0, "a", 5),
        (0, "b", 3),
        (1, "a", 2),
    ]
    assert ordered["county_idx"].to_list() == [0, 0, 1, 0]
    assert _index(ordered.drop("county_idx")).equals(ordered)


@pytest.mark.parametrize("cli", [False, True])
def test_cells_are_cleaned_only_where_they_need_it(cli: bool) -> None:
    """Characters a document cannot hold are removed and cells stripped (blank ones become
    empty), in whichever columns hold them; clean columns come through unchanged."""
    data = (
        '甲,乙,丙,丁\n一\x01校, 二校 ,\u3000,"a b"\n四校,"",\x0b,c\x02d\n五校,六校,七校,\uffff\n'
    ).encode()
    if cli:
        frame = pl.concat(list(read_sheet_batches(data, "x.csv", max_rows=CLI_MAX_ROWS)))
    else:
        frame = read_sheet(data, "x.csv")
    assert frame.select("甲", "乙", "丙", "丁").rows() == [
        ("一校", "二校", None, "a b"),
        ("四校", None, None, "cd"),
        ("五校", "六校", "七校", None),
    ]
