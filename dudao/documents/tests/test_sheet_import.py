"""An office's own Excel 台账 in the browser: upload → the columns mapped to Dudao's fields
(proposed from the header names, corrected by the clerk, remembered per office) → every row
a problem and item of a received round, all rows or none."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.documents.models import ColumnMapping, OfficialDocument
from dudao.documents.tests.test_import_support import corpus
from dudao.rectification.models import Item, Problem, Round, Status

pytestmark = pytest.mark.django_db

SUIBIN = "230422"
TITLE = "绥滨县2024年履行教育职责评价反馈问题整改台账"
HEADER = [
    "编号",
    "方面",
    "存在问题",
    "整改措施",
    "牵头单位",
    "配合单位",
    "责任人",
    "完成时限",
    "推进情况",  # not a name the proposal knows: the clerk maps it to 整改进展
    "状态",
    "备注",
]
# (方面 merged down, problem, measures, lead unit, co units, person, deadline, progress, status)
ROWS: list[tuple[str, str, str, str, str, str, object, str, str]] = [
    (
        "教育优先发展",
        "县级教育经费投入未做到“两个只增不减”",
        "调整2024年预算，追加教育经费860万元",
        "县财政局",
        "县教育局",
        "王立新",
        datetime.datetime(2024, 6, 30),
        "追加预算已于5月拨付到位",
        "已完成",
    ),
    (
        "",
        "学前教育公办园在园幼儿占比偏低",
        "新建公办幼儿园2所",
        "县教育局",
        "县住建局、县自然资源局",
        "李红",
        "2024年12月底",
        "一所已开工，一所完成选址",
        "整改中",
    ),
    (
        "",
        "义务教育学校大班额问题仍然存在",
        "分流安置、扩建教室",
        "县教育局",
        "",
        "李红",
        "长期坚持",
        "每学期核查班额",
        "持续整改",
    ),
    (
        "校园安全",
        "部分学校安防人员专业知识不足",
        "组织安防人员专题培训",
        "县公安局",
        "县教育局",
        "赵军",
        "2024年9月30日",
        "",
        "",
    ),
    (
        "",
        "校园周边交通秩序治理不到位",
        "上下学时段设置护学岗",
        "县公安局",
        "",
        "赵军",
        "2024.10.31",
        "护学岗已全部设置",
        "已整改",
    ),
]


def foreign_ledger(rows: list[tuple[Any, ...]] = ROWS, *, county: str = "绥滨县") -> bytes:
    """A county's own workbook: a merged title row and a filing row above the header, its
    own column names and order, 方面 merged down its rows, a second sheet of notes."""
    book = openpyxl.Workbook()
    notes = book.worksheets[0]
    notes.title = "填表说明"
    notes.append(["填表说明"])
    notes.append(["1. 每个问题填一行；2. 完成时限填写到日。"])
    sheet = book.create_sheet("整改台账")
    sheet.append([TITLE.replace("绥滨县", county)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(
        [f"填报单位：{county}教育局（盖章）", "", "", "", "", "", "", "填报日期：2024年6月30日"]
    )
    sheet.append(HEADER)
    first = 4
    for n, (dim, *rest) in enumerate(rows, start=1):
        sheet.append([n, dim or None, *rest, ""])
    # 方面 cells merged down their rows, as offices lay them out
    dims = [r[0] for r in rows]
    start = None
    for i, dim in enumerate([*dims, "end"]):
        if dim:
            if start is not None and i - 1 > start:
                sheet.merge_cells(
                    start_row=first + start, start_column=2, end_row=first + i - 1, end_column=2
                )
            start = i
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Any, data: bytes, name: str = "绥滨县整改台账.xlsx") -> Any:
    return client.post(reverse("import-sheet"), {"file": SimpleUploadedFile(name, data)})


def posted(page: Any, **changes: str) -> dict[str, str]:
    """What the browser posts back from the mapping page, with `changes`."""
    form = page.context["form"]
    if form.is_bound:
        data = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    else:
        data = {
            name: str(form.initial[name])
            for name in form.fields
            if form.initial.get(name) is not None
        }
    data.update(changes)
    return data


def columns(page: Any) -> list[str]:
    form = page.context["form"]
    data = form.data if form.is_bound else form.initial
    return [data.get(f"col_{i}", "") for i in range(form.width)]


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        Round.objects.count(),
        Problem.objects.count(),
        Item.objects.count(),
        AuditEvent.objects.count(),
        OfficialDocument.objects.count(),
    )


def test_a_foreign_workbook_is_mapped_corrected_and_imported(
    personas: dict[str, Any], client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    assert client.get(reverse("import-upload")).content.decode().count(reverse("import-sheet"))
    uploaded = upload(client, foreign_ledger())
    assert uploaded.status_code == 302
    page = client.get(uploaded["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    # the ledger sheet (not the notes) and its header row (row 3) were found
    assert page.context["layout"].sheet == 1 and page.context["layout"].header == 2
    assert "列对应是按表头的列名猜测的" in html
    assert columns(page) == [
        "label",
        "dimension",
        "problem",
        "measures",
        "lead_unit",
        "co_units",
        "responsible_person",
        "deadline",
        "",  # 推进情况: not guessed
        "status",
        "remark",
    ]
    # the first rows beside the mapping, and the reading under it
    assert "县级教育经费投入未做到“两个只增不减”" in html
    assert "共 5 个问题" in html
    assert page.context["form"].initial["title"] == TITLE
    assert page.context["form"].initial["year"] == 2024

    # the clerk maps 推进情况 to 整改进展 and previews, then imports into a new round
    corrected = posted(page, col_8="outcome", issuer="鹤岗市人民政府教育督导室", round="new")
    preview = client.post(uploaded["Location"], {**corrected, "preview": "1"})
    assert preview.status_code == 200 and columns(preview)[8] == "outcome"
    done = client.post(uploaded["Location"], {**corrected, "confirm": "1"})
    assert done.status_code == 302, done.content.decode()[:3000]
    result = client.get(done["Location"]).content.decode()
    assert "已从“绥滨县整改台账.xlsx”导入 5 个问题" in result

    rnd = Round.objects.get(title=TITLE)
    assert rnd.year == 2024 and rnd.evaluated_region.code == SUIBIN
    assert rnd.source_issuer == "鹤岗市人民政府教育督导室"
    assert rnd.evaluating_region.code == "230400"
    items = list(Item.objects.filter(problem__round=rnd).order_by("problem__order"))
    assert [i.problem.dimension for i in items] == ["教育优先发展"] * 3 + ["校园安全"] * 2
    first, second, third, fourth, fifth = items
    assert first.region.code == SUIBIN and first.lead_unit == "县财政局"
    assert first.co_units == "县教育局" and first.responsible_person == "王立新"
    assert first.deadline == datetime.date(2024, 6, 30)
    assert first.measures == "调整2024年预算，追加教育经费860万元"
    assert first.outcome == "追加预算已于5月拨付到位"
    # 已完成/已整改: the outcome recorded and sign-off requested, never signed off here
    assert first.status == Status.SIGNOFF_REQUESTED and first.signed_off_at is None
    assert fifth.status == Status.SIGNOFF_REQUESTED
    assert second.status == Status.IN_PROGRESS
    assert second.deadline == datetime.date(2024, 12, 31)
    assert third.status == Status.ONGOING and third.deadline is None
    assert third.ongoing_reason == "持续整改"
    assert fourth.status == Status.NOT_STARTED and fourth.outcome == ""
    # every change audited, the mapping remembered for 绥滨县
    actions = set(
        AuditEvent.objects.filter(actor=personas["suibin"]).values_list("action", flat=True)
    )
    assert {
        "round_receive",
        "item_assign",
        "item_update",
        "item_request_signoff",
        "item_mark_ongoing",
        "column_mapping_save",
        "document_import",
    } <= actions
    mapping = ColumnMapping.objects.get()
    assert mapping.region.code == SUIBIN and mapping.fields[8] == "outcome"
    assert OfficialDocument.objects.get(round=rnd).kind == "ledger"

    # the same file again: the remembered mapping is proposed; importing changes nothing
    again = upload(client, foreign_ledger())
    page = client.get(again["Location"])
    assert "已套用本单位上次确认的列对应" in page.content.decode()
    assert columns(page)[8] == "outcome"
    assert page.context["form"].initial["round"] == str(rnd.pk)
    before = snapshot()
    done = client.post(again["Location"], {**posted(page), "confirm": "1"})
    assert done.status_code == 302
    assert "本次没有做任何修改" in client.get(done["Location"]).content.decode()
    assert snapshot() == before

    # a later ledger with the same header into the same round adds only its new rows
    more = [
        *ROWS,
        (
            "校园安全",
            "学校食堂食品安全管理制度不健全",
            "修订制度",
            "县市场监管局",
            "",
            "",
            "2024年11月",
            "",
            "整改中",
        ),
    ]
    later = upload(client, foreign_ledger(more), "台账（更新）.xlsx")
    page = client.get(later["Location"])
    done = client.post(later["Location"], {**posted(page), "confirm": "1"})
    assert done.status_code == 302
    shown = client.get(done["Location"]).content.decode()
    assert "导入 1 个问题" in shown and "第4行的问题已在此评价中，未重复导入。" in shown
    assert Item.objects.filter(problem__round=rnd).count() == 6


def test_a_bad_row_refuses_the_whole_file(
    personas: dict[str, Any], client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    # rows 4-13: ten good problems, then row 14 with a deadline that is no date
    rows: list[tuple[Any, ...]] = [
        (d, f"{s}（{n}）", *rest) for n, (d, s, *rest) in enumerate(ROWS * 2)
    ]
    bad = ("", "农村学校寄宿条件较差", "改造宿舍", "县教育局", "", "", "2025年13月1日", "", "")
    uploaded = upload(client, foreign_ledger([*rows, bad]))
    page = client.get(uploaded["Location"])
    before = snapshot()
    data = posted(page, issuer="鹤岗市人民政府教育督导室")
    refused = client.post(uploaded["Location"], {**data, "confirm": "1"})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "第14行整改时限“2025年13月1日”不是有效日期" in html
    assert "未导入任何内容" in html
    assert snapshot() == before
    assert not ColumnMapping.objects.exists()

    # a mapping without a problem column is refused with what to do
    no_problem = posted(page, col_2="", issuer="鹤岗市人民政府教育督导室")
    refused = client.post(uploaded["Location"], {**no_problem, "confirm": "1"})
    assert refused.status_code == 400
    assert "请指定哪一列是“问题”" in refused.content.decode()
    # two columns for one field
    twice = posted(page, col_8="measures", issuer="鹤岗市人民政府教育督导室")
    refused = client.post(uploaded["Location"], {**twice, "confirm": "1"})
    assert "“整改措施”对应了2列（D、I列）" in refused.content.decode()
    assert snapshot() == before


def test_another_sheet_and_header_row_can_be_chosen(client_for: Any, media: Path) -> None:
    client = client_for("suibin")
    uploaded = upload(client, foreign_ledger())
    page = client.get(uploaded["Location"])
    # the clerk points at the notes sheet: nothing there is a problem column
    data = posted(page, sheet="0", header_row="1")
    other = client.post(uploaded["Location"], {**data, "reload": "1"})
    assert other.status_code == 200
    assert other.context["layout"].sheet == 0 and "problem" not in columns(other)
    assert "请指定哪一列是“问题”" in other.content.decode()
    # and back to the ledger's header row
    data = posted(other, sheet="1", header_row="3")
    back = client.post(uploaded["Location"], {**data, "reload": "1"})
    assert columns(back)[2] == "problem"
    assert "共 5 个问题" in back.content.decode()


def test_the_neighbour_sees_nothing_of_suibin_s_mapping_or_round(
    client_for: Any, media: Path
) -> None:
    suibin = client_for("suibin")
    uploaded = upload(suibin, foreign_ledger())
    page = suibin.get(uploaded["Location"])
    data = posted(page, col_8="outcome", issuer="鹤岗市人民政府教育督导室")
    assert suibin.post(uploaded["Location"], {**data, "confirm": "1"}).status_code == 302
    rnd = Round.objects.get(title=TITLE)

    luobei = client_for("luobei")
    # suibin's pending import and its result are not luobei's
    assert luobei.get(uploaded["Location"]).status_code == 404
    assert luobei.get(uploaded["Location"] + "done/").status_code == 404
    # luobei's own upload of the same workbook: no remembered mapping, no suibin round
    own = upload(luobei, foreign_ledger(county="萝北县"), "萝北县整改台账.xlsx")
    page = luobei.get(own["Location"])
    html = page.content.decode()
    assert "已套用本单位上次确认的列对应" not in html
    assert columns(page)[8] == ""
    assert "绥滨县" not in html
    choices = [value for value, _ in page.context["form"].fields["round"].choices]
    assert str(rnd.pk) not in choices
    # a forged round id is not accepted either
    forged = posted(page, round=str(rnd.pk), col_8="outcome")
    refused = luobei.post(own["Location"], {**forged, "confirm": "1"})
    assert refused.status_code == 400
    assert Item.objects.filter(problem__round=rnd).count() == 5
    assert luobei.get(reverse("round", args=[rnd.pk])).status_code == 404


def test_the_legacy_xls_imports_through_the_mapping_step(client_for: Any, media: Path) -> None:
    client = client_for("luobei")
    data = corpus("ledgers/county-ledger.xls")
    uploaded = upload(client, data, "萝北县整改台账.xls")
    assert uploaded.status_code == 302
    page = client.get(uploaded["Location"])
    assert columns(page)[:3] == ["label", "dimension", "problem"]
    # its second sheet has the same header (one title row fewer): taken in by default
    assert "同时导入表头相同的其他工作表：教师队伍" in page.content.decode()
    assert "共 3 个问题" in page.content.decode()
    alone = client.post(uploaded["Location"], {**posted(page, all_sheets=""), "preview": "1"})
    assert "共 2 个问题" in alone.content.decode()
    done = client.post(
        uploaded["Location"],
        {
            **posted(page, issuer="鹤岗市人民政府教育督导室", title="萝北县2023年评价整改台账"),
            "confirm": "1",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    items = Item.objects.filter(region__code="230421").order_by("problem__order")
    assert [(i.problem.dimension, i.problem.statement) for i in items] == [
        ("经费保障", "教师培训经费未达到公用经费的5%"),
        ("经费保障", "生均公用经费拨付不及时"),
        ("教师配备", "音体美教师缺口较大"),
    ]
    assert items[0].deadline == datetime.date(2024, 6, 30)
    assert items[1].measures == "按季度预拨公用经费\n建立拨付进度月报制度"
    assert items[2].status == Status.IN_PROGRESS and items[2].lead_unit == "县教育局"


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(client_for: Any, media: Path) -> None:
    client = client_for("suibin")
    refused = upload(client, b"PK\x03\x04not a zip at all" * 10, "台账.xlsx")
    assert refused.status_code == 400
    assert "文件已损坏" in refused.content.decode()
    refused = upload(client, b"hello", "台账.docx")
    assert "请上传 Excel 台账" in refused.content.decode()
    viewer = client_for("viewer")
    assert (
        viewer.post(
            reverse("import-sheet"), {"file": SimpleUploadedFile("a.xlsx", b"x")}
        ).status_code
        == 403
    )


def test_a_far_cell_workbook_is_refused_before_it_is_read(client_for: Any, media: Path) -> None:
    """A cell at row 1,000,000,000 would make calamine allocate the whole rectangle: the
    sheet's extent is checked first, as for every other upload."""
    from dudao.lib import hostile

    client = client_for("suibin")
    before = snapshot()
    refused = upload(client, hostile.far_cell_xlsx())
    assert refused.status_code == 400
    assert "第1000000000行" in refused.content.decode()
    assert snapshot() == before and not (media / "imports" / "pending").exists()


