"""From stored data files to the engine's tables.

Several files may cover one county (a city's file and, later, the county's own corrected
file): for each county the newest file that holds it wins. Files are read back through the
engine's readers (they were validated on upload) and the parsed tables are cached per
process, keyed by the file's SHA-256, so a re-check on an item page does not re-read them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from django.core.files.storage import default_storage

from dudao.engine import CountyTable, SchoolTable, read_counties, read_schools
from dudao.evaluation.models import Dataset, Kind

_CACHE: OrderedDict[tuple[str, str, int], SchoolTable | CountyTable] = OrderedDict()
_CACHE_SIZE = 24


def read_dataset(dataset: Dataset) -> SchoolTable | CountyTable:
    key = (dataset.sha256, dataset.kind, dataset.year)
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    with default_storage.open(dataset.stored_name, "rb") as fh:
        data = fh.read()
    table: SchoolTable | CountyTable
    if dataset.kind == Kind.SCHOOLS:
        table = read_schools(data, dataset.original_name, year=dataset.year)
    else:
        table = read_counties(data, dataset.original_name)
    _CACHE[key] = table
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return table


def _newest_first(datasets: Iterable[Dataset]) -> list[Dataset]:
    return sorted(datasets, key=lambda d: (d.created_at, d.pk), reverse=True)


def subset(table: SchoolTable, codes: Iterable[str]) -> SchoolTable:
    keep = pl.col("county").is_in(sorted(set(codes)))
    return table.where(keep)


@dataclass(frozen=True)
class Assembled:
    schools: SchoolTable | None
    counties: CountyTable | None
    used: tuple[int, ...]  # dataset ids


def assemble(
    datasets: Sequence[Dataset],
    codes: Iterable[str],
    year: int,
    *,
    county_years: Iterable[int] | None = None,
) -> Assembled:
    """The school data of `year` and the county data of `county_years` (by default `year`
    and `year - 1`, which the myopia decline needs) for the counties `codes`, newest file
    first per county."""
    wanted = set(codes)
    used: list[int] = []
    school_parts: list[SchoolTable] = []
    missing = set(wanted)
    for ds in _newest_first(d for d in datasets if d.kind == Kind.SCHOOLS and d.year == year):
        take = missing & set(ds.counties)
        if not take:
            continue
        table = read_dataset(ds)
        assert isinstance(table, SchoolTable)
        school_parts.append(subset(table, take))
        missing -= take
        used.append(ds.pk)
    schools = None
    if school_parts:
        schools = SchoolTable.build(
            year,
            pl.concat([p.schools for p in school_parts], how="vertical_relaxed"),
            pl.concat([p.units for p in school_parts], how="vertical_relaxed"),
            pl.concat([p.excluded for p in school_parts], how="vertical_relaxed"),
        )
    years = set(county_years) if county_years is not None else {year - 1, year}
    pending = {(c, y) for c in wanted for y in years}
    frames: list[pl.DataFrame] = []
    county_sets = [d for d in datasets if d.kind == Kind.COUNTIES and set(d.years) & years]
    for ds in _newest_first(county_sets):
        pairs = {(c, y) for c, y in pending if c in ds.counties and y in ds.years}
        if not pairs:
            continue
        county_table = read_dataset(ds)
        assert isinstance(county_table, CountyTable)
        keys = pl.DataFrame(
            {"county": [c for c, _ in pairs], "year": [y for _, y in pairs]},
            schema={"county": pl.String, "year": county_table.frame.schema["year"]},
        )
        frames.append(county_table.frame.join(keys, on=["county", "year"], how="semi"))
        pending -= pairs
        used.append(ds.pk)
    counties = None
    if frames:
        counties = CountyTable(pl.concat(frames, how="vertical_relaxed").sort("county", "year"))
    return Assembled(schools, counties, tuple(used))


def county_year_rows(table: CountyTable | None, code: str) -> dict[int, dict[str, object]]:
    """{year: row} of one county, the shape `check_claims` takes."""
    if table is None:
        return {}
    frame = table.frame.filter(pl.col("county") == code)
    return {int(r["year"]): r for r in frame.to_dicts()}
