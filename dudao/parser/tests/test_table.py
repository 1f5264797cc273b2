"""A .docx whose problems are the rows of a ledger table (整改台账)."""

from __future__ import annotations

import io

import docx

from dudao.parser import FEEDBACK_LETTER, RECTIFICATION_REPORT, parse_file

HEADER = ["序号", "问题类别", "存在问题", "整改措施", "责任单位", "完成情况"]
ROWS = [
    [
        "1",
        "教育优先发展",
        "普通高中理科实验室设施设备更新缓慢",
        "申报改造提升项目",
        "县教育局",
        "已完成",
    ],
    [
        "2",
        "教育优先发展",
        "存在“教育专网建设进度缓慢”的问题",
        "制定方案\n完成论证",
        "县教育局",
        "持续推进",
    ],
    ["3", "校园安全", "安防人员专业知识与风险防控能力不足", "开展培训30人次", "县公安局", ""],
]


def make_docx(header: list[str], rows: list[list[str]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("绥滨县2023年履行教育职责评价反馈问题整改台账")
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_it_reads_one_problem_per_row_grouped_by_dimension() -> None:
    report = parse_file(make_docx(HEADER, ROWS), "台账.docx")
    assert report.title == "绥滨县2023年履行教育职责评价反馈问题整改台账"
    assert report.kind == RECTIFICATION_REPORT
    assert [(s.title, [p.problem for p in s.problems]) for s in report.sections] == [
        ("教育优先发展", ["普通高中理科实验室设施设备更新缓慢", "教育专网建设进度缓慢"]),
        ("校园安全", ["安防人员专业知识与风险防控能力不足"]),
    ]
    problems = report.problems
    assert [p.label for p in problems] == ["1", "2", "3"]
    assert problems[0].measures == "申报改造提升项目\n已完成"
    # A line break inside a cell does not split the row.
    assert problems[1].measures.startswith("制定方案")
    assert "持续推进" in problems[1].measures
    assert problems[2].measures == "开展培训30人次"


def test_a_table_of_problems_without_measures_is_a_feedback_letter() -> None:
    header = ["序号", "反馈问题", "整改时限"]
    rows = [["1", "教育专网建设进度缓慢", "2024年6月30日"], ["2", "特殊教育政策落实不到位", ""]]
    report = parse_file(make_docx(header, rows), "清单.docx")
    assert report.kind == FEEDBACK_LETTER
    assert [p.problem for p in report.problems] == [
        "教育专网建设进度缓慢",
        "特殊教育政策落实不到位",
    ]


def test_a_table_without_a_problem_column_is_not_a_ledger() -> None:
    report = parse_file(make_docx(["学校", "在校生数"], [["第一中学", "1200"]]), "学校.docx")
    assert report.problems == ()
    assert any("未读到任何问题" in w for w in report.warnings)
