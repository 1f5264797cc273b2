"""Whole-file checks on an uploaded .xlsx, done before any spreadsheet parser touches it.

A .xlsx is a zip of XML parts. Legacy .xls files and password-protected workbooks are
OLE2 compound files instead (an encrypted .xlsx is an OLE2 file holding an
"EncryptedPackage" stream), so the first bytes tell them apart.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass

from dudao.lib import bounds
from dudao.writers.errors import WriterError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Limits on what a ledger may unpack to. A national ledger of 43,000 rows is ~40 MB of
# XML; a zip bomb declares gigabytes, or inflates far beyond what it declares.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_LIMITS = bounds.ZipLimits(members=1000, total=MAX_UNCOMPRESSED, ratio=200, ratio_floor=10 << 20)
# calamine allocates the whole rectangle from A1 to the last cell holding something (a
# cell at B1000000000 asks for 64 GB), so each sheet's extent is checked before it reads:
# the largest ledger (MAX_ROWS data rows, the title and header rows, a few of slack) and
# the template's 18 columns with room for a clerk's extra ones.
MAX_SHEET_ROWS = 200_020
MAX_SHEET_COLUMNS = 64
SHEET_LIMITS = bounds.SheetLimits(rows=MAX_SHEET_ROWS, columns=MAX_SHEET_COLUMNS, cells=5_000_000)
_CHUNK = 1 << 20

_SAVE_AS = "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（.xlsx）再上传。"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# A formula element, with or without a namespace prefix (<f>, <f t="shared" …/>, <x:f>).
_FORMULA = re.compile(rb"<(?:\w{1,16}:)?f[\s>/]")
_CELL_REF = re.compile(rb"<(?:\w{1,16}:)?c\s[^>]{0,400}?\br=\"([A-Z]{1,3}[0-9]{1,7})\"")


@dataclass(frozen=True)
class Package:
    zip: zipfile.ZipFile
    sheet_parts: dict[str, str]  # sheet name → part name of its worksheet XML


def open_package(data: bytes) -> Package:
    """Open `data` as an .xlsx zip, or raise WriterError saying what the file is instead."""
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise WriterError(
                "文件设置了打开密码，系统无法读取。请在 Excel 或 WPS 中取消密码"
                "（文件→信息→保护工作簿→用密码进行加密，清空密码）后重新保存再上传。"
            )
        raise WriterError("这是旧版 Excel 97-2003 工作簿（.xls），系统只能读取 .xlsx。" + _SAVE_AS)
    if not data.startswith(b"PK"):
        raise WriterError("文件不是 Excel 工作簿（.xlsx）。" + _SAVE_AS)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ) as error:
        raise WriterError("文件已损坏或不完整（可能上传中断），请重新保存后再上传。") from error
    try:
        bounds.check_zip(data, ZIP_LIMITS)
    except bounds.LimitError as error:
        raise WriterError(error.message) from error
    if any(info.flag_bits & 0x1 for info in infos):
        raise WriterError("文件经过加密，系统无法读取。请取消密码后重新保存再上传。")
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise WriterError("这是 Excel 二进制工作簿（.xlsb），系统只能读取 .xlsx。" + _SAVE_AS)
        if "content.xml" in names:
            raise WriterError("这是 ODS 表格，系统只能读取 .xlsx。" + _SAVE_AS)
        raise WriterError("文件不是 Excel 工作簿（.xlsx）。" + _SAVE_AS)
    try:
        parts = bounds.sheet_parts(package)
    except bounds.LimitError as error:
        raise WriterError(error.message) from error
    return Package(zip=package, sheet_parts=parts)


def read_part(package: Package, part: str) -> bytes:
    """A worksheet's XML, never inflating more than its declared size (zip-bomb guard),
    refused (WriterError) when the sheet reaches beyond SHEET_LIMITS."""
    try:
        info = package.zip.getinfo(part)
        chunks: list[bytes] = []
        size = 0
        with package.zip.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > info.file_size or size > MAX_UNCOMPRESSED:
                    raise WriterError(_BOMB)
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        ValueError,
        zlib.error,
        NotImplementedError,
    ) as error:
        raise WriterError("文件已损坏或不完整（可能上传中断），请重新保存后再上传。") from error
    xml = b"".join(chunks)
    try:
        bounds.check_sheet(_sheet_name(package, part), xml, SHEET_LIMITS)
    except bounds.LimitError as error:
        raise WriterError(error.message) from error
    return xml


def _sheet_name(package: Package, part: str) -> str:
    return next((n for n, p in package.sheet_parts.items() if p == part), posixpath.basename(part))


def formula_cells(xml: bytes, limit: int = 5) -> list[str]:
    """References of the first cells holding a formula (calamine only shows their values)."""
    cells: list[str] = []
    for match in _FORMULA.finditer(xml):
        window = xml[max(0, match.start() - 600) : match.start()]
        refs = _CELL_REF.findall(window)
        cells.append(refs[-1].decode() if refs else "?")
        if len(cells) >= limit:
            break
    return cells


_BOMB = (
    "文件解压后异常巨大（疑似压缩炸弹），系统拒绝读取。"
    "请检查文件来源，或另存为新的 .xlsx 后再上传。"
)
