"""What the parser reads out of a report: frozen dataclasses and their JSON shape.

Offsets: a fact's `start`/`end` index the *repaired* text of the field it was found in
(`field` is "measures" or "problem"), so `problem.measures[fact.start:fact.end]` is the fact
with stray spaces removed, while `fact.text` keeps the spelling of the source ("3600 万元").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

RECTIFICATION_REPORT = "rectification_report"
FEEDBACK_LETTER = "feedback_letter"


@dataclass(frozen=True)
class Fact:
    """A quantity found in a problem's text.

    kind: "money" (unit 元), "percentage" (%), "percentage_point" (个百分点), "count"
    (人, 名, 所, 个, 次, 间, 项 …), "area" (平方米, 亩) or "comparison". A comparison
    ("较 2022 年度的 17.3% 提高 3.9 个百分点") is an extra fact spanning the whole phrase whose
    value is the result (21.2, unit %); the 17.3% and 3.9 个百分点 inside it stay as their own
    facts.
    """

    text: str
    value: Decimal
    unit: str
    kind: str
    start: int
    end: int
    field: str = "measures"
    approximate: bool = False
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    change: Decimal | None = None
    result: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    """One problem. `number` is its 1-based position in the whole report (unique even when
    the source restarts its numbering per section); `label` is the numbering as printed."""

    label: str
    number: int
    problem: str
    measures: str
    facts: tuple[Fact, ...] = ()
    # What a notice (整改通知) assigns with the problem; empty in reports and plain
    # feedback letters, and then left out of the JSON.
    lead_unit: str = ""
    co_units: str = ""
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class Section:
    label: str
    title: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class TrailingDocument:
    """Another document glued on after the report (e.g. by a website's PDF export)."""

    issuer: str
    doc_number: str
    title: str


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    issuer: str
    doc_number: str
    recipient: str
    date: datetime.date | None
    preamble: str
    sections: tuple[Section, ...]
    trailing_documents: tuple[TrailingDocument, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for s in self.sections for p in s.problems)

    @property
    def problem_count(self) -> int:
        return sum(len(s.problems) for s in self.sections)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def fact_to_dict(fact: Fact) -> dict[str, object]:
    return {
        "text": fact.text,
        "value": _number(fact.value),
        "unit": fact.unit,
        "kind": fact.kind,
        "field": fact.field,
        "start": fact.start,
        "end": fact.end,
        "approximate": fact.approximate,
        "baseline_year": fact.baseline_year,
        "baseline_value": _number(fact.baseline_value),
        "change": _number(fact.change),
        "result": _number(fact.result),
    }


def report_to_dict(report: Report) -> dict[str, object]:
    """JSON-ready dict; field names match the gold files (`samples/*.gold.json`)."""
    sections: list[dict[str, object]] = []
    all_facts: list[dict[str, object]] = []
    for section in report.sections:
        problems: list[dict[str, object]] = []
        for problem in section.problems:
            facts = [fact_to_dict(f) for f in problem.facts]
            all_facts.extend({**f, "problem_number": problem.number} for f in facts)
            row: dict[str, object] = {
                "label": problem.label,
                "number": problem.number,
                "problem": problem.problem,
                "measures": problem.measures,
                "facts": facts,
            }
            if problem.lead_unit or problem.co_units or problem.deadline:
                row["lead_unit"] = problem.lead_unit
                row["co_units"] = problem.co_units
                row["deadline"] = problem.deadline.isoformat() if problem.deadline else None
            problems.append(row)
        sections.append({"label": section.label, "title": section.title, "problems": problems})
    return {
        "kind": report.kind,
        "title": report.title,
        "issuer": report.issuer,
        "doc_number": report.doc_number,
        "recipient": report.recipient,
        "date": report.date.isoformat() if report.date else None,
        "preamble": report.preamble,
        "sections": sections,
        "problem_count": report.problem_count,
        "facts": all_facts,
        "trailing_documents": [
            {"issuer": t.issuer, "doc_number": t.doc_number, "title": t.title}
            for t in report.trailing_documents
        ],
        "warnings": list(report.warnings),
    }
