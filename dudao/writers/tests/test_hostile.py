"""Hostile ledgers against the reader, and hostile text against the writers: refusals name
their limit before anything is allocated, odd cells are row errors, fuzzed files raise
nothing but WriterError, and no saved text can stop a document from being written."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dudao.lib import hostile, sandbox
from dudao.writers import (
    LedgerSheet,
    LetterHead,
    ReportProblem,
    ReportSection,
    WriterError,
    read_ledger_xlsx,
    render_feedback_letter,
    render_rectification_report,
    write_ledger_xlsx,
)
from dudao.writers.reader import read_ledger
from dudao.writers.tests.ledgers import city_workbook, items

SHEET = "xl/worksheets/sheet2.xml"  # 绥滨县 (sheet1 is the summary)


def refused(data: bytes) -> str:
    with pytest.raises(WriterError) as caught:
        read_ledger_xlsx(data)
    return caught.value.message


def with_cell(data: bytes, ref: str, cell: str) -> bytes:
    """`data` with the cell `ref` of the 绥滨县 sheet replaced by the markup `cell`."""

    def change(xml: bytes) -> bytes:
        pattern = rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)'
        return re.sub(pattern, lambda _: cell.encode(), xml, count=1)

    return hostile._edit(data, SHEET, change)


def test_a_cell_at_row_a_billion_is_refused_before_calamine_allocates_it() -> None:
    data = hostile.far_cell_xlsx()
    assert len(data) < 2000
    message = refused(data)
    assert "第1000000000行" in message and "最多200020行、64列" in message


def test_a_declared_dimension_beyond_the_limits_is_refused() -> None:
    def declare(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)

    message = refused(hostile._edit(city_workbook(), SHEET, declare))
    assert "声明的范围" in message and "第16384列" in message


def test_a_cell_moved_to_row_200000_is_read_correctly() -> None:
    ledger = read_ledger_xlsx(hostile.moved_cell(city_workbook(), SHEET, 200_000, "C"))
    assert len(ledger.rows) == len(read_ledger_xlsx(city_workbook()).rows) + 1
    last = [row for row in ledger.rows if row.sheet == "绥滨县"][-1]
    assert last.row_number == 200_000 and last.item.problem == "x"


def test_a_corrupt_deflate_stream_is_refused_as_damaged() -> None:
    assert "损坏" in refused(hostile.corrupt_deflate(city_workbook(), SHEET))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("<v>1e20</v>", "100000000000000000000"),
        ("<v>-3</v>", "-3"),
        ('t="inlineStr"><is><t>²</t></is>', "²"),
        ('t="inlineStr"><is><t>' + "9" * 5000 + "</t></is>", "9" * 30 + "…"),
    ],
)
def test_a_system_number_out_of_range_is_a_row_error(value: str, shown: str) -> None:
    attrs, _, body = value.partition(">") if value.startswith("t=") else ("", "", value)
    cell = f'<c r="O3" {attrs}>{body}</c>' if attrs else f'<c r="O3">{body}</c>'
    ledger = read_ledger_xlsx(with_cell(city_workbook(), "O3", cell))
    errors = [e for e in ledger.errors if e.column == "系统编号" and e.row == 3]
    assert errors and f"“{shown}”" in errors[0].message


def test_control_characters_in_cells_are_dropped() -> None:
    cell = '<c r="J3" t="inlineStr"><is><t>已完成&#x1;整改</t></is></c>'
    # XML 1.1 character references are not XML 1.0: a reader refusing them is fine too
    try:
        ledger = read_ledger_xlsx(with_cell(city_workbook(), "J3", cell))
    except WriterError as error:
        assert "损坏" in error.message or "无法读取" in error.message
    else:
        assert ledger.rows[0].item.outcome in ("已完成整改", "")


def test_a_cell_longer_than_the_long_text_limit_is_a_row_error() -> None:
    cell = f'<c r="J3" t="inlineStr"><is><t>{"长" * 10_001}</t></is></c>'
    ledger = read_ledger_xlsx(with_cell(city_workbook(), "J3", cell))
    assert any("超过此列的上限（10000字）" in e.message for e in ledger.errors)


def test_the_export_names_the_item_whose_text_overflows_a_cell() -> None:
    long = dataclasses.replace(items()[3], outcome="长" * 40_000)
    with pytest.raises(WriterError) as caught:
        write_ledger_xlsx("台账", [LedgerSheet(name="绥滨县", items=(long,))], None)
    assert "工作表“绥滨县”第3行（系统编号 1003）的“整改情况”" in caught.value.message
    assert "32767" in caught.value.message


HEAD = LetterHead(
    issuer="绥滨县人民政府\x01",
    doc_number="绥政函〔2024〕17号",
    title="关于整改情况的\x0b报告",
    recipient="鹤岗市人民政府\x00",
    date=datetime.date(2024, 5, 28),
)
SECTIONS = (
    ReportSection(
        title="教育优先发展\x02方面",
        problems=(
            ReportProblem(statement="经费\x1f不足", outcome="已\ud800完成\x01", lead_unit="\x07"),
        ),
    ),
)


def test_letters_are_written_although_saved_text_holds_control_characters() -> None:
    for data in (
        render_rectification_report(HEAD, "开头\x01语", SECTIONS, closing="下一步\x02"),
        render_feedback_letter(HEAD, "开头\x01语", SECTIONS),
    ):
        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        assert "经费不足" in text and "\x01" not in text


def test_the_excel_export_drops_control_characters_and_lone_surrogates() -> None:
    odd = dataclasses.replace(items()[0], outcome="已\ud800完成\x01")
    data = write_ledger_xlsx("台账", [LedgerSheet(name="绥滨县", items=(odd,))], None)
    assert read_ledger_xlsx(data).rows[0].item.outcome == "已完成"


# --- fuzzing, in this process --------------------------------------------------------------

BOOK = city_workbook()
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = "ABCDEFGHIJKLMNOPQ"


def _cell_markup(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


VALUES = st.one_of(
    st.text(max_size=60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.sampled_from(["1e20", "-0", "2024-02-30", "45473.5", "已销号", "是", "NaN"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(COLUMNS), st.integers(3, 20), VALUES), max_size=6))
def test_any_cell_values_give_rows_or_row_errors(cells: list[tuple[str, int, object]]) -> None:
    data = BOOK
    for column, row, value in cells:
        data = with_cell(data, f"{column}{row}", _cell_markup(f"{column}{row}", value))
    try:
        ledger = read_ledger(data)
    except WriterError as error:
        assert error.message
    else:
        assert all(e.message for e in ledger.errors)


@FUZZ
@given(st.data())
def test_damaged_workbooks_are_refused_with_a_writer_error(data: st.DataObject) -> None:
    spoilt = bytearray(BOOK)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(spoilt) - 1))
        spoilt[at] = data.draw(st.integers(0, 255))
    try:
        read_ledger(bytes(spoilt))
    except WriterError as error:
        assert error.message


def test_the_zip_of_a_written_ledger_is_within_every_limit() -> None:
    with zipfile.ZipFile(io.BytesIO(BOOK)) as package:
        assert len(package.infolist()) < 1000


def test_calamine_on_a_far_cell_without_the_checks_is_stopped_in_its_child() -> None:
    # what the structural check prevents, shown contained by the child's memory limit
    with pytest.raises(sandbox.LimitExceeded) as caught:
        sandbox.run(_calamine_rows, hostile.far_cell_xlsx(), memory_mb=1024)
    assert caught.value.kind == "memory" and "1024 MB" in caught.value.message


def _calamine_rows(data: bytes) -> int:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(book.get_sheet_by_index(0).to_python())
