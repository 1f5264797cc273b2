"""Validated school and county data, and the readers that build them from files."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from dudao.engine.columns import COUNTY_COLUMNS, LEVEL_FIELDS, SCHOOL_COLUMNS, SCHOOL_TYPES, Column
from dudao.engine.errors import MAX_LISTED_ERRORS, DataError, EngineError
from dudao.engine.sheet import MAX_ROWS, ROW, read_sheet, read_sheet_batches
from dudao.engine.validate import (
    Checker,
    check_column,
    check_membership,
    parsed_numbers,
    resolve_headers,
    say,
    unit_slips,
)

Progress = Callable[[int, int], None]
"""Called as progress(done, total) while a file is read (steps, not rows)."""

LEVEL_CODES = {"primary": 0, "junior": 1}
BATCH_ROWS = 100_000  # rows of a large school file checked at a time
# A file of up to this many rows (national scale is 210,000) is checked in one batch: each
# batch costs a pass of some hundred checks, and the memory of one such batch is small.
ONE_BATCH_ROWS = 300_000


def region_prefix(code: str) -> str:
    """The prefix of county codes inside a region: 230000 -> "23", 230400 -> "2304",
    230422 -> "230422"."""
    if len(code) != 6 or not code.isdigit():
        raise EngineError(f"“{code}”不是6位行政区划代码。")
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@dataclass(frozen=True)
class SchoolTable:
    """One year of school data. `schools` has one row per school (fields of
    SCHOOL_COLUMNS, equipment in 分); `units` one row per school and level (小学/初中),
    sorted by county and level, with shared resources apportioned and quantities in the
    units of the indicators (equipment in 元)."""

    year: int
    schools: pl.DataFrame
    units: pl.DataFrame
    counties: tuple[str, ...]  # sorted; units["county_idx"] indexes this
    excluded: pl.DataFrame = field(default_factory=lambda: _no_exclusions())

    @classmethod
    def build(
        cls,
        year: int,
        schools: pl.DataFrame,
        units: pl.DataFrame,
        excluded: pl.DataFrame | None = None,
    ) -> SchoolTable:
        units = _index(units)
        codes = tuple(units["county"].unique().sort().to_list())
        return cls(year, schools, units, codes, _no_exclusions() if excluded is None else excluded)

    def where(self, keep: pl.Expr) -> SchoolTable:
        """Only the schools (and exclusions) whose row satisfies `keep` (on "county")."""
        return SchoolTable.build(
            self.year,
            self.schools.filter(keep),
            self.units.filter(keep),
            self.excluded.filter(keep),
        )

    def within(self, region_code: str) -> SchoolTable:
        """Only the schools of a province, city or county (by code prefix)."""
        return self.where(pl.col("county").str.starts_with(region_prefix(region_code)))


@dataclass(frozen=True)
class CountyTable:
    """County-level rates for one or more years: fields of COUNTY_COLUMNS. `warnings`
    lists cells that were accepted but look like a slip (a rate of 0.92 where 92 was
    meant), `total_warnings` counts them all."""

    frame: pl.DataFrame
    warnings: tuple[DataError, ...] = ()
    total_warnings: int = 0

    def within(self, region_code: str) -> CountyTable:
        prefix = region_prefix(region_code)
        kept = self.frame.filter(pl.col("county").str.starts_with(prefix))
        return CountyTable(kept, self.warnings, self.total_warnings)

    def merge(self, other: CountyTable) -> CountyTable:
        """Both tables' rows (e.g. one file per year); a county-year in both is refused."""
        both = pl.concat([self.frame, other.frame], how="vertical_relaxed")
        dup = both.filter(pl.struct("county", "year").is_duplicated())
        if dup.height:
            county, year = dup.row(0)[0], dup["year"][0]
            raise EngineError(f"区县“{county}”的{year}年度数据重复出现在多个文件中，请只保留一份。")
        return CountyTable(
            both.sort("county", "year"),
            self.warnings + other.warnings,
            self.total_warnings + other.total_warnings,
        )


