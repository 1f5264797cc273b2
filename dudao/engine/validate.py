"""Check every cell of an imported sheet and type the columns (vectorised with polars).

Each check turns a polars mask into DataErrors with the row number and a Chinese message
that quotes the offending cell, so the clerk can find and fix it in the original file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from dudao.engine.columns import MONEY_UNITS, Column, normalise_header
from dudao.engine.errors import MAX_LISTED_ERRORS, DataError
from dudao.engine.sheet import ROW

# First two digits of GB/T 2260 codes of the 34 provincial-level units.
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
# Largest believable cell per kind: a school does not have a million pupils or teachers, nor
# a billion square metres; anything above is a unit or typing slip, refused rather than
# letting one cell dominate (or overflow) a county's sums.
LIMITS: dict[str, float] = {
    "int": 1_000_000,
    "number": 1_000_000_000,
    "year": 1_000_000_000,
    "rate": 1_000_000,
    "gross_rate": 1_000_000,
}
CHUNK_ROWS = 100_000
_DUPLICATE = re.compile(r"^(?P<base>.+)_duplicated_\d+$")
_NUMBER = r"^[+]?(\d+(\.\d*)?|\.\d+)$"


Message = tuple[str, tuple[pl.Expr, ...]]
"""A message template with `{}` slots and the expressions that fill them."""


def say(template: str, *args: pl.Expr | str) -> Message:
    """A message whose `{}` are filled from the row's cells (a str names a column)."""
    return template, tuple(pl.col(a) if isinstance(a, str) else a for a in args)


