"""`dudao backup` and `dudao restore`: the ledger and every stored file come back identical;
a tampered archive and a non-empty target are refused; `dudao flush` is refused."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dudao.accounts.models import User
from dudao.cli import main
from dudao.web.tests.test_deploy import _env

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _dudao(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    var.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "dudao", *args],
        env=_env(var.parent, DUDAO_VAR_DIR=str(var)),
        cwd=var.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def stored(ledger: Any, client_for: Any, media: Path) -> dict[str, bytes]:
    """Two evidence files and a progress update on 绥滨县's first item; the stored bytes."""
    suibin = client_for("suibin")
    item = ledger.suibin_items[0]
    for name, data in (("会议纪要.pdf", PDF), ("现场照片.png", PNG)):
        response = suibin.post(
            reverse("item-evidence", args=[item.pk]),
            {"file": SimpleUploadedFile(name, data), "description": name},
        )
        assert response.status_code == 302
    suibin.post(reverse("item-progress", args=[item.pk]), {"text": "完成专家论证"})
    files = {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }
    assert len(files) == 2
    return files


def _export_here(capsys: Any) -> str:
    capsys.readouterr()
    assert main(["ledger", "export", "--region", "230000", "--format", "json"]) == 0
    out: str = capsys.readouterr().out
    return out


def _files_in(media: Path) -> dict[str, bytes]:
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("logical", [False, True], ids=["native", "logical"])
def test_a_restore_gives_back_the_same_ledger_and_files(
    logical: bool, stored: dict[str, bytes], tmp_path: Path, capsys: Any
) -> None:
    archive = tmp_path / "dudao.tar.gz"
    assert main(["backup", "-o", str(archive), *(["--logical"] if logical else [])]) == 0
    said = capsys.readouterr().out
    assert f"已备份到 {archive}" in said and "和 2 个文件" in said
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    exported = _export_here(capsys)
    assert json.loads(exported)  # the items are there

    target = tmp_path / "fresh" / "var"
    restored = _dudao(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout and "校验值全部一致" in restored.stdout
    again = _dudao(target, "ledger", "export", "--region", "230000", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert again.stdout == exported
    assert _files_in(target / "media") == stored

    # a second restore into what is now full is refused, and changes nothing
    refused = _dudao(target, "restore", str(archive))
    assert refused.returncode != 0
    assert refused.stderr.strip().startswith("错误：目标数据库不是空的")
    assert len(refused.stderr.strip().splitlines()) == 1


def _tampered(archive: Path, out: Path, member: str, data: bytes) -> None:
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            f = src.extractfile(m)
            body = data if m.name == member else (f.read() if f else b"")
            m.size = len(body)
            dst.addfile(m, io.BytesIO(body))


def test_a_tampered_archive_is_refused_and_nothing_is_written(
    stored: dict[str, bytes], tmp_path: Path, capsys: Any
) -> None:
    archive = tmp_path / "dudao.tar.gz"
    main(["backup", "-o", str(archive)])
    name = "media/" + sorted(stored)[0]
    bad = tmp_path / "bad.tar.gz"
    _tampered(archive, bad, name, b"%PDF-1.4 forged")
    target = tmp_path / "fresh" / "var"
    refused = _dudao(target, "restore", str(bad))
    assert refused.returncode != 0
    assert refused.stderr.strip() == (
        f"错误：备份文件已损坏或被改动：{name} 的 SHA-256 与清单不符，拒绝恢复"
    )
    assert not (target / "media").exists()
    # nothing was written: the genuine archive still goes into the same target
    assert _dudao(target, "restore", str(archive)).returncode == 0


def test_an_archive_with_a_member_not_in_the_manifest_is_refused(
    stored: dict[str, bytes], tmp_path: Path
) -> None:
    archive = tmp_path / "dudao.tar.gz"
    main(["backup", "-o", str(archive)])
    bad = tmp_path / "extra.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(bad, "w:gz") as dst:
        for m in src.getmembers():
            dst.addfile(m, src.extractfile(m))
        extra = tarfile.TarInfo("media/../../etc/cron.d/x")
        extra.size = 1
        dst.addfile(extra, io.BytesIO(b"x"))
    refused = _dudao(tmp_path / "fresh" / "var", "restore", str(bad))
    assert refused.stderr.startswith("错误：备份文件与清单不符")


def test_not_a_backup_is_a_one_line_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    refused = _dudao(tmp_path / "fresh" / "var", "restore", str(junk))
    assert refused.returncode != 0
    assert refused.stderr.strip() == f"错误：“{junk}”不是 Dudao 的备份文件（无法读取）"


def test_dudao_flush_is_refused_and_the_data_stays(personas: dict[str, Any], capsys: Any) -> None:
    assert main(["flush", "--noinput"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：dudao flush 会删除数据库中的全部数据，已拒绝执行")
    assert "--allow-destructive" in err
    assert main(["migrate", "accounts", "zero"]) == 2
    assert main(["loaddata", "x.json"]) == 2
    assert User.objects.count() == len(personas)
