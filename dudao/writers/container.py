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
from dataclasses import dataclass
from xml.etree import ElementTree

from dudao.writers.errors import WriterError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# Limits on what a ledger may unpack to. A national ledger of 43,000 rows is ~40 MB of
# XML; a zip bomb declares gigabytes, or inflates far beyond what it declares.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # per part; only checked on parts above RATIO_FLOOR
RATIO_FLOOR = 10 * 1024 * 1024
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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise WriterError("文件已损坏或不完整（可能上传中断），请重新保存后再上传。") from error
    _check_sizes(infos)
    if any(info.flag_bits & 0x1 for info in infos):
        raise WriterError("文件经过加密，系统无法读取。请取消密码后重新保存再上传。")
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise WriterError("这是 Excel 二进制工作簿（.xlsb），系统只能读取 .xlsx。" + _SAVE_AS)
        if "content.xml" in names:
            raise WriterError("这是 ODS 表格，系统只能读取 .xlsx。" + _SAVE_AS)
        raise WriterError("文件不是 Excel 工作簿（.xlsx）。" + _SAVE_AS)
    return Package(zip=package, sheet_parts=_sheet_parts(package))


def read_part(package: Package, part: str) -> bytes:
    """A part's bytes, never inflating more than its declared size (zip-bomb guard)."""
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
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as error:
        raise WriterError("文件已损坏或不完整（可能上传中断），请重新保存后再上传。") from error
    return b"".join(chunks)


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


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise WriterError(_BOMB)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise WriterError(_BOMB)


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    try:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError) as error:
        raise WriterError("文件已损坏或不完整，请在 Excel 或 WPS 中重新保存后再上传。") from error
    targets = {
        rel.get("Id", ""): rel.get("Target", "") for rel in rels.findall("p:Relationship", _NS)
    }
    parts: dict[str, str] = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id", ""), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(path)
    return parts