def _typed(
    raw: pl.DataFrame,
    columns: Sequence[Column],
    known: set[str] | None,
    allowed: set[str] | None,
    progress: Progress | None,
    what: str,
) -> tuple[pl.DataFrame, Checker, dict[str, Column]]:
    """The typed columns (absent optional ones as nulls), the checker holding the cell
    errors found so far, and the sheet's header -> template column."""
    found, factors, header_errors = resolve_headers(raw, columns)
    if header_errors:
        raise EngineError.from_errors(what, header_errors, len(header_errors))
    if raw.height == 0:
        raise EngineError(f"{what}没有数据行，请在模板的第2行起填写数据。")
    numbers = parsed_numbers(found)
    check = Checker(raw.with_columns(numbers.values()))
    exprs = [pl.col(ROW)]
    steps = len(found) + 2
    for i, (header, col) in enumerate(found.items()):
        parsed = pl.col(numbers[header].meta.output_name()) if header in numbers else None
        exprs.append(check_column(check, header, col, factors[header], parsed))
        if col.kind == "code":
            check_membership(check, header, known, allowed)
        if progress:
            progress(i + 1, steps)
    check.run()
    present = {c.field for c in found.values()}
    for col in columns:
        if col.field not in present:
            dtype = pl.String if col.kind in {"text", "code", "type"} else pl.Float64
            exprs.append(pl.lit(None, dtype=dtype).alias(col.field))
    return check.frame.select(exprs), check, found


def _index(units: pl.DataFrame) -> pl.DataFrame:
    """Sort by level, then county, and number the counties 0..n-1 (for bincount). Level
    first makes each level one block, so thresholds apply to slices, not per school.
    Units already in that order (as `_units` makes them) are not sorted again: a sorted
    copy would hold the units twice."""
    if not _in_order(units):
        units = units.sort("level", "county", ROW)
    return units.with_columns(county_idx=(pl.col("county").rank("dense") - 1).cast(pl.Int64))


def _in_order(units: pl.DataFrame) -> bool:
    """Whether the units are sorted by level, county and row (a null anywhere but in the
    first row's comparison with none before it counts as out of order)."""
    level, county, row = pl.col("level"), pl.col("county"), pl.col(ROW)
    after = (level > level.shift()) | (
        (level == level.shift())
        & ((county > county.shift()) | ((county == county.shift()) & (row > row.shift())))
    )
    first = pl.int_range(pl.len()) == 0
    return bool(units.select((first | after.fill_null(False)).all()).item())


def _check_school_rows(check: Checker, typed: pl.DataFrame, raw_headers: Mapping[str, str]) -> None:
    head = {c.field: c.header for c in SCHOOL_COLUMNS}
    check.frame = check.frame.with_columns(typed.select(pl.all().name.prefix("__t_")))
    tt = pl.col("__t_school_type")
    check.flag(
        tt.is_not_null() & ~tt.is_in(list(SCHOOL_TYPES)),
        head["school_type"],
        say("“{}”应为：" + "、".join(SCHOOL_TYPES) + "之一", raw_headers["school_type"]),
    )
    for col in SCHOOL_COLUMNS:
        if col.level is None:
            continue
        with_level = [k for k, levels in SCHOOL_TYPES.items() if col.level in levels]
        has = tt.is_in(with_level)
        known = tt.is_in(list(SCHOOL_TYPES))
        value = pl.col(f"__t_{col.field}")
        raw = pl.col(raw_headers[col.field]) if col.field in raw_headers else pl.lit(None)
        check.flag(has & raw.is_null(), col.header, say("学校类型为{}，此列必填", tt))
        check.flag(known & ~has & (value > 0), col.header, say("学校类型为{}，此列应为空或0", tt))
    for level in ("primary", "junior"):
        over, classes = pl.col(f"__t_{level}_over_classes"), pl.col(f"__t_{level}_classes")
        check.flag(over > classes, head[f"{level}_over_classes"], "超标班级数不能大于班级数")
    check.run()


