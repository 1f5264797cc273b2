"""An office's own 整改台账 (.xlsx with title rows, merged cells and several sheets; .csv in
another order) reads into the same Report as a letter, one problem per row."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dudao.parser import ParseError, parse_file
from dudao.parser.ledger import find_header, propose_columns, status_of
from dudao.parser.tests.conftest import CORPUS
from dudao.parser.tests.corpus import ledgers

LEDGERS = CORPUS / "ledgers"


def _reading(name: str) -> list[tuple[str, ...]]:
    report = parse_file((LEDGERS / name).read_bytes(), name)
    return [
        (p.label, s.title, p.problem, p.measures, p.lead_unit, p.deadline, p.outcome, p.status)
        for s in report.sections
        for p in s.problems
    ]


def test_the_county_workbook_reads_every_row_across_its_sheets_and_merged_cells() -> None:
    assert _reading("county-ledger.xlsx") == ledgers.COUNTY_EXPECTED
    report = parse_file((LEDGERS / "county-ledger.xlsx").read_bytes(), "台账.xlsx")
    assert report.title == ledgers.TITLE
    assert report.issuer == "萝北县教育局"
    assert report.date is not None and report.date.isoformat() == "2024-06-30"
    assert report.kind == "rectification_report"
    assert [p.number for p in report.problems] == [1, 2, 3]
    assert report.problems[0].problem == "教师培训经费未达到公用经费的5%"
    assert report.problems[0].co_units == "县财政局"


def test_the_csv_in_its_own_column_order_reads_too() -> None:
    assert _reading("bureau-ledger.csv") == ledgers.BUREAU_EXPECTED
    report = parse_file((LEDGERS / "bureau-ledger.csv").read_bytes(), "台账.csv")
    assert report.problems[0].responsible_person == "王明"


def test_columns_are_proposed_from_the_header_names() -> None:
    header = ["序号", "问题描述", "牵头单位", "配合单位", "责任人", "完成时限", "整改进展", "备注"]
    assert propose_columns(header) == {
        "label": 0,
        "problem": 1,
        "lead_unit": 2,
        "co_units": 3,
        "responsible_person": 4,
        "deadline": 5,
        "outcome": 6,
        "remark": 7,
    }
    assert find_header([["某县整改台账"], ["填报单位：某县"], header]) == 2
    assert [status_of(w) for w in ("已完成", "已整改", "持续整改", "推进中", "")] == [
        "done",
        "done",
        "ongoing",
        "in_progress",
        "",
    ]


def test_a_workbook_without_a_ledger_header_is_refused_with_advice() -> None:
    data = "姓名,电话\n张三,123\n".encode()
    with pytest.raises(ParseError) as caught:
        parse_file(data, "通讯录.csv")
    assert "未在表格中找到表头" in caught.value.message


def test_dudao_parse_prints_the_workbook_as_the_json_of_a_letter() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dudao", "parse", str(LEDGERS / "county-ledger.xlsx"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["problem_count"] == 3
    first = data["sections"][0]["problems"][0]
    assert (first["lead_unit"], first["deadline"], first["outcome"]) == (
        "县教育局",
        "2024年6月",
        "已完成",
    )
    assert "lead_unit" not in json.dumps(data["sections"][0]["problems"][0]["facts"])


def test_the_legacy_xls_of_the_county_workbook_reads_the_same() -> None:
    """county-ledger.xls is county-ledger.xlsx saved as BIFF8 by LibreOffice
    (`make_corpus --xls`): python-calamine reads legacy Excel too."""
    data = (LEDGERS / "county-ledger.xls").read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # OLE2, not a renamed .xlsx
    assert _reading("county-ledger.xls") == ledgers.COUNTY_EXPECTED
    report = parse_file(data, "台账.xls")
    assert report.title == ledgers.TITLE and report.issuer == "萝北县教育局"


def test_dudao_parse_reads_the_legacy_xls() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dudao", "parse", str(LEDGERS / "county-ledger.xls"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    problems = [p for s in data["sections"] for p in s["problems"]]
    assert [p["problem"] for p in problems] == [row[2] for row in ledgers.COUNTY_EXPECTED]
    assert problems[0]["lead_unit"] == "县教育局" and problems[0]["status"] == "done"
