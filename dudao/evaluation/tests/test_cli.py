"""`dudao evaluation-import`: the upload's validation on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dudao.evaluation.models import Dataset
from dudao.evaluation.tests.helpers import csv_lines, demo_files

pytestmark = pytest.mark.django_db


def test_it_imports_a_clean_file_for_the_users_region(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "schools_2023.csv"
    path.write_bytes(demo_files()["schools_2023.csv"])
    call_command("evaluation_import", str(path), kind="schools", year=2023, user="hegang")
    dataset = Dataset.objects.get()
    assert dataset.region.code == "230400" and dataset.rows == 52


def test_it_reports_the_errors_and_imports_nothing(personas: Any, tmp_path: Path) -> None:
    lines = csv_lines("schools_2023.csv")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([lines[0], lines[1].replace(",230402,", ",230422,")]), "utf-8")
    with pytest.raises(CommandError, match="区县代码“230422”不在您的管辖范围内"):
        call_command("evaluation_import", str(path), kind="schools", year=2023, user="luobei")
    assert Dataset.objects.count() == 0


def test_a_viewer_cannot_import(personas: Any, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(demo_files()["schools_2023.csv"])
    with pytest.raises(CommandError, match="没有上传指标数据的权限"):
        call_command("evaluation_import", str(path), kind="schools", year=2023, user="viewer")
