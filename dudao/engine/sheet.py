"""Turn an uploaded .csv/.xlsx/.xls file into a frame of strings with row numbers.

Every cell stays a string here so that validation can quote exactly what the clerk typed.
"""

from __future__ import annotations

import codecs
import datetime
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePath

import polars as pl
import python_calamine

from dudao.engine.errors import EngineError
from dudao.lib import bounds, chars, sandbox

ROW = "__row"  # spreadsheet row number of each data row (the header is row 1)
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
# School data for the whole country is ~210,000 compulsory-education schools on one sheet
# of 21 columns; calamine allocates the rectangle up to the last cell, so that is checked
# before it reads (a cell at B1000000000 would ask for 64 GB).
MAX_ROWS = 300_001
MAX_COLUMNS = 64
ZIP_LIMITS = bounds.ZipLimits(members=1000, total=400 << 20, ratio=200, ratio_floor=10 << 20)
SHEET_LIMITS = bounds.SheetLimits(rows=MAX_ROWS, columns=MAX_COLUMNS, cells=8_000_000)
# The command line (`dudao evaluate`) reads the operator's own files, in its own process, so
# a CSV may be as large as ten times the whole country (2.1 million schools); an upload or
# an import stays within MAX_ROWS and MAX_BYTES and is parsed in the reading child.
CLI_MAX_ROWS = 3_000_001
CLI_MAX_BYTES = 2000 << 20


# A CSV is read as text in the reading child process (`dudao.lib.sandbox`), after checks
# that cost no memory: what it is (not a zip, gzip, PDF or old .xls under a .csv name), its
# size, its number of lines, the length of each line and the width of its header.
MAX_BYTES = 200 << 20  # the largest file read; the national school data is ~40 MB
MAX_LINE = 100_000  # bytes in one line: 64 columns of long names fit 20 times over
_MAGIC = (
    (b"PK\x03\x04", "zip 压缩包或 Excel 工作簿（.xlsx）"),
    (b"PK\x05\x06", "zip 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"BZh", "bzip2 压缩文件"),
    (b"\xfd7zXZ\x00", "xz 压缩文件"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!", "rar 压缩包"),
    (b"\xd0\xcf\x11\xe0", "旧版 Excel 或 Word 文件（.xls/.doc）"),
    (b"%PDF", "PDF 文件"),
)


def too_large(size: int, max_bytes: int | None = None) -> str | None:
    """The refusal for a file of `size` bytes (at most `max_bytes`, by default an upload's
    MAX_BYTES), or None when it may be read."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if size <= max_bytes:
        return None
    return (
        f"文件大小为 {size / 1024 / 1024:.0f} MB，超过系统一次导入的上限"
        f"（{max_bytes >> 20} MB）。请按地区分成几个文件上传。"
    )


def check_csv(
    data: bytes,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    each_line: bool = True,
) -> None:
    """Refuse a file that is not CSV text or is beyond the limits, before anything is
    allocated for it (no copy of `data` is made). Raises EngineError naming the limit.
    `each_line=False` checks only the header's length (the command line's large files).

    >>> check_csv(b"a,b\\n1,2\\n")
    """
    if message := too_large(len(data), max_bytes):
        raise EngineError(message)
    max_rows = MAX_ROWS if max_rows is None else max_rows
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise EngineError(
                f"文件内容是{what}，不是 CSV 文本。请上传 .xlsx 文件，"
                "或在 Excel 中“另存为 CSV”后上传。"
            )
    le, be = data.startswith(b"\xff\xfe"), data.startswith(b"\xfe\xff")
    if not (le or be) and data.find(b"\x00") >= 0:
        raise EngineError(
            "文件中含有空字符（NUL），不是文本格式的 CSV 文件。"
            "请在 Excel 中“另存为 CSV UTF-8”后上传，或上传 .xlsx 文件。"
        )
    newline, comma = (b"\n\x00", b",\x00") if le else (b"\x00\n", b"\x00,") if be else (b"\n", b",")
    lines = data.count(newline)
    if lines > max_rows:
        raise EngineError(
            f"文件有{lines}行，超过系统一次导入的上限（{max_rows}行）。请按地区分成几个文件上传。"
        )
    start = 0
    for number in range(1, (lines if each_line else 0) + 2):
        end = data.find(newline, start)
        end = len(data) if end < 0 else end
        if end - start > MAX_LINE:
            raise EngineError(
                f"文件第{number}行长达{end - start}个字节，超过系统每行的上限"
                f"（{MAX_LINE}个字节）。请检查文件是否为逗号分隔的数据表。"
            )
        if number == 1 and (commas := data.count(comma, start, end)) >= MAX_COLUMNS:
            raise EngineError(
                f"文件的表头有{commas + 1}列，超过系统可读取的上限（{MAX_COLUMNS}列）。"
                "请使用下载的模板填写。"
            )
        start = end + len(newline)


def _utf8(data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for at in range(0, len(data), 1 << 20):
            decoder.decode(view[at : at + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _utf8_bytes(data: bytes) -> bytes:
    """`data` as UTF-8 for polars (which skips a BOM itself). Excel on Chinese Windows
    saves "CSV" as GBK, "CSV UTF-8" with a BOM, and "Unicode text" as UTF-16 with a BOM."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16").encode("utf-8")
        if _utf8(data):
            return data
        return data.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError:
        raise EngineError("无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 .xlsx 文件。") from None


