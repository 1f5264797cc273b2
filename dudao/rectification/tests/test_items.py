"""Editing items: stale edits, audit history, progress, archive and restore."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.rectification import services
from dudao.rectification.errors import StaleEdit
from dudao.rectification.models import Item, Progress, Status

pytestmark = pytest.mark.django_db


def test_the_second_save_of_a_stale_version_is_refused(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    loaded_version = item.version
    first = client_for("suibin").post(
        reverse("item-edit", args=[item.pk]),
        {"version": loaded_version, "outcome": "张干事的整改情况"},
    )
    assert first.status_code == 302
    second = client_for("hegang").post(
        reverse("item-edit", args=[item.pk]),
        {"version": loaded_version, "outcome": "李督学的修改"},
    )
    assert second.status_code == 409
    assert "此整改任务已被他人修改，您的修改未保存" in second.content.decode()
    item.refresh_from_db()
    assert item.outcome == "张干事的整改情况"
    assert item.version == loaded_version + 1


def test_a_stale_transition_is_refused(ledger: Any, personas: Any) -> None:
    item = ledger.suibin_items[0]
    stale = item.version
    services.item_start(acting_user=personas["suibin"], item=item, expected_version=stale)
    again = Item.objects.get(pk=item.pk)
    with pytest.raises(StaleEdit):
        services.item_mark_ongoing(
            acting_user=personas["suibin"], item=again, expected_version=stale
        )
    assert Item.objects.get(pk=item.pk).status == Status.IN_PROGRESS


def test_the_audit_history_shows_who_changed_what(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    client_for("suibin").post(
        reverse("item-edit", args=[item.pk]),
        {"version": item.version, "lead_unit": "绥滨县财政局", "deadline": "2024-09-30"},
    )
    event = AuditEvent.objects.filter(item=item, action="item_update").get()
    assert event.actor is not None and event.actor.username == "suibin"
    assert event.changes == {
        "lead_unit": ["绥滨县教育局", "绥滨县财政局"],
        "deadline": ["2024-06-30", "2024-09-30"],
    }
    page = client_for("hegang").get(reverse("item", args=[item.pk])).content.decode()
    assert "修改整改内容" in page
    assert "<del>绥滨县教育局</del> → <ins>绥滨县财政局</ins>" in page


def test_saving_without_changes_writes_nothing(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    before = AuditEvent.objects.count()
    client_for("suibin").post(
        reverse("item-edit", args=[item.pk]),
        {"version": item.version, "lead_unit": "绥滨县教育局", "deadline": "2024-06-30"},
    )
    assert AuditEvent.objects.count() == before
    assert Item.objects.get(pk=item.pk).version == item.version


def test_progress_is_appended_and_starts_the_item(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    suibin = client_for("suibin")
    response = suibin.post(
        reverse("item-progress", args=[item.pk]), {"text": "完成专家论证", "day": "2024-03-01"}
    )
    assert response.status_code == 302
    suibin.post(reverse("item-progress", args=[item.pk]), {"text": "完成招标"})
    texts = list(Progress.objects.filter(item=item).values_list("text", flat=True))
    assert texts == ["完成专家论证", "完成招标"]
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    page = suibin.get(reverse("item", args=[item.pk])).content.decode()
    assert "完成专家论证" in page and "2024年3月1日" in page


def test_empty_or_future_progress_is_refused(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    suibin = client_for("suibin")
    empty = suibin.post(reverse("item-progress", args=[item.pk]), {"text": ""})
    assert empty.status_code == 400 and "进展内容不能为空" in empty.content.decode()
    future = (services.today() + datetime.timedelta(days=3)).isoformat()
    late = suibin.post(reverse("item-progress", args=[item.pk]), {"text": "x", "day": future})
    assert late.status_code == 400 and "进展日期不能晚于今天" in late.content.decode()
    assert not Progress.objects.filter(item=item).exists()


def test_withdrawn_items_are_archived_and_can_be_restored(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    province = client_for("province")
    url = reverse("item-archive", args=[item.pk])
    no_reason = province.post(url, {"reason": ""})
    assert no_reason.status_code == 400 and "撤回时必须填写理由" in no_reason.content.decode()
    assert province.post(url, {"reason": "问题重复"}).status_code == 302
    item.refresh_from_db()
    assert item.archived_at is not None
    assert Item.objects.filter(pk=item.pk).exists()  # never hard-deleted
    ledger_page = client_for("suibin").get(reverse("ledger")).content.decode()
    assert "教育专网建设进度缓慢" not in ledger_page
    archived_page = client_for("suibin").get(reverse("ledger") + "?archived=on").content.decode()
    assert "教育专网建设进度缓慢" in archived_page
    # The county may not restore it; the evaluating supervisor may.
    assert client_for("suibin").post(url, {"restore": "1"}).status_code == 400
    assert province.post(url, {"restore": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.archived_at is None
    actions = list(AuditEvent.objects.filter(item=item).values_list("action", flat=True))
    assert actions[-2:] == ["item_archive", "item_restore"]


def test_overdue_uses_the_shanghai_date(ledger: Any) -> None:
    item = ledger.suibin_items[0]
    assert item.is_overdue(datetime.date(2024, 7, 1))
    assert not item.is_overdue(datetime.date(2024, 6, 30))
    item.status = Status.SIGNED_OFF
    assert not item.is_overdue(datetime.date(2025, 1, 1))
    assert Item.objects.overdue(datetime.date(2024, 7, 1)).filter(pk=item.pk).exists()


def test_an_ongoing_item_is_never_overdue(ledger: Any) -> None:
    """长期坚持 has no end: past its deadline it is not 超期."""
    item = ledger.suibin_items[0]
    Item.objects.filter(pk=item.pk).update(status=Status.ONGOING)
    item.refresh_from_db()
    assert not item.is_overdue(datetime.date(2025, 1, 1))
    assert not Item.objects.overdue(datetime.date(2025, 1, 1)).filter(pk=item.pk).exists()


def test_the_timeline_shows_every_entry_with_its_author_in_shanghai_time(
    ledger: Any, personas: Any, client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = ledger.suibin_items[0]
    suibin = personas["suibin"]
    suibin.display_name = "张干事"
    suibin.save()
    services.progress_add(acting_user=suibin, item=item, text="完成专家论证")
    evidence = services.evidence_add(
        acting_user=suibin,
        item=Item.objects.get(pk=item.pk),
        upload=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        description="专家论证会纪要",
    )
    # An event with no actor (a system change) and one at a known instant: 17:30 UTC on
    # 1 March is 01:30 on 2 March in Shanghai.
    AuditEvent.objects.create(
        actor=None,
        action="item_update",
        target_type="item",
        target_id=item.pk,
        item=item,
        changes={"remark": [None, "系统补录"], "deadline": ["2024-06-30", "2024-12-31"]},
    )
    Progress.objects.filter(item=item).update(
        created_at=datetime.datetime(2024, 3, 1, 17, 30, tzinfo=datetime.UTC)
    )
    page = client_for("hegang").get(reverse("item", args=[item.pk])).content.decode()
    timeline = page[page.index('id="timeline"') : page.index("</ol>")]
    assert "2024年3月2日 01:30</time> <b>张干事</b>" in timeline
    assert "完成专家论证" in timeline
    assert f'href="/ledger/evidence/{evidence.pk}/">纪要.pdf</a>' in timeline
    assert evidence.sha256 in timeline and "专家论证会纪要" in timeline
    assert (
        "<b>系统</b>" in timeline
        and "<ins>系统补录</ins>" in timeline
        and "<del>（空）</del>" in timeline
    )
    # A changed deadline reads as every other date on the page does.
    assert "整改时限：<del>2024年6月30日</del> → <ins>2024年12月31日</ins>" in timeline
    # Adding progress and evidence is audited, but shown once, as the entries themselves.
    assert timeline.count("报送进展") == 1 and timeline.count("上传佐证材料") == 1
    # Oldest first: the back-dated progress comes before the evidence.
    assert timeline.index("完成专家论证") < timeline.index("纪要.pdf") < timeline.index("系统补录")


def test_text_typed_by_users_is_escaped_on_the_ledger_and_item_pages(
    ledger: Any, personas: Any, client_for: Any
) -> None:
    attack = '<script>alert("x")</script>'
    item = ledger.suibin_items[0]
    suibin = personas["suibin"]
    services.item_update(
        acting_user=suibin,
        item=item,
        expected_version=item.version,
        lead_unit=attack,
        measures=attack,
        outcome=attack,
    )
    services.progress_add(acting_user=suibin, item=Item.objects.get(pk=item.pk), text=attack)
    hegang = client_for("hegang")
    for url in (reverse("ledger"), reverse("item", args=[item.pk])):
        page = hegang.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page or (
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        ), url


def test_the_item_page_lists_its_evidence_files_beside_the_timeline(
    ledger: Any, personas: Any, client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = ledger.suibin_items[0]
    empty = client_for("suibin").get(reverse("item", args=[item.pk])).content.decode()
    assert "还没有佐证材料" in empty.split('id="evidence"')[1].split("</section>")[0]
    suibin = personas["suibin"]
    suibin.display_name = "张干事"
    suibin.save()
    evidence = services.evidence_add(
        acting_user=suibin,
        item=item,
        upload=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF\n"),
        description="专家论证会纪要",
    )
    page = client_for("hegang").get(reverse("item", args=[item.pk])).content.decode()
    files = page.split('id="evidence"')[1].split("</section>")[0]
    assert "佐证材料（1个文件）" in files
    assert f'href="/ledger/evidence/{evidence.pk}/">纪要.pdf</a>' in files
    for shown in ("2.0\xa0KB", "张干事", evidence.sha256, "专家论证会纪要"):
        assert shown in files
    assert page.index('id="evidence"') < page.index('id="timeline"')
