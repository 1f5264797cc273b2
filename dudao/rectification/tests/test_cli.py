"""`dudao ledger export` and `dudao import-regions` through the console entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dudao.cli import main
from dudao.regions.models import Region

pytestmark = pytest.mark.django_db


def run(*args: str) -> None:
    main(list(args))


def test_export_writes_one_object_per_item_of_the_subtree(ledger: Any, capsys: Any) -> None:
    run("ledger", "export", "--region", "230400", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4
    row = next(r for r in rows if r["region_code"] == "230422")
    for key in [
        "id",
        "round",
        "dimension",
        "problem",
        "region_code",
        "region_name",
        "lead_unit",
        "deadline",
        "status",
        "overdue",
        "measures",
        "outcome",
        "updated_at",
    ]:
        assert key in row
    assert row["status"] == "not_started"
    assert row["deadline"] == "2024-06-30"
    assert row["overdue"] is True
    assert row["region_name"] == "绥滨县"


def test_export_of_a_county_and_to_a_file(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "suibin.json"
    run("ledger", "export", "--region", "230422", "--round", str(ledger.round.pk), "-o", str(out))
    rows = json.loads(out.read_text("utf-8"))
    assert {r["region_code"] for r in rows} == {"230422"}
    assert "已导出 2 项" in capsys.readouterr().err


def test_export_as_a_user_applies_the_access_rules(ledger: Any, capsys: Any) -> None:
    run("ledger", "export", "--region", "230421", "--user", "luobei")
    rows = json.loads(capsys.readouterr().out)
    assert {r["region_code"] for r in rows} == {"230421"}
    run("ledger", "export", "--region", "230400", "--user", "hegang")
    assert len(json.loads(capsys.readouterr().out)) == 4
    with pytest.raises(SystemExit) as exc:
        run("ledger", "export", "--region", "230422", "--user", "luobei")
    assert exc.value.code != 0
    err = capsys.readouterr().err
    assert err.strip() == "错误：用户“luobei”无权查看地区“绥滨县”"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "999999"], "地区代码“999999”不存在"),
        (["--region", "230400", "--round", "999"], "评价编号 999 不存在"),
        (["--region", "230400", "--user", "ghost"], "用户“ghost”不存在"),
    ],
)
def test_export_errors_are_one_line_and_non_zero(
    ledger: Any, capsys: Any, args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        run("ledger", "export", *args)
    assert exc.value.code != 0
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_import_regions_is_idempotent(db: Any, tmp_path: Path, capsys: Any) -> None:
    csv = tmp_path / "jms.csv"
    csv.write_text(
        "code,name,parent_code\n230000,黑龙江省,\n230800,佳木斯市,230000\n230803,向阳区,230800\n",
        encoding="utf-8",
    )
    run("import-regions", str(csv))
    assert "新增 3" in capsys.readouterr().out
    run("import-regions", str(csv))
    assert "新增 0，更新 0，未变 3" in capsys.readouterr().out
    run("import-regions")  # the bundled 鹤岗 codes
    xiangyang = Region.objects.filter(name="向阳区").order_by("code")
    assert [(r.code, r.parent.code if r.parent else None) for r in xiangyang] == [
        ("230402", "230400"),
        ("230803", "230800"),
    ]
    assert Region.objects.get(code="230803").path == "230000/230800/230803/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name,parent\n23080,短,\n", "不是6位数字"),
        ("code,name,parent\n230899,某区,239999\n", "上级代码“239999”不存在"),
    ],
)
def test_bad_region_files_change_nothing(
    db: Any, tmp_path: Path, capsys: Any, content: str, message: str
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit):
        run("import-regions", str(csv))
    assert message in capsys.readouterr().err
    assert not Region.objects.exists()
