"""Rendered-PDF layout checks for the three kinds of letter at any number of items.

Used by test_rendered_layout.py (1, 15 and 40 items) and benchmarks/layout_sweep.py (every
length from 1 to 40). Positions come from pdfplumber, in points from the page's top-left.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import pdfplumber

from dudao.lib.zh import format_cn_date
from dudao.writers import (
    LetterHead,
    ReportProblem,
    ReportSection,
    SummaryCounty,
    SummaryData,
    SummaryItem,
    render_feedback_letter,
    render_rectification_report,
    render_summary_report,
)
from dudao.writers.tests import sample

PT_PER_MM = 72 / 25.4
# The 版心: 28 mm from the left, 156 mm wide; 37 mm from the top, 225 mm high.
LEFT, RIGHT = 28 * PT_PER_MM, 184 * PT_PER_MM
TOP, BOTTOM = 37 * PT_PER_MM, 262 * PT_PER_MM
SLACK = 1.0  # pt: glyph boxes are advance boxes, and LibreOffice rounds to twips
KINDS = ("report", "notice", "summary")
CONTACT = "联系人：王建国，电话：0468-6121234"


def _problems(count: int) -> list[tuple[str, ReportProblem]]:
    pool = [(s.title, p) for s in sample.sections() for p in s.problems]
    return [pool[n % len(pool)] for n in range(count)]


def _sections(count: int) -> tuple[ReportSection, ...]:
    grouped: dict[str, list[ReportProblem]] = defaultdict(list)
    for title, problem in _problems(count):
        grouped[title].append(problem)
    return tuple(ReportSection(title, tuple(problems)) for title, problems in grouped.items())


def build(kind: str, count: int) -> bytes:
    """A letter of `kind` (report, notice, summary) listing `count` items."""
    head = replace(sample.head(), contact=CONTACT)
    if kind == "report":
        return render_rectification_report(
            head, sample.preamble(), _sections(count), sample.CLOSING
        )
    if kind == "notice":
        notice = replace(
            head,
            issuer="鹤岗市人民政府教育督导委员会办公室",
            doc_number="鹤教督函〔2024〕9号",
            signature=None,
            title="关于2023年履行教育职责评价反馈问题的整改通知",
            recipient="绥滨县人民政府：",
            copy_to="鹤岗市教育局",
        )
        return render_feedback_letter(
            notice,
            "根据2023年履行教育职责评价结果，现将反馈问题通知如下，请认真组织整改。",
            _sections(count),
            report_by=head.date + datetime.timedelta(days=130),
        )
    counties = ("绥滨县", "萝北县", "东山区")
    items: dict[str, list[SummaryItem]] = defaultdict(list)
    for n, (dimension, problem) in enumerate(_problems(count)):
        items[counties[n % 3]].append(
            SummaryItem(
                dimension=dimension,
                problem=problem.statement,
                status_label=("已销号", "整改中", "申请销号", "未开始")[n % 4],
                deadline=problem.deadline,
                overdue=n % 5 == 1,
                lead_unit=problem.lead_unit,
            )
        )
    summary = replace(
        head,
        issuer="鹤岗市人民政府教育督导委员会办公室",
        doc_number="鹤教督函〔2024〕12号",
        signature=None,
        title="关于2023年履行教育职责评价反馈问题整改情况的汇总报告",
        recipient="鹤岗市人民政府：",
    )
    data = SummaryData(tuple(SummaryCounty(c, tuple(i)) for c, i in items.items()))
    return render_summary_report(summary, "现将各县（市、区）整改情况汇总报告如下。", data)


def expected_head(kind: str) -> LetterHead:
    head = sample.head()
    if kind == "report":
        return head
    return replace(head, signature=None, issuer="鹤岗市人民政府教育督导委员会办公室")


@dataclass
class Figures:
    """What one rendered letter measured, and what it failed."""

    kind: str
    count: int
    pages: int = 0
    title_lines: list[int] = field(default_factory=list)
    full_lines: int = 0
    full_line_chars: set[float] = field(default_factory=set)
    stretched_lines: int = 0
    stretched_min: float = 28.0
    body_lines_with_signature: int = 0
    outside: int = 0
    failures: list[str] = field(default_factory=list)


def _lines(chars: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in chars:
        if c["text"].strip():
            rows[round(c["bottom"])].append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def _text(line: list[dict[str, Any]]) -> str:
    return "".join(c["text"] for c in line)


def _cells(line: list[dict[str, Any]]) -> float:
    return sum(0.5 if c["text"].isascii() else 1.0 for c in line)


def _red(c: dict[str, Any]) -> bool:
    colour: tuple[float, ...] = tuple(c.get("non_stroking_color") or ())
    return len(colour) == 3 and colour[0] > 0.8 and colour[1] < 0.2


def check(kind: str, count: int, pdf: bytes) -> Figures:
    figures = Figures(kind, count)
    head = expected_head(kind)
    date = format_cn_date(head.date)
    signature = (head.signature or head.issuer).strip()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        figures.pages = len(pages)
        for number, page in enumerate(pages, start=1):
            lines = _lines(page.chars)
            for line in lines:
                text = _text(line)
                is_page_number = text.startswith("—") and text.endswith("—")
                for c in line:
                    if is_page_number or (number == 1 and _red(c)):
                        continue
                    if (
                        c["x0"] < LEFT - SLACK
                        or c["x1"] > RIGHT + SLACK
                        or c["top"] < TOP - SLACK
                        or c["bottom"] > BOTTOM + SLACK
                    ):
                        figures.outside += 1
                # A full line of 3号 body text runs from the left edge to the right edge:
                # set solid it holds 28 characters; stretched (justified because the next
                # word or number cannot be split) it must still hold 24 (达到 / 92.5%).
                if (
                    15.5 < line[0]["size"] < 16.5
                    and line[0]["x0"] < LEFT + 2
                    and line[-1]["x1"] > RIGHT - 2
                ):
                    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(line)]
                    if max(gaps, default=0) < 0.2:
                        figures.full_lines += 1
                        figures.full_line_chars.add(_cells(line))
                    else:
                        figures.stretched_lines += 1
                        figures.stretched_min = min(figures.stretched_min, _cells(line))
            if number == 1:
                title = [line for line in lines if abs(line[0]["size"] - 22) < 0.5]
                figures.title_lines = [len(_text(line)) for line in title]
        last = _lines(pages[-1].chars)
        texts = [_text(line) for line in last]
        if date in [t.replace(" ", "") for t in texts]:
            at = [t.replace(" ", "") for t in texts].index(date)
            above = [t for t in texts[:at] if t.replace(" ", "") != signature]
            figures.body_lines_with_signature = len(above)
            if signature not in [t.replace(" ", "") for t in texts[:at]]:
                figures.failures.append("署名不在成文日期所在页")
        else:
            figures.failures.append("成文日期不在最后一页")
        if figures.body_lines_with_signature < 1:
            figures.failures.append("最后一页只有署名和日期，没有正文")
    if any(n < 4 for n in figures.title_lines):
        figures.failures.append(f"标题有少于4字的行：{figures.title_lines}")
    if figures.full_line_chars - {28.0}:
        figures.failures.append(f"满行字数不是28：{sorted(figures.full_line_chars)}")
    if figures.stretched_min < 24:
        figures.failures.append(f"拉开排的满行只有{figures.stretched_min:g}字")
    if figures.outside:
        figures.failures.append(f"{figures.outside}个字超出版心")
    return figures


def sweep(
    cases: Iterable[tuple[str, int]],
    convert: Callable[[list[bytes]], list[bytes]],
    batch: int = 12,
) -> list[Figures]:
    """Build, convert (in batches, one LibreOffice run each) and check every case."""
    results: list[Figures] = []
    todo = list(cases)
    for chunk in (todo[i : i + batch] for i in range(0, len(todo), batch)):
        pdfs = convert([build(kind, count) for kind, count in chunk])
        results.extend(check(k, c, pdf) for (k, c), pdf in zip(chunk, pdfs, strict=True))
    return results
