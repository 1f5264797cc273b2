"""The county imports the notice its city generated in Dudao: read as a notice, matched to
the items the city dispatched to it (`dudao import-report --json`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dudao.cli import main
from dudao.documents import generation
from dudao.documents.models import OfficialDocument
from dudao.rectification import services

pytestmark = pytest.mark.django_db

SUFFIXES = [
    "docx",
    pytest.param(
        "pdf", marks=pytest.mark.skipif(not generation.pdf_available(), reason="no LibreOffice")
    ),
]


def notice(chain: Any, tmp_path: Path, suffix: str, capsys: Any) -> Path:
    out = tmp_path / f"notice.{suffix}"
    main(["report", "--round", str(chain.round.pk), "--region", "230422", "--kind", "feedback",
          "--user", "hegang", "--date", "2024-03-01", "-o", str(out)])  # fmt: skip
    capsys.readouterr()
    return out


def imported(path: Path, capsys: Any, *extra: str) -> dict[str, Any]:
    main(["import-report", str(path), "--user", "suibin", "--json", *extra])
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_county_reads_the_notice_it_received_as_its_items(
    chain: Any, tmp_path: Path, capsys: Any, suffix: str
) -> None:
    path = notice(chain, tmp_path, suffix, capsys)
    documents = OfficialDocument.objects.count()
    result = imported(path, capsys)
    assert result["kind"] == "notice"
    assert result["round"] == chain.round.pk  # found from the problems, not given
    assert result["header"] == {
        "doc_number": "鹤教督函〔2024〕1号",
        "issuer": "鹤岗市人民政府教育督导室",
        "recipient": "绥滨县人民政府",
        "title": "鹤岗市人民政府教育督导室关于绥滨县2023年履行教育职责评价反馈问题整改工作的函",
        "date": "2024-03-01",
    }
    assert result["problems"] == [
        {"statement": p.statement, "dimension": p.dimension, "match": "matched", "item": i.pk}
        for p, i in zip(chain.problems, chain.suibin_items, strict=True)
    ]
    # a county's import of the city's own file is not "already imported", and changes nothing
    assert OfficialDocument.objects.count() == documents


def test_an_item_the_letter_does_not_name_is_missing(
    chain: Any, tmp_path: Path, capsys: Any, personas: Any, regions: Any
) -> None:
    path = notice(chain, tmp_path, "docx", capsys)
    extra = services.problem_add(
        acting_user=personas["province"],
        rnd=chain.round,
        dimension="校园安全",
        statement="食堂管理不规范",
    )
    (city_item,) = services.items_assign(
        acting_user=personas["province"], rnd=chain.round, problems=[extra],
        regions=[regions["230400"]], deadline=None,
    )  # fmt: skip
    (child,) = services.item_dispatch(
        acting_user=personas["hegang"], item=city_item, regions=[regions["230422"]]
    )
    result = imported(path, capsys, "--dry-run")
    assert [p["match"] for p in result["problems"]] == ["matched", "matched", "missing"]
    assert result["problems"][-1] == {
        "statement": "食堂管理不规范",
        "dimension": "校园安全",
        "match": "missing",
        "item": child.pk,
    }


def test_the_neighbour_cannot_import_suibins_notice(
    chain: Any, tmp_path: Path, capsys: Any
) -> None:
    path = notice(chain, tmp_path, "docx", capsys)
    with pytest.raises(SystemExit):
        main(["import-report", str(path), "--user", "luobei", "--region", "230422", "--json"])
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err