def test_a_csv_ledger_imports_into_a_received_round_of_the_county(
    client_for: Any, media: Path
) -> None:
    client = client_for("suibin")
    first = upload(client, foreign_ledger())
    page = client.get(first["Location"])
    data = posted(page, col_8="outcome", issuer="鹤岗市人民政府教育督导室")
    assert client.post(first["Location"], {**data, "confirm": "1"}).status_code == 302
    rnd = Round.objects.get(title=TITLE)

    uploaded = upload(client, corpus("ledgers/bureau-ledger.csv"), "股室台账.csv")
    page = client.get(uploaded["Location"])
    assert columns(page) == [
        "problem",
        "lead_unit",
        "responsible_person",
        "deadline",
        "outcome",
        "status",
    ]
    assert page.context["form"].initial["round"] == str(rnd.pk)  # the county's received round
    done = client.post(uploaded["Location"], {**posted(page), "confirm": "1"})
    assert done.status_code == 302
    added = Item.objects.filter(problem__round=rnd, problem__statement="校园监控存在盲区").get()
    assert added.lead_unit == "安全股" and added.responsible_person == "王明"
    assert added.status == Status.SIGNOFF_REQUESTED and added.outcome == "新增摄像头120个"
    assert added.problem.dimension == "其他"  # no category column, a .csv has no sheet name
    assert Item.objects.filter(problem__round=rnd).count() == 7
    assert AuditEvent.objects.filter(action="problem_add", target_id=added.problem_id).exists()


