"""Rendered-PDF layout checks for the three kinds of letter at any number of items.

Used by test_rendered_layout.py (1, 15 and 40 items) and benchmarks/layout_sweep.py (every
length from 1 to 40, and the summary shifted line by line so that its headings fall at
every position of a page). Positions come from pdfplumber, in points from the page's
top-left.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
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
CLOSING = re.compile(r"^特此\w{2}。$")


def _problems(count: int) -> list[tuple[str, ReportProblem]]:
    pool = [(s.title, p) for s in sample.sections() for p in s.problems]
    return [pool[n % len(pool)] for n in range(count)]


def _sections(count: int) -> tuple[ReportSection, ...]:
    grouped: dict[str, list[ReportProblem]] = defaultdict(list)
    for title, problem in _problems(count):
        grouped[title].append(problem)
    return tuple(ReportSection(title, tuple(problems)) for title, problems in grouped.items())


# One line of body text (26 characters after the 2-character indent, or fewer).
SHIFT_LINE = "现将有关情况报告如下。"


def build(kind: str, count: int, shift: int = 0) -> bytes:
    """A letter of `kind` (report, notice, summary) listing `count` items, its opening
    `shift` lines longer (which moves everything after it down by as many lines)."""
    head = replace(sample.head(), contact=CONTACT)
    extra = "".join(f"\n{SHIFT_LINE}" for _ in range(shift))
    if kind == "report":
        return render_rectification_report(
            head, sample.preamble() + extra, _sections(count), sample.CLOSING
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
            "根据2023年履行教育职责评价结果，现将反馈问题通知如下，请认真组织整改。" + extra,
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
    return render_summary_report(summary, "现将各县（市、区）整改情况汇总报告如下。" + extra, data)


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
    shift: int = 0
    pages: int = 0
    title_lines: list[int] = field(default_factory=list)
    full_lines: int = 0
    full_line_chars: set[float] = field(default_factory=set)
    stretched_lines: int = 0
    stretched_min: float = 28.0
    body_lines_with_signature: int = 0
    outside: int = 0
    # Headings (一、 黑体, （一） 楷体) and table captions: how many, how many a page break
    # carried to the top of the next page, and the least room (pt) left under one that
    # stayed on its page, down to the 版心's bottom edge.
    headings: int = 0
    headings_carried: int = 0
    heading_room: float = 1000.0
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


def _role(line: list[dict[str, Any]]) -> str | None:
    """heading (一、 in 黑体, （一） in 楷体, 3号) or caption (表1 in 4号黑体), by face and size."""
    face = str(line[0]["fontname"])
    size = float(line[0]["size"])
    if 15.5 < size < 16.5 and ("Sans" in face or "Kai" in face):
        return "heading"
    if 13.5 < size < 14.5 and "Sans" in face and _text(line).startswith("表"):
        return "caption"
    return None


def _kept_with_what_follows(figures: Figures, flow: list[tuple[int, list[dict[str, Any]]]]) -> None:
    """Headings and captions share their page with what they introduce: a heading with the
    line after it (and with the caption and table when a table follows within two lines, as
    under each county of the summary), a caption with its table's header row and first row
    (two lines of 小四), a line ending in "：" with the caption after it."""
    for at, (page, line) in enumerate(flow):
        role = _role(line)
        after = flow[at + 1 : at + 4]
        same = bool(after) and after[0][0] == page
        if role is None:
            leads_in = _text(line).endswith("：") and after and _role(after[0][1]) == "caption"
            if leads_in and not same:
                figures.failures.append(f"第{page}页末行“{_text(line)}”与其后的表格分开")
            continue
        figures.headings += 1
        if at and flow[at - 1][0] != page:
            figures.headings_carried += 1
        else:
            room = BOTTOM - max(c["bottom"] for c in line)
            figures.heading_room = min(figures.heading_room, room)
        if role == "caption":
            rows = [ln for pg, ln in flow[at + 1 : at + 3] if pg == page and ln[0]["size"] < 13]
            if len(rows) < 2:
                figures.failures.append(f"第{page}页表题“{_text(line)}”与表格首行分开")
        elif not same:
            figures.failures.append(f"第{page}页标题“{_text(line)}”在页末，与下文分开")
        elif any(_role(ln) == "caption" and pg != page for pg, ln in after[:2]):
            figures.failures.append(f"第{page}页标题“{_text(line)}”与其表格分开")


def check(kind: str, count: int, pdf: bytes, shift: int = 0) -> Figures:
    figures = Figures(kind, count, shift)
    head = expected_head(kind)
    date = format_cn_date(head.date)
    signature = (head.signature or head.issuer).strip()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        figures.pages = len(pages)
        flow: list[tuple[int, list[dict[str, Any]]]] = []
        for number, page in enumerate(pages, start=1):
            lines = _lines(page.chars)
            for line in lines:
                text = _text(line)
                is_page_number = text.startswith("—") and text.endswith("—")
                if not is_page_number:
                    flow.append((number, line))
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
        _kept_with_what_follows(figures, flow)
        last = _lines(pages[-1].chars)
        texts = [_text(line) for line in last]
        if date in [t.replace(" ", "") for t in texts]:
            at = [t.replace(" ", "") for t in texts].index(date)
            # Body lines: not the signature, nor the closing line (特此报告。) alone.
            above = [
                t
                for t in texts[:at]
                if t.replace(" ", "") != signature and not CLOSING.match(t.replace(" ", ""))
            ]
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
    cases: Iterable[tuple[str, int] | tuple[str, int, int]],
    convert: Callable[[list[bytes]], list[bytes]],
    batch: int = 12,
) -> list[Figures]:
    """Build, convert (in batches, one LibreOffice run each) and check every case: (kind,
    items) or (kind, items, lines of shift)."""
    results: list[Figures] = []
    todo = [(case[0], case[1], case[2] if len(case) > 2 else 0) for case in cases]
    for chunk in (todo[i : i + batch] for i in range(0, len(todo), batch)):
        pdfs = convert([build(kind, count, shift) for kind, count, shift in chunk])
        results.extend(
            check(k, c, pdf, shift) for (k, c, shift), pdf in zip(chunk, pdfs, strict=True)
        )
    return results
