"""Benchmark of the evaluation engine on national-scale synthetic data.

210,000 schools in 2,850 counties, one year, written to a CSV in a temp dir. Prints:
(a) evaluate from the CSV file, reading and validation included (target < 2 s);
(b) the computation alone, `evaluate()` on the table already read;
(c) a minimal numpy `bincount` implementation of the same weighted sums (county values and
    CVs of the 7 indicators × 2 levels), same run (target: (b) within 3× of (c));
(d) a straightforward per-school Python loop of the same, same run (target: (b) ≥ 30× faster);
(e) `dudao evaluate --json` as a whole process (start-up, reading, validation, evaluation,
    findings and writing the JSON) against a plain polars script (`baseline`, below: read the
    same CSV, each county's student-weighted mean and CV of the seven indicators per level,
    written as JSON), both as child processes in the same run, with the peak RSS of each
    child (targets: within 4× of the baseline, peak < 1 GB; with `--scale 10`, < 1.5 GB).

Run: .venv/bin/python benchmarks/bench_engine.py [--scale 10]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl

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


SHARED = {
    "teaching_area": ("教学及辅助用房面积（平方米）", 1.0),
    "sports_area": ("体育运动场馆面积（平方米）", 1.0),
    "equipment_value": ("教学仪器设备资产值（万元）", 10000.0),
    "multimedia_rooms": ("网络多媒体教室数（间）", 100.0),
}
TEACHERS = {
    "小学": ("小学专科及以上学历专任教师数", "小学县级及以上骨干教师数", "小学体育艺术专任教师数"),
    "初中": ("初中本科及以上学历专任教师数", "初中县级及以上骨干教师数", "初中体育艺术专任教师数"),
}


def baseline(csv_path: str, out_path: str) -> None:
    """The plain polars script: each county's weighted mean (Σ quantity ÷ Σ students) and
    CV of the seven indicators per level, written as JSON. No validation, no findings."""
    df = pl.read_csv(csv_path)
    total = sum(
        (pl.col(c).fill_null(0) for c in ("小学在校生数", "初中在校生数", "高中在校生数")),
        start=pl.lit(0),
    )
    parts = []
    for prefix, teachers in TEACHERS.items():
        p = pl.col(f"{prefix}在校生数").cast(pl.Float64)
        names = ("qualified", "key", "pe_arts")
        cols = {n: pl.col(c).cast(pl.Float64) * 100 for n, c in zip(names, teachers, strict=True)}
        cols |= {n: pl.col(c).cast(pl.Float64) * p / total * f for n, (c, f) in SHARED.items()}
        units = df.filter(p > 0).select(pl.col("区县代码").alias("county"), p.alias("p"), **cols)
        aggs = [pl.col("p").sum().alias("students")]
        for n in cols:
            xbar = pl.col(n).sum() / pl.col("p").sum()
            s = ((pl.col("p") / pl.col("p").sum()) * (pl.col(n) / pl.col("p") - xbar) ** 2).sum()
            aggs += [xbar.alias(f"{n}_value"), (s.sqrt() / xbar).alias(f"{n}_cv")]
        parts.append(units.group_by("county").agg(aggs).with_columns(level=pl.lit(prefix)))
    pl.concat(parts).sort("county", "level").write_json(out_path)


# Started through a bare Python: a child forked from this process would report at least
# this process's size at the fork as its peak (Linux carries the forked copy's RSS high-water
# mark across exec), which at 1x national is more than the child itself uses.
MEASURE = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "print(usage.ru_maxrss)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_child(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-S", "-c", MEASURE, *args], capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{args[:3]} failed: {proc.stderr[-500:]}")
    return took, int(proc.stdout.split()[-1]) / 1024  # Linux reports KB


def whole_process(tmp: Path, schools: Path, counties: list[Path], runs: int) -> tuple[float, ...]:
    dudao = [sys.executable, "-m", "dudao.cli", "evaluate", "--schools", str(schools)]
    dudao += ["--counties", *map(str, counties), "--year", str(YEAR), "--json"]
    plain = [sys.executable, __file__, "--baseline", str(schools), str(tmp / "baseline.json")]
    t_dudao = t_plain = math.inf
    rss_dudao = rss_plain = 0.0
    for _ in range(runs):  # interleaved, so a busy machine slows both alike
        took, rss = run_child(plain)
        t_plain, rss_plain = min(t_plain, took), max(rss_plain, rss)
        took, rss = run_child(dudao)
        t_dudao, rss_dudao = min(t_dudao, took), max(rss_dudao, rss)
    return t_dudao, rss_dudao, t_plain, rss_plain


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, help="multiple of national scale")
    parser.add_argument("--baseline", nargs=2, metavar=("CSV", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(*args.baseline)
        return
    if args.scale != 1:
        scaled(args.scale)
        return
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        files = synth(COUNTIES, SCHOOLS, [YEAR - 1, YEAR], seed=1)
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        path = Path(tmp) / f"schools_{YEAR}.csv"
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
        counties = [Path(tmp) / f"counties_{y}.csv" for y in (YEAR - 1, YEAR)]
        t_cmd, rss_cmd, t_plain, rss_plain = whole_process(Path(tmp), path, counties, runs=3)

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
    print(
        f"(e) dudao evaluate --json (process):  {t_cmd:8.3f} s   peak RSS {rss_cmd:6.0f} MB"
        "   (target < 1024 MB)"
    )
    print(
        f"    plain polars script (process):  {t_plain:8.3f} s   peak RSS {rss_plain:6.0f} MB"
        f"   (e)/plain = {t_cmd / t_plain:.2f}x   (target ≤ 4x)"
    )
    ok = t_file < 2 and t_eval <= 3 * t_numpy and t_loop >= 30 * t_eval
    ok = ok and t_cmd <= 4 * t_plain and rss_cmd < 1024
    print("all targets met" if ok else "TARGET MISSED")


def scaled(scale: int) -> None:
    """Only (e), at `scale` × national (memory is the point: target < 1.5 GB)."""
    with tempfile.TemporaryDirectory() as tmp:
        files = synth(COUNTIES * scale, SCHOOLS * scale, [YEAR - 1, YEAR], seed=1)
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        del files
        path = Path(tmp) / f"schools_{YEAR}.csv"
        counties = [Path(tmp) / f"counties_{y}.csv" for y in (YEAR - 1, YEAR)]
        size = path.stat().st_size / 1e6
        print(f"synthetic data: {scale}x national, {size:.0f} MB CSV")
        t_cmd, rss_cmd, t_plain, rss_plain = whole_process(Path(tmp), path, counties, runs=1)
    print(f"(e) dudao evaluate --json (process):  {t_cmd:8.3f} s   peak RSS {rss_cmd:6.0f} MB")
    print(
        f"    plain polars script (process):  {t_plain:8.3f} s   peak RSS {rss_plain:6.0f} MB"
        f"   (e)/plain = {t_cmd / t_plain:.2f}x"
    )
    ok = rss_cmd < 1536
    print("memory target met (< 1.5 GB)" if ok else "TARGET MISSED (memory ≥ 1.5 GB)")


if __name__ == "__main__":
    main()
