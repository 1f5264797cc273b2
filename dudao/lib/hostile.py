"""Hostile files, made cheaply, for the tests and benchmarks/bench_hostile.py: each one
once took the service down (issue 9). Pure Python, no Django.

>>> len(far_cell_xlsx()) < 2000
True
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell_xlsx(row: int = 1_000_000_000, column: str = "B") -> bytes:
    """An .xlsx of under 2 KB with a cell at A1 and one at B1000000000: calamine (and
    openpyxl) allocate the rectangle between them, 64 GB."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{_cell("A1", "序号")}</row>'
        f'<row r="{row}">{_cell(f"{column}{row}", "x")}</row></sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CT)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def moved_cell(data: bytes, part: str, row: int, column: str = "C") -> bytes:
    """`data` (an .xlsx) with one more cell, on row `row` of the worksheet `part`."""
    return _edit(
        data,
        part,
        lambda xml: xml.replace(
            b"</sheetData>",
            f'<row r="{row}">{_cell(f"{column}{row}", "x")}</row></sheetData>'.encode(),
        ),
    )


def corrupt_deflate(data: bytes, part: str) -> bytes:
    """`data` (a zip) with the middle of `part`'s deflate stream overwritten."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    spoilt = bytearray(data)
    spoilt[middle : middle + 16] = b"\xff" * 16
    return bytes(spoilt)


def _edit(data: bytes, part: str, change: object) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                body = change(body)  # type: ignore[operator]
            target.writestr(info, body)
    return out.getvalue()


def zip_bomb_docx(size: int = 1200 << 20, *, declared: int | None = None) -> bytes:
    """A .docx of a few MB whose word/document.xml inflates to `size` bytes of spaces.
    With `declared`, its headers claim that size instead (a lying bomb).

    Made in a fraction of a second: after a full flush, deflate's output for the same
    megabyte is the same block, so one block is compressed and repeated.
    """
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(chunk)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size >> 20
    body = block * count + compressor.flush()
    # The CRC is left 0: a reader finds it wrong only after inflating everything.
    crc = 0
    members = [
        ("[Content_Types].xml", _DOCX_CT.encode(), None),
        ("word/document.xml", body, (crc, count << 20)),
    ]
    return _zip(members, declared)


_DOCX_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _zip(members: list[tuple[str, bytes, tuple[int, int] | None]], declared: int | None) -> bytes:
    """A zip written by hand: stored members, or raw deflate with (crc, size) given."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, body, deflated in members:
        raw = name.encode()
        if deflated is None:
            method, crc, size, data = 0, zlib.crc32(body), len(body), body
        else:
            method, (crc, size), data = 8, deflated, body
            size = declared if declared is not None else size
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data),
                              size, len(raw), 0))  # fmt: skip
        out.write(raw)
        out.write(data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0,
                                  0, crc, len(data), size, len(raw), 0, 0, 0, 0, 0,
                                  offset))  # fmt: skip
        central.write(raw)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                          len(directory), start, 0))  # fmt: skip
    return out.getvalue()


def many_pages_pdf(pages: int = 5000) -> bytes:
    """A PDF of `pages` pages, each with a line of text, sharing one content stream."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 12 Tf 72 720 Td (Rectification report page text) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    first = len(objects) + 1
    kids = []
    for n in range(pages):
        kids.append(b"%d 0 R" % (first + n))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    count = len(objects) + 1
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))
    return out.getvalue()


# --- indicator data as CSV -----------------------------------------------------------------

CSV_HEADER = "学校代码,学校名称,区县代码,学校类型\n".encode()


def one_line_csv(size: int = 1 << 30) -> bytes:
    """The header, then `size` bytes of digits without a line break."""
    return CSV_HEADER + b"9" * size


def wide_csv(columns: int = 2_000_000) -> bytes:
    """A header of `columns` columns."""
    return b",".join(b"c%d" % n for n in range(columns)) + b"\n"


def nul_csv(size: int = 64 << 20) -> bytes:
    """`size` NUL bytes: valid UTF-8, one line, no comma."""
    return bytes(size)


def undecodable_csv(rows: int = 1000) -> bytes:
    """Rows of bytes that are neither UTF-8 nor GB18030 (0xFF leads nothing in either)."""
    return CSV_HEADER + b"\xff\xfe\xff,1,2,3\n" * rows


def gzip_csv(size: int = 1 << 30) -> bytes:
    """A gzip stream (under .csv) that inflates to `size` bytes of a CSV row: 1 GB in ~1 MB,
    made in a fraction of a second the way `zip_bomb_docx` is (so its CRC is wrong: a reader
    finds out only after inflating everything)."""
    chunk = b"1,2,3,4\n" * (1 << 17)  # 1 MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head + block * ((size >> 20) - 1) + compressor.flush()


def many_rows_csv(rows: int = 10_000_000) -> bytes:
    """The header and `rows` rows of one short cell each."""
    return CSV_HEADER + b"1\n" * rows
