"""The city's consolidated report, title breaking, and the parser round trip."""

from __future__ import annotations

import datetime

import pytest

from dudao.parser import parse_file
from dudao.writers import (
    LetterHead,
    SummaryCounty,
    SummaryData,
    SummaryItem,
    render_rectification_report,
    render_summary_report,
)
from dudao.writers.tests import sample
from dudao.writers.tests.documents import NS, Docx, w
from dudao.writers.title import title_lines, width

HEAD = LetterHead(
    issuer="鹤岗市人民政府教育督导委员会办公室",
    doc_number="鹤政教督办函〔2024〕9号",
    title="关于2023年履行教育职责评价反馈问题整改情况的汇总报告",
    recipient="黑龙江省人民政府教育督导委员会办公室",
    date=datetime.date(2024, 7, 10),
)


def _item(dimension: str, status: str, overdue: bool = False) -> SummaryItem:
    return SummaryItem(
        dimension=dimension,
        problem=f"{dimension}的问题",
        status_label=status,
        deadline=datetime.date(2024, 6, 30),
        overdue=overdue,
        lead_unit="县教育局",
    )


def _tables(doc: Docx) -> list[list[list[str]]]:
    return [
        [
            ["".join(t.text or "" for t in cell.iter(w("t"))) for cell in row.findall("w:tc", NS)]
            for row in table.findall("w:tr", NS)
        ]
        for table in doc.document.iter(w("tbl"))
    ]


@pytest.fixture(scope="module")
def summary() -> Docx:
    data = SummaryData(
        (
            SummaryCounty(
                "萝北县",
                (_item("校园安全方面", "已销号"), _item("教师队伍建设方面", "整改中", True)),
            ),
            SummaryCounty("绥滨县", (_item("校园安全方面", "未开始", True),)),
        )
    )
    return Docx(render_summary_report(HEAD, "现将整改情况汇总报告如下：", data))


def test_the_summary_counts_by_county_and_by_dimension(summary: Docx) -> None:
    by_county, by_dimension = _tables(summary)[:2]
    assert by_county[0] == [
        "县（市、区）",
        "问题数",
        "未开始",
        "整改中",
        "申请销号",
        "已销号",
        "长期坚持",
        "超期",
    ]
    assert by_county[1:] == [
        ["萝北县", "2", "0", "1", "0", "1", "0", "1"],
        ["绥滨县", "1", "1", "0", "0", "0", "0", "1"],
        ["合计", "3", "1", "1", "0", "1", "0", "2"],
    ]
    assert by_dimension[1][:2] == ["校园安全方面", "2"]
    assert by_dimension[-1][:2] == ["合计", "3"]


def test_the_summary_lists_overdue_items_and_a_table_per_county(summary: Docx) -> None:
    tables = _tables(summary)
    overdue = tables[2]
    assert [row[1] for row in overdue[1:]] == ["萝北县", "绥滨县"]
    assert overdue[1][4] == "2024年6月30日"
    county_tables = tables[3:]
    assert len(county_tables) == 2
    assert county_tables[0][2][-1] == "整改中（超期）"
    # Header rows repeat on every page a long table spans.
    first_row = next(summary.document.iter(w("tr")))
    assert first_row.find("w:trPr/w:tblHeader", NS) is not None


def test_without_overdue_items_the_summary_says_so() -> None:
    data = SummaryData((SummaryCounty("萝北县", (_item("校园安全方面", "已销号"),)),))
    doc = Docx(render_summary_report(HEAD, "", data))
    assert "目前没有超过整改时限仍未完成的问题。" in [t for _, t in doc.paragraphs()]
    assert len(_tables(doc)) == 3


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于整改情况的函", ["关于整改情况的函"]),
        (
            "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函",
            ["绥滨县人民政府关于", "2023年履行教育职责评价中", "存在问题整改情况报告的函"],
        ),
        ("第一行\n第二行", ["第一行", "第二行"]),
    ],
)
def test_long_titles_break_at_word_boundaries(title: str, lines: list[str]) -> None:
    assert title_lines(title, 20) == lines


def test_broken_titles_never_exceed_the_line_nor_form_an_hourglass() -> None:
    title = (
        "鹤岗市人民政府教育督导委员会办公室关于进一步做好"
        "全市义务教育优质均衡发展督导评估问题整改工作的通知"
    )
    lines = title_lines(title, 20)
    assert "".join(lines) == title
    widths = [width(line) for line in lines]
    assert max(widths) <= 20
    assert not any(
        widths[i] + 1 < widths[i - 1] and widths[i] + 1 < widths[i + 1]
        for i in range(1, len(widths) - 1)
    )


def test_the_parser_reads_the_generated_report_back() -> None:
    data = render_rectification_report(sample.head(), sample.preamble(), sample.sections())
    report = parse_file(data, "report.docx")
    assert report.doc_number == "绥政函〔2024〕17号"
    assert report.recipient == "鹤岗市人民政府教育督导委员会"
    assert report.title == "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函"
    assert report.date == datetime.date(2024, 5, 28)
    expected = sample.sections()
    assert [s.title for s in report.sections] == [s.title for s in expected]
    got = [(p.problem, p.measures) for p in report.problems]
    assert got == [(p.statement, p.outcome) for s in expected for p in s.problems]
    assert report.preamble == sample.preamble()