@dataclass
class Checker:
    """Collects checks (a mask, a column, a message) and runs them in one pass over the
    frame; keeps the first MAX_LISTED_ERRORS errors and counts all of them.

    Messages are filled in Python from the selected cells, not with `pl.format`: polars'
    string kernels on a filtered, truncated view panicked (`assertion failed: i <
    self.len()`) on a 100k-row file with many bad codes."""

    frame: pl.DataFrame
    errors: list[DataError] = field(default_factory=list)
    total: int = 0
    pending: list[tuple[pl.Expr, str, Message]] = field(default_factory=list)

    def flag(self, mask: pl.Expr, header: str, message: Message | str) -> None:
        msg = (message, ()) if isinstance(message, str) else message
        self.pending.append((mask.fill_null(False), header, msg))

    def run(self) -> None:
        """Evaluate every pending mask at once (polars runs them in parallel); only the
        masks that caught something are filtered again to build their messages."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        # A slice of rows at a time: the checks' intermediate columns (parsed numbers,
        # cleaned text) then take the memory of a slice, not of the whole file.
        for offset in range(0, max(self.frame.height, 1), CHUNK_ROWS):
            self._run(self.frame.slice(offset, CHUNK_ROWS), pending)

    def _run(self, frame: pl.DataFrame, pending: list[tuple[pl.Expr, str, Message]]) -> None:
        counts = frame.select([m.sum().alias(f"m{i}") for i, (m, _, _) in enumerate(pending)]).row(
            0
        )
        for (mask, header, (template, args)), count in zip(pending, counts, strict=True):
            if not count:
                continue
            self.total += count
            room = MAX_LISTED_ERRORS - len(self.errors)
            if room > 0:
                cells = [a.alias(f"__a{i}") for i, a in enumerate(args)]
                bad = frame.filter(mask).head(room).select(pl.col(ROW), *cells)
                for row, *values in bad.iter_rows():
                    text = template.format(*("" if v is None else _cell(v) for v in values))
                    self.errors.append(DataError(row, header, text))

    def sorted_errors(self, order: Sequence[str]) -> list[DataError]:
        rank = {h: i for i, h in enumerate(order)}
        return sorted(self.errors, key=lambda e: (e.row, rank.get(e.column, -1)))


def _cell(value: object) -> str:
    """A cell as the clerk typed it; long cells are cut so one message stays one line."""
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text if len(text) <= 40 else text[:40] + "…"


def resolve_headers(
    frame: pl.DataFrame, columns: Sequence[Column]
) -> tuple[dict[str, Column], dict[str, int], list[DataError]]:
    """Map the sheet's headers to template columns. Returns header -> column, the money
    factor per header (元 per unit), and header errors (row 1)."""
    by_name: dict[str, tuple[Column, int]] = {}
    for col in columns:
        if col.kind == "money":
            base = col.header.split("（")[0]
            for unit, factor in MONEY_UNITS.items():
                by_name[normalise_header(base + unit)] = (col, factor)
        else:
            by_name[normalise_header(col.header)] = (col, 1)
            if "（" in col.header:  # the unit suffix may be left off: 体育运动场馆面积
                by_name.setdefault(normalise_header(col.header.split("（")[0]), (col, 1))
    found: dict[str, Column] = {}
    factors: dict[str, int] = {}
    seen: dict[str, str] = {}
    errors: list[DataError] = []
    for header in frame.columns:
        if header == ROW:
            continue
        dup = _DUPLICATE.match(header)
        key = normalise_header(dup.group("base") if dup else header)
        if key not in by_name:
            if normalise_header(header).startswith("教学仪器设备资产值"):
                errors.append(DataError(1, header, "请在列名中注明金额单位：（万元）或（元）"))
            else:
                errors.append(
                    DataError(1, header, "不是模板中的列，请使用下载的模板，不要增改列名")
                )
            continue
        col, factor = by_name[key]
        if dup or col.field in seen:
            errors.append(DataError(1, col.header, "列名重复，请删除多余的一列"))
            continue
        seen[col.field] = header
        found[header] = col
        factors[header] = factor
    for col in columns:
        if col.required and col.field not in seen:
            errors.append(DataError(1, col.header, "缺少此列，请使用下载的模板"))
    return found, factors, errors


def _number(header: str) -> pl.Expr:
    return pl.col(header).str.replace_all(",", "").cast(pl.Float64, strict=False)


NUMBER_KINDS = frozenset(LIMITS)


def parsed_numbers(found: dict[str, Column]) -> dict[str, pl.Expr]:
    """Per numeric column (header -> column of `found`), its cells parsed as numbers, named
    so that `check_column` can take them from the frame: parsed once, not once per check
    (an eager polars select does not share common subexpressions)."""
    return {
        header: _number(header).alias(f"__number_{i}")
        for i, (header, col) in enumerate(found.items())
        if col.kind in NUMBER_KINDS
    }


def check_column(
    check: Checker, header: str, col: Column, factor: int, parsed: pl.Expr | None = None
) -> pl.Expr:
    """Flag bad cells of one column; return the expression giving its typed values.
    `parsed` is the column's numbers, if already parsed (`parsed_numbers`)."""
    c = pl.col(header)
    present = c.is_not_null()
    shown = col.header
    if col.required and col.level is None:
        check.flag(~present, shown, "必填，不能为空")
    if col.kind == "text":
        return c.alias(col.field)
    if col.kind == "code":
        check.flag(
            present & ~c.str.contains(r"^\d{6}$"),
            shown,
            say("“{}”不是6位县级行政区划代码", c),
        )
        ok = present & c.str.contains(r"^\d{6}$")
        check.flag(
            ok & ~c.str.slice(0, 2).is_in(list(PROVINCE_PREFIXES)),
            shown,
            say("“{}”的前两位不是省级行政区划代码", c),
        )
        check.flag(ok & c.str.ends_with("00"), shown, say("“{}”是省或市的代码，请填写区县代码", c))
        return c.alias(col.field)
    if col.kind in {"text", "type"}:
        return c.alias(col.field)
    if col.kind == "money":
        return _money(check, header, col, factor)
    if parsed is None:
        parsed = _number(header)
    # "nan", "inf" and "1e400" parse as floats: refused, so no NaN reaches a sum or the JSON
    finite = parsed.is_finite()
    check.flag(present & parsed.is_null(), shown, say("“{}”不是数字", c))
    check.flag(~finite, shown, say("“{}”不是有效数值（不能为非数字或无穷大）", c))
    value = pl.when(finite).then(parsed)
    limit = LIMITS[col.kind]
    check.flag(
        value > limit, shown, say("“{}”数值过大（超过" + f"{limit:,.0f}" + "），请核对单位", c)
    )
    check.flag(value < 0, shown, say("“{}”不能为负数", c))
    if col.kind in {"int", "year"}:
        check.flag((value >= 0) & (value != value.floor()), shown, say("“{}”应为整数", c))
    if col.kind == "year":
        check.flag((value < 2000) | (value > 2100), shown, say("“{}”不是有效年度（如 2023）", c))
    if col.kind == "rate":
        check.flag(value > 100, shown, say("{}超过100%，请填写百分数（如 92.5）", c))
    if col.kind == "gross_rate":
        check.flag(value > 150, shown, say("{}超过150%，请核实（填写百分数，如 92.5）", c))
    ok = (value >= 0) & (value <= limit)
    if col.kind in {"int", "year"}:
        ok &= value == value.floor()
    typed = pl.when(ok).then(value)
    if col.kind in {"int", "year"}:
        return typed.cast(pl.Int64).alias(col.field)
    return typed.alias(col.field)


