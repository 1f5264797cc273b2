"""Turn an uploaded .csv/.xlsx/.xls file into a frame of strings with row numbers.

Every cell stays a string here so that validation can quote exactly what the clerk typed.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
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
# The command line reads the operator's own files, so a CSV may be as large as ten times
# the whole country (2.1 million schools); an upload stays within MAX_ROWS.
CLI_MAX_ROWS = 3_000_001


def _decode_csv(data: bytes) -> bytes:
    # Excel on Chinese Windows saves "CSV" as GBK; polars wants UTF-8.
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise EngineError(
                "无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 .xlsx 文件。"
            ) from None
    return data


def _scan_csv(data: bytes, max_rows: int) -> pl.LazyFrame:
    lines = data.count(b"\n")
    if lines > max_rows:
        raise EngineError(
            f"文件有{lines}行，超过系统一次导入的上限（{max_rows}行）。请按地区分成几个文件上传。"
        )
    first = data[: data.find(b"\n")] if lines else data[:1_000_000]
    if first.count(b",") >= MAX_COLUMNS:
        raise EngineError(
            f"文件的表头超过{MAX_COLUMNS}列，超过系统可读取的上限。请使用下载的模板填写。"
        )
    return pl.scan_csv(
        _decode_csv(data),
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


def _cleaned(frame: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """Characters a .docx/.xlsx cannot hold (see dudao.lib.chars) removed, cells stripped
    (empty ones null), `ROW` added and wholly empty rows dropped."""
    invalid = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
    frame = frame.with_columns(
        pl.col(pl.String).str.replace_all(invalid, "").str.strip_chars().replace("", None)
    )
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return frame.filter(~pl.all_horizontal(pl.col(columns).is_null()))


def read_sheet_batches(
    data: bytes, filename: str, *, max_rows: int = MAX_ROWS, batch_rows: int = 100_000
) -> Iterator[pl.DataFrame]:
    """The first sheet as strings (as `read_sheet`), a batch of rows at a time: a CSV is
    never held as text in full, which at ten times national scale would take gigabytes. A
    workbook comes as one batch. The first batch may be empty (a file without data rows),
    but it always carries the header."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        frame = _read_excel(data)
        if frame.width == 0:
            raise EngineError("文件是空的，请使用下载的模板填写数据后再导入。")
        yield _cleaned(frame.lazy(), frame.columns).collect()
        return
    if suffix not in {".csv", ".txt"}:
        raise EngineError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件。")
    scan = _scan_csv(data, max_rows)
    try:
        columns = scan.collect_schema().names()
        if not columns:
            raise EngineError("文件是空的，请使用下载的模板填写数据后再导入。")
        batches = _cleaned(scan, columns).collect_batches(chunk_size=batch_rows)
        first = True
        for batch in batches:
            if batch.height or first:
                yield batch
            first = False
        if first:  # no rows at all: the header alone
            yield _cleaned(scan, columns).collect()
    except pl.exceptions.PolarsError as exc:
        raise _csv_error(exc) from None


def read_sheet(data: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> pl.DataFrame:
    """The first sheet as strings, with `ROW` added and wholly empty rows dropped. A CSV may
    have at most `max_rows` lines (a workbook at most MAX_ROWS rows, checked before
    calamine allocates them)."""
    batches = list(read_sheet_batches(data, filename, max_rows=max_rows))
    return batches[0] if len(batches) == 1 else pl.concat(batches)
