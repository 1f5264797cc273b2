"""Every corpus document reads as expected (manifest.json names the expectation)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dudao.parser import ParseError, parse_file, parse_text, report_to_dict
from dudao.parser.tests.conftest import CORPUS

MANIFEST: dict[str, dict[str, str]] = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
READABLE = sorted(name for name, spec in MANIFEST.items() if "expect" in spec)
REFUSED = sorted(name for name, spec in MANIFEST.items() if "error" in spec)


def _expected_problems(expected: dict[str, Any]) -> list[dict[str, str]]:
    if "sections" in expected:
        return [p for s in expected["sections"] for p in s["problems"]]
    problems: list[dict[str, str]] = expected["problems"]
    return problems


@pytest.mark.parametrize("name", READABLE)
def test_it_reads_the_corpus_document(name: str) -> None:
    expected = json.loads((CORPUS / MANIFEST[name]["expect"]).read_text("utf-8"))
    report = parse_file((CORPUS / name).read_bytes(), name)
    data = report_to_dict(report)
    for key in ("kind", "title", "issuer", "doc_number", "recipient", "date"):
        if key in expected:
            assert data[key] == expected[key], key
    assert report.problem_count == expected["problem_count"]
    for problem, want in zip(report.problems, _expected_problems(expected), strict=True):
        assert problem.label == want["label"]
        assert problem.problem == want["problem"]
        assert problem.measures.startswith(want["measures_start"]), problem.label
    measures = "".join(p.measures for p in report.problems)
    for text in expected.get("must_contain_after_repair", []):
        assert text in measures
    for doc in expected.get("trailing_documents", []):
        assert [(t.issuer, t.doc_number) for t in report.trailing_documents] == [
            (doc["issuer"], doc["doc_number"])
        ]


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_the_unreadable_file_with_advice(name: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_file((CORPUS / name).read_bytes(), name)
    assert MANIFEST[name]["error"] in caught.value.message


def test_the_corpus_covers_every_listed_variation() -> None:
    for name in (
        "suibin-reflowed.txt",
        "suibin-flat.txt",
        "suibin-footers.txt",
        "suibin-web.txt",
        "suibin-gbk.txt",
        "suibin-bom.txt",
        "suibin.docx",
        "suibin.pdf",
        "feedback-letter.txt",
        "audit-rectification.docx",
        "inspection-notice.txt",
        "about-headings.txt",
        "continuous-unlabelled.txt",
        "long-20-pages.pdf",
    ):
        assert (CORPUS / name).exists(), name


def test_the_auto_numbered_docx_gets_its_labels_written_out() -> None:
    report = parse_file((CORPUS / "feedback-letter-numbered.docx").read_bytes(), "x.docx")
    assert [s.label for s in report.sections] == ["一、", "二、", "三、"]
    assert [p.label for p in report.problems][-1] == "（六）"


def test_the_audit_report_keeps_its_sections_and_restarted_numbering() -> None:
    report = parse_file((CORPUS / "audit-rectification.txt").read_bytes(), "x.txt")
    assert [(s.label, s.title) for s in report.sections] == [
        ("（一）", "预算执行方面"),
        ("（二）", "资产管理方面"),
    ]
    assert [p.number for p in report.problems] == [1, 2, 3, 4]
    assert "整改成效：截至2024年5月底" in report.problems[0].measures
    assert not report.warnings


def test_the_long_pdf_reads_all_its_problems() -> None:
    report = parse_file((CORPUS / "long-20-pages.pdf").read_bytes(), "long.pdf")
    assert report.problem_count == 7 * 15


def test_the_layouts_cover_every_pattern_of_issue_12() -> None:
    from dudao.parser.tests.corpus.layouts import LAYOUTS

    assert len(LAYOUTS) >= 20
    assert {p for layout in LAYOUTS for p in layout.patterns} == set(range(1, 13))
    for layout in LAYOUTS:
        assert f"layouts/{layout.name}" in READABLE


@pytest.mark.parametrize(
    ("name", "because"),
    [
        ("layouts/upward-letter-no-labels.txt", "函告如下"),
        ("layouts/notice-without-sections.txt", "通报如下"),
        ("layouts/labels-restart-per-section.txt", "整改进展情况"),
        ("layouts/achievements-and-advice.txt", "反馈如下"),
    ],
)
def test_the_kind_is_decided_from_the_whole_document_with_its_reason(
    name: str, because: str
) -> None:
    report = parse_file((CORPUS / name).read_bytes(), name)
    assert report.kind == json.loads((CORPUS / MANIFEST[name]["expect"]).read_text())["kind"]
    assert because in report.kind_reason


def test_a_report_without_words_for_its_kind_is_judged_by_its_layout() -> None:
    text = "整改台账\n一、校舍维修不及时\n已完成维修。\n二、食堂管理不规范\n已建立制度。\n"
    report = parse_text(text)
    assert "按版式推断" in report.kind_reason


def test_a_cited_document_number_starts_no_trailing_document() -> None:
    name = "layouts/one-line-citation.txt"
    report = parse_file((CORPUS / name).read_bytes(), name)
    assert report.trailing_documents == ()
    assert "国教督办函〔2019〕13号" in report.preamble


def test_a_document_glued_on_after_the_date_is_listed_apart() -> None:
    name = "layouts/trailing-after-date.txt"
    report = parse_file((CORPUS / name).read_bytes(), name)
    assert [(t.issuer, t.doc_number) for t in report.trailing_documents] == [
        ("鹤岗市南山区人民政府办公室", "南政办发〔2024〕3号")
    ]


def test_an_ocr_slip_in_a_project_code_keeps_the_numbering_continuous() -> None:
    name = "layouts/project-codes.txt"
    report = parse_file((CORPUS / name).read_bytes(), name)
    assert not [w for w in report.warnings if "编号不连续" in w]
    assert "整改时限：2024年6月底" in report.problems[0].measures
    assert "整改进展情况：持续推进中。" in report.problems[1].measures
