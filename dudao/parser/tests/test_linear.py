"""The parser's work grows linearly with its input: lines executed in dudao/parser are
counted (not timed) for documents shaped to defeat it, at two sizes. Before the block and
section lookups in structure.py became single passes, a list of 8,000 一是 lines took 45 s
and these counts grew with the square of the size."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from dudao.parser import parse_text
from dudao.parser.extract import MAX_CHARS

PARSER = str(Path(__file__).resolve().parent.parent)
TESTS = str(Path(__file__).resolve().parent)

SHAPES: dict[str, Callable[[int], str]] = {
    "一是 after 一是": lambda n: (
        "关于整改情况的报告\n一、教育方面\n" + "".join(f"一是问题{i}。\n" for i in range(n))
    ),
    "problems without sections": lambda n: (
        "关于整改情况的报告\n"
        + "".join(f"（{i}）问题{i}。\n整改情况：已完成。\n" for i in range(n))
    ),
    "a section per problem": lambda n: (
        "关于整改情况的报告\n" + "".join(f"{i}.方面{i}\n（一）问题{i}。\n" for i in range(n))
    ),
    "one long line": lambda n: "关于整改情况的报告\n" + "整改" * (n * 10),
}


def steps(text: str) -> int:
    """Lines executed in the parser's modules while parsing `text`."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        name = frame.f_code.co_filename
        return local if name.startswith(PARSER) and not name.startswith(TESTS) else None

    sys.settrace(tracer)
    try:
        parse_text(text)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", SHAPES)
def test_the_work_grows_linearly_with_the_input(shape: str) -> None:
    small, large = steps(SHAPES[shape](1000)), steps(SHAPES[shape](4000))
    assert large < 5 * small, (small, large)  # quadratic work would be 16 times


@pytest.mark.parametrize("shape", SHAPES)
def test_the_longest_allowed_input_takes_a_bounded_number_of_steps(shape: str) -> None:
    make = SHAPES[shape]
    per_item = len(make(2)) - len(make(1))
    # a tenth of the longest allowed text, since tracing every line is slow; the test above
    # shows the count grows linearly from there
    count = MAX_CHARS // per_item // 10
    text = make(count)
    assert len(text) >= MAX_CHARS // 11
    assert steps(text) < 1000 * count
