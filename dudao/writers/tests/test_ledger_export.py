"""The exported 台账: its layout as Excel sees it, and export → import giving back the same."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dudao.writers import (
    LEDGER_COLUMNS,
    REGION_COLUMN,
    LedgerSheet,
    read_ledger_xlsx,
    summary_of,
    write_ledger_xlsx,
)
from dudao.writers.tests.ledgers import city_sheets, city_workbook, items


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(city_workbook()))


def test_it_writes_a_summary_sheet_then_one_sheet_per_county(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["汇总", "绥滨县", "萝北县"]
    summary = book["汇总"]
    assert [c.value for c in summary[2]][:3] == ["县（市、区）", "问题数", "未开始"]
    assert [c.value for c in summary[3]] == ["绥滨县", 15, 3, 3, 3, 3, 3, 3]
    assert [c.value for c in summary[5]][:2] == ["合计", 20]


def test_the_sheet_has_title_header_frozen_panes_filter_and_hidden_ids(
    book: openpyxl.Workbook,
) -> None:
    sheet = book["绥滨县"]
    assert sheet["A1"].value == "鹤岗市2023年履行教育职责评价反馈问题整改台账"
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 16
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:N1"]
    assert [c.value for c in sheet[2]] == list(LEDGER_COLUMNS)
    assert all(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "D3"
    assert sheet.auto_filter.ref == "A2:P17"
    assert sheet.column_dimensions["O"].hidden and sheet.column_dimensions["P"].hidden
    assert not sheet.column_dimensions["N"].hidden
    assert sheet.print_title_rows == "$2:$2"


def test_cells_wrap_dates_are_dates_and_status_is_a_drop_down(book: openpyxl.Workbook) -> None:
    sheet = book["绥滨县"]
    assert sheet["C3"].alignment.wrap_text
    assert sheet["H3"].is_date and sheet["H3"].number_format == 'yyyy"年"m"月"d"日"'
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"未开始,整改中,申请销号,已销号,长期坚持"'
    assert str(validation.sqref) == "K3:K17"


def test_overdue_rows_are_filled(book: openpyxl.Workbook) -> None:
    sheet = book["绥滨县"]
    overdue = sheet["L3"].value == "是"
    assert overdue  # item 0 is 未开始 and overdue in the fixture
    assert sheet["C3"].fill.fgColor.rgb == "FFFFC7CE"
    assert sheet["L4"].value == "否"
    assert sheet["C4"].fill.patternType is None


def test_column_widths_fit_chinese_text(book: openpyxl.Workbook) -> None:
    sheet = book["绥滨县"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCEGK"}
    assert widths["A"] == 6
    assert widths["C"] == 50  # long problems wrap at the cap
    assert widths["E"] == 2 * len("县人力资源和社会保障局") + 2  # the longest lead unit
    assert 10 <= widths["G"] <= 12  # 王建国: three characters, six units, at least 10
    assert widths["K"] >= 10


def test_export_then_import_gives_back_the_same_items() -> None:
    sheets = city_sheets()
    ledger = read_ledger_xlsx(city_workbook())
    assert ledger.errors == ()
    assert ledger.sheets == ("绥滨县", "萝北县")
    assert ledger.title == "鹤岗市2023年履行教育职责评价反馈问题整改台账"
    assert [row.item for row in ledger.rows] == [i for s in sheets for i in s.items]
    assert [row.row_number for row in ledger.rows][:3] == [3, 4, 5]
    assert {row.sheet for row in ledger.rows} == {"绥滨县", "萝北县"}


def test_a_national_ledger_has_a_county_column_and_round_trips() -> None:
    sheets = [LedgerSheet("黑龙江省", items("绥滨县") + items("萝北县", count=3))]
    data = write_ledger_xlsx("全国台账", sheets, summary_of(sheets))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["黑龙江省"]
    assert sheet["B2"].value == REGION_COLUMN
    assert sheet.freeze_panes == "E3"
    summary = openpyxl.load_workbook(io.BytesIO(data))["汇总"]
    assert [summary["A3"].value, summary["A4"].value] == ["绥滨县", "萝北县"]
    ledger = read_ledger_xlsx(data)
    assert ledger.errors == ()
    assert [row.item for row in ledger.rows] == list(sheets[0].items)


def test_sheet_names_are_made_valid_and_unique() -> None:
    sheets = [
        LedgerSheet("向阳区[佳木斯]", items(count=1)),
        LedgerSheet("向阳区[佳木斯]", items(count=1)),
        LedgerSheet("某" * 40, items(count=1)),
    ]
    data = write_ledger_xlsx("台账", sheets, None)
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names == ["向阳区_佳木斯_", "向阳区_佳木斯_(2)", "某" * 31]


def test_progress_is_reported_per_sheet() -> None:
    calls: list[tuple[int, int]] = []
    write_ledger_xlsx(
        "台账", city_sheets(), None, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(15, 20), (20, 20)]


def test_it_prints_readably_with_row_heights_page_numbers_and_titles(
    book: openpyxl.Workbook,
) -> None:
    sheet = book["绥滨县"]
    # Rows carry their height from the wrapped text: the longest text gets the most lines.
    heights = {r: sheet.row_dimensions[r].height for r in range(3, 18)}
    assert all(h is not None and h >= 18.75 for h in heights.values())
    longest = max(range(3, 18), key=lambda r: max(len(str(c.value or "")) for c in sheet[r]))
    assert heights[longest] == max(heights.values()) > 3 * 15.75
    # Never shrunk below 82% (11 pt text stays ≥ 9 pt); wider sheets print across pages,
    # each repeating 序号 and the header row, the title in the page header; pages are
    # numbered. (How it prints in LibreOffice: test_ledger_print.py.)
    scale = sheet.page_setup.scale
    assert scale is not None and scale >= 82 and 11 * scale / 100 >= 9
    fit = sheet.sheet_properties.pageSetUpPr
    assert fit is None or not fit.fitToPage
    assert sheet.print_title_cols == "$A:$A"  # 序号
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.print_area == "'绥滨县'!$A$2:$N$17"  # without the hidden ids
    assert sheet.oddHeader is not None
    header = sheet.oddHeader.center
    assert (
        header.size == 14
        and header.text == "&B鹤岗市2023年履行教育职责评价反馈问题整改台账（绥滨县）"
    )
    for footer in (sheet.oddFooter, book["汇总"].oddFooter):
        assert footer is not None and footer.center.text == "第 &P 页，共 &N 页"


def test_row_heights_follow_the_column_width_and_line_breaks() -> None:
    from dudao.writers.workbook import print_scale, row_height

    assert row_height([(0, "短")], [24]) == 18.75
    # Width 24 is 167 px: 11 Chinese characters of 14.67 px; 46 of them are 5 lines.
    assert row_height([(0, "字" * 44)], [24]) == 4 * 15.75 + 3
    assert row_height([(0, "字" * 46)], [24]) == 5 * 15.75 + 3
    assert row_height([(0, "一\n二\n三")], [24]) == 3 * 15.75 + 3
    assert row_height([(0, "字" * 100_000)], [24]) == 409
    assert print_scale(60) == 100 and print_scale(10_000) == 82