def _money(check: Checker, header: str, col: Column, factor: int) -> pl.Expr:
    """Money to integer 分 by exact decimal arithmetic on the digits (no float rounding):
    123.4567 万元 -> 123456700 分; a digit beyond the 分 rounds half up."""
    c = pl.col(header).str.replace_all(",", "")
    digits = len(str(factor * 100)) - 1  # decimal places of the unit that are whole 分
    check.flag(
        c.is_not_null() & c.str.starts_with("-"),
        col.header,
        say("“{}”不能为负数", pl.col(header)),
    )
    ok = c.str.contains(_NUMBER)
    check.flag(
        c.is_not_null() & ~c.str.starts_with("-") & ~ok,
        col.header,
        say("“{}”不是数字", pl.col(header)),
    )
    parts = c.str.strip_chars_start("+").str.split_exact(".", 1)
    whole = parts.struct.field("field_0").replace("", "0")
    frac = parts.struct.field("field_1").fill_null("").str.pad_end(digits + 1, "0")
    too_big = ok & (whole.str.len_chars() > 12)
    check.flag(too_big, col.header, say("“{}”数值过大，请核对单位", pl.col(header)))
    fen = (
        whole.cast(pl.Int64, strict=False) * (10**digits)
        + frac.str.slice(0, digits).replace("", "0").cast(pl.Int64, strict=False)
        + (frac.str.slice(digits, 1).cast(pl.Int64, strict=False) >= 5).cast(pl.Int64)
    )
    return pl.when(ok & ~too_big).then(fen).alias(col.field)


def check_membership(
    check: Checker,
    header: str,
    known: set[str] | None,
    allowed: set[str] | None,
) -> None:
    c = pl.col(header)
    well_formed = c.is_not_null() & c.str.contains(r"^\d{6}$") & ~c.str.ends_with("00")
    if known is not None:
        check.flag(
            well_formed & ~c.is_in(sorted(known)),
            header,
            say("区县代码“{}”不在行政区划中，请核对", c),
        )
    if allowed is not None:
        in_known = c.is_in(sorted(known)) if known is not None else pl.lit(True)
        check.flag(
            well_formed & in_known & ~c.is_in(sorted(allowed)),
            header,
            say("区县代码“{}”不在您的管辖范围内，不能导入", c),
        )


def unit_slips(check: Checker, found: dict[str, Column]) -> None:
    """Warn (not refuse) where a percentage column holds a fraction: 0.92 for 92 %."""
    for header, col in found.items():
        if col.kind in {"rate", "gross_rate"}:
            value = _number(header)
            check.flag(
                (value > 0) & (value <= 1),
                col.header,
                say("“{}”像是小数形式的比率，本列应填写百分数（如 92 表示 92%），请核实", header),
            )
