"""Each hostile file of issue 9 through the real pages, as the user who found it, and
through the commands: a Chinese refusal naming the limit (or a correct result), nothing
written, and for the commands one `错误：…` line and a non-zero exit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dudao.cli import main
from dudao.documents.tests import test_import_support as support
from dudao.documents.tests.test_import_support import SUIBIN, SuibinRound, ledger_snapshot
from dudao.evaluation.models import Dataset
from dudao.lib import hostile
from dudao.regions.models import Region

pytestmark = pytest.mark.django_db

suibin_round = support.suibin_round  # fixture
FAR_CELL = hostile.far_cell_xlsx()
LIMIT_ROWS = "第1000000000行"


def _export(client: Any) -> bytes:
    response = client.get(reverse("ledger-xlsx"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _ledger_post(client: Any, data: bytes) -> Any:
    return client.post(
        reverse("ledger-xlsx-import"), {"file": SimpleUploadedFile("台账.xlsx", data)}
    )


def test_the_viewers_far_cell_ledger_is_refused_naming_the_limit(
    suibin_round: SuibinRound, client_for: Any
) -> None:
    before = ledger_snapshot()
    response = _ledger_post(client_for("viewer"), FAR_CELL)
    assert response.status_code == 400
    page = response.content.decode()
    assert LIMIT_ROWS in page and "最多200020行" in page
    assert ledger_snapshot() == before


def test_a_ledger_with_a_cell_moved_to_row_200000_is_read_correctly(
    suibin_round: SuibinRound, client_for: Any
) -> None:
    clerk = client_for("suibin")
    before = ledger_snapshot()
    # beyond the ledger's columns: nothing asked of any item
    data = hostile.moved_cell(_export(clerk), "xl/worksheets/sheet1.xml", 200_000, "S")
    response = _ledger_post(clerk, data)
    assert response.status_code == 200 and "没有需要更新的内容" in response.content.decode()
    # in the 问题 column: a row the ledger does not know, named by its number
    data = hostile.moved_cell(_export(clerk), "xl/worksheets/sheet1.xml", 200_000, "C")
    response = _ledger_post(clerk, data)
    assert response.status_code == 400 and "第200000行" in response.content.decode()
    assert ledger_snapshot() == before


def test_a_ledger_with_a_corrupt_deflate_stream_is_refused(
    suibin_round: SuibinRound, client_for: Any
) -> None:
    clerk = client_for("suibin")
    data = hostile.corrupt_deflate(_export(clerk), "xl/worksheets/sheet1.xml")
    response = _ledger_post(clerk, data)
    assert response.status_code == 400 and "损坏" in response.content.decode()


def test_a_system_number_of_1e20_is_a_row_error(suibin_round: SuibinRound, client_for: Any) -> None:
    clerk = client_for("suibin")

    def change(xml: bytes) -> bytes:  # 系统编号 is column O of a county's sheet
        # written as text (<is><t>…</t></is>), spoiled into a number cell of 1e20
        return re.sub(
            rb'<c r="O3" s="(\d+)" t="inlineStr"><is><t>\d+</t></is></c>',
            rb'<c r="O3" s="\1"><v>1e20</v></c>',
            xml,
        )

    data = hostile._edit(_export(clerk), "xl/worksheets/sheet1.xml", change)
    before = ledger_snapshot()
    response = _ledger_post(clerk, data)
    assert response.status_code == 400
    assert "系统编号必须是系统生成的整数" in response.content.decode()
    assert ledger_snapshot() == before


def _report_post(client: Any, rnd: Any, name: str, data: bytes) -> Any:
    return client.post(
        reverse("import-upload"),
        {"file": SimpleUploadedFile(name, data), "round": rnd.pk, "region": SUIBIN},
    )


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("炸弹.docx", hostile.zip_bomb_docx(1200 << 20), "上限（120 MB）"),
        ("5000页.pdf", hostile.many_pages_pdf(5000), "超过500页"),
        ("谎报.docx", hostile.zip_bomb_docx(64 << 20, declared=1000), "损坏"),
    ],
)
def test_the_county_officers_hostile_report_is_refused(
    suibin_round: SuibinRound, client_for: Any, media: Path, name: str, data: bytes, expected: str
) -> None:
    before = ledger_snapshot()
    response = _report_post(client_for("suibin"), suibin_round.round, name, data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert ledger_snapshot() == before
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_the_indicator_upload_refuses_a_far_cell_workbook(
    personas: Any, client_for: Any, media: Path
) -> None:
    response = client_for("suibin").post(
        reverse("evaluation-upload"),
        {
            "kind": "schools",
            "year": 2023,
            "region": Region.objects.get(code=SUIBIN).pk,
            "file": SimpleUploadedFile("学校.xlsx", FAR_CELL),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert LIMIT_ROWS in page and "最多300001行" in page
    assert not Dataset.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


# --- the commands ------------------------------------------------------------------------


def _fails(capsys: Any, *args: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    assert exit_.value.code not in (0, None)
    err: list[str] = capsys.readouterr().err.strip().splitlines()
    lines = [line for line in err if line.startswith("错误：")]
    assert len(lines) == 1, err
    return lines[0]


def test_dudao_parse_refuses_a_zip_bomb(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(hostile.zip_bomb_docx(1200 << 20))
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("错误：") and "压缩炸弹" in err[0]


def test_dudao_import_report_refuses_a_5000_page_pdf(
    suibin_round: SuibinRound, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(hostile.many_pages_pdf(5000))
    before = ledger_snapshot()
    args = ["--round", str(suibin_round.round.pk), "--region", SUIBIN, "--user", "suibin"]
    line = _fails(capsys, "import-report", str(path), *args)
    assert "超过500页" in line
    assert ledger_snapshot() == before


def test_dudao_ledger_import_refuses_a_far_cell_workbook(
    suibin_round: SuibinRound, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(FAR_CELL)
    before = ledger_snapshot()
    line = _fails(capsys, "ledger", "import", str(path), "--user", "suibin")
    assert LIMIT_ROWS in line
    assert ledger_snapshot() == before


def test_dudao_evaluation_import_refuses_a_far_cell_workbook(
    personas: Any, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(FAR_CELL)
    line = _fails(
        capsys, "evaluation-import", str(path), "--kind", "schools", "--year", "2023",
        "--user", "suibin",
    )  # fmt: skip
    assert LIMIT_ROWS in line
    assert not Dataset.objects.exists()


# --- indicator data as CSV: read in the child process too --------------------------------

HOSTILE_CSV = [
    ("一行.csv", hostile.one_line_csv(8 << 20), "第2行长达8388608个字节", "上限（100000个字节）"),
    ("两百万列.csv", hostile.wide_csv(2_000_000), "第1行长达", "上限（100000个字节）"),
    ("70列.csv", hostile.wide_csv(70), "表头有70列", "上限（64列）"),
    ("空字符.csv", hostile.nul_csv(8 << 20), "空字符（NUL）", "另存为 CSV UTF-8"),
    ("乱码.csv", hostile.undecodable_csv(), "无法识别文件编码", "UTF-8"),
    ("压缩.csv", hostile.gzip_csv(64 << 20), "gzip 压缩文件", "不是 CSV 文本"),
    ("工作簿.csv", FAR_CELL, "zip 压缩包或 Excel 工作簿", "不是 CSV 文本"),
    ("一千万行.csv", hostile.many_rows_csv(10_000_000), "10000001行", "上限（300001行）"),
]  # fmt: skip


def _indicator_post(client: Any, name: str, data: bytes) -> Any:
    return client.post(
        reverse("evaluation-upload"),
        {
            "kind": "schools",
            "year": 2023,
            "region": Region.objects.get(code=SUIBIN).pk,
            "file": SimpleUploadedFile(name, data),
        },
    )


@pytest.mark.parametrize(("name", "data", "expected", "limit"), HOSTILE_CSV)
def test_the_indicator_upload_refuses_a_hostile_csv_naming_the_limit(
    personas: Any, client_for: Any, media: Path, name: str, data: bytes, expected: str, limit: str
) -> None:
    response = _indicator_post(client_for("suibin"), name, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert expected in page and limit in page, page[:3000]
    assert not Dataset.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_an_indicator_upload_past_the_size_limit_is_refused_before_it_is_read(
    personas: Any, client_for: Any, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dudao.engine import sheet
    from dudao.lib import sandbox

    monkeypatch.setattr(sheet, "MAX_BYTES", 1 << 20)  # 200 MB in production

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a file past the size limit was read")

    monkeypatch.setattr(sandbox, "run", never)
    response = _indicator_post(client_for("suibin"), "一行.csv", hostile.one_line_csv(2 << 20))
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件大小为 2 MB，超过系统一次导入的上限（1 MB）" in page
    assert not Dataset.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_legitimate_csv_is_read_in_the_child_and_stored(
    personas: Any, client_for: Any, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dudao.engine.tests.builders import school, schools_csv
    from dudao.lib import sandbox

    calls: list[str] = []
    real = sandbox.run

    def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(func.__name__)
        return real(func, *args, **kwargs)

    monkeypatch.setattr(sandbox, "run", counted)
    response = _indicator_post(client_for("suibin"), "学校.csv", schools_csv([school("A")]))
    assert response.status_code in (204, 302), response.content.decode()[:2000]
    assert calls == ["csv_ipc"]
    assert Dataset.objects.get().rows == 1


@pytest.mark.parametrize(("name", "data", "expected", "limit"), HOSTILE_CSV[3:])
def test_dudao_evaluation_import_refuses_a_hostile_csv(
    personas: Any, tmp_path: Path, capsys: Any, name: str, data: bytes, expected: str, limit: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    line = _fails(
        capsys, "evaluation-import", str(path), "--kind", "schools", "--year", "2023",
        "--user", "suibin",
    )  # fmt: skip
    assert expected in line and limit in line
    assert not Dataset.objects.exists()


def test_dudao_evaluate_refuses_a_hostile_csv_and_a_file_past_the_size_limit(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dudao.engine import cli

    path = tmp_path / "学校.csv"
    path.write_bytes(hostile.gzip_csv(64 << 20))
    assert main(["evaluate", "--schools", str(path), "--year", "2023"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("错误：") and "gzip 压缩文件" in err[0]
    # the command line reads the operator's own files up to its own, larger limit
    monkeypatch.setattr(cli, "CLI_MAX_BYTES", 1 << 20)
    path.write_bytes(hostile.one_line_csv(2 << 20))
    assert main(["evaluate", "--schools", str(path), "--year", "2023"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "上限（1 MB）" in err[0]
