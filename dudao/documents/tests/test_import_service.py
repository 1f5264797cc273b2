"""Importing reports into the ledger through the service: matching, idempotence, corrected
versions, feedback letters, permissions, stale edits, signed-off items and bad files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from dudao.audit.models import AuditEvent
from dudao.documents.importing import (
    CLOSE,
    EXACT,
    MISSING,
    NEW,
    report_import_apply,
    report_import_preview,
)
from dudao.documents.importing.matching import Candidate, match_statements, statement_key
from dudao.documents.importing.preview import NOT_IN_ROUND
from dudao.documents.models import Kind, OfficialDocument, Origin
from dudao.documents.tests import test_import_support as support
from dudao.documents.tests.test_import_support import (
    LUOBEI,
    SUIBIN,
    SuibinRound,
    corpus,
    corrected_sample,
    ledger_snapshot,
)
from dudao.rectification import services
from dudao.rectification.errors import LedgerError, NotAllowed, StaleEdit
from dudao.rectification.models import Item, Problem, Source, Status

pytestmark = pytest.mark.django_db

# fixtures
luobei_round = support.luobei_round
suibin_round = support.suibin_round


def preview(user: Any, rnd: Any, region: Any, name: str = "suibin-2024-17.txt", **kw: Any) -> Any:
    data = kw.pop("data", None) or corpus(name)
    return report_import_preview(
        acting_user=user, data=data, filename=name, rnd=rnd, region=region, **kw
    )


def outcomes(sr: SuibinRound) -> list[str]:
    return [Item.objects.get(pk=i.pk).outcome for i in sr.items]


def test_the_sample_fills_the_15_outcomes_of_its_round(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    user = personas["suibin"]
    plan = preview(user, suibin_round.round, regions[SUIBIN])
    assert [e.match for e in plan.entries] == [EXACT] * 15
    assert [e.problem for e in plan.entries] == suibin_round.problems
    assert plan.counts["changed_items"] == 15
    assert plan.counts["new_problems"] == plan.counts["new_items"] == 0
    assert plan.notice == "将更新整改任务 15 项（15 处内容）"
    change = plan.entries[13].changes[0]
    assert (change.field, change.before) == ("outcome", "")
    assert change.after.startswith("我县对教育系统8所学校消防设施进行网上验收")

    result = report_import_apply(acting_user=user, plan=plan)

    filled = outcomes(suibin_round)
    assert all(filled)
    assert filled[13].startswith("我县对教育系统8所学校消防设施进行网上验收")
    assert len(result.items_updated) == 15
    events = AuditEvent.objects.filter(action="item_update", actor=user)
    assert events.count() == 15
    assert {e.note for e in events} == {f"导入报告文件：{plan.filename}"}
    doc = result.document
    assert doc is not None
    assert (doc.kind, doc.origin, doc.version) == (Kind.RECTIFICATION_REPORT, Origin.IMPORTED, 1)
    assert (doc.round, doc.region) == (suibin_round.round, regions[SUIBIN])
    assert doc.issuer == "绥滨县人民政府"
    assert doc.doc_number == "绥政函〔2024〕17号"
    assert doc.recipient == "鹤岗市人民政府教育督导委员会"
    assert doc.title == "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函"
    assert doc.data["problem_count"] == 15
    assert AuditEvent.objects.filter(action="document_import", target_id=doc.pk).exists()


def test_the_stored_document_is_the_file_itself(
    suibin_round: SuibinRound, personas: Any, regions: Any, media: Path
) -> None:
    data = corpus("suibin-2024-17.txt")
    plan = preview(personas["suibin"], suibin_round.round, regions[SUIBIN])
    doc = report_import_apply(acting_user=personas["suibin"], plan=plan).document
    assert doc is not None
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert doc.original_name == "suibin-2024-17.txt"
    assert "suibin" not in doc.stored_name  # a generated name, never the clerk's
    with default_storage.open(doc.stored_name, "rb") as handle:
        assert handle.read() == data


def test_importing_the_same_file_twice_changes_nothing(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    user = personas["suibin"]
    report_import_apply(acting_user=user, plan=preview(user, suibin_round.round, regions[SUIBIN]))
    before = ledger_snapshot()

    again = preview(user, suibin_round.round, regions[SUIBIN])
    assert not again.has_changes
    assert again.notice.startswith("此文件已导入过（绥政函〔2024〕17号，第 1 版")
    assert again.notice.endswith("没有需要更新的内容")
    result = report_import_apply(acting_user=user, plan=again)

    assert result.document is None and not result.changed
    assert ledger_snapshot() == before


def test_the_same_report_as_docx_after_the_text_changes_nothing(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    user = personas["suibin"]
    report_import_apply(acting_user=user, plan=preview(user, suibin_round.round, regions[SUIBIN]))
    before = ledger_snapshot()
    for name in ("suibin.docx", "suibin.pdf"):
        plan = preview(user, suibin_round.round, regions[SUIBIN], name)
        assert plan.duplicate_of is None  # other bytes
        assert plan.notice == "没有需要更新的内容", name
        report_import_apply(acting_user=user, plan=plan)
    assert ledger_snapshot() == before  # not even a document row


def test_a_corrected_version_shows_exactly_one_change_then_applies_it(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    user = personas["suibin"]
    first = report_import_apply(
        acting_user=user, plan=preview(user, suibin_round.round, regions[SUIBIN])
    )
    old = outcomes(suibin_round)

    plan = preview(user, suibin_round.round, regions[SUIBIN], data=corrected_sample())
    changed = [e for e in plan.entries if e.changes]
    assert [e.number for e in changed] == [14]
    (change,) = changed[0].changes
    assert change.before == old[13]
    assert change.after == old[13].replace("8所学校", "9所学校")
    assert plan.notice == "将更新整改任务 1 项（1 处内容）"

    result = report_import_apply(acting_user=user, plan=plan)

    new = outcomes(suibin_round)
    assert new[13] == old[13].replace("8所学校", "9所学校")
    assert new[:13] == old[:13] and new[14:] == old[14:]
    assert result.document is not None and first.document is not None
    assert result.document.version == 2
    assert result.document.sha256 != first.document.sha256
    assert OfficialDocument.objects.filter(round=suibin_round.round).count() == 2


def test_a_feedback_letter_creates_the_problems_of_an_empty_round(
    luobei_round: Any, personas: Any, regions: Any
) -> None:
    hegang = personas["hegang"]
    plan = preview(hegang, luobei_round, regions[LUOBEI], "feedback-letter.txt")
    assert plan.is_feedback
    assert [e.match for e in plan.entries] == [NEW] * 6
    assert plan.notice == "将新增问题 6 个，新增整改任务 6 项"

    result = report_import_apply(acting_user=hegang, plan=plan)

    problems = list(Problem.objects.filter(round=luobei_round).order_by("order"))
    assert len(problems) == 6
    assert {p.source for p in problems} == {Source.IMPORTED}
    assert problems[0].dimension == "教育优先发展"
    assert problems[0].statement.startswith("学前教育普惠发展有差距")
    assert problems[5].dimension == "校园安全"
    items = Item.objects.filter(problem__round=luobei_round)
    assert items.count() == 6
    assert {i.region.code for i in items} == {LUOBEI}
    assert all(i.outcome == "" for i in items)  # a feedback letter has no outcomes
    assert result.document is not None and result.document.kind == Kind.FEEDBACK_LETTER
    assert result.document.doc_number == "鹤教督办函〔2024〕8号"
    assert str(result.document.date) == "2024-04-15"
    # twice: nothing
    again = preview(hegang, luobei_round, regions[LUOBEI], "feedback-letter.txt")
    assert not again.has_changes


def test_a_county_officer_reads_the_feedback_letter_it_received_but_creates_nothing(
    luobei_round: Any, personas: Any, regions: Any
) -> None:
    before = ledger_snapshot()
    plan = preview(personas["luobei"], luobei_round, regions[LUOBEI], "feedback-letter.txt")
    assert plan.is_feedback and plan.entries
    assert not plan.has_changes
    assert {e.skipped for e in plan.entries} == {NOT_IN_ROUND}
    result = report_import_apply(acting_user=personas["luobei"], plan=plan)
    assert not result.changed
    assert ledger_snapshot() == before


def test_the_neighbour_may_not_import_a_feedback_letter_sent_to_luobei(
    luobei_round: Any, personas: Any, regions: Any
) -> None:
    before = ledger_snapshot()
    with pytest.raises(NotAllowed):
        preview(personas["suibin"], luobei_round, regions[LUOBEI], "feedback-letter.txt")
    assert ledger_snapshot() == before


@pytest.mark.parametrize("name", ["luobei", "viewer", "nobody"])
def test_others_may_not_import_into_suibin(
    suibin_round: SuibinRound, personas: Any, regions: Any, name: str
) -> None:
    before = ledger_snapshot()
    with pytest.raises(NotAllowed):
        preview(personas[name], suibin_round.round, regions[SUIBIN])
    assert ledger_snapshot() == before


def test_a_region_outside_the_round_is_refused(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    with pytest.raises(LedgerError, match="不在此评价"):
        preview(personas["hegang"], suibin_round.round, regions[LUOBEI])


def test_an_officer_cannot_create_problems_missing_from_the_round(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    """A report naming a problem the round lacks: the officer is told, the rest imports."""
    Problem.objects.filter(pk=suibin_round.problems[0].pk).update(statement="食堂卫生管理不规范")
    officer_plan = preview(personas["suibin"], suibin_round.round, regions[SUIBIN])
    first = officer_plan.entries[0]
    assert first.match == MISSING and "只有评价方督导人员才能新增问题" in first.skipped
    assert officer_plan.counts["changed_items"] == 14

    supervisor_plan = preview(personas["hegang"], suibin_round.round, regions[SUIBIN])
    first = supervisor_plan.entries[0]
    assert (first.match, first.create_problem, first.create_item) == (NEW, True, True)
    result = report_import_apply(acting_user=personas["hegang"], plan=supervisor_plan)
    (created,) = result.problems_created
    assert created.dimension == "教育优先发展" and created.source == Source.IMPORTED
    assert Item.objects.get(problem=created).outcome.startswith("我县第一中学已申报")


def test_a_nearly_identical_statement_is_matched_within_its_dimension(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    problem = suibin_round.problems[2]  # 教育专网建设进度缓慢
    Problem.objects.filter(pk=problem.pk).update(statement="教育专网建设进度较为缓慢")
    plan = preview(personas["suibin"], suibin_round.round, regions[SUIBIN])
    entry = plan.entries[2]
    assert entry.match == CLOSE and entry.problem == problem and entry.ratio >= 0.9


def test_a_stale_item_refuses_the_whole_import(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    user = personas["suibin"]
    plan = preview(user, suibin_round.round, regions[SUIBIN])
    item = Item.objects.get(pk=suibin_round.items[4].pk)
    services.item_update(
        acting_user=personas["hegang"], item=item, expected_version=item.version, outcome="督学填写"
    )
    before = ledger_snapshot()
    with pytest.raises(StaleEdit):
        report_import_apply(acting_user=user, plan=plan)
    assert ledger_snapshot() == before


def test_signed_off_items_are_not_overwritten(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    item = Item.objects.get(pk=suibin_round.items[0].pk)
    Item.objects.filter(pk=item.pk).update(status=Status.SIGNED_OFF, outcome="已销号的情况")
    plan = preview(personas["suibin"], suibin_round.round, regions[SUIBIN])
    assert plan.entries[0].skipped == "此整改任务已销号，不覆盖其整改情况"
    assert not plan.entries[0].changes
    report_import_apply(acting_user=personas["suibin"], plan=plan)
    assert Item.objects.get(pk=item.pk).outcome == "已销号的情况"
    assert all(outcomes(suibin_round)[1:])


def test_corrections_change_what_is_written(
    suibin_round: SuibinRound, personas: Any, regions: Any
) -> None:
    corrections = {
        "doc_number": "绥政函〔2024〕18号",
        "date": "2024-05-28",
        "problems": {
            2: {"skip": True},
            3: {"measures": "  改正后的整改情况。 "},
        },
    }
    plan = preview(personas["suibin"], suibin_round.round, regions[SUIBIN], corrections=corrections)
    assert plan.entries[1].skipped_by_user and not plan.entries[1].has_changes
    result = report_import_apply(acting_user=personas["suibin"], plan=plan)
    filled = outcomes(suibin_round)
    assert filled[1] == "" and filled[2] == "改正后的整改情况。"
    doc = result.document
    assert doc is not None
    assert doc.doc_number == "绥政函〔2024〕18号" and str(doc.date) == "2024-05-28"
    assert doc.data["skipped"] == [2]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("legacy.doc", "另存为” .docx"),
        ("scanned.pdf", "PDF 没有文字层"),
        ("encrypted.pdf", "PDF 已加密"),
        ("empty.txt", "文件为空"),
        ("random.bin", "无法识别的文件"),
    ],
)
def test_bad_files_give_the_parsers_message_and_change_nothing(
    suibin_round: SuibinRound, personas: Any, regions: Any, name: str, message: str
) -> None:
    before = ledger_snapshot()
    with pytest.raises(LedgerError, match=message) as exc:
        preview(personas["suibin"], suibin_round.round, regions[SUIBIN], name)
    assert exc.value.field == "file"
    assert ledger_snapshot() == before


def test_statement_keys_fold_width_quotes_and_spaces() -> None:
    assert statement_key("部分学校人防投入不足，导致安防建设‘四个百分百’质量不高") == statement_key(
        "部分学校人防投入不足, 导致安防建设'四个百分百'质量不高。"
    )
    assert statement_key("（一）Ａ１") == statement_key("(一)a1")


def test_matching_never_pairs_different_problems_by_position_alone() -> None:
    existing = [
        Candidate(1, "校园安全", "消防设施不达标"),
        Candidate(2, "校园安全", "安防人员不足"),
    ]
    parsed = [("校园安全方面", "食堂卫生管理不规范"), ("校园安全方面", "安防人员不足")]
    first, second = match_statements(parsed, existing)
    assert first is None
    assert second is not None and (second.pk, second.exact) == (2, True)
