"""Every hop's document, generated from the ledger and fed back to the importer as .docx
and as PDF, reads back into the ledger content it came from."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from dudao.cli import main
from dudao.documents import generation
from dudao.parser import FEEDBACK_LETTER, RECTIFICATION_REPORT, parse_file
from dudao.rectification import services
from dudao.rectification.models import Item

pytestmark = pytest.mark.django_db

SUFFIXES = [
    "docx",
    pytest.param(
        "pdf", marks=pytest.mark.skipif(not generation.pdf_available(), reason="no LibreOffice")
    ),
]


def generate(chain: Any, tmp_path: Path, capsys: Any, suffix: str, *args: str) -> Any:
    out = tmp_path / f"doc.{suffix}"
    main(["report", "--round", str(chain.round.pk), "-o", str(out), *args])
    capsys.readouterr()
    return parse_file(out.read_bytes(), out.name)


def ledger_rows(items: list[Item]) -> list[tuple[str, str, str, str]]:
    fresh = [Item.objects.select_related("problem").get(pk=i.pk) for i in items]
    return [
        (i.problem.dimension + "方面", i.problem.statement, i.lead_unit, _iso(i.deadline))
        for i in fresh
    ]


def read_rows(parsed: Any) -> list[tuple[str, str, str, str]]:
    return [
        (s.title, p.problem, p.lead_unit, p.deadline) for s in parsed.sections for p in s.problems
    ]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_feedback_to_the_city_reads_back(
    chain: Any, tmp_path: Path, capsys: Any, suffix: str
) -> None:
    parsed = generate(chain, tmp_path, capsys, suffix, "--region", "230400", "--kind",
                      "feedback", "--user", "province", "--date", "2024-01-15")  # fmt: skip
    assert parsed.kind == FEEDBACK_LETTER
    assert parsed.recipient == "鹤岗市人民政府"
    assert read_rows(parsed) == ledger_rows(chain.city_items)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_notice_to_the_county_reads_back(
    chain: Any, tmp_path: Path, capsys: Any, suffix: str
) -> None:
    parsed = generate(chain, tmp_path, capsys, suffix, "--region", "230422", "--kind",
                      "feedback", "--user", "hegang", "--date", "2024-03-01")  # fmt: skip
    assert parsed.kind == FEEDBACK_LETTER
    assert (parsed.issuer, parsed.recipient) == ("鹤岗市人民政府教育督导室", "绥滨县人民政府")
    assert parsed.date == datetime.date(2024, 3, 1)
    assert read_rows(parsed) == ledger_rows(chain.suibin_items)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_countys_report_reads_back(
    chain: Any, tmp_path: Path, capsys: Any, suffix: str, personas: Any
) -> None:
    outcomes = [
        "已完成教育城域网改造，全县学校接入教育专网。",
        "组织安防人员专题培训2期，覆盖120人。",
    ]
    for item, outcome in zip(chain.suibin_items, outcomes, strict=True):
        services.item_update(
            acting_user=personas["suibin"], item=item, expected_version=item.version,
            outcome=outcome,
        )  # fmt: skip
    parsed = generate(chain, tmp_path, capsys, suffix, "--region", "230422", "--kind",
                      "rectification", "--user", "suibin", "--date", "2024-05-28")  # fmt: skip
    assert parsed.kind == RECTIFICATION_REPORT
    assert [(s.title, p.problem, p.measures) for s in parsed.sections for p in s.problems] == [
        (d, s, o) for (d, s, _, _), o in zip(ledger_rows(chain.suibin_items), outcomes, strict=True)
    ]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_citys_report_draws_on_its_counties_outcomes(
    chain: Any, tmp_path: Path, capsys: Any, personas: Any, suffix: str
) -> None:
    for item, who, text in [
        (chain.suibin_items[0], "suibin", "绥滨县全县学校接入教育专网。"),
        (chain.luobei_items[0], "luobei", "萝北县完成城域网改造。"),
    ]:
        services.item_update(
            acting_user=personas[who], item=item, expected_version=item.version, outcome=text
        )
    city = chain.city_items[1]
    services.item_update(
        acting_user=personas["hegang"], item=city, expected_version=city.version,
        outcome="全市开展安防培训。",
    )  # fmt: skip
    parsed = generate(chain, tmp_path, capsys, suffix, "--region", "230400", "--kind",
                      "rectification", "--user", "hegang", "--date", "2024-06-15")  # fmt: skip
    assert [p.measures for p in parsed.problems] == [
        "萝北县：萝北县完成城域网改造。\n绥滨县：绥滨县全县学校接入教育专网。",
        "全市开展安防培训。",
    ]


def _iso(day: Any) -> str:
    """A deadline as the parser gives it back: ISO text ("" for none)."""
    return day.isoformat() if day else ""


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_citys_summary_reads_back_as_the_citys_items(
    chain: Any, tmp_path: Path, capsys: Any, personas: Any, suffix: str
) -> None:
    """The summary lists each county's items in a table; the province reads it as the
    problems it holds the city to, each once, matched to the city's items, changing none."""
    parsed = generate(chain, tmp_path, capsys, suffix, "--region", "230400", "--kind",
                      "summary", "--user", "hegang", "--date", "2024-06-15")  # fmt: skip
    assert [(s.title, p.problem, p.measures) for s in parsed.sections for p in s.problems] == [
        (i.problem.dimension, i.problem.statement, "") for i in chain.city_items
    ]
    out = tmp_path / f"doc.{suffix}"
    main(["import-report", str(out), "--user", "province", "--region", "230400", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert (result["kind"], result["round"]) == ("summary", chain.round.pk)
    assert result["problems"] == [
        {"statement": p.statement, "dimension": p.dimension, "match": "matched", "item": i.pk}
        for p, i in zip(chain.problems, chain.city_items, strict=True)
    ]
    assert [Item.objects.get(pk=i.pk).version for i in chain.city_items] == [
        i.version for i in chain.city_items
    ]
