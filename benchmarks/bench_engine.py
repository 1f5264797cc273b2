"""Benchmark of the evaluation engine on national-scale synthetic data.

210,000 schools in 2,850 counties, one year, written to a CSV in a temp dir. Prints:
(a) evaluate from the CSV file, reading and validation included (target < 2 s);
(b) the computation alone, `evaluate()` on the table already read;
(c) a minimal numpy `bincount` implementation of the same weighted sums (county values and
    CVs of the 7 indicators × 2 levels), same run (target: (b) within 3× of (c));
(d) a straightforward per-school Python loop of the same, same run (target: (b) ≥ 30× faster).
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from dudao.engine import evaluate, read_schools, synth
from dudao.engine.compute import RESOURCE_QUANTITIES
from dudao.engine.tables import SchoolTable

COUNTIES, SCHOOLS, YEAR = 2850, 210_000, 2023
SCALES = {
    "qualified_teachers": 100.0,
    "key_teachers": 100.0,
    "pe_arts_teachers": 100.0,
    "teaching_area": 1.0,
    "sports_area": 1.0,
    "equipment_value": 1.0,
    "multimedia_rooms": 100.0,
}
F = npt.NDArray[np.float64]
T = TypeVar("T")


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    best, result = math.inf, None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def numpy_baseline(group: npt.NDArray[np.int64], n: int, p: F, q: dict[str, F]) -> dict[str, F]:
    """County value and CV per group for each indicator: the minimal bincount version."""
    has = p > 0
    p_sum = np.bincount(group, weights=p, minlength=n)
    safe_p = np.where(has, p, 1.0)
    out: dict[str, F] = {}
    for name, quantity in q.items():
        xbar = np.bincount(group, weights=quantity, minlength=n) / p_sum
        x = quantity / safe_p
        dev = np.where(has, x - xbar[group], 0.0)
        s2 = np.bincount(group, weights=p * dev * dev, minlength=n) / p_sum
        out[name] = np.sqrt(s2) / xbar
    return out


def python_loop(table: SchoolTable) -> dict[tuple[str, int], list[float]]:
    """The same sums the straightforward way: one school at a time, keyed by county and
    level, as a spreadsheet macro would do them. Returns the 7 CVs per county and level."""
    columns = list(RESOURCE_QUANTITIES.values())
    rows = list(table.units.select("county", "level", "students", *columns).iter_rows())
    sums: dict[tuple[str, int], list[float]] = {}
    for county, level, students, *quantities in rows:
        acc = sums.setdefault((county, level), [0.0] * (len(columns) + 1))
        acc[0] += students
        for i, q in enumerate(quantities):
            acc[i + 1] += q
    squares: dict[tuple[str, int], list[float]] = {k: [0.0] * len(columns) for k in sums}
    for county, level, students, *quantities in rows:
        if students <= 0:
            continue
        acc, sq = sums[(county, level)], squares[(county, level)]
        for i, q in enumerate(quantities):
            xbar = acc[i + 1] / acc[0]
            sq[i] += students * (q / students - xbar) ** 2
    out: dict[tuple[str, int], list[float]] = {}
    for key, acc in sums.items():
        cvs = []
        for i in range(len(columns)):
            xbar = acc[i + 1] / acc[0] if acc[0] else math.nan
            ok = acc[0] > 0 and xbar > 0
            cvs.append(math.sqrt(squares[key][i] / acc[0]) / xbar if ok else math.nan)
        out[key] = cvs
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        files = synth(COUNTIES, SCHOOLS, [YEAR], seed=1)
        path = Path(tmp) / f"schools_{YEAR}.csv"
        path.write_bytes(files[path.name])
        took = time.perf_counter() - start
        size = path.stat().st_size / 1e6
        print(
            f"synthetic data: {SCHOOLS:,} schools in {COUNTIES:,} counties, {size:.1f} MB CSV, "
            f"generated in {took:.1f} s"
        )

        def from_file() -> SchoolTable:
            table = read_schools(path.read_bytes(), path.name, year=YEAR)
            evaluate(table, None, year=YEAR)
            return table

        t_file, table = best_of(3, from_file)

    units = table.units
    t_eval, ev = best_of(5, lambda: evaluate(table, None, year=YEAR))
    n = 2 * len(table.counties)
    level = units["level"].to_numpy().astype(np.int64)
    group = units["county_idx"].to_numpy() + level * len(table.counties)
    p = units["students"].to_numpy()
    q = {c: units[c].to_numpy() for c in RESOURCE_QUANTITIES.values()}
    t_numpy, cvs = best_of(5, lambda: numpy_baseline(group, n, p, q))
    t_loop, loop_cvs = best_of(1, lambda: python_loop(table))

    # the three implementations must agree before their times mean anything
    codes = table.counties
    for i, (key, column) in enumerate(RESOURCE_QUANTITIES.items()):
        engine = ev.school_arrays.resources[key].cv
        assert np.allclose(engine, cvs[column], equal_nan=True), key
        half = len(codes)
        looped = np.array(
            [loop_cvs.get((codes[g % half], g // half), [np.nan] * 7)[i] for g in range(n)]
        )
        assert np.allclose(engine, looped, equal_nan=True), key
        value = ev.school_arrays.resources[key].value
        assert np.allclose(
            value,
            np.bincount(group, q[column], n) / np.bincount(group, p, n) * SCALES[column],
            equal_nan=True,
        )

    print(f"(a) read CSV + validate + evaluate:  {t_file:8.3f} s   (target < 2 s)")
    print(f"(b) evaluate() alone:                {t_eval:8.3f} s")
    print(
        f"(c) minimal numpy bincount:          {t_numpy:8.3f} s   (b)/(c) = {t_eval / t_numpy:.2f}x"
        "   (target ≤ 3x)"
    )
    print(
        f"(d) per-school Python loop:          {t_loop:8.3f} s   (d)/(b) = {t_loop / t_eval:.1f}x"
        "   (target ≥ 30x)"
    )
    ok = t_file < 2 and t_eval <= 3 * t_numpy and t_loop >= 30 * t_eval
    print("all targets met" if ok else "TARGET MISSED")


if __name__ == "__main__":
    main()
