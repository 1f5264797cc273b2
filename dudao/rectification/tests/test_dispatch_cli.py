"""`dudao dispatch` through the console entry point."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dudao.cli import main
from dudao.rectification.models import Item

pytestmark = pytest.mark.django_db


def fails(capsys: Any, *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    assert exc.value.code != 0
    err: str = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_it_passes_chosen_problems_on_to_regions_and_units(chain: Any, capsys: Any) -> None:
    rnd = str(chain.round.pk)
    main(["dispatch", "--user", "hegang", "--round", rnd, "--problem", "2", "--region", "230402",
          "--unit", "市教育局", "--deadline", "2024-10-31", "--json"])  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    parent = chain.city_items[1]
    assert rows == [
        {"item": rows[0]["item"], "parent": parent.pk, "problem": 2, "region": "230402",
         "unit": "", "deadline": "2024-10-31"},
        {"item": rows[1]["item"], "parent": parent.pk, "problem": 2, "region": "230400",
         "unit": "市教育局", "deadline": "2024-10-31"},
    ]  # fmt: skip
    assert Item.objects.get(pk=rows[1]["item"]).lead_unit == "市教育局"
    main(["dispatch", "--user", "hegang", "--round", rnd, "--region", "230403"])
    out = capsys.readouterr().out
    assert "→ 工农区（时限 2024-12-31）" in out
    assert out.strip().endswith("已下发 2 项整改任务")


def test_it_refuses_with_one_line(chain: Any, capsys: Any) -> None:
    rnd = str(chain.round.pk)
    assert "请用 --user" in fails(capsys, "dispatch", "--round", rnd, "--region", "230402")
    err = fails(capsys, "dispatch", "--user", "province", "--round", rnd, "--region", "230400")
    assert "没有可分解下发的整改任务" in err
    err = fails(capsys, "dispatch", "--user", "hegang", "--round", rnd, "--problem", "9",
                "--region", "230402")  # fmt: skip
    assert "第 9 号问题" in err
    err = fails(capsys, "dispatch", "--user", "hegang", "--round", rnd, "--region", "230402",
                "--deadline", "2025-01-01")  # fmt: skip
    assert "不能晚于本任务的时限" in err
    err = fails(capsys, "dispatch", "--user", "luobei", "--round", rnd, "--region", "230402")
    assert "直属下级地区" in err
    assert not Item.objects.filter(region__code="230402").exists()
