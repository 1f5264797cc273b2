"""`dudao synth` and `dudao evaluate` through the real entry point."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

from dudao.cli import (
    ALLOCATOR,
    LARGE_INPUT,
    POLARS_ALLOCATOR,
    _large_input,
    _return_freed_memory,
    main,
)


@pytest.fixture(scope="module")
def hegang(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hegang")
    assert main(["synth", "--hegang", "--years", "2021-2024", "-o", str(out)]) == 0
    return out


def test_synth_writes_schools_and_counties_per_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "synth",
            "--counties",
            "40",
            "--schools",
            "400",
            "--years",
            "2022-2023",
            "--seed",
            "3",
            "-o",
            str(tmp_path),
        ]
    )
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "counties_2022.csv",
        "counties_2023.csv",
        "regions.csv",
        "schools_2022.csv",
        "schools_2023.csv",
    ]
    schools = pl.read_csv(tmp_path / "schools_2023.csv", infer_schema=False)
    assert schools.height == 400 and schools["区县代码"].n_unique() == 40
    assert "已写入" in capsys.readouterr().out


def test_synth_is_reproducible_from_its_seed(tmp_path: Path) -> None:
    for run in ("a", "b"):
        main(
            [
                "synth",
                "--counties",
                "35",
                "--schools",
                "100",
                "--years",
                "2023",
                "--seed",
                "7",
                "-o",
                str(tmp_path / run),
            ]
        )
    assert (tmp_path / "a" / "schools_2023.csv").read_bytes() == (
        tmp_path / "b" / "schools_2023.csv"
    ).read_bytes()


def test_evaluate_prints_the_json_shape(hegang: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "evaluate",
            "--schools",
            str(hegang / "schools_2023.csv"),
            "--counties",
            str(hegang / "counties.csv"),
            "--year",
            "2023",
            "--region",
            "230422",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    entries = out["counties"]
    assert {e["code"] for e in entries} == {"230422"}
    assert [e["level"] for e in entries] == ["primary", "junior", "preschool", "county"]
    sports = entries[0]["indicators"]["sports_area_per_student"]
    assert {"value", "threshold", "passed", "cv", "cv_limit", "schools_below"} <= set(sports)
    assert sports["schools_below"]["count"] == 3
    assert {"id", "name", "value"} == set(sports["schools_below"]["schools"][0])
    findings = entries[3]["findings"]
    assert {"indicator", "dimension", "statement", "evidence"} <= set(findings[0])
    assert "学生体质健康达标优良率未达标（21.2%，标准50%）" in [f["statement"] for f in findings]
    assert entries[0]["findings"] == []


def test_evaluate_filters_a_city_and_names_counties(
    hegang: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "evaluate",
            "--schools",
            str(hegang / "schools_2022.csv"),
            "--counties",
            str(hegang / "counties_2021.csv"),
            str(hegang / "counties_2022.csv"),
            "--regions",
            str(hegang / "regions.csv"),
            "--year",
            "2022",
            "--region",
            "230400",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("（2022年度）") == 8
    assert "230422 绥滨县（2022年度）" in out
    assert "儿童青少年近视率下降比率未达标" in out  # needs 2021 from the second file


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--schools", "/nonexistent.csv", "--year", "2023"],
            "错误：无法读取文件“/nonexistent.csv”",
        ),
        (["--year", "2023"], "错误：参数错误：the following arguments are required: --schools"),
        (
            ["--schools", "SCHOOLS", "--year", "2023", "--region", "23"],
            "错误：“23”不是6位行政区划代码。",
        ),
        (
            ["--schools", "BAD", "--year", "2023"],
            "错误：学校数据有1处错误，请修正后重新导入：第2行「小学在校生数」：“x”不是数字",
        ),
    ],
)
def test_bad_input_gives_one_chinese_line_and_exit_code_2(
    hegang: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    bad = tmp_path / "bad.csv"
    text = (hegang / "schools_2023.csv").read_text("utf-8").splitlines()
    cells = text[1].split(",")
    cells[4] = "x"  # 小学在校生数 of the first school
    bad.write_text("\n".join([text[0], ",".join(cells)]) + "\n", "utf-8")
    paths = {"SCHOOLS": str(hegang / "schools_2023.csv"), "BAD": str(bad)}
    assert main(["evaluate", *[paths.get(a, a) for a in args]]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_a_large_input_asks_the_allocator_to_return_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_bytes(b"a,b\n")
    with large.open("wb") as fh:
        fh.truncate(LARGE_INPUT + 1)  # sparse: no disk used
    assert not _large_input(["--schools", str(small), "--year", "2023", "bad\x00name"])
    assert _large_input(["--schools", str(large), "--year", "2023"])


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, ALLOCATOR[1]),  # polars then puts its own setting first: ours comes last
        (POLARS_ALLOCATOR, f"{POLARS_ALLOCATOR},{ALLOCATOR[1]}"),  # a parent's polars set it
        ("dirty_decay_ms:2000", "dirty_decay_ms:2000"),  # the operator's own: kept
    ],
)
def test_the_allocator_setting_gives_way_only_to_the_operators(
    monkeypatch: pytest.MonkeyPatch, before: str | None, after: str
) -> None:
    name = ALLOCATOR[0]
    if before is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, before)
    _return_freed_memory()
    assert os.environ[name] == after  # monkeypatch puts the environment back
