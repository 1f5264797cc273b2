"""Turn an uploaded .csv/.xlsx/.xls file into a frame of strings with row numbers.

Every cell stays a string here so that validation can quote exactly what the clerk typed.
"""

from __future__ import annotations

import datetime
import io
from pathlib import PurePath

import polars as pl
import python_calamine

from dudao.engine.errors import EngineError

ROW = "__row"  # spreadsheet row number of each data row (the header is row 1)
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


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


def _read_csv(data: bytes) -> pl.DataFrame:
    try:
        return pl.read_csv(
            _decode_csv(data),
            infer_schema=False,
            raise_if_empty=False,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise EngineError(
            f"无法读取CSV文件（{exc.__class__.__name__}），请检查文件是否为逗号分隔、每行列数是否一致。"
        ) from None


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
    return str(value).strip() or None


def _read_excel(data: bytes) -> pl.DataFrame:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise EngineError(
            f"无法读取Excel文件（{exc.__class__.__name__}），请确认文件未损坏且未加密。"
        ) from None
    if not rows:
        return pl.DataFrame()
    header = [("" if h is None else str(h)).strip() for h in rows[0]]
    width = len(header)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in rows[1:]:
        for i in range(width):
            columns[i].append(_cell(row[i]) if i < len(row) else None)
    names: list[str] = []
    for i, h in enumerate(header):
        name = h or f"（第{i + 1}列无列名）"
        # Same convention as polars' CSV reader, so duplicates are reported the same way.
        names.append(f"{name}_duplicated_{i}" if name in names else name)
    return pl.DataFrame(
        {n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, columns, strict=True)}
    )


def read_sheet(data: bytes, filename: str) -> pl.DataFrame:
    """The first sheet as strings, with `ROW` added and wholly empty rows dropped."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        frame = _read_excel(data)
    elif suffix in {".csv", ".txt"}:
        frame = _read_csv(data)
    else:
        raise EngineError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件。")
    if frame.width == 0:
        raise EngineError("文件是空的，请使用下载的模板填写数据后再导入。")
    frame = frame.with_columns(pl.col(pl.String).str.strip_chars().replace("", None))
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    data_cols = [c for c in frame.columns if c != ROW]
    return frame.filter(~pl.all_horizontal(pl.col(data_cols).is_null()))
