"""The county's 整改情况报告 and the city's 整改通知, both as a 函."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence

from dudao.lib.labels import FIELD_LABELS
from dudao.lib.zh import cn_numeral, format_cn_date
from dudao.writers.content import LetterHead, ReportProblem, ReportSection, cleaned
from dudao.writers.page import finish_letter, new_letter, paragraph, paragraphs

NEXT_STEPS = "下一步打算"
# The closing line of each kind (GB/T 9704 leaves the wording to the kind of document).
REPORT_CLOSING = "特此函告。"
NOTICE_CLOSING = "特此通知。"


def render_rectification_report(
    head: LetterHead,
    preamble: str,
    sections: Sequence[ReportSection],
    closing: str | None = None,
) -> bytes:
    """The county's rectification report (整改情况报告) as a .docx 函.

    Each section is a `一、` heading (黑体); each problem a `（一）存在“……”的问题` heading
    (楷体), numbered continuously across sections as county letters are, followed by
    `整改情况：` and the outcome. `closing`, if given, becomes the next `X、下一步打算`.
    """
    head, preamble, sections, closing = cleaned((head, preamble, tuple(sections), closing))
    document = new_letter(head)
    paragraphs(document, preamble)
    for number, problem in _numbered(document, sections):
        statement = _inner_quotes(problem.statement.strip())
        paragraph(document, f"{number}存在“{statement}”的问题", "GwHeading2")
        first, _, rest = problem.outcome.strip().partition("\n")
        paragraph(document, f"{FIELD_LABELS['outcome']}：{first.strip()}", "GwBody")
        paragraphs(document, rest)
    if closing and closing.strip():
        paragraph(document, f"{cn_numeral(len(sections) + 1)}、{NEXT_STEPS}", "GwHeading1")
        paragraphs(document, closing)
    return finish_letter(document, head, REPORT_CLOSING)


def render_feedback_letter(
    head: LetterHead,
    preamble: str,
    sections: Sequence[ReportSection],
    report_by: datetime.date | None = None,
) -> bytes:
    """The city's rectification notice (整改通知) to a county as a .docx 函.

    Problems are grouped by dimension and numbered continuously; each is followed by its
    lead unit (牵头单位) and deadline (整改时限) when they are set. `report_by`, if given,
    is the date by which the county reports back, asked for after the problems.
    """
    head, preamble, sections = cleaned((head, preamble, tuple(sections)))
    document = new_letter(head)
    paragraphs(document, preamble)
    for number, problem in _numbered(document, sections):
        statement = problem.statement.strip().rstrip("。；;")
        paragraph(document, f"{number}{statement}", "GwHeading2")
        if problem.lead_unit.strip():
            lead = f"{FIELD_LABELS['lead_unit']}：{problem.lead_unit.strip()}"
            paragraph(document, lead, "GwBody")
        if problem.deadline is not None:
            deadline = f"{FIELD_LABELS['deadline']}：{format_cn_date(problem.deadline)}"
            paragraph(document, deadline, "GwBody")
    if report_by is not None:
        paragraph(
            document,
            f"请于{format_cn_date(report_by)}前将整改情况书面报送我单位。",
            "GwBody",
        )
    return finish_letter(document, head, NOTICE_CLOSING)


def _numbered(
    document: object, sections: Sequence[ReportSection]
) -> Iterator[tuple[str, ReportProblem]]:
    """Write each section's `一、` heading and yield its problems with their `（一）` numbers,
    which run on across sections."""
    number = 0
    for index, section in enumerate(sections, start=1):
        paragraph(document, f"{cn_numeral(index)}、{section.title.strip()}", "GwHeading1")
        for problem in section.problems:
            number += 1
            yield f"（{cn_numeral(number)}）", problem


def _inner_quotes(text: str) -> str:
    """Quotes nested in “……” become ‘……’, as Chinese typesetting nests them."""
    return text.replace("“", "‘").replace("”", "’")
