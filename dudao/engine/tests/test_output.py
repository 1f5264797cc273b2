"""The columnar writer gives the same entries as the per-county dataclasses, exactly."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import orjson
import polars as pl
import pytest

from dudao.cli import main
from dudao.engine import evaluate, hegang_demo, read_counties, read_schools, synth
from dudao.engine.evaluation import Evaluation
from dudao.engine.export import county_to_dicts, finding_to_dict
from dudao.engine.output import FINDING_SCHOOLS, write


def _evaluation(files: dict[str, bytes], year: int, with_counties: bool = True) -> Evaluation:
    schools = read_schools(files[f"schools_{year}.csv"], "s.csv", year=year)
    counties = None
    if with_counties:
        counties = read_counties(files[f"counties_{year}.csv"], "c.csv").merge(
            read_counties(files[f"counties_{year - 1}.csv"], "c.csv")
        )
    return evaluate(schools, counties, year=year)


def _without_finding_schools(entry: dict[str, Any]) -> dict[str, Any]:
    for finding in entry["findings"] + entry["risks"]:
        for levels in finding["evidence"]["indicators"].values():
            for evidence in levels.values():
                evidence.pop("schools_below", None)
                evidence.pop("schools_failing", None)
    return entry


def _entries(ev: Evaluation) -> list[dict[str, Any]]:
    expected = [e for c in ev.counties() for e in county_to_dicts(c)]
    return [_without_finding_schools(json.loads(json.dumps(e))) for e in expected]


@pytest.mark.parametrize("with_counties", [True, False])
def test_json_lines_match_the_dataclass_entries(with_counties: bool) -> None:
    ev = _evaluation(synth(45, 700, [2022, 2023], seed=9), 2023, with_counties)
    out = io.BytesIO()
    write(ev, out, "jsonl")
    text = out.getvalue().decode()
    assert "NaN" not in text
    got = [_without_finding_schools(json.loads(line)) for line in text.splitlines()]
    assert got == _entries(ev)


def test_the_json_document_keeps_its_shape_and_exact_values() -> None:
    ev = _evaluation(hegang_demo(), 2023)
    out = io.BytesIO()
    write(ev, out, "json")
    document = json.loads(out.getvalue())
    suibin = [e for e in document["counties"] if e["code"] == "230422"]
    assert [e["level"] for e in suibin] == ["primary", "junior", "preschool", "county"]
    sports = suibin[0]["indicators"]["sports_area_per_student"]
    result = ev.county("230422").results_for("sports_area_per_student")[0]
    assert sports["value"] == result.value and sports["cv"] == result.cv  # not rounded
    assert sports["schools_below"]["count"] == 3
    worst = [s["value"] for s in sports["schools_below"]["schools"]]
    assert worst == sorted(worst)


def test_parquet_and_csv_hold_one_row_per_indicator(tmp_path: Any) -> None:
    files = hegang_demo()
    for name in ("schools_2023.csv", "counties.csv"):
        (tmp_path / name).write_bytes(files[name])
    base = ["evaluate", "--schools", str(tmp_path / "schools_2023.csv")]
    base += ["--counties", str(tmp_path / "counties.csv"), "--year", "2023"]
    assert main([*base, "--format", "parquet", "-o", str(tmp_path / "r.parquet")]) == 0
    assert main([*base, "--format", "csv", "-o", str(tmp_path / "r.csv")]) == 0
    parquet = pl.read_parquet(tmp_path / "r.parquet")
    csv = pl.read_csv(tmp_path / "r.csv", schema=parquet.schema)
    assert parquet.equals(csv)
    row = parquet.filter((pl.col("code") == "230422") & (pl.col("indicator") == "guard_rate")).row(
        0, named=True
    )
    assert (row["value"], row["threshold"], row["passed"]) == (93.3, 100.0, False)


@pytest.mark.parametrize("named", [None, 5])
def test_drafts_match_the_full_county_results(named: int | None) -> None:
    """The writers' findings, built from only the indicators that fail or carry a risk, are
    those of the full per-county results, text and evidence alike."""
    ev = _evaluation(synth(45, 700, [2022, 2023], seed=9), 2023)
    drafted = 0
    for code in ev.county_codes:
        county = ev.county(code, named=named)
        findings, risks, excluded = ev.drafts(code, named=named)
        assert (findings, risks, excluded) == (county.findings, county.risks, county.excluded)
        drafted += len(findings) + len(risks)
    assert drafted > 45  # the synthetic data fails enough to test something


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_blocks_of_any_size_give_the_same_output(fmt: Any) -> None:
    """The writer drafts one block of counties while a worker thread builds and joins the
    others: however the counties fall into blocks, the output is the same, in order."""
    ev = _evaluation(synth(45, 700, [2022, 2023], seed=4), 2023)
    outputs = []
    for block in (1, 7, 1000):
        out = io.BytesIO()
        write(ev, out, fmt, block=block)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] == outputs[2]
    if fmt == "json":
        codes = [e["code"] for e in json.loads(outputs[0])["counties"]]
        assert codes == sorted(codes) and len(codes) == 4 * len(ev.county_codes)


def test_an_evaluation_without_counties_writes_an_empty_document() -> None:
    empty = replace(_evaluation(synth(45, 700, [2022, 2023], seed=2), 2023), county_codes=())
    document, lines = io.BytesIO(), io.BytesIO()
    write(empty, document, "json")
    write(empty, lines, "jsonl")
    assert (document.getvalue(), lines.getvalue()) == (b'{"counties":[]}\n', b"")


HOSTILE = ('甲",校', "乙\\", '"丙"', "丁\u2028校", '戊\\","校', "己<script>", "庚,\n校", '辛",')


def _hostile_names(files: dict[str, bytes]) -> dict[str, bytes]:
    """The schools renamed with quotes, backslashes, commas and line breaks, which the
    writers' JSON must carry intact."""
    name = "学校名称"
    for key in ("schools_2022.csv", "schools_2023.csv"):
        frame = pl.read_csv(files[key], infer_schema=False)
        renamed = [str(i) + HOSTILE[i % len(HOSTILE)] for i in range(frame.height)]
        files[key] = frame.with_columns(pl.Series(name, renamed)).write_csv().encode()
    return files


