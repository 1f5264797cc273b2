"""The 鹤岗市 demo reproduces the sample letter's problems for 绥滨县 (绥政函〔2024〕17号)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dudao.engine.evaluation import Evaluation, evaluate
from dudao.engine.hegang import HEGANG_COUNTIES, hegang_demo
from dudao.engine.keywords import indicators_for_statement
from dudao.engine.tables import read_counties, read_schools

# The parser's corpus carries a copy of the gold file, so the test needs nothing outside the repo.
GOLD = Path(__file__).resolve().parents[2] / "parser/tests/corpus/suibin-2024-17.gold.json"


@cache
def demo(year: int) -> Evaluation:
    files = hegang_demo()
    counties = read_counties(files["counties.csv"], "counties.csv")
    schools = read_schools(files[f"schools_{year}.csv"], "s.csv", year=year)
    return evaluate(schools, counties, year=year, county_names=HEGANG_COUNTIES)


def sample_problems() -> list[tuple[str, str]]:
    gold = json.loads(GOLD.read_text("utf-8"))
    return [
        (section["title"].removesuffix("方面"), p["problem"])
        for section in gold["sections"]
        for p in section["problems"]
    ]


def test_each_measurable_problem_of_the_sample_is_found_in_its_dimension() -> None:
    suibin = demo(2022).county("230422")
    covered = {(f.dimension, k) for f in suibin.findings for k in f.indicators}
    measurable = [(d, p, indicators_for_statement(p)) for d, p in sample_problems()]
    measurable = [m for m in measurable if m[2]]
    assert (
        len(measurable) == 5
    )  # (二) 四个百分百, (五) 普及普惠, (六) 优质均衡, (七) areas, (九) health
    for dimension, problem, keys in measurable:
        assert any((dimension, k) in covered for k in keys), problem


def test_the_2022_statements_read_like_the_letter() -> None:
    statements = [f.statement for f in demo(2022).county("230422").findings]
    assert statements[0].startswith(
        "部分义务教育学校生均体育运动场馆面积、生均教学及辅助用房面积不足。"
        "生均体育运动场馆面积：小学2所学校低于标准（绥滨县第三小学5.85平方米、"
        "绥滨县第二小学6.15平方米），最低5.85平方米，标准7.5平方米，差1.65平方米"
    )
    assert (
        "学生体质健康达标优良率和儿童青少年近视率下降比率未达标"
        "（达标优良率17.3%，标准50%；近视率下降0.20个百分点，标准下降0.5个百分点）"
    ) in statements


def test_in_2023_the_myopia_decline_passes_but_fitness_still_fails() -> None:
    suibin = demo(2023).county("230422")
    (myopia,) = suibin.results_for("myopia_decline")
    assert myopia.value == 3.43 and myopia.passed is True
    statements = [f.statement for f in suibin.findings]
    assert "学生体质健康达标优良率未达标（21.2%，标准50%）" in statements
    assert any("专职保安员配备率93.3%" in s for s in statements)


def test_other_units_of_the_city_are_evaluated_too() -> None:
    ev = demo(2023)
    assert ev.county_codes == tuple(sorted(HEGANG_COUNTIES))
    assert ev.county("230403").findings == ()
    luobei = ev.county("230421")
    assert any("差异系数" in f.statement for f in luobei.findings)
