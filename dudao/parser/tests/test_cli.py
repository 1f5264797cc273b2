"""`dudao parse FILE [--json]` through the project's console entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dudao.cli import main
from dudao.parser.tests.conftest import CORPUS, SAMPLE

GOLD = json.loads((CORPUS / "suibin-2024-17.gold.json").read_text(encoding="utf-8"))


def test_it_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == GOLD["title"]
    assert data["problem_count"] == 15


def test_it_prints_a_readable_outline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "文号：绥政函〔2024〕17号" in out
    assert "15. （十五） 安防人员专业知识与风险防控能力不足" in out
    assert "3600 万元（36000000 元）" in out


@pytest.mark.parametrize(
    ("name", "word"),
    [("legacy.doc", ".docx"), ("encrypted.pdf", "加密"), ("missing.txt", "无法读取")],
)
def test_it_prints_one_line_and_fails_on_bad_input(
    name: str, word: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(CORPUS / name), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("错误：")
    assert word in lines[0]


def test_the_installed_command_matches_the_gold_file() -> None:
    dudao = Path(sys.executable).parent / "dudao"
    result = subprocess.run(
        [str(dudao), "parse", str(CORPUS / "suibin-2024-17.txt"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    data = json.loads(result.stdout)
    for key in ("title", "issuer", "doc_number", "recipient", "date", "problem_count"):
        assert data[key] == GOLD[key]
    problems = [p for s in data["sections"] for p in s["problems"]]
    assert [p["problem"] for p in problems] == [
        p["problem"] for s in GOLD["sections"] for p in s["problems"]
    ]
