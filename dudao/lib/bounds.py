"""Checks that a hostile zip container (.docx, .xlsx) cannot get past: member count,
declared and actual decompressed sizes, compression ratio, corrupt deflate streams, and
the extent of each worksheet, all before a parser allocates anything for them.

Pure Python, no Django. Each failure raises LimitError, whose Chinese message names the
limit; the parser, the writers and the engine turn it into their own error type.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

_CHUNK = 1 << 20
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CORRUPT = "文件已损坏（压缩数据无法解压，可能上传中断），请重新保存后再上传。"


class LimitError(Exception):
    """A file beyond what Dudao reads. `message` is Chinese and names the limit."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ZipLimits:
    members: int = 2000
    total: int = 200 * 1024 * 1024  # bytes, all members uncompressed
    ratio: int = 200  # per member, checked on members above ratio_floor
    ratio_floor: int = 10 * 1024 * 1024


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _name(name: str) -> str:
    shown = "".join(ch for ch in name if ch.isprintable())[:60]
    return shown or "（无名）"


def check_zip(
    data: bytes, limits: ZipLimits, keep: Callable[[str], bool] = lambda name: False
) -> dict[str, bytes]:
    """Check a zip's directory against `limits`, then inflate every member through a
    counting reader (a member may not inflate past its declared size, nor all of them past
    `limits.total`). Returns the bytes of the members `keep` selects.

    >>> check_zip(b"PK\\x05\\x06" + bytes(18), ZipLimits())
    {}
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ) as error:
        raise LimitError(CORRUPT) from error
    if len(infos) > limits.members:
        raise LimitError(
            f"压缩包内有{len(infos)}个文件，超过系统上限（{limits.members}个），"
            "疑似异常文件，系统拒绝读取。"
        )
    declared = sum(info.file_size for info in infos)
    if declared > limits.total:
        raise LimitError(
            f"文件解压后达 {_mb(declared)}，超过系统上限（{_mb(limits.total)}），"
            "疑似压缩炸弹，系统拒绝读取。"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.ratio:
            raise LimitError(
                f"文件中“{_name(info.filename)}”的压缩比为{ratio:.0f}倍，超过系统上限"
                f"（{limits.ratio}倍），疑似压缩炸弹，系统拒绝读取。"
            )
    kept: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            continue  # encrypted members: the reader says so in its own words
        chunks: list[bytes] | None = [] if keep(info.filename) else None
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size:
                        raise LimitError(
                            f"文件中“{_name(info.filename)}”解压后比声明的大小更大，"
                            "文件已损坏或被篡改，系统拒绝读取。"
                        )
                    if total > limits.total:
                        raise LimitError(
                            f"文件解压后超过系统上限（{_mb(limits.total)}），"
                            "疑似压缩炸弹，系统拒绝读取。"
                        )
                    if chunks is not None:
                        chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
        ) as error:
            raise LimitError(CORRUPT) from error
        except NotImplementedError as error:  # a compression method zipfile lacks
            raise LimitError(CORRUPT) from error
        if chunks is not None:
            kept[info.filename] = b"".join(chunks)
    return kept


# --- worksheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLimits:
    rows: int
    columns: int
    cells: int  # rows × columns of the rectangle a reader allocates


_DIMENSION = re.compile(rb"<(?:\w{1,16}:)?dimension\s[^>]{0,200}?\bref=\"([^\"]{0,40})\"")
_TAG = re.compile(rb"<(?:\w{1,16}:)?(row|c)(?=[\s/>])([^>]*)>")
_OPEN_CELL = re.compile(rb"<(?:\w{1,16}:)?c(?=[\s/>])[^>]*(?<!/)>")
# a cell with an r attribute and a value (not self-closing): what a reader allocates for
_REF_CELL = re.compile(rb"<(?:\w{1,16}:)?c\s[^>]*?\br=\"([A-Za-z]{1,9})([0-9]{1,15})\"[^>]*(?<!/)>")
_REF = re.compile(rb"\br=\"([A-Za-z]{0,9})([0-9]{1,15})\"")
_A1 = re.compile(r"\$?([A-Za-z]{1,9})\$?([0-9]{1,15})")


def column_number(letters: str | bytes) -> int:
    """ "A" → 1, "Z" → 26, "AA" → 27.

    >>> column_number("XFD")
    16384
    """
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text.upper():
        n = n * 26 + ord(ch) - 64
    return n


def declared_extent(xml: bytes) -> tuple[int, int] | None:
    """(last row, last column) of a worksheet's <dimension ref>, if it has one."""
    match = _DIMENSION.search(xml, 0, 1 << 16)
    if match is None:
        return None
    last = match.group(1).decode("ascii", "replace").split(":")[-1]
    cell = _A1.fullmatch(last)
    if cell is None:
        return None
    return int(cell.group(2)), column_number(cell.group(1))


