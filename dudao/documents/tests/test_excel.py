"""The Excel ledger through the pages: export layout, export → import round trip, edits
applied through the services and audited, and every bad file refused with nothing written."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from openpyxl.worksheet.worksheet import Worksheet

from dudao.audit.models import AuditEvent
from dudao.rectification import services
from dudao.rectification.models import Item, Progress, Status
from dudao.writers import LEDGER_COLUMNS, STATUS_LABELS
from dudao.writers.container import OLE2_MAGIC

pytestmark = pytest.mark.django_db

IMPORT = reverse("ledger-xlsx-import")


def export(client: Any, query: str = "") -> bytes:
    response = client.get(reverse("ledger-xlsx") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def book_of(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def cell(sheet: Worksheet, column: str, item: Item) -> Any:
    """The cell of `column` on the row of `item` (found by the hidden 系统编号)."""
    header = [c.value for c in sheet[2]]
    id_col = header.index("系统编号") + 1
    for row in range(3, sheet.max_row + 1):
        if str(sheet.cell(row=row, column=id_col).value) == str(item.pk):
            return sheet.cell(row=row, column=header.index(column) + 1)
    raise AssertionError(f"item {item.pk} not in sheet")


def edited(data: bytes, change: Callable[[Worksheet], object], sheet: str = "绥滨县") -> bytes:
    book = book_of(data)
    change(book[sheet])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Any, data: bytes, name: str = "台账.xlsx") -> Any:
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(IMPORT, {"file": handle})


def confirm(client: Any, preview: Any) -> Any:
    token = preview.context["confirm"].initial["token"]
    return client.post(IMPORT, {"token": token})


def snapshot() -> tuple[Any, ...]:
    return (
        list(Item.objects.order_by("id").values()),
        AuditEvent.objects.count(),
        Progress.objects.count(),
    )


def test_a_city_export_has_a_summary_and_one_sheet_per_county(ledger: Any, client_for: Any) -> None:
    book = book_of(export(client_for("hegang"), f"?round={ledger.round.pk}"))
    assert book.sheetnames == ["汇总", "萝北县", "绥滨县"]
    sheet = book["绥滨县"]
    assert sheet["A1"].value == "鹤岗市2023年履行教育职责评价反馈问题整改台账"
    assert tuple(c.value for c in sheet[2]) == LEDGER_COLUMNS
    assert sheet.column_dimensions["O"].hidden and sheet.column_dimensions["P"].hidden
    assert not sheet.column_dimensions["J"].hidden
    assert sheet.freeze_panes == "D3"
    first = ledger.suibin_items[0]
    assert cell(sheet, "问题", first).value == "教育专网建设进度缓慢"
    assert cell(sheet, "版本", first).value == str(first.version)  # text, see spreadsheet.HIDDEN
    assert cell(sheet, "是否超期", first).value == "是"
    assert cell(sheet, "整改时限", first).is_date
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows(min_row=3)]
    assert summary[0][:3] == ["萝北县", 2, 2] and summary[-1][:2] == ["合计", 4]


def test_the_export_follows_the_ledger_filters_and_the_users_access(
    ledger: Any, client_for: Any
) -> None:
    mine = book_of(export(client_for("suibin")))
    assert mine.sheetnames == ["绥滨县"]
    assert mine["绥滨县"].max_row == 4
    filtered = book_of(export(client_for("hegang"), "?dimension=校园安全&region=230421"))
    assert filtered.sheetnames == ["萝北县"]  # a county: no summary sheet
    assert [r[2].value for r in filtered["萝北县"].iter_rows(min_row=3)] == [
        "安防人员专业知识与风险防控能力不足"
    ]
    assert "export-xlsx" in client_for("hegang").get(reverse("ledger")).content.decode()


def test_importing_an_unedited_export_changes_nothing(ledger: Any, client_for: Any) -> None:
    hegang = client_for("hegang")
    data = export(hegang, f"?round={ledger.round.pk}")
    before = snapshot()
    response = upload(hegang, data)
    assert response.status_code == 200
    assert "没有需要更新的内容" in response.content.decode()
    assert "confirm" not in response.context or not response.context["confirm"]
    assert snapshot() == before


def test_an_edited_outcome_is_previewed_then_applied_and_audited(
    ledger: Any, client_for: Any, personas: Any
) -> None:
    clerk = client_for("suibin")
    item = ledger.suibin_items[0]

    def fill(sheet: Worksheet) -> None:
        cell(sheet, "整改情况", item).value = "已完成教育城域网建设。"
        cell(sheet, "整改进展", item).value = "完成专家论证。"

    data = edited(export(clerk), fill)
    before = snapshot()
    preview = upload(clerk, data)
    body = preview.content.decode()
    assert preview.status_code == 200, body
    assert "将修改 1 项" in body
    assert "整改情况、新增整改进展" in body
    assert "确认导入" in body
    assert snapshot() == before
    done = confirm(clerk, preview)
    assert done.status_code == 200
    assert "已修改 1 项" in done.content.decode()
    item.refresh_from_db()
    assert item.outcome == "已完成教育城域网建设。"
    assert item.status == Status.IN_PROGRESS  # the first progress update starts the item
    assert item.progress_updates.get().text == "完成专家论证。"
    event = AuditEvent.objects.get(action="item_update", item=item, actor=personas["suibin"])
    assert event.changes["outcome"] == ["", "已完成教育城域网建设。"]
    again = confirm(clerk, preview)
    assert "导入已过期或已完成" in again.content.decode()


def test_status_changes_run_through_the_transitions(
    ledger: Any, client_for: Any, personas: Any
) -> None:
    suibin, hegang = personas["suibin"], personas["hegang"]
    a, b = ledger.suibin_items
    for item in (a, b):
        services.item_start(acting_user=suibin, item=item, expected_version=item.version)
        services.item_update(
            acting_user=suibin, item=item, expected_version=item.version, outcome="已整改。"
        )
        services.item_request_signoff(acting_user=suibin, item=item, expected_version=item.version)
    city = client_for("hegang")

    def decide(sheet: Worksheet) -> None:
        cell(sheet, "状态", a).value = "已销号"
        cell(sheet, "状态", b).value = "整改中"
        cell(sheet, "备注", b).value = "请补充佐证材料。"

    preview = upload(city, edited(export(city, f"?round={ledger.round.pk}"), decide))
    assert "状态 申请销号→已销号" in preview.content.decode()
    confirm(city, preview)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.SIGNED_OFF, Status.IN_PROGRESS)
    assert AuditEvent.objects.get(action="item_sign_off", item=a).actor == hegang
    assert AuditEvent.objects.get(action="item_send_back", item=b).note == "请补充佐证材料。"


def _set(column: str, value: object, which: int = 0) -> Callable[[Worksheet, Any], None]:
    def change(sheet: Worksheet, ledger: Any) -> None:
        cell(sheet, column, ledger.suibin_items[which]).value = value

    return change


def _stale(sheet: Worksheet, ledger: Any) -> None:
    item = Item.objects.get(pk=ledger.suibin_items[0].pk)
    province = item.problem.round.created_by
    assert province is not None
    services.item_update(
        acting_user=province,
        item=item,
        expected_version=item.version,
        remark="省里补充的说明",
    )
    cell(sheet, "整改情况", item).value = "县里填写的整改情况"


def _requested_then_signed_off(sheet: Worksheet, ledger: Any) -> None:
    cell(sheet, "状态", ledger.suibin_items[0]).value = "已销号"


def _duplicate(sheet: Worksheet, ledger: Any) -> None:
    for col in range(1, sheet.max_column + 1):
        sheet.cell(row=5, column=col).value = sheet.cell(row=3, column=col).value


BAD_ROWS: list[tuple[str, Callable[[Worksheet, Any], None], str]] = [
    ("unknown item", _set("系统编号", 999999), "系统中没有编号为 999999 的整改任务"),
    ("bad date", _set("整改时限", "明年六月"), "无法识别的日期“明年六月”"),
    ("unknown status", _set("状态", "完成了"), "未知状态“完成了”"),
    ("skipped status", _set("状态", "已销号"), "不能把状态从“未开始”直接改为“已销号”"),
    ("edited problem", _set("问题", "教育专网建设已完成"), "问题描述与系统中的不一致"),
    (
        "stale version",
        _stale,
        "此行导出后该任务已在系统中被修改（导出时为第1版，现为第2版），未覆盖",
    ),
    ("duplicate row", _duplicate, "与工作表“绥滨县”第3行重复"),
    ("deadline year", _set("整改时限", "2019-01-01"), "不能早于评价年度 2023 年"),
]


@pytest.mark.parametrize(
    ("change", "message"), [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS]
)
def test_a_bad_row_is_reported_and_nothing_is_written(
    ledger: Any, client_for: Any, change: Callable[[Worksheet, Any], None], message: str
) -> None:
    clerk = client_for("suibin")
    data = export(clerk)

    def both(sheet: Worksheet) -> None:
        change(sheet, ledger)
        # A valid edit on the other row, which must not be written either.
        cell(sheet, "整改情况", ledger.suibin_items[1]).value = "安防培训已完成。"

    data = edited(data, both)
    before = snapshot()
    response = upload(clerk, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "未导入任何内容" in body
    assert "确认导入" not in body
    assert snapshot() == before


def test_a_county_cannot_sign_off_its_own_item(ledger: Any, client_for: Any, personas: Any) -> None:
    suibin = personas["suibin"]
    item = ledger.suibin_items[0]
    services.item_start(acting_user=suibin, item=item, expected_version=item.version)
    services.item_update(acting_user=suibin, item=item, expected_version=item.version, outcome="好")
    services.item_request_signoff(acting_user=suibin, item=item, expected_version=item.version)
    clerk = client_for("suibin")
    data = edited(export(clerk), lambda s: _requested_then_signed_off(s, ledger))
    before = snapshot()
    body = upload(clerk, data).content.decode()
    assert "只有上级督导人员才能销号" in body
    assert snapshot() == before


def test_a_send_back_needs_a_reason_in_the_remark(
    ledger: Any, client_for: Any, personas: Any
) -> None:
    suibin = personas["suibin"]
    item = ledger.suibin_items[0]
    services.item_start(acting_user=suibin, item=item, expected_version=item.version)
    services.item_update(acting_user=suibin, item=item, expected_version=item.version, outcome="好")
    services.item_request_signoff(acting_user=suibin, item=item, expected_version=item.version)
    city = client_for("hegang")
    data = edited(export(city), lambda s: _set("状态", "整改中")(s, ledger))
    body = upload(city, data).content.decode()
    assert "退回时请在「备注」中填写退回理由" in body
    assert Item.objects.get(pk=item.pk).status == Status.SIGNOFF_REQUESTED


def test_a_viewer_may_export_but_not_change_anything(ledger: Any, client_for: Any) -> None:
    viewer = client_for("viewer")
    data = export(viewer, f"?round={ledger.round.pk}")
    assert "没有需要更新的内容" in upload(viewer, data).content.decode()
    changed = edited(data, lambda s: _set("整改情况", "改了")(s, ledger))
    before = snapshot()
    body = upload(viewer, changed).content.decode()
    assert "您没有修改此整改任务的权限" in body
    assert snapshot() == before


def test_a_neighbour_cannot_import_rows_it_cannot_see(ledger: Any, client_for: Any) -> None:
    data = export(client_for("hegang"), f"?round={ledger.round.pk}")
    body = upload(client_for("luobei"), data).content.decode()
    assert f"系统中没有编号为 {ledger.suibin_items[0].pk} 的整改任务，或您无权查看" in body


def _ole(extra: bytes = b"") -> bytes:
    return OLE2_MAGIC + b"\x00" * 504 + extra + b"\x00" * 1024


def _column(change: Callable[[Worksheet], object]) -> Callable[[bytes], bytes]:
    return lambda data: edited(data, change)


BAD_FILES: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("xls", lambda _: _ole(), "旧版 Excel 97-2003"),
    ("password", lambda _: _ole("EncryptedPackage".encode("utf-16-le")), "打开密码"),
    ("extra column", _column(lambda s: s.cell(row=2, column=17, value="附件")), "多出列：附件"),
    ("missing column", _column(lambda s: s.delete_cols(6)), "缺少列：配合单位"),
    ("merged cells", _column(lambda s: s.merge_cells("B3:B4")), "合并单元格"),
    ("formula", _column(lambda s: s.__setitem__("K3", '="整改"&"中"')), "含有公式"),
    ("not excel", lambda _: "序号,问题\n".encode(), "不是 Excel 工作簿"),
]


@pytest.mark.parametrize(
    ("spoil", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_a_bad_file_is_refused_with_a_clear_message(
    ledger: Any, client_for: Any, spoil: Callable[[bytes], bytes], message: str
) -> None:
    clerk = client_for("suibin")
    data = spoil(export(clerk))
    before = snapshot()
    response = upload(clerk, data, name="台账.xls")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_htmx_uploads_get_only_the_result(ledger: Any, client_for: Any) -> None:
    clerk = client_for("suibin")
    handle = io.BytesIO(export(clerk))
    handle.name = "台账.xlsx"
    response = clerk.post(IMPORT, {"file": handle}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "没有需要更新的内容" in body and "<html" not in body
    page = clerk.get(IMPORT).content.decode()
    assert 'hx-indicator="#busy"' in page and "正在处理，请稍候…" in page


def test_previews_never_confirmed_are_cleared_after_two_days(
    ledger: Any, client_for: Any, media: Any
) -> None:
    import os
    import time

    clerk = client_for("suibin")
    item = ledger.suibin_items[0]

    def fill(sheet: Worksheet) -> None:
        cell(sheet, "整改情况", item).value = "已完成。"

    data = edited(export(clerk), fill)
    assert upload(clerk, data).status_code == 200
    (abandoned,) = (media / "imports" / "ledger").iterdir()
    three_days_ago = time.time() - 3 * 86400
    os.utime(abandoned, (three_days_ago, three_days_ago))
    fresh = upload(client_for("hegang"), data)
    assert fresh.status_code == 200
    kept = list((media / "imports" / "ledger").iterdir())
    assert abandoned not in kept and len(kept) == 1


def test_the_writers_status_labels_are_the_ledgers() -> None:
    # dudao.writers imports nothing from Django and spells the labels out; a label changed
    # on one side only would make every exported row of that status fail to import.
    assert tuple(Status.labels) == STATUS_LABELS


def test_the_sheet_uses_the_words_of_the_screens(ledger: Any, client_for: Any) -> None:
    clerk = client_for("suibin")
    header = [c.value for c in book_of(export(clerk))["绥滨县"][2]]
    page = clerk.get(reverse("item", args=[ledger.suibin_items[0].pk])).content.decode()
    for word in ("牵头单位", "配合单位", "责任人", "整改时限", "整改措施", "整改情况", "备注"):
        assert word in header and word in page
    assert "责任单位" not in header and "完成情况" not in header


def test_a_ledger_exported_under_the_former_headers_still_imports(
    ledger: Any, client_for: Any
) -> None:
    clerk = client_for("suibin")
    item = ledger.suibin_items[0]

    def former(sheet: Worksheet) -> None:
        cell(sheet, "整改情况", item).value = "旧模板填写的整改情况。"
        former_names = {"牵头单位": "责任单位", "整改情况": "完成情况"}
        for c in sheet[2]:
            c.value = former_names.get(str(c.value), c.value)

    preview = upload(clerk, edited(export(clerk), former))
    assert preview.status_code == 200, preview.content.decode()
    assert "整改情况" in preview.content.decode()
    assert confirm(clerk, preview).status_code == 200
    item.refresh_from_db()
    assert item.outcome == "旧模板填写的整改情况。"
