"""The daily run behind `dudao remind`: colour every open item, tell people about changes,
send the automatic 催办 due today, escalate overdue items along the ladder, send the
day's e-mail digests. Run twice on the same day, the second run does nothing new: colour
changes are against the stored colour, 催办 and steps are remembered per item (ItemWatch),
notifications are unique per key and digests per person and day."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from dudao.lib.zh import format_cn_date
from dudao.rectification.models import Item, Status
from dudao.supervision import selectors, services
from dudao.supervision.models import (
    STEP_ORDER,
    Colour,
    ItemWatch,
    Kind,
    RoundSchedule,
    Step,
    WarningPolicy,
)
from dudao.supervision.notify import notify, send_digests
from dudao.supervision.warnings import Verdict

COLOUR_LABELS = dict(Colour.choices)
CHUNK = 2000


@dataclass
class RunReport:
    colours: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    urged: int = 0
    escalated: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    notifications: int = 0
    digests: int = 0
    lines: list[str] = field(default_factory=list)


class _DryRun(Exception):
    pass


def _urge_due(
    verdict: Verdict,
    item: Item,
    watch: ItemWatch,
    today: datetime.date,
    judge: selectors.Judge,
    row: WarningPolicy | RoundSchedule | None,
) -> bool:
    """The automatic schedule: `urge_before_days` working days before the deadline, on it,
    then every `urge_interval_days` after, at most `urge_max` times after it."""
    if row is not None and not row.auto_urge:
        return False
    if item.deadline is None or watch.last_urge_on == today:
        return False
    if item.status in (Status.SIGNOFF_REQUESTED, Status.ONGOING, Status.SIGNED_OFF):
        return False
    before = row.urge_before_days if row else 3
    interval = max(1, row.urge_interval_days if row else 5)
    most = row.urge_max if row else 3
    left = judge.calendar.between(today, item.deadline)
    if left in (before, 0) and item.deadline >= today:
        return judge.calendar.is_workday(today)
    late = verdict.late_days
    return late > 0 and late % interval == 0 and late // interval <= most


def _step_due(late: int, row: WarningPolicy | None) -> str:
    duban, tongbao, yuetan = (
        (row.duban_after_days, row.tongbao_after_days, row.yuetan_after_days)
        if row
        else (10, 20, 40)
    )
    if late >= yuetan:
        return Step.YUETAN
    if late >= tongbao:
        return Step.TONGBAO
    if late >= duban:
        return Step.DUBAN
    return ""


def run(
    *,
    today: datetime.date,
    dry_run: bool = False,
    say: Callable[[str], object] = print,
    mail: bool = True,
) -> RunReport:
    """`mail` False: leave the digests for the next run (the demo's set-up)."""
    report = RunReport()
    try:
        with transaction.atomic():
            _run(today, report, dry_run, mail)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    for line in report.lines:
        say(line)
    return report


def _run(today: datetime.date, report: RunReport, dry_run: bool, mail: bool) -> None:
    judge = selectors.judge_for(today)
    items = (
        selectors.with_facts(Item.objects.active().exclude(status=Status.SIGNED_OFF))
        .select_related("problem", "region__parent")
        .order_by("id")
    )
    watches = {w.item_id: w for w in ItemWatch.objects.all()}
    schedules = {s.round_id: s for s in RoundSchedule.objects.all()}
    by_step: dict[str, list[Item]] = {}
    to_urge: list[Item] = []
    changed: list[tuple[Item, str, str]] = []
    for item in items.iterator(chunk_size=CHUNK):
        verdict = judge.verdict(item)
        report.colours[verdict.colour] = report.colours.get(verdict.colour, 0) + 1
        watch = watches.get(item.pk) or ItemWatch(item=item)
        row = judge.policies.row_for(item.region.path)
        dirty: list[str] = []
        if watch.colour != verdict.colour:
            if verdict.colour:
                changed.append((item, verdict.colour, verdict.reason))
            watch.colour, watch.colour_on = verdict.colour, today
            dirty += ["colour", "colour_on"]
        schedule = schedules.get(item.problem.round_id) or row
        if _urge_due(verdict, item, watch, today, judge, schedule):
            to_urge.append(item)
            watch.last_urge_on = today
            watch.auto_urges += 1
            dirty += ["last_urge_on", "auto_urges"]
        # One rung a day at most: a long-overdue item gets its 督办通知 before its 通报.
        due = _step_due(verdict.late_days, row) if verdict.overdue else ""
        rung = STEP_ORDER.index(Step(watch.step)) if watch.step else 0
        climbs = due and rung + 1 < len(STEP_ORDER) and STEP_ORDER.index(Step(due)) > rung
        if climbs and watch.step_on != today:
            step = STEP_ORDER[rung + 1]
            by_step.setdefault(step, []).append(item)
            watch.step, watch.step_on = step, today
            dirty += ["step", "step_on"]
        if watch.pk is None:
            watch.save()
        elif dirty:
            watch.save(update_fields=dirty)
    _colour_notices(changed, today, report)
    if to_urge:
        services.items_urge(acting_user=None, items=to_urge, note="", day=today, automatic=True)
        report.urged = len(to_urge)
        for item in to_urge:
            report.lines.append(f"自动催办：{item.region.name}“{item.problem.statement[:30]}”")
    _escalate(by_step, today, report)
    digests = send_digests(today=today, dry_run=dry_run) if mail else []
    report.digests = len(digests)
    for d in digests:
        report.lines.append(f"邮件摘要：{d.user}（{d.user.email}）{d.count} 条")
    summary = "、".join(
        f"{COLOUR_LABELS[c]} {n} 项" for c, n in sorted(report.colours.items()) if c
    )
    report.lines.insert(
        0,
        f"{format_cn_date(today)}：未销号任务 {sum(report.colours.values())} 项"
        + (f"（{summary}）" if summary else "")
        + f"；预警变化 {report.changed} 项，自动催办 {report.urged} 项，"
        f"升级 {sum(report.escalated.values())} 项，生成文书 {report.documents} 份，"
        f"邮件 {report.digests} 封" + ("（试运行，未保存、未发送）" if dry_run else ""),
    )


def _colour_notices(
    changed: list[tuple[Item, str, str]], today: datetime.date, report: RunReport
) -> None:
    if not changed:
        return
    officers = selectors.officers_of({i.region_id for i, _, _ in changed})
    reviewers = selectors.reviewers_of({i.region for i, _, _ in changed})
    for item, colour, reason in changed:
        label = COLOUR_LABELS[colour]
        users = list(officers.get(item.region_id, []))
        if colour == Colour.RED:  # overdue: copied to the reviewers (DOMAIN.md §3)
            users += reviewers.get(item.region_id, [])
        text = f"{label}（{reason}）：{item.region.name}“{item.problem.statement[:40]}”"
        # A 长期坚持 item's colour is about its next review date (its own reminder).
        kind = Kind.REVIEW if item.status == Status.ONGOING else Kind.COLOUR
        report.notifications += notify(
            users=users,
            kind=kind,
            item=item,
            text=text,
            key=f"colour:{item.pk}:{colour}:{today.isoformat()}",
        )
        report.changed += 1
        report.lines.append(text)


def _escalate(by_step: dict[str, list[Item]], today: datetime.date, report: RunReport) -> None:
    duban = by_step.get(Step.DUBAN, [])
    if duban:
        documents = services.duban_issue(acting_user=None, items=duban, day=today)
        report.documents += len(documents)
        report.escalated[Step.DUBAN] = len(duban)
        for d in documents:
            report.lines.append(f"督办通知：{d.title}")
    tongbao = by_step.get(Step.TONGBAO, [])
    by_issuer: dict[int, list[Item]] = {}
    for item in tongbao:
        issuer = selectors.supervising_region(item.region) or item.region
        by_issuer.setdefault(issuer.pk, []).append(item)
    for group in by_issuer.values():
        issuer = selectors.supervising_region(group[0].region) or group[0].region
        document = services.tongbao_issue(acting_user=None, issuer=issuer, items=group, day=today)
        report.documents += 1
        report.lines.append(f"通报：{document.title}（{len(group)} 项）")
    if tongbao:
        report.escalated[Step.TONGBAO] = len(tongbao)
    yuetan = by_step.get(Step.YUETAN, [])
    if yuetan:
        # An interview is held by people: the reviewers are told it is due.
        reviewers = selectors.reviewers_of({i.region for i in yuetan})
        for item in yuetan:
            report.notifications += notify(
                users=reviewers.get(item.region_id, []),
                kind=Kind.DUBAN,
                item=item,
                text=f"已达约谈条件，请安排约谈：{item.region.name}“{item.problem.statement[:40]}”",
                key=f"yuetan_due:{item.pk}",
            )
            report.lines.append(f"应约谈：{item.region.name}“{item.problem.statement[:30]}”")
        report.escalated[Step.YUETAN] = len(yuetan)
