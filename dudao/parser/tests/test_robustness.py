"""Random and mutated input: the parser returns a Report or raises ParseError, nothing else,
and never hangs (no pattern with catastrophic backtracking). No timing asserts: a hang shows
up as a test that does not finish."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dudao.parser import ParseError, Report, extract_text, parse_text, report_to_dict
from dudao.parser.tests.conftest import SAMPLE

LINES = SAMPLE.read_text(encoding="utf-8").splitlines()
ALPHABET = st.sampled_from(
    list(
        "一二三四五六七八九十、（）()“”‘’：:。；，,.0123456789 \n\t"
        "-—第页号年月日是存在问题整改情况措施关于〔〕%万元人名个"
    )
)
DAMAGE = st.sampled_from(
    ["— 3 —", "-4-", "第5页", "", "一、", "（一）", "整改情况：", "绥政办发〔2024〕1号"]
)
SETTINGS = settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _parses(text: str) -> Report | None:
    try:
        report = parse_text(text)
    except ParseError:
        return None
    json.dumps(report_to_dict(report), ensure_ascii=False)
    return report


@SETTINGS
@given(st.text(max_size=3000))
def test_it_survives_random_unicode(text: str) -> None:
    _parses(text)


@SETTINGS
@given(st.text(alphabet=ALPHABET, max_size=3000))
def test_it_survives_random_report_like_text(text: str) -> None:
    _parses(text)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(LINES) - 1),
            st.sampled_from(["delete", "duplicate", "insert", "split"]),
            DAMAGE,
        ),
        max_size=12,
    )
)
def test_it_survives_a_mutated_sample(edits: list[tuple[int, str, str]]) -> None:
    lines = list(LINES)
    for index, action, damage in edits:
        i = min(index, len(lines) - 1)
        if not lines:
            break
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            lines.insert(i, damage)
        else:
            cut = len(lines[i]) // 2
            lines[i : i + 1] = [lines[i][:cut], lines[i][cut:]]
    report = _parses("\n".join(lines))
    assert report is not None
    assert report.problem_count <= 20


@SETTINGS
@given(st.binary(max_size=2000))
def test_extraction_of_random_bytes_raises_only_parse_error(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        extract_text(data, "upload.bin")


def test_a_pathological_200_kb_single_line_parses() -> None:
    line = (
        "（一）存在“" + "、" * 50 + "一是1" * 40 + "2024年" + "较2022年度的17.3%提高" + " " * 30
    ) * 500
    report = parse_text(line[:200_000])
    assert isinstance(report, Report)


def test_a_200_kb_run_of_digits_and_spaces_parses() -> None:
    report = parse_text("1" * 100_000 + " " * 50_000 + "。" * 50_000)
    assert report.problem_count == 0
