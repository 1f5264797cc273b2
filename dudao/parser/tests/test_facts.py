"""Quantities in measures text, as a table of phrases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dudao.parser.facts import find_facts
from dudao.parser.text import Repaired

CASES = [
    ("申报 3600 万元中央预算", "3600 万元", "36000000", "元", "money", False),
    ("投入资金1.2亿元", "1.2亿元", "120000000", "元", "money", False),
    ("生均2,500元", "2,500元", "2500", "元", "money", False),
    ("达到 92.5%", "92.5%", "92.5", "%", "percentage", False),
    ("提高３．９个百分点", "３．９个百分点", "3.9", "个百分点", "percentage_point", False),
    ("下降3.43百分点", "3.43百分点", "3.43", "个百分点", "percentage_point", False),
    ("全县尚有十六人未取得", "十六人", "16", "人", "count", False),
    ("开展检查 10 余次", "10 余次", "10", "次", "count", True),
    ("培训教师200多人", "200多人", "200", "人", "count", True),
    ("新建宿舍3000平方米", "3000平方米", "3000", "平方米", "area", False),
    ("改造面积 1.5 万平方米", "1.5 万平方米", "15000", "平方米", "area", False),
    ("新建 120㎡", "120㎡", "120", "平方米", "area", False),
    ("惠及1.2万人", "1.2万人", "12000", "人", "count", False),
    ("8所学校", "8所", "8", "所", "count", False),
    ("教室 12 间", "12 间", "12", "间", "count", False),
    ("整改问题43项", "43项", "43", "项", "count", False),
]


@pytest.mark.parametrize(("source", "text", "value", "unit", "kind", "approximate"), CASES)
def test_it_reads_the_quantity(
    source: str, text: str, value: str, unit: str, kind: str, approximate: bool
) -> None:
    facts = find_facts(source, Repaired(source), "measures")
    assert [(f.text, f.value, f.unit, f.kind, f.approximate) for f in facts] == [
        (text, Decimal(value), unit, kind, approximate)
    ]


@pytest.mark.parametrize(
    "source",
    [
        "2024 年为第七中学申报",
        "第3名",
        "绥政办发〔2024〕1号",
        "于2024年5月28日印发",
        "推进学校“三个课堂”建设",
        "整改一个、销号一个",
        "PM2.5个别超标",
    ],
)
def test_it_emits_no_fact_for_years_ordinals_names_and_idioms(source: str) -> None:
    assert find_facts(source, Repaired(source), "measures") == []


def test_it_reads_a_result_first_comparison() -> None:
    source = "优良率达到48.6%，较2022年提高5.1个百分点"
    (comparison,) = [
        f for f in find_facts(source, Repaired(source), "measures") if f.kind == "comparison"
    ]
    assert (comparison.baseline_year, comparison.baseline_value, comparison.change) == (
        2022,
        Decimal("43.5"),
        Decimal("5.1"),
    )
    assert comparison.result == Decimal("48.6")


def test_it_reads_a_from_to_comparison() -> None:
    source = "覆盖率由78.5%提高到85%"
    (comparison,) = [
        f for f in find_facts(source, Repaired(source), "measures") if f.kind == "comparison"
    ]
    assert (comparison.baseline_value, comparison.change, comparison.result) == (
        Decimal("78.5"),
        Decimal("6.5"),
        Decimal("85"),
    )