def csv_frame(data: bytes) -> pl.DataFrame:
    """A CSV file's cells as strings, read in the calling process after `check_csv` (the
    fuzz tests call it; uploads go through `csv_ipc` in the reading child process)."""
    check_csv(data)
    return _parse_csv(data)


def _separator(text: bytes) -> str:
    head = text[: text.find(b"\n")] if b"\n" in text[: MAX_LINE + 1] else text[:MAX_LINE]
    return "\t" if b"," not in head and b"\t" in head else ","


def _parse_csv(data: bytes) -> pl.DataFrame:
    text = _utf8_bytes(data)
    del data
    separator = _separator(text)
    try:
        return pl.read_csv(
            text,
            separator=separator,
            infer_schema=False,
            raise_if_empty=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise _csv_error(exc) from None


def csv_ipc(data: bytes) -> bytes:
    """The frame of a CSV that passed `check_csv` (in the caller, before the child was
    started), as Arrow IPC (lz4): what the reading child process sends back, three times
    faster to pass than a pickled frame."""
    out = io.BytesIO()
    _parse_csv(data).write_ipc(out, compression="lz4")
    return out.getvalue()


def _read_csv(data: bytes, max_rows: int | None = None) -> pl.DataFrame:
    # the refusals that need no reading, without starting a child
    check_csv(data, max_rows=max_rows)
    try:
        return pl.read_ipc(io.BytesIO(sandbox.run(csv_ipc, data)))
    except sandbox.LimitExceeded as exc:
        raise EngineError(exc.message) from None


def _scan_csv(data: bytes, max_rows: int) -> pl.LazyFrame:
    """The command line's CSV, scanned in this process after the checks that cost no memory
    (the header's length, not every line's)."""
    check_csv(data, max_rows=max_rows, max_bytes=CLI_MAX_BYTES, each_line=False)
    text = _utf8_bytes(data)
    return pl.scan_csv(
        text,
        separator=_separator(text),
        infer_schema=False,
        raise_if_empty=False,
        truncate_ragged_lines=False,
    )


def _csv_error(exc: Exception) -> EngineError:
    return EngineError(
        f"无法读取CSV文件（{exc.__class__.__name__}），请检查文件是否为逗号分隔、每行列数是否一致。"
    )


def _cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Excel stores every number as a float: 45 arrives as 45.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return chars.clean(str(value)).strip() or None


def _read_excel(data: bytes) -> pl.DataFrame:
    try:
        header, columns = sandbox.run(excel_columns, data)
    except sandbox.LimitExceeded as exc:
        raise EngineError(exc.message) from None
    names: list[str] = []
    for i, h in enumerate(header):
        name = h or f"（第{i + 1}列无列名）"
        # Same convention as polars' CSV reader, so duplicates are reported the same way.
        names.append(f"{name}_duplicated_{i}" if name in names else name)
    return pl.DataFrame(
        {n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, columns, strict=True)}
    )


def excel_columns(data: bytes) -> tuple[list[str], list[list[str | None]]]:
    """The first sheet's header and columns as text. Runs in the reading child process
    (`dudao.lib.sandbox`): the sheet's extent is checked before calamine allocates it."""
    if data.startswith(b"PK"):
        try:
            bounds.check_workbook(data, ZIP_LIMITS, SHEET_LIMITS)
        except bounds.LimitError as exc:
            raise EngineError(exc.message) from None
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise EngineError(
            f"无法读取Excel文件（{exc.__class__.__name__}），请确认文件未损坏且未加密。"
        ) from None
    if not rows:
        return [], []
    header = [chars.clean("" if h is None else str(h)).strip() for h in rows[0]]
    width = len(header)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in rows[1:]:
        for i in range(width):
            columns[i].append(_cell(row[i]) if i < len(row) else None)
    return header, columns