def test_a_bad_row_on_another_sheet_names_its_sheet(client_for: Any, media: Path) -> None:
    book = openpyxl.Workbook()
    for n, (name, deadline) in enumerate(
        [("教育保障", "2024年6月30日"), ("教师队伍", "2024年2月30日")]
    ):
        sheet = book.worksheets[0] if n == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(["问题", "整改时限"])
        sheet.append([f"{name}方面的问题", deadline])
    out = io.BytesIO()
    book.save(out)
    client = client_for("suibin")
    uploaded = upload(client, out.getvalue())
    page = client.get(uploaded["Location"])
    before = snapshot()
    data = posted(page, issuer="鹤岗市人民政府教育督导室", title="台账")
    refused = client.post(uploaded["Location"], {**data, "confirm": "1"})
    assert refused.status_code == 400
    assert "工作表“教师队伍”第2行整改时限“2024年2月30日”不是有效日期" in refused.content.decode()
    assert snapshot() == before


def test_the_mapping_page_s_queries_do_not_grow_with_the_rounds(
    personas: dict[str, Any], regions: dict[str, Any], client_for: Any, media: Path
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dudao.rectification import services

    client = client_for("suibin")
    uploaded = upload(client, foreign_ledger())

    def receive(n: int) -> None:
        services.round_receive(
            acting_user=personas["suibin"],
            region=regions[SUIBIN],
            issuer="鹤岗市人民政府教育督导室",
            doc_number="",
            title=f"2024年专项督导反馈（{n}）",
            date=None,
            problems=[services.ReceivedProblem(dimension="其他", statement=f"问题{n}")],
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(uploaded["Location"]).status_code == 200
        return len(captured)

    receive(0)
    one = queries()
    for n in range(1, 6):
        receive(n)
    assert queries() == one
