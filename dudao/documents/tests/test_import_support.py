"""Fixtures shared by the report-import tests (no tests here; each module aliases them):
a round of 鹤岗市 evaluating 绥滨县 whose 15 problems are those of the real sample letter,
assigned to 绥滨县."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "parser" / "tests" / "corpus"
SAMPLE = CORPUS / "suibin-2024-17.txt"
SUIBIN = "230422"
LUOBEI = "230421"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def corrected_sample() -> bytes:
    """The sample with one outcome sentence changed (problem 十四: 8 schools → 9)."""
    text = SAMPLE.read_text("utf-8")
    assert text.count("8所学校") == 1
    return text.replace("8所学校", "9所学校").encode("utf-8")


@dataclass
class SuibinRound:
    round: Any
    problems: list[Any]
    items: list[Any]


def sample_rows() -> list[tuple[str, str]]:
    """(dimension, statement) of the sample's 15 problems, as the parser reads them."""
    from dudao.parser import parse_text

    report = parse_text(SAMPLE.read_text("utf-8"))
    return [
        (section.title.removesuffix("方面"), problem.problem)
        for section in report.sections
        for problem in section.problems
    ]


@pytest.fixture
def suibin_round(personas: dict[str, Any], regions: dict[str, Any], media: Path) -> SuibinRound:
    from dudao.rectification import services

    hegang = personas["hegang"]
    rnd = services.round_create(
        acting_user=hegang,
        year=2023,
        evaluating_region=regions["230400"],
        evaluated_region=regions[SUIBIN],
        title="鹤岗市对绥滨县人民政府履行教育职责评价",
    )
    problems = [
        services.problem_add(acting_user=hegang, rnd=rnd, dimension=d, statement=s)
        for d, s in sample_rows()
    ]
    items = services.items_assign(
        acting_user=hegang,
        rnd=rnd,
        problems=problems,
        regions=[regions[SUIBIN]],
        deadline=datetime.date(2024, 6, 30),
        lead_unit="绥滨县教育局",
    )
    return SuibinRound(round=rnd, problems=problems, items=items)


@pytest.fixture
def luobei_round(personas: dict[str, Any], regions: dict[str, Any], media: Path) -> Any:
    """An empty round of 鹤岗市 evaluating 萝北县, for its feedback letter."""
    from dudao.rectification import services

    return services.round_create(
        acting_user=personas["hegang"],
        year=2023,
        evaluating_region=regions["230400"],
        evaluated_region=regions[LUOBEI],
        title="鹤岗市对萝北县人民政府履行教育职责评价",
    )


def ledger_snapshot() -> tuple[Any, ...]:
    """Everything an import may write, to assert that a refusal wrote nothing."""
    from dudao.audit.models import AuditEvent
    from dudao.documents.models import OfficialDocument
    from dudao.rectification.models import Item, Problem

    return (
        Problem.objects.count(),
        sorted(Item.objects.values_list("pk", "version", "outcome")),
        AuditEvent.objects.count(),
        OfficialDocument.objects.count(),
    )