def actual_extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) of the cells holding something, as a reader places them:
    a cell without an r attribute follows the previous one, a row without r the previous
    row. Self-closing cells (formatting only) hold nothing and are not counted.

    >>> actual_extent(b'<row r="2"><c r="C2"><v>1</v></c><c><v>2</v></c><c r="Z9"/></row>')
    (2, 4)
    """
    found = _REF_CELL.findall(xml)
    if len(found) == len(_OPEN_CELL.findall(xml)):
        # every cell names its place (what Excel, WPS and Dudao write): no loop needed
        if not found:
            return 0, 0
        rows = max(map(int, (r for _, r in found)))
        columns = max(column_number(c) for c in {c for c, _ in found})
        return rows, columns
    return _walk(xml)


def _walk(xml: bytes) -> tuple[int, int]:
    row = col = last_row = last_col = 0
    for match in _TAG.finditer(xml):
        tag, attrs = match.groups()
        ref = _REF.search(attrs)
        if tag == b"row":
            row = int(ref.group(2)) if ref else row + 1
            col = 0
            continue
        if ref and ref.group(1):
            col, row = column_number(ref.group(1)), int(ref.group(2))
        else:
            col += 1
        if not attrs.endswith(b"/"):
            last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


def check_sheet(name: str, xml: bytes, limits: SheetLimits) -> None:
    """Refuse a worksheet whose declared or actual extent is beyond `limits`."""
    allowed = f"（最多{limits.rows}行、{limits.columns}列、共{limits.cells}个单元格）"
    for what, extent in (
        ("声明的范围", declared_extent(xml)),
        ("有内容的单元格", actual_extent(xml)),
    ):
        if extent is None:
            continue
        rows, columns = extent
        if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
            raise LimitError(
                f"工作表“{_name(name)}”{what}延伸到第{rows}行、第{columns}列，"
                f"超过系统可读取的上限{allowed}。请删除多余的行列（或把数据复制到新工作簿）后再上传。"
            )


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part name of its worksheet XML, from xl/workbook.xml and its rels."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (
        KeyError,
        ElementTree.ParseError,
        zipfile.BadZipFile,
        OSError,
        zlib.error,
        NotImplementedError,
    ) as error:
        raise LimitError("文件已损坏或不完整，请在 Excel 或 WPS 中重新保存后再上传。") from error
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


def check_workbook(data: bytes, zip_limits: ZipLimits, sheet_limits: SheetLimits) -> None:
    """The zip checks, then every worksheet's extent; raises LimitError."""
    is_sheet: Callable[[str], bool] = lambda n: n.startswith("xl/worksheets/")  # noqa: E731
    kept = check_zip(data, zip_limits, keep=is_sheet)
    names = {part: name for name, part in sheet_parts(zipfile.ZipFile(io.BytesIO(data))).items()}
    for part, xml in kept.items():
        check_sheet(names.get(part, posixpath.basename(part)), xml, sheet_limits)
