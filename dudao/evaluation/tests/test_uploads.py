"""Templates and uploads: every bad cell reported by row and column, nothing saved."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dudao.audit.models import AuditEvent
from dudao.evaluation.models import Dataset
from dudao.evaluation.tests.helpers import csv_lines, demo_files, post_upload

pytestmark = pytest.mark.django_db


def test_the_templates_have_the_chinese_headers(personas: Any, client_for: Any) -> None:
    client = client_for("suibin")
    xlsx = client.get(reverse("evaluation-template", args=["schools", "xlsx"]))
    assert xlsx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["学校标识码", "学校名称", "区县代码", "学校类型"]
    assert "体育运动场馆面积（平方米）" in headers
    counties = client.get(reverse("evaluation-template", args=["counties", "csv"]))
    first = counties.content.decode("utf-8-sig").splitlines()[0]
    assert first.startswith("区县代码,区县名称,年度,")
    assert "儿童青少年总体近视率（%）" in first


def _with_bad_rows() -> bytes:
    rows = list(csv.reader(csv_lines("schools_2023.csv")))
    header = rows[0]
    students = header.index("小学在校生数")
    area = header.index("体育运动场馆面积（平方米）")
    rows[1][students] = "一千"  # spreadsheet row 2
    rows[2][area] = "-5"  # row 3
    rows[4][0] = rows[3][0]  # row 5 repeats row 4's school code
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_file_with_bad_rows_lists_every_error_and_saves_nothing(
    personas: Any, client_for: Any, stored_files: Any
) -> None:
    response = post_upload(
        client_for("hegang"), "schools", 2023, "230400", "学校.csv", _with_bad_rows()
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "共发现 3 处错误" in page
    table = page.split('id="upload-errors"')[1]
    assert table.index("第2行") < table.index("第3行") < table.index("第5行")
    assert "小学在校生数" in table and "体育运动场馆面积（平方米）" in table
    assert "与第4行重复" in table
    assert "未导入任何数据" in page
    assert Dataset.objects.count() == 0
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="dataset_upload").exists()


def test_the_htmx_upload_answers_with_the_form_and_its_errors(
    personas: Any, client_for: Any
) -> None:
    client = client_for("hegang")
    page = client.get(reverse("evaluation")).content.decode()
    assert "正在校验，请稍候…" in page and 'hx-post="/evaluation/upload/"' in page
    from dudao.regions.models import Region

    response = client.post(
        reverse("evaluation-upload"),
        {
            "kind": "schools",
            "year": 2023,
            "region": Region.objects.get(code="230400").pk,
            "file": SimpleUploadedFile("学校.csv", _with_bad_rows()),
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in body and 'id="upload-errors"' in body


def test_a_neighbour_countys_rows_are_refused_for_luobei(
    personas: Any, client_for: Any, stored_files: Any
) -> None:
    lines = csv_lines("schools_2023.csv")
    luobei = [line for line in lines[1:] if ",230421," in line]
    suibin = next(line for line in lines[1:] if ",230422," in line)
    data = "\n".join([lines[0], *luobei, suibin]).encode("utf-8")
    response = post_upload(client_for("luobei"), "schools", 2023, "230421", "萝北.csv", data)
    assert response.status_code == 400
    page = response.content.decode()
    row = len(luobei) + 2
    assert f"第{row}行" in page
    assert "区县代码“230422”不在您的管辖范围内，不能导入" in page
    assert Dataset.objects.count() == 0 and stored_files() == []
    # its own county alone goes in
    own = "\n".join([lines[0], *luobei]).encode("utf-8")
    ok = post_upload(client_for("luobei"), "schools", 2023, "230421", "萝北.csv", own)
    assert ok.status_code == 302
    assert Dataset.objects.get().counties == ["230421"]


def test_a_clean_upload_is_stored_with_its_hash_and_audited(
    personas: Any, client_for: Any, stored_files: Any
) -> None:
    data = demo_files()["schools_2023.csv"]
    response = post_upload(client_for("hegang"), "schools", 2023, "230400", "s.csv", data)
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.rows == 52 and len(dataset.counties) == 8  # 7 × 6 schools + 10
    assert len(stored_files()) == 1 and stored_files()[0].read_bytes() == data
    event = AuditEvent.objects.get(action="dataset_upload")
    assert event.actor == personas["hegang"] and event.changes["rows"] == [None, 52]
    download = client_for("hegang").get(reverse("evaluation-dataset", args=[dataset.pk]))
    assert b"".join(download.streaming_content) == data
    assert (
        client_for("luobei").get(reverse("evaluation-dataset", args=[dataset.pk])).status_code
        == 404
    )


def test_the_viewer_can_neither_upload_nor_run(
    personas: Any, client_for: Any, regions: Any
) -> None:
    viewer = client_for("viewer")
    page = viewer.get(reverse("evaluation")).content.decode()
    assert "上传并校验" not in page and "运行评估</button>" not in page
    data = demo_files()["schools_2023.csv"]
    assert post_upload(viewer, "schools", 2023, "230400", "s.csv", data).status_code == 403
    response = viewer.post(
        reverse("evaluation-run-new"), {"region": regions["230400"].pk, "year": 2023}
    )
    assert response.status_code == 403
    assert Dataset.objects.count() == 0
