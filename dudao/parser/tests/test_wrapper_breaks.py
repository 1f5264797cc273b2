"""A line break inside a heading's wrapper (存在“……”的问题, 关于……的问题) that the line
joiner could not see (a short page gives no line width to go by): the wrapper is still
stripped, and its broken-off end is neither the statement nor the measures."""

from __future__ import annotations

import pytest

from dudao.parser import FEEDBACK_LETTER, RECTIFICATION_REPORT, parse_text

REPORT = """绥滨县人民政府关于履行教育职责评价中存在问题整改情况报告的函
鹤岗市人民政府教育督导委员会：
现将整改情况报告如下：
一、教育优先发展方面
（一）{first}
整改情况：已完成教育城域网改造。
二、校园安全方面
（二）{second}
整改情况：组织安防人员专题培训2期。
特此函告。
绥滨县人民政府
2024年5月28日
"""

LETTER = """关于2023年履行教育职责评价的反馈意见
绥滨县人民政府：
现将评价发现的问题反馈如下：
一、教育优先发展方面
（一）{first}
（二）{second}
请认真整改。
鹤岗市人民政府教育督导室
2024年3月1日
"""

BREAKS = {
    "before 题": ("存在“安防人员专业知识与风险防控能力不足”的问", "题"),
    "before 问题": ("存在“安防人员专业知识与风险防控能力不足”的", "问题"),
    "after the quote": ("存在“安防人员专业知识与风险防控能力不足”", "的问题"),
    "after 存在": ("存在", "“安防人员专业知识与风险防控能力不足”的问题"),
    "after 关于": ("关于", "安防人员专业知识与风险防控能力不足的问题"),
}


@pytest.mark.parametrize("head, tail", BREAKS.values(), ids=BREAKS.keys())
def test_a_report_heading_broken_inside_its_wrapper(head: str, tail: str) -> None:
    text = REPORT.format(first="存在“教育专网建设进度缓慢”的问题", second=f"{head}\n{tail}")
    report = parse_text(text)
    assert report.kind == RECTIFICATION_REPORT
    assert [(p.problem, p.measures) for p in report.problems] == [
        ("教育专网建设进度缓慢", "已完成教育城域网改造。"),
        ("安防人员专业知识与风险防控能力不足", "组织安防人员专题培训2期。"),
    ]


@pytest.mark.parametrize("head, tail", BREAKS.values(), ids=BREAKS.keys())
def test_every_heading_of_a_letter_broken_inside_its_wrapper(head: str, tail: str) -> None:
    first = "存在“教育专网建设进度缓慢”的问\n题"
    report = parse_text(LETTER.format(first=first, second=f"{head}\n{tail}"))
    assert report.kind == FEEDBACK_LETTER
    assert [p.problem for p in report.problems] == [
        "教育专网建设进度缓慢",
        "安防人员专业知识与风险防控能力不足",
    ]


def test_a_paragraph_that_goes_on_after_the_wrapper_is_not_its_end() -> None:
    """The wrapper must end the joined text: "题。我县已……" is a body, not a cut heading."""
    text = REPORT.format(
        first="存在“教育专网建设进度缓慢”的问题",
        second="存在“安防人员专业知识与风险防控能力不足”的问\n题，我县已组织培训。",
    )
    second = parse_text(text).problems[1]
    assert second.problem != "安防人员专业知识与风险防控能力不足"