# 教督〔2017〕6号 leaves 教学点 with fewer than 50 pupils out of the 优质均衡 evaluation
# (STANDARDS.md §2.1, "Scope"); a larger 教学点 is evaluated as a 小学.
SMALL_TEACHING_POINT = 50
EXCLUDED_SCHEMA = {
    "school_id": pl.String,
    "school_name": pl.String,
    "county": pl.String,
    "school_type": pl.String,
    "students": pl.Int64,
    "reason": pl.String,
}


def _no_exclusions() -> pl.DataFrame:
    return pl.DataFrame(schema=EXCLUDED_SCHEMA)


def _small_teaching_point() -> pl.Expr:
    return (pl.col("school_type") == "教学点") & (
        pl.col("primary_students").fill_null(0) < SMALL_TEACHING_POINT
    )


def _exclusions(schools: pl.DataFrame) -> pl.DataFrame:
    students = pl.col("primary_students").fill_null(0)
    return schools.filter(_small_teaching_point()).select(
        "school_id",
        "school_name",
        "county",
        "school_type",
        students.cast(pl.Int64).alias("students"),
        pl.concat_str(
            pl.lit("教学点在校生"),
            students.cast(pl.String),
            pl.lit(f"人，不足{SMALL_TEACHING_POINT}人，按优质均衡评估办法不纳入评估"),
        ).alias("reason"),
    )


def _units(schools: pl.DataFrame) -> pl.DataFrame:
    """Split schools into 小学 and 初中 parts, each sorted by county and row (the order of
    `_index`, one part at a time); shared resources go by student share."""
    total = (
        pl.col("primary_students").fill_null(0)
        + pl.col("junior_students").fill_null(0)
        + pl.col("senior_students").fill_null(0)
    )
    parts = []
    kept = schools.lazy().filter(~_small_teaching_point())  # lazy: no copy of the schools
    for level in ("primary", "junior"):
        with_level = [k for k, levels in SCHOOL_TYPES.items() if level in levels]
        students = pl.col(f"{level}_students").fill_null(0)
        share = pl.when(total > 0).then(students / total).otherwise(0.0)
        parts.append(
            kept.filter(pl.col("school_type").is_in(with_level))
            .select(
                ROW,
                "school_id",
                "school_name",
                "county",
                "school_type",
                pl.lit(LEVEL_CODES[level], dtype=pl.Int8).alias("level"),
                *(
                    pl.col(f"{level}_{name}").fill_null(0).cast(pl.Float64).alias(name)
                    for name in LEVEL_FIELDS
                ),
                (pl.col("teaching_area") * share).alias("teaching_area"),
                (pl.col("sports_area") * share).alias("sports_area"),
                (pl.col("equipment_yuan").cast(pl.Float64) / 100 * share).alias("equipment_value"),
                (pl.col("multimedia_rooms").cast(pl.Float64) * share).alias("multimedia_rooms"),
            )
            .sort("county", ROW)
            .collect()
        )
    return pl.concat(parts, rechunk=False)


