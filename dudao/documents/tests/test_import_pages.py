"""The import in the browser: upload → preview side by side → corrections → confirm."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dudao.documents.models import OfficialDocument
from dudao.documents.tests import test_import_support as support
from dudao.documents.tests.test_import_support import (
    SUIBIN,
    SuibinRound,
    corpus,
    corrected_sample,
    ledger_snapshot,
)
from dudao.parser import ocr
from dudao.rectification import services
from dudao.rectification.models import Item, Problem

pytestmark = pytest.mark.django_db

# fixtures
luobei_round = support.luobei_round
suibin_round = support.suibin_round


def upload(client: Any, rnd: Any, name: str, data: bytes, region: str = SUIBIN) -> Any:
    return client.post(
        reverse("import-upload"),
        {"file": SimpleUploadedFile(name, data), "round": rnd.pk, "region": region},
    )


def form_data(response: Any) -> dict[str, str]:
    """What the browser would post back from the preview page, unchanged."""
    form = response.context["form"]
    if form.is_bound:
        return {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is False or value is None:
            continue
        data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


def pending_files(media: Path) -> list[Path]:
    folder = media / "imports" / "pending"
    return list(folder.iterdir()) if folder.exists() else []


def test_upload_preview_correct_and_confirm(
    suibin_round: SuibinRound, client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    page = client.get(reverse("import-upload"))
    assert page.status_code == 200
    assert "鹤岗市对绥滨县人民政府履行教育职责评价" in page.content.decode()

    uploaded = upload(client, suibin_round.round, "绥政函17号.txt", corpus("suibin-2024-17.txt"))
    assert uploaded.status_code == 302
    preview_url = uploaded["Location"]
    assert len(pending_files(media)) == 1

    preview = client.get(preview_url)
    html = preview.content.decode()
    assert preview.status_code == 200
    # left: the source text in its own scrolling box; right: what was read
    assert '<pre class="import-source" id="source-text">' in html
    assert "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函" in html
    assert 'value="绥政函〔2024〕17号"' in html
    assert html.count("与台账中的问题一致") == 15
    assert "将更新整改任务 15 项（15 处内容）" in html
    assert "3600 万元" in html and "= 36000000 元" in html  # a fact chip
    assert "文末附有另一份文件（绥政办发〔2024〕1号）" in html

    data = form_data(preview)
    data["doc_number"] = "绥政函〔2024〕17号"
    data["date"] = "2024-05-28"
    data["p15-skip"] = "on"
    data["p1-measures"] = "经核实，\r\n理科实验室改造已列入计划。"
    again = client.post(preview_url, {**data, "preview": "1"})
    assert again.status_code == 200
    assert "将更新整改任务 14 项（14 处内容）" in again.content.decode()
    assert "已选择不导入此问题" in again.content.decode()

    done = client.post(preview_url, {**form_data(again), "confirm": "1"})
    assert done.status_code == 302
    result = client.get(done["Location"])
    html = result.content.decode()
    assert "导入完成：已保存文件（第 1 版），更新整改任务 14 项" in html
    items = [Item.objects.get(pk=i.pk) for i in suibin_round.items]
    assert items[0].outcome == "经核实，\n理科实验室改造已列入计划。"
    assert items[14].outcome == ""
    assert reverse("item", args=[items[0].pk]) in html
    doc = OfficialDocument.objects.get()
    assert str(doc.date) == "2024-05-28"
    assert pending_files(media) == []
    # the preview cannot be confirmed a second time
    assert client.post(preview_url, {**data, "confirm": "1"}).status_code == 404


def test_a_corrected_version_previews_one_change_in_the_browser(
    suibin_round: SuibinRound, client_for: Any
) -> None:
    client = client_for("suibin")
    first = upload(client, suibin_round.round, "v1.txt", corpus("suibin-2024-17.txt"))
    client.post(first["Location"], {**form_data(client.get(first["Location"])), "confirm": "1"})

    second = upload(client, suibin_round.round, "v2.txt", corrected_sample())
    preview = client.get(second["Location"])
    html = preview.content.decode()
    assert "将更新整改任务 1 项（1 处内容）" in html
    assert "<del>8</del><ins>9</ins>" in html
    assert html.count("将更新 1 处") == 1
    client.post(second["Location"], {**form_data(preview), "confirm": "1"})
    assert "9所学校" in Item.objects.get(pk=suibin_round.items[13].pk).outcome
    assert list(OfficialDocument.objects.values_list("version", flat=True)) == [2, 1]


def test_the_same_file_twice_in_the_browser_changes_nothing(
    suibin_round: SuibinRound, client_for: Any
) -> None:
    client = client_for("suibin")
    data = corpus("suibin.docx")
    first = upload(client, suibin_round.round, "suibin.docx", data)
    client.post(first["Location"], {**form_data(client.get(first["Location"])), "confirm": "1"})
    before = ledger_snapshot()

    second = upload(client, suibin_round.round, "suibin.docx", data)
    preview = client.get(second["Location"])
    assert "此文件已导入过（绥政函〔2024〕17号" in preview.content.decode()
    done = client.post(second["Location"], {**form_data(preview), "confirm": "1"})
    assert "没有需要更新的内容" in client.get(done["Location"]).content.decode()
    assert ledger_snapshot() == before


def test_a_neighbour_county_cannot_import_into_suibin(
    suibin_round: SuibinRound, client_for: Any, ledger: Any, media: Path
) -> None:
    before = ledger_snapshot()
    client = client_for("luobei")
    data = corpus("suibin-2024-17.txt")
    assert upload(client, suibin_round.round, "a.txt", data).status_code == 404
    # a round luobei sees (it has items in it), but 绥滨县 stays invisible
    assert upload(client, ledger.round, "a.txt", data).status_code == 404
    assert ledger_snapshot() == before
    assert pending_files(media) == []


def test_a_viewer_cannot_import(suibin_round: SuibinRound, client_for: Any, media: Path) -> None:
    before = ledger_snapshot()
    response = upload(client_for("viewer"), suibin_round.round, "a.txt", corpus("suibin.pdf"))
    assert response.status_code == 403
    assert "您不能修改绥滨县的整改任务，不能导入其报告" in response.content.decode()
    assert ledger_snapshot() == before
    assert pending_files(media) == []


def test_someone_elses_preview_is_not_found(suibin_round: SuibinRound, client_for: Any) -> None:
    uploaded = upload(client_for("suibin"), suibin_round.round, "a.txt", corpus("suibin.pdf"))
    assert client_for("hegang").get(uploaded["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("legacy.doc", "请在 Word 或 WPS 中“另存为” .docx 后再导入"),
        ("scanned.pdf", "PDF 没有文字层（可能是扫描件或图片）"),
        ("encrypted.pdf", "PDF 已加密（设置了打开密码）"),
        ("empty.txt", "文件为空"),
        ("random.bin", "无法识别的文件"),
    ],
)
def test_bad_files_show_the_parsers_message(
    suibin_round: SuibinRound, client_for: Any, media: Path, name: str, message: str
) -> None:
    before = ledger_snapshot()
    response = upload(client_for("suibin"), suibin_round.round, name, corpus(name))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ledger_snapshot() == before
    assert pending_files(media) == []


def test_an_item_changed_after_the_preview_refuses_the_confirm(
    suibin_round: SuibinRound, client_for: Any, personas: Any
) -> None:
    client = client_for("suibin")
    uploaded = upload(client, suibin_round.round, "a.txt", corpus("suibin-2024-17.txt"))
    preview = client.get(uploaded["Location"])
    item = Item.objects.get(pk=suibin_round.items[6].pk)
    services.item_update(
        acting_user=personas["hegang"], item=item, expected_version=item.version, remark="已核"
    )
    before = ledger_snapshot()
    response = client.post(uploaded["Location"], {**form_data(preview), "confirm": "1"})
    assert response.status_code == 409
    assert "此整改任务已被他人修改" in response.content.decode()
    assert ledger_snapshot() == before
    # the page now shows the ledger as it is; confirming it again goes through
    again = client.post(uploaded["Location"], {**form_data(response), "confirm": "1"})
    assert again.status_code == 302
    assert Item.objects.get(pk=item.pk).remark == "已核"
    assert Item.objects.get(pk=item.pk).outcome


def test_the_preview_page_does_a_bounded_number_of_queries(
    suibin_round: SuibinRound, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("suibin")
    uploaded = upload(client, suibin_round.round, "a.txt", corpus("suibin-2024-17.txt"))
    with django_assert_max_num_queries(20):
        assert client.get(uploaded["Location"]).status_code == 200


def test_a_supervisor_imports_a_feedback_letter_and_the_neighbour_may_not(
    luobei_round: Any, client_for: Any
) -> None:
    data = corpus("feedback-letter.txt")
    refused = upload(client_for("suibin"), luobei_round, "fk.txt", data, region="230421")
    assert refused.status_code in (403, 404)
    assert OfficialDocument.objects.count() == 0

    client = client_for("hegang")
    uploaded = upload(client, luobei_round, "鹤教督办函8号.txt", data, region="230421")
    preview = client.get(uploaded["Location"])
    html = preview.content.decode()
    assert html.count(">新问题<") == 6
    assert "将新增问题 6 个，新增整改任务 6 项" in html
    assert 'name="p1-measures"' in html and 'type="hidden" name="p1-measures"' in html
    client.post(uploaded["Location"], {**form_data(preview), "confirm": "1"})
    statements = list(
        Problem.objects.filter(round=luobei_round)
        .order_by("order")
        .values_list("statement", flat=True)
    )
    assert len(statements) == 6
    assert statements[2] == "教师补充机制不健全，全县尚有十六人未取得相应教师资格证"


def test_the_preview_says_why_it_took_the_file_for_a_report(
    suibin_round: SuibinRound, client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    uploaded = upload(client, suibin_round.round, "绥政函17号.txt", corpus("suibin-2024-17.txt"))
    html = client.get(uploaded["Location"]).content.decode()
    assert '<p class="small muted" id="kind-reason">判为整改情况报告：问题下有“整改情况：”' in html
    assert "如判断有误，请在“类型”中改选。" in html


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-chi-sim is not installed")
def test_a_scanned_letter_imports_through_ocr_with_its_pages_beside_the_text(
    suibin_round: SuibinRound, client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    scan = corpus("scans/suibin-scan.pdf")
    uploaded = upload(client, suibin_round.round, "绥政函17号扫描件.pdf", scan)
    assert uploaded.status_code == 302
    preview = client.get(uploaded["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="ocr-notice"' in html and "由 OCR 从 4 页扫描图像中识别" in html
    token = uploaded["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = reverse("import-page", args=[token, 1])
    assert f'src="{page}"' in html
    image = client.get(page)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert client.get(reverse("import-page", args=[token, 9])).status_code == 404
    # every problem of the letter is found in the ledger, nothing is added
    plan = preview.context["plan"]
    assert len(plan.entries) == 15
    assert all(e.match in ("exact", "close") for e in plan.entries)
    assert sum(e.match == "exact" for e in plan.entries) >= 12
    assert not any(e.create_problem for e in plan.entries)
    # another user cannot see the pending scan's pages
    assert client_for("luobei").get(page).status_code == 404


def _foreign_ledger(rows: list[tuple[str, str]]) -> bytes:
    """A county's own 台账: a merged title row, its own column names and order."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "整改台账"
    sheet.append(["绥滨县履行教育职责评价反馈问题整改台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "存在问题", "牵头单位", "整改措施", "完成情况"])
    for n, (statement, done) in enumerate(rows, start=1):
        sheet.append([n, statement, "县教育局", "制定整改方案", done])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_office_s_own_excel_ledger_imports_through_the_report_preview(
    suibin_round: SuibinRound, client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    statements = [p.statement for p in suibin_round.problems[:3]]
    data = _foreign_ledger([(s, f"已完成第{n}项") for n, s in enumerate(statements, 1)])
    uploaded = upload(client, suibin_round.round, "绥滨县整改台账.xlsx", data)
    assert uploaded.status_code == 302
    preview = client.get(uploaded["Location"])
    html = preview.content.decode()
    assert html.count("与台账中的问题一致") == 3
    assert "判为整改情况报告：台账中有整改措施或完成情况列。" in html
    assert "【整改台账】" in html  # the sheet beside what was read
    done = client.post(uploaded["Location"], {**form_data(preview), "confirm": "1"})
    assert done.status_code == 302
    items = [Item.objects.get(pk=i.pk) for i in suibin_round.items[:4]]
    assert items[0].outcome == "制定整改方案\n已完成第1项"
    assert items[2].outcome == "制定整改方案\n已完成第3项"
    assert items[3].outcome == ""
