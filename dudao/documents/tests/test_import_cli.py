"""`dudao import-report` through the console entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dudao.cli import main
from dudao.documents.models import OfficialDocument
from dudao.documents.tests import test_import_support as support
from dudao.documents.tests.test_import_support import (
    CORPUS,
    SAMPLE,
    SUIBIN,
    SuibinRound,
    corrected_sample,
    ledger_snapshot,
)
from dudao.rectification.models import Item

pytestmark = pytest.mark.django_db

# fixtures
suibin_round = support.suibin_round


def run(*args: str) -> None:
    main(["import-report", *args])


def args_for(sr: SuibinRound, path: Path | str = SAMPLE, user: str = "suibin") -> list[str]:
    return [str(path), "--round", str(sr.round.pk), "--region", SUIBIN, "--user", user]


def test_a_dry_run_prints_the_plan_and_writes_nothing(
    suibin_round: SuibinRound, capsys: Any
) -> None:
    before = ledger_snapshot()
    run(*args_for(suibin_round), "--dry-run")
    out = capsys.readouterr().out
    assert "文号：绥政函〔2024〕17号" in out
    assert "类型：整改情况报告　问题数：15" in out
    assert "（十四） 部分学校存在未通过消防验收" in out
    assert out.count("[与台账中的问题一致]") == 15
    assert "整改情况：（空）→ 填入" in out
    assert "将更新整改任务 15 项（15 处内容）" in out
    assert out.rstrip().endswith("（试运行，未写入任何内容）")
    assert ledger_snapshot() == before


def test_it_applies_then_a_rerun_changes_nothing(suibin_round: SuibinRound, capsys: Any) -> None:
    run(*args_for(suibin_round), "--yes")
    out = capsys.readouterr().out
    assert "导入完成：已保存文件（第 1 版），更新整改任务 15 项" in out
    assert all(
        Item.objects.filter(problem__round=suibin_round.round).values_list("outcome", flat=True)
    )
    before = ledger_snapshot()

    run(*args_for(suibin_round))
    out = capsys.readouterr().out
    assert "此文件已导入过（绥政函〔2024〕17号，第 1 版" in out
    assert out.rstrip().endswith("没有需要更新的内容")
    assert ledger_snapshot() == before


def test_a_corrected_file_prints_the_one_change(
    suibin_round: SuibinRound, capsys: Any, tmp_path: Path
) -> None:
    run(*args_for(suibin_round))
    capsys.readouterr()
    corrected = tmp_path / "suibin-v2.txt"
    corrected.write_bytes(corrected_sample())
    run(*args_for(suibin_round, corrected))
    out = capsys.readouterr().out
    assert "整改情况：" in out and "[-8-]{+9+}所学校" in out
    assert "将更新整改任务 1 项（1 处内容）" in out
    assert OfficialDocument.objects.filter(version=2).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--user": None}, "请用 --user 指定导入人的用户名"),
        ({"--user": "ghost"}, "用户“ghost”不存在"),
        ({"--user": "luobei"}, "用户“luobei”无权查看地区“绥滨县”"),
        ({"--user": "viewer"}, "您不能修改绥滨县的整改任务，不能导入其报告"),
        ({"--round": "999"}, "评价编号 999 不存在"),
        ({"--region": "999999"}, "地区代码“999999”不存在"),
        ({"file": "legacy.doc"}, "请在 Word 或 WPS 中“另存为” .docx 后再导入"),
        ({"file": "scanned.pdf"}, "PDF 没有文字层"),
        ({"file": "nowhere.txt"}, "无法读取文件"),
    ],
)
def test_errors_are_one_chinese_line_and_non_zero(
    suibin_round: SuibinRound, capsys: Any, change: dict[str, str | None], message: str
) -> None:
    args = args_for(suibin_round)
    for key, value in change.items():
        if key == "file":
            args[0] = str(CORPUS / str(value))
        elif value is None:
            index = args.index(key)
            del args[index : index + 2]
        else:
            args[args.index(key) + 1] = value
    before = ledger_snapshot()
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：") and message in err
    assert "\n" not in err and "Traceback" not in err
    assert ledger_snapshot() == before
