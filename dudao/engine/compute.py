"""The numeric core over schools: weighted sums, CVs and per-school rules, for every
county and level at once with numpy segment sums (no per-school Python loop).

Groups are numbered level * n_counties + county_idx (level 0 = 小学, 1 = 初中); the units
frame is sorted by that number, so each group's schools are one contiguous slice and each
level one block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from dudao.engine.cv import BoolArray, FloatArray, IntArray, Weights, indicator_cv
from dudao.engine.indicators import SCHOOL_LEVELS, framework

# indicator key -> quantity column of the units frame
RESOURCE_QUANTITIES: dict[str, str] = {
    "qualified_teachers_per_100": "qualified_teachers",
    "key_teachers_per_100": "key_teachers",
    "pe_arts_teachers_per_100": "pe_arts_teachers",
    "teaching_area_per_student": "teaching_area",
    "sports_area_per_student": "sports_area",
    "equipment_value_per_student": "equipment_value",
    "multimedia_rooms_per_100": "multimedia_rooms",
}
TOLERANCE = 1e-9
WINDOW = 1000  # groups whose schools' names are fetched at once


@dataclass(frozen=True)
class ResourceArrays:
    value: FloatArray  # per group: Σ quantity / Σ students × scale
    cv: FloatArray  # per group
    x: FloatArray  # per school: its own value ÷ scale (0 without students)
    scale: float
    below: BoolArray  # per school: below the threshold
    # below, and failing the 6-of-7 rule (a problem) / meeting it (within the allowance)
    failing: BoolArray
    allowed: BoolArray

    @cached_property
    def cvs(self) -> list[float]:
        """`cv` as Python floats, for reading one group at a time."""
        cvs: list[float] = self.cv.tolist()
        return cvs


@dataclass(frozen=True)
class Ranked:
    """The worst few schools of every group: group g's are entries starts[g]:starts[g + 1]
    of `rows` (school rows) and `values`. Their ids and names are fetched as Python strings
    a window of groups at a time (`schools`), so that the whole country's never are."""

    arrays: SchoolArrays
    starts: list[int]
    rows: IntArray
    values: list[float]
    windows: dict[int, tuple[int, list[str], list[str]]] = field(default_factory=dict)

    @cached_property
    def start_array(self) -> IntArray:
        """`starts` as an array."""
        return np.asarray(self.starts, dtype=np.int64)

    def schools(self, g: int) -> tuple[list[str], list[str], list[float]]:
        """The ids, names and values of group g's schools, worst first."""
        w = g // WINDOW
        window = self.windows.get(w)
        if window is None:
            if len(self.windows) >= 4:  # a writer moves on: keep only the last few windows
                self.windows.pop(next(iter(self.windows)))
            first = self.starts[w * WINDOW]
            last = self.starts[min((w + 1) * WINDOW, len(self.starts) - 1)]
            window = self.windows[w] = (first, *self.arrays.schools_at(self.rows[first:last]))
        offset, ids, names = window
        start, end = self.starts[g], self.starts[g + 1]
        return (
            ids[start - offset : end - offset],
            names[start - offset : end - offset],
            self.values[start:end],
        )


@dataclass(frozen=True)
class SchoolArrays:
    county_codes: tuple[str, ...]
    offsets: IntArray  # group g's schools are units[offsets[g]:offsets[g + 1]]
    units: pl.DataFrame
    students: FloatArray  # per group
    schools: IntArray  # per group
    with_students: IntArray  # per group
    resources: Mapping[str, ResourceArrays]
    rule_met: npt.NDArray[np.int8]  # per school: how many of the 7 indicators it meets
    rule_ok_count: IntArray  # per group
    classes: FloatArray  # per group
    over_classes: FloatArray  # per group
    rule_failed: BoolArray  # per school: has students and fails the 6-of-7 rule
    unit_over: FloatArray  # per school: classes over the size limit
    has_over: BoolArray  # per school: at least one class over the limit
    has: BoolArray  # per school: has students of its level

    def schools_at(self, rows: IntArray) -> tuple[list[str], list[str]]:
        """The ids and names of the schools at `rows` (Python strings only for those: the
        whole country's would cost hundreds of MB at 10x national scale)."""
        return self._column_at("school_id", rows), self.names_at(rows)

    def names_at(self, rows: IntArray) -> list[str]:
        """The names of the schools at `rows`."""
        return self._column_at("school_name", rows)

    def _column_at(self, column: str, rows: IntArray) -> list[str]:
        values: list[str] = self.units[column].gather(pl.Series(rows, dtype=pl.Int64)).to_list()
        return values

    @cached_property
    def group_of(self) -> IntArray:
        """Per school, its group number."""
        return np.repeat(np.arange(len(self.schools), dtype=np.int64), self.schools)

    @cached_property
    def rankings(self) -> dict[tuple[int, int, int, bool], Ranked]:
        """Filled by `ranked`."""
        return {}

    def ranked(
        self, mask: BoolArray, values: npt.NDArray[Any], limit: int, highest_first: bool
    ) -> Ranked:
        """For every group at once, the `limit` worst schools under `mask` (lowest value, or
        highest with `highest_first`; ties in file order), computed on first use."""
        key = (id(mask), id(values), limit, highest_first)
        found = self.rankings.get(key)
        if found is not None:
            return found
        picked = np.flatnonzero(mask)
        groups = self.group_of[picked]
        picked_values = values[picked]
        order = np.lexsort((-picked_values if highest_first else picked_values, groups))
        counts = np.bincount(groups, minlength=len(self.schools))
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        sorted_groups = groups[order]
        keep = np.arange(order.size) - first[sorted_groups] < limit
        rows = picked[order[keep]]
        starts = np.concatenate(([0], np.cumsum(np.minimum(counts, limit))))
        ranked = Ranked(self, starts.tolist(), rows, values[rows].tolist())
        self.rankings[key] = ranked
        return ranked

    @cached_property
    def flagged(self) -> dict[int, list[int]]:
        """Per group, how many schools each per-school mask flags, keyed by the mask's id
        (filled by `flagged_in`; Python ints, read one group at a time)."""
        return {}

    @cached_property
    def flag_counts(self) -> dict[int, IntArray]:
        """Filled by `counts`."""
        return {}

    def counts(self, mask: BoolArray) -> IntArray:
        """Per group, how many schools the mask flags (computed on first use)."""
        counts = self.flag_counts.get(id(mask))
        if counts is None:
            counts = self.flag_counts[id(mask)] = _per_group(mask, self.offsets)
        return counts

    def flagged_in(self, mask: BoolArray, g: int) -> int:
        """How many schools of group g the mask flags (counted for every group at once on
        first use, so building one county at a time does not scan its slice again)."""
        counts = self.flagged.get(id(mask))
        if counts is None:
            counts = self.flagged[id(mask)] = self.counts(mask).tolist()
        return counts[g]

    def group(self, code: str, level: int) -> int | None:
        """The group number of a county and level (0 = 小学, 1 = 初中), if it has schools."""
        idx = self.index_of(code)
        return None if idx is None else level * len(self.county_codes) + idx

    def index_of(self, code: str) -> int | None:
        lo, hi = 0, len(self.county_codes)
        while lo < hi:  # county_codes is sorted: binary search beats building a dict
            mid = (lo + hi) // 2
            if self.county_codes[mid] < code:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self.county_codes) and self.county_codes[lo] == code else None


