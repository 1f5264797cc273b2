"""The title breaker: whole words, numbers with their units and names kept together,
balanced lines of at least 4 characters, a trapezoid or a diamond, linear work."""

from __future__ import annotations

import pytest

from dudao.writers import layout
from dudao.writers.title import MIN_LINE, Steps, title_lines, width

CAPACITY = layout.TEXT_WIDTH / 20 / layout.SIZE_2  # 2号 characters on a line: about 20
LONG = (
    "鹤岗市人民政府教育督导委员会办公室关于进一步做好"
    "全市义务教育优质均衡发展督导评估问题整改工作的通知"
)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        # The summary used to break as 20 / 17 / 4 ("…情况的 / 汇总报告").
        (
            "鹤岗市人民政府教育督导委员会办公室关于2023年履行教育职责评价反馈问题整改情况的汇总报告",
            [
                "鹤岗市人民政府教育督导委员会办公室",
                "关于2023年履行教育职责评价",
                "反馈问题整改情况的汇总报告",
            ],
        ),
        (
            "关于2023年履行教育职责评价反馈问题整改情况的汇总报告",
            ["关于2023年履行教育职责评价", "反馈问题整改情况的汇总报告"],
        ),
        # An organ's name stays whole, even where a shorter first line would balance better.
        (
            "鹤岗市人民政府教育督导委员会办公室关于进一步做好全市义务教育优质均衡发展督导评估问题整改工作的通知",
            [
                "鹤岗市人民政府教育督导委员会办公室",
                "关于进一步做好全市义务教育优质均衡",
                "发展督导评估问题整改工作的通知",
            ],
        ),
    ],
)
def test_titles_break_between_phrases_into_balanced_lines(title: str, lines: list[str]) -> None:
    assert title_lines(title, CAPACITY) == lines


def test_the_feedback_letter_title_leaves_no_year_alone() -> None:
    lines = title_lines(
        "关于对萝北县2023年度履行教育职责评价反馈意见整改情况进行督导检查的函", CAPACITY
    )
    assert "".join(lines) == "关于对萝北县2023年度履行教育职责评价反馈意见整改情况进行督导检查的函"
    assert all(width(line) >= MIN_LINE for line in lines)
    assert not any(line.endswith("2023") or line.startswith("年") for line in lines)


def test_a_quoted_regulation_is_broken_between_its_words_only_when_it_must_be() -> None:
    lines = title_lines(
        "黑龙江省教育厅关于印发《黑龙江省中小学校幼儿园安全管理办法》的通知", CAPACITY
    )
    assert lines == ["黑龙江省教育厅关于印发《黑龙江省中小学校", "幼儿园安全管理办法》的通知"]
    # Where the quotation cannot fit a line, it breaks between its words.
    short = title_lines("关于印发《中小学校幼儿园安全管理办法》的通知", 16)
    assert short == ["关于印发《中小学校幼儿园", "安全管理办法》的通知"]


@pytest.mark.parametrize("length", [30, 60, 100, 200, 300])
def test_every_title_up_to_the_form_limit_keeps_to_the_rules(length: int) -> None:
    title = (LONG * 7)[:length]
    lines = title_lines(title, CAPACITY)
    assert "".join(lines) == title
    widths = [width(line) for line in lines]
    assert max(widths) <= CAPACITY
    assert min(widths) >= MIN_LINE
    # No number is split from its neighbours, nor the organ name.
    for line in lines:
        assert not line.startswith(("年", "督导委员会", "人民政府"))


def test_the_work_is_linear_in_the_title_length() -> None:
    """Counted transitions, not time, up to the form's 300 characters."""
    per_character = []
    for length in (50, 100, 200, 300):
        steps = Steps()
        title_lines((LONG * 7)[:length], CAPACITY, steps)
        per_character.append(steps.steps / length)
    # The same work per character at every length (the old breaker tried every combination
    # of break points: 100 characters took over a minute) …
    assert max(per_character) < 1.25 * min(per_character)
    # … and bounded by the window a line can span: 2 line counts × (2 × capacity)² at most.
    assert max(per_character) <= 2 * (2 * CAPACITY) ** 2


def test_short_titles_and_hand_broken_titles_are_kept() -> None:
    assert title_lines("关于整改情况的函", CAPACITY) == ["关于整改情况的函"]
    assert title_lines("第一行\n第二行", CAPACITY) == ["第一行", "第二行"]
    steps = Steps()
    title_lines("关于整改情况的函", CAPACITY, steps)
    assert steps.steps == 0
