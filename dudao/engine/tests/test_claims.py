from __future__ import annotations

from dudao.engine.claims import check_claims
from dudao.engine.hegang import hegang_demo
from dudao.engine.tables import read_counties

SENTENCE = (
    "2023 年度国家学生体质健康达标优良率较 2022 年度的 17.3% 提高 3.9 个百分点；儿童青"
    "少年近视率较 2022 年度的 67.22% 下降 3.43 个百分点。"
)


def facts() -> list[dict[str, object]]:
    return [
        {"text": "17.3%", "value": 17.3, "unit": "%", "kind": "percent", "context": SENTENCE},
        {
            "text": "3.9 个百分点",
            "value": 3.9,
            "unit": "个百分点",
            "kind": "change",
            "baseline_year": 2022,
            "baseline_value": 17.3,
            "change": 3.9,
            "result": 21.2,
            "context": SENTENCE,
        },
        {"text": "67.22%", "value": 67.22, "unit": "%", "kind": "percent", "context": SENTENCE},
        {
            "text": "3.43 个百分点",
            "value": 3.43,
            "unit": "个百分点",
            "kind": "change",
            "context": SENTENCE,
        },
        {
            "text": "3600 万元",
            "value": 36000000,
            "unit": "元",
            "kind": "money",
            "context": "申报3600 万元",
        },
    ]


def test_the_suibin_report_numbers_match_the_county_data() -> None:
    table = read_counties(hegang_demo()["counties.csv"], "c.csv")
    checks = check_claims(facts(), table, "230422", 2023)
    assert [(c.rate, c.verdict) for c in checks] == [
        ("fitness_good_rate", "match"),
        ("myopia_rate", "match"),
        ("", "unchecked"),  # 3600 万元 is no rate: reported, not dropped
    ]
    assert checks[2].text == "3600 万元" and "不是比率" in checks[2].message
    assert checks[1].claimed == {"2022": 67.22, "2023": 63.79}
    assert checks[1].data == {"2022": 67.22, "2023": 63.79}


def test_a_claim_that_does_not_match_the_data_is_flagged_in_chinese() -> None:
    rows = {2022: {"myopia_rate": 67.22}, 2023: {"myopia_rate": 64.10}}
    checks = check_claims(facts()[2:4], rows, "230422", 2023)
    assert [c.verdict for c in checks] == ["mismatch"]
    assert checks[0].message == (
        "与区县数据不符：报告称2023年度儿童青少年总体近视率为63.79%，区县数据为64.1%，"
        "相差0.31个百分点"
    )


def test_a_small_difference_within_the_tolerance_matches() -> None:
    rows = {2022: {"fitness_good_rate": 17.3}, 2023: {"fitness_good_rate": 21.24}}
    (check,) = check_claims(facts()[:2], rows, "230422", 2023)
    assert check.verdict == "match"


def test_a_plain_rate_claim_is_checked_against_its_year_and_missing_data_is_said() -> None:
    fact = {
        "text": "100%",
        "value": 100,
        "unit": "%",
        "kind": "percent",
        "context": "目前，我县校园专职保安员配备率达到100%，实现了人防",
    }
    (guard,) = check_claims([fact], {2023: {"guard_rate": 93.3}}, "230422", 2023)
    assert guard.verdict == "mismatch"
    (none,) = check_claims([fact], {2023: {}}, "230422", 2023)
    assert none.verdict == "unchecked" and "没有2023年度专职保安员配备率" in none.message