def _low(value: float, scale: float) -> float:
    """The lowest unscaled value that still meets `value` (comparing unscaled values saves
    multiplying every school's value by the scale)."""
    return (value - TOLERANCE * max(1.0, abs(value))) / scale


def _at_least(x: FloatArray, split: int, t0: float, t1: float, scale: float) -> BoolArray:
    out = np.empty(len(x), dtype=np.bool_)
    np.greater_equal(x[:split], _low(t0, scale), out=out[:split])
    np.greater_equal(x[split:], _low(t1, scale), out=out[split:])
    return out


def _per_group(mask: BoolArray, offsets: IntArray) -> IntArray:
    # groups are contiguous: a cumulative sum counts them without a weighted bincount
    total = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return np.asarray(total[offsets[1:]] - total[offsets[:-1]], dtype=np.int64)


def compute_schools(
    units: pl.DataFrame, county_codes: tuple[str, ...], thresholds: Mapping[str, float]
) -> SchoolArrays:
    fw = framework()
    n_counties = len(county_codes)
    n_groups = 2 * n_counties
    level = units["level"].to_numpy()
    split = int(np.searchsorted(level, 1))  # first 初中 row
    group = units["county_idx"].to_numpy() + np.where(level == 1, n_counties, 0)
    w = Weights.of(group, n_groups, units["students"].to_numpy())
    has = w.has
    everyone = bool(has.all())
    count = w.count
    offsets = np.concatenate(([0], np.cumsum(count))).astype(np.int64)
    floor_ratio = thresholds["school_rule.floor_ratio"]
    met = np.zeros(len(group), dtype=np.int8)
    floor_ok = has.copy()
    resources: dict[str, ResourceArrays] = {}
    parts: dict[str, tuple[FloatArray, FloatArray, FloatArray, float, BoolArray]] = {}
    for key, column in RESOURCE_QUANTITIES.items():
        ind = fw.get(key)
        t0, t1 = (thresholds[ind.threshold_key(lv)] for lv in SCHOOL_LEVELS)
        xbar, cv, x = indicator_cv(w, units[column].to_numpy())
        meets = _at_least(x, split, t0, t1, ind.scale)
        below = ~meets if everyone else has & ~meets
        met += meets
        floor_ok &= _at_least(x, split, floor_ratio * t0, floor_ratio * t1, ind.scale)
        parts[key] = (xbar * ind.scale, cv, x, ind.scale, below)
    rule_ok = has & (met >= thresholds["school_rule.min_met"]) & floor_ok
    for key, (value, cv, x, scale, below) in parts.items():
        resources[key] = ResourceArrays(
            value=value,
            cv=cv,
            x=x,
            scale=scale,
            below=below,
            failing=below & ~rule_ok,
            allowed=below & rule_ok,
        )
    over = units["over_classes"].to_numpy()
    return SchoolArrays(
        county_codes=county_codes,
        offsets=offsets,
        units=units.select("school_id", "school_name"),
        students=w.total,
        schools=count.astype(np.int64),
        with_students=_per_group(has, offsets),
        resources=resources,
        rule_met=met,
        rule_ok_count=_per_group(rule_ok, offsets),
        classes=w.sum(units["classes"].to_numpy()),
        over_classes=w.sum(over),
        rule_failed=has & ~rule_ok,
        unit_over=over,
        has_over=over > 0,
        has=has,
    )
