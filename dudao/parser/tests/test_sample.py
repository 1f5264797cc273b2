"""The real sample letter must read exactly as its gold file says."""

from __future__ import annotations

import json
from decimal import Decimal

from dudao.parser import Report, report_to_dict
from dudao.parser.tests.conftest import CORPUS

GOLD = json.loads((CORPUS / "suibin-2024-17.gold.json").read_text(encoding="utf-8"))


def test_it_reads_every_header_field_of_the_gold_file(sample_report: Report) -> None:
    data = report_to_dict(sample_report)
    for key in ("title", "issuer", "doc_number", "recipient", "date", "problem_count"):
        assert data[key] == GOLD[key], key
    assert sample_report.kind == "rectification_report"
    assert sample_report.preamble.startswith("按照《鹤岗市人民政府教育督导室关于2023年省对")
    assert sample_report.preamble.endswith("整改情况报告如下：")


def test_it_reads_sections_labels_statements_and_measures_as_in_the_gold_file(
    sample_report: Report,
) -> None:
    assert [(s.label, s.title) for s in sample_report.sections] == [
        (s["label"], s["title"]) for s in GOLD["sections"]
    ]
    for section, gold in zip(sample_report.sections, GOLD["sections"], strict=True):
        assert [p.label for p in section.problems] == [g["label"] for g in gold["problems"]]
        assert [p.problem for p in section.problems] == [g["problem"] for g in gold["problems"]]
        for problem, g in zip(section.problems, gold["problems"], strict=True):
            assert problem.measures.startswith(g["measures_start"]), problem.label
    assert [p.number for p in sample_report.problems] == list(range(1, 16))


def test_it_rejoins_sentences_broken_across_pages(sample_report: Report) -> None:
    measures = "".join(p.measures for p in sample_report.problems)
    for text in GOLD["must_contain_after_repair"]:
        assert text in measures


def test_it_keeps_the_glued_on_document_out_of_the_last_problem(sample_report: Report) -> None:
    (trailing,) = sample_report.trailing_documents
    assert (trailing.issuer, trailing.doc_number) == ("绥滨县人民政府办公室", "绥政办发〔2024〕1号")
    assert trailing.title.startswith("关于《绥滨县人民政府办公室关于印发〈绥滨县2024年政务公开")
    last = sample_report.problems[-1].measures
    assert last.endswith("有人管、有人巡、有人防。")
    assert "政务公开" not in last
    assert any("绥政办发〔2024〕1号" in w for w in sample_report.warnings)


def test_it_finds_every_number_of_the_gold_file_with_value_and_unit(sample_report: Report) -> None:
    facts = report_to_dict(sample_report)["facts"]
    assert isinstance(facts, list)
    found = {(f["text"], f["value"], f["unit"]) for f in facts}
    for number in GOLD["numbers"]:
        assert (number["text"], number["value"], number["unit"]) in found


def test_it_reads_year_on_year_comparisons(sample_report: Report) -> None:
    comparisons = [f for p in sample_report.problems for f in p.facts if f.kind == "comparison"]
    assert [
        (f.baseline_year, f.baseline_value, f.change, f.result, f.unit) for f in comparisons
    ] == [
        (2022, Decimal("17.3"), Decimal("3.9"), Decimal("21.2"), "%"),
        (2022, Decimal("67.22"), Decimal("-3.43"), Decimal("63.79"), "%"),
    ]


def test_fact_offsets_point_into_the_repaired_measures(sample_report: Report) -> None:
    for problem in sample_report.problems:
        for fact in problem.facts:
            assert problem.measures[fact.start : fact.end] == fact.text.replace(" ", "")


def test_it_emits_no_years_or_dates_as_facts(sample_report: Report) -> None:
    units = {f.unit for p in sample_report.problems for f in p.facts}
    assert "年" not in units
    assert all(f.value != 2024 for p in sample_report.problems for f in p.facts)


def test_it_flags_approximate_counts(sample_report: Report) -> None:
    (fact,) = [f for f in sample_report.problems[9].facts if f.text == "10 余次"]
    assert (fact.value, fact.unit, fact.approximate) == (Decimal(10), "次", True)


def test_its_dict_is_json_ready(sample_report: Report) -> None:
    data = json.loads(json.dumps(report_to_dict(sample_report), ensure_ascii=False))
    assert data["date"] is None
    assert data["sections"][1]["problems"][2]["facts"][0]["value"] == 36000000
    assert data["trailing_documents"][0]["doc_number"] == "绥政办发〔2024〕1号"