def _cleaned(frame: pl.LazyFrame, columns: list[str], first: int = 0) -> pl.LazyFrame:
    """Characters a .docx/.xlsx cannot hold (see dudao.lib.chars) removed, cells stripped
    (empty ones null), `ROW` added (the frame's rows start at data row `first`, from 0)
    and wholly empty rows dropped."""
    invalid = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
    # Only the columns with a cell to clean are rewritten: finding them is a scan (no copy),
    # half the cost of rewriting every cell, and in most files no column needs it.
    strings = [c for c, t in frame.collect_schema().items() if t == pl.String]
    unclean = pl.col(strings).str.contains(f"{invalid}|^\\s|\\s$|^$").any()
    flags = frame.select(unclean).collect().row(0) if strings else ()
    dirty = [c for c, flag in zip(strings, flags, strict=True) if flag]
    frame = frame.with_columns(
        pl.col(dirty).str.replace_all(invalid, "").str.strip_chars().replace("", None)
    )
    frame = frame.with_row_index(ROW, offset=2 + first).with_columns(pl.col(ROW).cast(pl.Int64))
    return frame.filter(~pl.all_horizontal(pl.col(columns).is_null()))


def read_sheet_batches(
    data: bytes, filename: str, *, max_rows: int = MAX_ROWS, batch_rows: int = 100_000
) -> Iterator[pl.DataFrame]:
    """The first sheet as strings (as `read_sheet`), a batch of rows at a time: a CSV is
    never held as text in full, which at ten times national scale would take gigabytes. A
    workbook comes as one batch. The first batch may be empty (a file without data rows),
    but it always carries the header."""
    suffix = PurePath(filename).suffix.lower()
    upload = max_rows <= MAX_ROWS
    if message := too_large(len(data), MAX_BYTES if upload else CLI_MAX_BYTES):
        raise EngineError(message)
    if suffix in EXCEL_SUFFIXES:
        frame = _read_excel(data)
        if frame.width == 0:
            raise EngineError("文件是空的，请使用下载的模板填写数据后再导入。")
        yield _cleaned(frame.lazy(), frame.columns).collect()
        return
    if suffix not in {".csv", ".txt"}:
        raise EngineError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件。")
    if upload:  # parsed in the reading child, within the upload's limits
        frame = _read_csv(data, max_rows)
        if frame.width == 0:
            raise EngineError("文件是空的，请使用下载的模板填写数据后再导入。")
        yield _cleaned(frame.lazy(), frame.columns).collect()
        return
    scan = _scan_csv(data, max_rows)
    try:
        columns = scan.collect_schema().names()
        if not columns:
            raise EngineError("文件是空的，请使用下载的模板填写数据后再导入。")

        # One slice of rows at a time, the next parsed (in a thread: polars lets go of the
        # GIL) while the caller checks this one. Finding a slice's first line is a quick
        # scan. The streaming engine's batches (`collect_batches`) would run ahead without
        # bound and at ten times national scale held the whole file as text (1.7 GB).
        def parse(first: int) -> tuple[int, pl.DataFrame]:
            raw = scan.slice(first, batch_rows).collect()
            return raw.height, _cleaned(raw.lazy(), columns, first).collect()

        with ThreadPoolExecutor(max_workers=1) as pool:
            first, ahead = 0, pool.submit(parse, 0)
            while True:
                height, batch = ahead.result()
                more = height == batch_rows
                if more:
                    ahead = pool.submit(parse, first + batch_rows)
                if batch.height or first == 0:
                    yield batch
                if not more:
                    break
                first += batch_rows
    except pl.exceptions.PolarsError as exc:
        raise _csv_error(exc) from None


def read_sheet(data: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> pl.DataFrame:
    """The first sheet as strings, with `ROW` added and wholly empty rows dropped. A CSV may
    have at most `max_rows` lines (a workbook at most MAX_ROWS rows, checked before
    calamine allocates them)."""
    batches = list(read_sheet_batches(data, filename, max_rows=max_rows))
    return batches[0] if len(batches) == 1 else pl.concat(batches)
