"""Student-weighted coefficient of variation (校际差异系数), STANDARDS.md §2.2.

The county value X̄ is Σ quantity / Σ students, *not* the mean of the schools' values:

>>> round(weighted_cv([45, 37, 89, 76, 55], [279, 137, 935, 160, 402]), 4)
0.5153
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Weights:
    """What every indicator of one table shares: groups, students and their sums,
    computed once. Schools must be sorted by group, so that each group is one contiguous
    segment: segment sums (np.add.reduceat) and broadcasting back (np.repeat) are several
    times faster than a weighted bincount and a gather."""

    n_groups: int
    count: IntArray  # schools per group
    starts: IntArray  # first school of each non-empty group
    nonempty: BoolArray
    students: FloatArray
    has: BoolArray  # school has students
    inverse: FloatArray  # 1 / students, 0 for schools without students
    total: FloatArray  # students per group

    @classmethod
    def of(cls, group: IntArray, n_groups: int, students: FloatArray) -> Weights:
        count = np.bincount(group, minlength=n_groups).astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
        nonempty = count > 0
        has = students > 0
        with np.errstate(divide="ignore"):
            inverse = np.where(has, 1.0 / students, 0.0)
        starts = starts[nonempty]
        total = _segment_sums(students, starts, nonempty)
        return cls(n_groups, count, starts, nonempty, students, has, inverse, total)

    def sum(self, values: FloatArray) -> FloatArray:
        """Σ values per group (0 for empty groups)."""
        return _segment_sums(values, self.starts, self.nonempty)

    def spread(self, per_group: FloatArray) -> FloatArray:
        """Each group's value repeated for each of its schools."""
        return np.repeat(per_group, self.count)


def _segment_sums(values: FloatArray, starts: IntArray, nonempty: BoolArray) -> FloatArray:
    out = np.zeros(len(nonempty), dtype=np.float64)
    if starts.size:  # reduceat over non-empty segments only: an empty one would repeat a value
        out[nonempty] = np.add.reduceat(values.astype(np.float64, copy=False), starts)
    return out


def indicator_cv(w: Weights, quantities: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(X̄ per group, CV per group, X per school with 0 for schools without students).

    Groups without students, or whose X̄ is 0, get NaN."""
    x = quantities * w.inverse
    # a school without students adds nothing to Σ quantity either
    q = quantities if w.has.all() else np.where(w.has, quantities, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        xbar = w.sum(q) / w.total
        dev = x - w.spread(xbar)
        s2 = w.sum(w.students * dev * dev) / w.total
        cv = np.sqrt(s2) / np.where(xbar > 0, xbar, np.nan)
    return xbar, cv, x


def grouped_cv(
    group: IntArray, n_groups: int, students: FloatArray, quantities: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """County value, CV and per-school value (NaN without students) for many groups."""
    order = np.argsort(group, kind="stable")
    w = Weights.of(group[order], n_groups, students[order])
    xbar, cv, x_sorted = indicator_cv(w, quantities[order])
    x = np.empty_like(x_sorted)
    x[order] = np.where(w.has, x_sorted, np.nan)
    return xbar, cv, x


def weighted_cv(students: Sequence[float], quantities: Sequence[float]) -> float:
    """CV of one indicator over the schools of one county and level."""
    p = np.asarray(students, dtype=np.float64)
    q = np.asarray(quantities, dtype=np.float64)
    return float(grouped_cv(np.zeros(len(p), dtype=np.int64), 1, p, q)[1][0])