def read_schools(
    data: bytes,
    filename: str,
    *,
    year: int,
    allowed_counties: set[str] | None = None,
    known_counties: set[str] | None = None,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
) -> SchoolTable:
    """Read and validate a school-data file (.xlsx or .csv from `write_template("schools")`).
    Raises EngineError listing every bad cell unless the whole file is clean. A CSV may have
    at most `max_rows` lines (the command line allows more than an upload).

    A large file is checked a batch of rows at a time and only the typed columns are kept,
    so memory follows the numbers, not the text of the file; the one check across rows (a
    school id given twice) runs on the typed ids at the end."""
    lines = data.count(b"\n")
    batch_rows = lines + 1 if lines < ONE_BATCH_ROWS else BATCH_ROWS
    batches = lines // batch_rows + 1
    parts: list[pl.DataFrame] = []
    ids: list[pl.DataFrame] = []
    errors: list[DataError] = []
    total = 0
    batched = read_sheet_batches(data, filename, max_rows=max_rows, batch_rows=batch_rows)
    del data  # the batches hold the file until they are read: its memory goes with them
    steps = len(SCHOOL_COLUMNS) + 2
    batch = [0]

    def step(done: int, of: int) -> None:
        if progress:  # column `done` of `of` in batch batch[0] of `batches`
            progress(batch[0] * steps + done * steps // of, batches * steps + 1)

    for batch[0], raw in enumerate(batched):
        typed, check, found = _typed(
            raw, SCHOOL_COLUMNS, known_counties, allowed_counties, step, "学校数据"
        )
        _check_school_rows(check, typed, {c.field: h for h, c in found.items()})
        errors += check.errors[: MAX_LISTED_ERRORS - len(errors)]
        total += check.total
        ids.append(typed.select(ROW, "school_id"))
        if not total:
            parts.append(typed)
        del raw, check
    head = {c.field: c.header for c in SCHOOL_COLUMNS}
    # A school id given twice, across all batches (the first occurrence is kept).
    check = Checker(pl.concat(ids))
    del ids
    sid = pl.col("school_id")
    check.frame = check.frame.with_columns(__first=pl.col(ROW).min().over(sid))
    first = pl.col("__first")
    check.flag(
        sid.is_not_null() & (pl.col(ROW) != first),
        head["school_id"],
        say("学校标识码“{}”与第{}行重复", sid, first),
    )
    check.run()
    errors += check.errors[: MAX_LISTED_ERRORS - len(errors)]
    total += check.total
    del check  # its frame of ids is not needed for the units
    if total:
        order = [c.header for c in SCHOOL_COLUMNS]
        rank = {h: i for i, h in enumerate(order)}
        errors.sort(key=lambda e: (e.row, rank.get(e.column, -1)))
        raise EngineError.from_errors("学校数据", errors, total)
    typed = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    del parts
    table = SchoolTable.build(year, typed, _units(typed), _exclusions(typed))
    if progress:
        progress(batches * steps + 1, batches * steps + 1)
    return table


def read_counties(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    allowed_counties: set[str] | None = None,
    known_counties: set[str] | None = None,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
) -> CountyTable:
    """Read and validate a county-data file (one row per county and year; several years
    allowed). With `year`, the file must contain rows for that year. Empty rate cells are
    allowed: the indicator is then reported as not evaluable for that county. A CSV may have
    at most `max_rows` lines; beyond an upload's MAX_ROWS (the command line's own files) it
    is read in this process, not in the reading child."""
    raw = read_sheet(data, filename, max_rows=max_rows)
    typed, check, found = _typed(
        raw, COUNTY_COLUMNS, known_counties, allowed_counties, progress, "区县数据"
    )
    head = {c.field: c.header for c in COUNTY_COLUMNS}
    key = pl.concat_str(pl.col("__t_county"), pl.col("__t_year").cast(pl.String), separator="/")
    check.frame = check.frame.with_columns(typed.select(pl.all().name.prefix("__t_")))
    check.frame = check.frame.with_columns(__first=pl.col(ROW).min().over(key))
    first = pl.col("__first")
    check.flag(
        key.is_not_null() & (pl.col(ROW) != first),
        head["county"],
        say("区县“{}”的{}年度数据与第{}行重复", pl.col("__t_county"), pl.col("__t_year"), first),
    )
    check.run()
    if year is not None and check.total == 0 and typed.filter(pl.col("year") == year).height == 0:
        check.total += 1
        check.errors.append(DataError(0, head["year"], f"文件中没有{year}年度的数据"))
    if check.total:
        order = [c.header for c in COUNTY_COLUMNS]
        raise EngineError.from_errors("区县数据", check.sorted_errors(order), check.total)
    steps = len(COUNTY_COLUMNS) + 2
    if progress:
        progress(steps, steps)
    slips = Checker(raw)
    unit_slips(slips, found)
    slips.run()
    order = [c.header for c in COUNTY_COLUMNS]
    warnings = tuple(slips.sorted_errors(order))
    return CountyTable(typed.drop(ROW).sort("county", "year"), warnings, slips.total)
