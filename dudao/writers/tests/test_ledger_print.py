"""The exported 台账 as it prints: converted to PDF by LibreOffice and read back with
pdfplumber (its ruled table cells). Text at least 9 pt, nothing cut off a row, the header
row and 序号 on every page, page numbers, A4 landscape. Skipped where LibreOffice is not
installed."""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from openpyxl.utils import get_column_letter

from dudao.lib.zh import format_cn_date
from dudao.writers import LedgerSheet, libreoffice_path, summary_of, write_ledger_xlsx
from dudao.writers.pdf import _fontconfig
from dudao.writers.tests.ledgers import items


def _calc_installed() -> bool:
    """LibreOffice with its spreadsheet part (Debian's libreoffice-calc-nogui): the letters
    need only the writer; a workbook converts to nothing without Calc."""
    soffice = libreoffice_path()
    return soffice is not None and (Path(soffice).resolve().parent / "libsclo.so").exists()


pytestmark = pytest.mark.skipif(
    not _calc_installed(), reason="LibreOffice Calc is not installed (libreoffice-calc-nogui)"
)
TITLE = "鹤岗市2023年履行教育职责评价反馈问题整改台账"
A4_LANDSCAPE = (842, 595)  # points
_SPACE = re.compile(r"\s+")


def xlsx_to_pdf(xlsx: bytes) -> bytes:
    """LibreOffice's own conversion, with the fonts the letters get (宋体 → a Song face)."""
    soffice = libreoffice_path()
    assert soffice is not None
    with tempfile.TemporaryDirectory(prefix="dudao-xlsx-") as tmp:
        work = Path(tmp)
        (work / "fonts.conf").write_text(_fontconfig(), encoding="utf-8")
        (work / "ledger.xlsx").write_bytes(xlsx)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(work / "ledger.xlsx"),
            ],
            env={**os.environ, "FONTCONFIG_FILE": str(work / "fonts.conf")},
            check=True,
            capture_output=True,
            timeout=300,
        )
        return (work / "ledger.pdf").read_bytes()


def _sheets() -> list[LedgerSheet]:
    """Two counties, one long enough to print on several pages down, with the longest
    texts a clerk writes (a 整改情况 of 400 characters, measures over several lines)."""
    long = items(count=15)
    long = (
        replace(long[0], outcome="，".join(["已完成实验室设施设备更新并通过验收"] * 22) + "。"),
        replace(long[1], measures="\n".join(f"{n}．建立台账，逐项整改到位。" for n in range(1, 7))),
        *long[2:],
    )
    return [LedgerSheet("绥滨县", long), LedgerSheet("萝北县", items(count=5))]


@pytest.fixture(scope="module")
def printed() -> Iterator[tuple[bytes, Any]]:
    sheets = _sheets()
    xlsx = write_ledger_xlsx(TITLE, sheets, summary_of(sheets))
    pdf = xlsx_to_pdf(xlsx)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        yield xlsx, document


def _flat(text: object) -> str:
    return _SPACE.sub("", str(text))


def _shown(value: object) -> str:
    """A cell's value as the sheet shows it."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return format_cn_date(value)
    return "" if value is None else _flat(value)


def _county(page: Any) -> str | None:
    """The sheet a page belongs to, from the title atop it: 汇总 or a county."""
    first = (page.extract_text() or "").split("\n")[0]
    found = re.search(r"（(.+?)）$", first.strip())
    return found.group(1) if found and first.startswith(TITLE) else None


def test_every_page_is_a4_landscape_with_text_of_nine_points_or_more(
    printed: tuple[bytes, Any],
) -> None:
    _, document = printed
    assert len(document.pages) > 3
    for page in document.pages:
        assert (round(page.width), round(page.height)) == A4_LANDSCAPE
        # 11 pt at the 82% print scale floor is 9.02 pt; LibreOffice rounds to 8.995.
        assert min(round(c["size"], 1) for c in page.chars) >= 9.0


def test_every_page_carries_its_number_and_the_ledger_title(printed: tuple[bytes, Any]) -> None:
    _, document = printed
    total = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        lines = (page.extract_text() or "").split("\n")
        assert _flat(lines[-1]) == f"第{number}页，共{total}页"
    counties = [_county(page) for page in document.pages]
    assert counties[0] == "汇总"  # its own title row
    assert set(counties[1:]) == {"绥滨县", "萝北县"}  # the page header


def test_each_page_repeats_the_header_row_and_no_cell_text_is_cut(
    printed: tuple[bytes, Any],
) -> None:
    xlsx, document = printed
    # What the PDF shows: (county, 序号, column) → the text of that cell, joined over the
    # pages (a row printed across several pages wide repeats only 序号).
    seen: dict[tuple[str, str, str], str] = {}
    for page in document.pages:
        county = _county(page)
        if county is None or county == "汇总":
            continue
        (table,) = page.extract_tables()
        heads = [_flat(h) for h in table[0]]
        assert heads[0] == "序号"  # the header row and 序号 repeated on every page
        assert len(table) > 1
        for row in table[1:]:
            for head, text in zip(heads, row, strict=True):
                seen[(county, _flat(row[0]), head)] = _flat(text or "")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    checked = 0
    for county in ("绥滨县", "萝北县"):
        sheet = book[county]
        letters = [get_column_letter(n) for n in range(1, sheet.max_column + 1)]
        shown = [
            (str(sheet[f"{letter}2"].value), letter)
            for letter in letters
            if not sheet.column_dimensions[letter].hidden
        ]
        for row in range(3, sheet.max_row + 1):
            number = str(sheet[f"A{row}"].value)
            for head, letter in shown:
                value = sheet[f"{letter}{row}"].value
                assert seen[(county, number, head)] == _shown(value), (county, number, head)
                checked += 1
    assert checked == 20 * 14