@pytest.mark.parametrize(
    "files",
    [
        *(
            pytest.param(lambda s=s: synth(45, 700, [2022, 2023], seed=s), id=f"synth-{s}")
            for s in (1, 4, 9, 17)
        ),
        pytest.param(hegang_demo, id="hegang"),
        pytest.param(lambda: _hostile_names(synth(45, 700, [2022, 2023], seed=4)), id="names"),
    ],
)
def test_the_writers_findings_are_the_drafts_of_each_county(files: Any) -> None:
    """The writer drafts the resource indicators' words a block at a time, from the arrays
    (`prepare.py`): each county's findings and risks are still, byte for byte, those of
    `Evaluation.drafts`, which match the per-county results."""
    ev = _evaluation(files(), 2023)
    out = io.BytesIO()
    write(ev, out, "jsonl", block=7)
    lines = [line for line in out.getvalue().splitlines() if b'"level":"county"' in line]
    assert len(lines) == len(ev.county_codes)
    drafted = risked = 0
    for code, line in zip(ev.county_codes, lines, strict=True):
        findings, risks, _ = ev.drafts(code, named=FINDING_SCHOOLS)
        expected = (
            b'"findings":'
            + orjson.dumps([finding_to_dict(f) for f in findings])
            + b',"risks":'
            + orjson.dumps([finding_to_dict(f) for f in risks])
            + b',"excluded":'
        )
        assert json.loads(line)["code"] == code
        assert expected in line
        drafted += len(findings)
        risked += len(risks)
    assert drafted > len(lines) and risked > 0  # enough fails to test something
