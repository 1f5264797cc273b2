"""`dudao remind`: the blue warning across the National Day holiday reaches the county
officer by e-mail (through a real SMTP server on 127.0.0.1) and in the inbox; a second run
on the same day sends nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dudao.cli import main
from dudao.supervision.models import Action, Kind, Notification, Step, SupervisionDocument
from dudao.supervision.tests.conftest import Inbox, body_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_item() -> Any:
    """The demo, with one of 绥滨县's items in progress due on 2025-10-10."""
    from dudao.accounts.models import User
    from dudao.rectification import services
    from dudao.rectification.demo import seed_demo
    from dudao.rectification.models import Item, Status

    seed_demo("pw")
    suibin = User.objects.get(username="suibin")
    User.objects.filter(pk=suibin.pk).update(email="suibin@example.gov.cn")
    item = (
        Item.objects.filter(region__code="230422", status=Status.IN_PROGRESS)
        .select_related("problem__round", "region")
        .order_by("problem__order")
        .first()
    )
    assert item is not None
    services.item_update(
        acting_user=suibin,
        item=item,
        expected_version=item.version,
        deadline=datetime.date(2025, 10, 10),
    )
    services.progress_add(
        acting_user=suibin, item=item, text="已完成摸底。", day=datetime.date(2025, 9, 26)
    )
    return item


def test_blue_warning_across_the_holiday_is_mailed_and_in_the_inbox_once(
    smtp: Inbox, demo_item: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remind", "--today", "2025-09-30"]) == 0
    out = capsys.readouterr().out
    assert "2025年9月30日" in out
    statement = demo_item.problem.statement[:40]
    assert f"蓝色预警（距整改时限 2 个工作日）：绥滨县“{statement}”" in out

    to_suibin = [m for m in smtp.messages if m["To"] == "suibin@example.gov.cn"]
    assert len(to_suibin) == 1
    body = body_of(to_suibin[0])
    assert "蓝色预警（距整改时限 2 个工作日）" in body
    assert statement in body

    notification = Notification.objects.get(
        user__username="suibin", item=demo_item, kind=Kind.COLOUR
    )
    assert "蓝色预警" in notification.text
    assert notification.read_at is None
    assert notification.emailed_at is not None

    sent, made = len(smtp.messages), Notification.objects.count()
    actions, documents = Action.objects.count(), SupervisionDocument.objects.count()
    assert main(["remind", "--today", "2025-09-30"]) == 0
    again = capsys.readouterr().out
    assert "预警变化 0 项，自动催办 0 项，升级 0 项，生成文书 0 份，邮件 0 封" in again
    assert len(smtp.messages) == sent
    assert Notification.objects.count() == made
    assert (Action.objects.count(), SupervisionDocument.objects.count()) == (actions, documents)


def test_overdue_items_escalate_one_rung_a_day(smtp: Inbox, demo_item: Any) -> None:
    """The demo's items due 2024-06-30 are far overdue on 2025-09-30: the first run sends
    each county a 督办通知 (not straight to 约谈), the next working day a 通报."""
    main(["remind", "--today", "2025-09-30"])
    assert SupervisionDocument.objects.filter(step=Step.DUBAN).exists()
    assert not Action.objects.filter(step__in=[Step.TONGBAO, Step.YUETAN]).exists()
    suibin_duban = SupervisionDocument.objects.get(step=Step.DUBAN, region__code="230422")
    assert suibin_duban.reply_by is not None
    assert Notification.objects.filter(user__username="suibin", kind=Kind.DUBAN).exists()
    main(["remind", "--today", "2025-10-09"])
    assert Action.objects.filter(step=Step.TONGBAO).exists()


def test_dry_run_saves_and_sends_nothing(
    smtp: Inbox, demo_item: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    made = Notification.objects.count()
    main(["remind", "--today", "2025-09-30", "--dry-run"])
    assert "试运行" in capsys.readouterr().out
    assert smtp.messages == []
    assert Notification.objects.count() == made


def test_a_bad_date_is_one_chinese_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["remind", "--today", "2025-13-01"])
    assert "错误：日期“2025-13-01”应写成 2025-09-30" in capsys.readouterr().err
