"""Reading uploaded ledgers: whole-file refusals (WriterError) and row-level CellErrors."""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
from collections.abc import Callable

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from dudao.writers import CellError, WriterError, read_ledger_xlsx
from dudao.writers import reader as reader_module
from dudao.writers.container import OLE2_MAGIC
from dudao.writers.tests.ledgers import city_workbook, edited


def _ole(extra: bytes = b"") -> bytes:
    """An OLE2 compound file header and a directory sector naming `extra`'s streams."""
    return OLE2_MAGIC + b"\x00" * 504 + extra + b"\x00" * 1024


def _declared_size(data: bytes, member: str, size: int) -> bytes:
    """`data` with the central directory claiming `member` unpacks to `size` bytes."""
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == name:
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
        at += 4


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
        target.writestr(name, content, zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def _sheet_xml_edit(data: bytes, edit: Callable[[str], str], part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = edit(content.decode()).encode()
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def _extra_column(sheet: Worksheet) -> None:
    sheet.cell(row=2, column=17, value="附件")


def _missing_column(sheet: Worksheet) -> None:
    sheet.delete_cols(6)  # 配合单位


def _merged(sheet: Worksheet) -> None:
    sheet.merge_cells("B3:B6")


def _formula(sheet: Worksheet) -> None:
    sheet["K5"] = '="已"&"销号"'


def _no_header(sheet: Worksheet) -> None:
    sheet.delete_rows(2)


BAD_FILES: list[tuple[str, Callable[[], bytes], str]] = [
    ("legacy xls", lambda: _ole(), "旧版 Excel 97-2003"),
    ("password", lambda: _ole("EncryptedPackage".encode("utf-16-le")), "打开密码"),
    ("truncated", lambda: city_workbook()[: len(city_workbook()) // 2], "损坏或不完整"),
    ("csv", lambda: "序号,问题\n1,教育专网\n".encode(), "不是 Excel 工作簿"),
    ("docx", _docx, "不是 Excel 工作簿"),
    ("extra column", lambda: edited(_extra_column), "多出列：附件"),
    ("missing column", lambda: edited(_missing_column), "缺少列：配合单位"),
    ("merged cells", lambda: edited(_merged), "合并单元格（B3:B6）"),
    ("formula", lambda: edited(_formula), "单元格 K5 含有公式"),
    ("no header", lambda: edited(_no_header), "找不到台账表头"),
    (
        "declared bomb",
        lambda: _declared_size(city_workbook(), "xl/worksheets/sheet2.xml", 300 * 1024 * 1024),
        "压缩炸弹",
    ),
    (
        "ratio bomb",
        lambda: _with_member(city_workbook(), "xl/media/padding.bin", bytes(60 * 1024 * 1024)),
        "压缩炸弹",
    ),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_it_refuses_a_bad_file_with_a_chinese_message(
    make: Callable[[], bytes], message: str
) -> None:
    with pytest.raises(WriterError) as caught:
        read_ledger_xlsx(make())
    assert message in caught.value.message


def test_it_skips_100000_trailing_empty_rows() -> None:
    def pad(xml: str) -> str:
        rows = "".join(
            f'<row r="{r}"><c r="A{r}" s="3"/><c r="C{r}" t="inlineStr"><is><t></t></is></c></row>'
            for r in range(18, 100_018)
        )
        return xml.replace("</sheetData>", rows + "</sheetData>")

    data = _sheet_xml_edit(city_workbook(), pad, "xl/worksheets/sheet2.xml")
    ledger = read_ledger_xlsx(data)
    assert ledger.errors == ()
    assert len(ledger.rows) == 20


def test_it_refuses_more_rows_than_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_module, "MAX_ROWS", 10)
    # in this process: the limit patched here does not reach read_ledger_xlsx's child
    with pytest.raises(WriterError, match="台账超过10行"):
        reader_module.read_ledger(city_workbook())


def test_it_lists_row_errors_by_sheet_row_and_column() -> None:
    def spoil(sheet: Worksheet) -> None:
        sheet["H3"] = "明年六月"
        sheet["K4"] = "已完成"
        sheet["O5"] = "abc"
        sheet["L6"] = "可能"
        sheet["C7"] = None
        sheet["M8"] = "2024-13-01"
        sheet["K9"] = None

    ledger = read_ledger_xlsx(edited(spoil))
    found = {(e.row, e.column): e.message for e in ledger.errors}
    assert set(found) == {
        (3, "整改时限"),
        (4, "状态"),
        (5, "系统编号"),
        (6, "是否超期"),
        (7, "问题"),
        (8, "销号时间"),
        (9, "状态"),
    }
    assert (
        found[(4, "状态")] == "未知状态“已完成”，只能是：未开始、整改中、申请销号、已销号、长期坚持"
    )
    assert "明年六月" in found[(3, "整改时限")]
    assert all(e.sheet == "绥滨县" for e in ledger.errors)
    assert str(ledger.errors[0]).startswith("工作表“绥滨县”第3行「整改时限」：")
    assert isinstance(ledger.errors[0], CellError)
    assert len(ledger.rows) == 20  # every row is still returned, for item-level checks


def test_dates_typed_as_text_are_understood() -> None:
    def type_dates(sheet: Worksheet) -> None:
        sheet["H3"] = "2024/6/30"
        sheet["H4"] = "2024年7月1日"
        sheet["H5"] = "2024.8.2"
        sheet["O3"] = "1000"

    ledger = read_ledger_xlsx(edited(type_dates))
    assert ledger.errors == ()
    deadlines = [row.item.deadline for row in ledger.rows[:3]]
    assert deadlines == [
        datetime.date(2024, 6, 30),
        datetime.date(2024, 7, 1),
        datetime.date(2024, 8, 2),
    ]
    assert ledger.rows[0].item.item_id == 1000


def test_progress_reaches_the_total() -> None:
    calls: list[tuple[int, int]] = []
    read_ledger_xlsx(city_workbook(), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] > 0
