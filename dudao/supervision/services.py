"""Every write of 督查督办: 催办, 督办通知, 通报, 约谈, 延期, 长期坚持 plans, the holiday table and
the warning policy. Each checks the rule, saves and writes its audit row in one
transaction."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from dudao import writers
from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.services import audit_record
from dudao.documents.generation import (
    DocumentError,
    DocumentInputs,
    section_title,
    supervision_document_generate,
)
from dudao.documents.models import Kind as DocumentKind
from dudao.lib.zh import format_cn_date
from dudao.rectification import services as ledger
from dudao.rectification.errors import LedgerError, NotAllowed
from dudao.rectification.models import Evidence, Item, Problem, Round, Status
from dudao.regions.models import Region
from dudao.supervision import selectors
from dudao.supervision.calendar import work_calendar
from dudao.supervision.models import (
    Action,
    Extension,
    ExtensionStatus,
    FollowUp,
    HolidayDay,
    Interview,
    ItemWatch,
    Kind,
    OngoingPlan,
    Preference,
    RoundSchedule,
    Step,
    SupervisionDocument,
    WarningPolicy,
)
from dudao.supervision.notify import notify
from dudao.supervision.workdays import WorkCalendar
from dudao.writers.supervision import (
    LaggingGroup,
    LaggingItem,
    render_duban_notice,
    render_tongbao,
)

MAX_SELECTION = 500
STEP_LABELS = dict(Step.choices)


def _require_supervisor(user: User, items: Sequence[Item]) -> None:
    if not items:
        raise LedgerError("请至少选择一项整改任务", field="items")
    if len(items) > MAX_SELECTION:
        raise LedgerError(f"一次最多选择 {MAX_SELECTION} 项整改任务", field="items")
    for item in items:
        if not access.can_sign_off(user, item):
            raise NotAllowed("只有上级督导人员才能催办或督办本级以下的整改任务")
        if item.status == Status.SIGNED_OFF:
            raise LedgerError(f"“{item.problem.statement[:20]}”已销号，无需催办", field="items")


def _record(
    *,
    item: Item,
    step: str,
    day: datetime.date,
    note: str,
    by: User | None,
    automatic: bool = False,
    document: SupervisionDocument | None = None,
    interview: Interview | None = None,
) -> Action:
    action = Action.objects.create(
        item=item,
        step=step,
        automatic=automatic,
        day=day,
        note=note,
        by=by,
        document=document,
        interview=interview,
    )
    audit_record(
        actor=by,
        action=f"supervision_{step}",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={"step": ("", STEP_LABELS[step])},
        note=note,
    )
    return action


def _tell_officers(items: Sequence[Item], *, kind: str, text_of: str, key: str) -> None:
    officers = selectors.officers_of({i.region_id for i in items})
    for item in items:
        notify(
            users=officers.get(item.region_id, []),
            kind=kind,
            item=item,
            text=f"{text_of}：{item.region.name}“{item.problem.statement[:40]}”",
            key=f"{key}:{item.pk}",
        )


# --- 催办 ---------------------------------------------------------------------------------


@transaction.atomic
def items_urge(
    *,
    acting_user: User | None,
    items: Sequence[Item],
    note: str,
    day: datetime.date,
    automatic: bool = False,
) -> list[Action]:
    """催办 one item or a selection: a message to the responsible officers, recorded in each
    item's timeline. `acting_user` None: the automatic schedule of `dudao remind`."""
    if acting_user is not None:
        _require_supervisor(acting_user, items)
    note = note.strip() or "请抓紧推进整改，按时限完成并及时报送进展。"
    actions = [
        _record(item=i, step=Step.URGE, day=day, note=note, by=acting_user, automatic=automatic)
        for i in items
    ]
    for action in actions:
        _tell_officers(
            [action.item], kind=Kind.URGE, text_of=f"催办（{note[:60]}）", key=f"urge:{action.pk}"
        )
    return actions


# --- 督办通知 and 通报: GB/T 9704 documents from the items ---------------------------------


def _issuer_name(region: Region) -> str:
    return f"{region.name}人民政府教育督导室"


def _government(region: Region) -> str:
    return f"{region.name}人民政府"


def _lagging(item: Item, day: datetime.date, cal: WorkCalendar) -> LaggingItem:
    late = cal.between(item.deadline, day) if item.deadline and item.deadline < day else 0
    return LaggingItem(
        statement=item.problem.statement,
        deadline=item.deadline,
        lead_unit=item.lead_unit,
        status_label=item.get_status_display(),
        late_days=late,
    )


def _issue(
    *,
    acting_user: User | None,
    step: str,
    office: Region,
    region: Region,
    items: Sequence[Item],
    inputs: DocumentInputs,
    render: Callable[[writers.LetterHead, DocumentInputs], bytes],
) -> SupervisionDocument:
    """Generate the document as an official document of the office (文号, versions, PDF)
    and keep it for the items' timelines."""
    kind = DocumentKind.DUBAN if step == Step.DUBAN else DocumentKind.TONGBAO
    try:
        official = supervision_document_generate(
            acting_user=acting_user,
            kind=kind,
            rnd=items[0].problem.round,
            region=region,
            office=office,
            inputs=inputs,
            items=items,
            render=render,
        )
    except DocumentError as exc:
        raise LedgerError(exc.message, field=exc.field) from exc
    return SupervisionDocument.objects.create(
        step=step,
        region=region,
        issuer=office,
        title=official.title,
        doc_number=official.doc_number,
        official=official,
        reply_by=inputs.report_by,
        stored_name=official.stored_name,
        sha256=official.sha256,
        size=official.size,
        created_by=acting_user,
    )


@transaction.atomic
def duban_issue(
    *,
    acting_user: User | None,
    items: Sequence[Item],
    day: datetime.date,
    reply_days: int = 10,
) -> list[SupervisionDocument]:
    """A 督办通知 per responsible region, addressed to its government, listing its items
    and the date by which to reply (`reply_days` working days later), with the next 文号
    of the supervising office for the year."""
    if acting_user is not None:
        _require_supervisor(acting_user, items)
    cal = work_calendar()
    reply_by = cal.add(day, reply_days)
    documents = []
    by_region: dict[int, list[Item]] = {}
    for item in items:
        by_region.setdefault(item.region_id, []).append(item)
    for group in by_region.values():
        region = group[0].region
        issuer = selectors.supervising_region(region) or region
        title = f"关于督促{_government(region)}加快推进教育督导问题整改的督办通知"
        preamble = (
            f"经核查，你单位以下{len(group)}项整改任务已超过整改时限仍未申请销号。"
            "请高度重视，逐项落实整改措施，明确责任人和完成时间，确保按期完成整改。"
        )
        dimensions: dict[str, list[LaggingItem]] = {}
        for item in sorted(group, key=lambda i: (i.problem.order, i.problem_id)):
            dimensions.setdefault(item.problem.dimension, []).append(_lagging(item, day, cal))
        groups = tuple(
            LaggingGroup(title=section_title(d), items=tuple(rows))
            for d, rows in dimensions.items()
        )
        inputs = DocumentInputs(
            issuer=_issuer_name(issuer),
            doc_number="",
            title=title,
            recipient=f"{_government(region)}：",
            date=day,
            preamble=preamble,
            report_by=reply_by,
        )

        def render(
            head: writers.LetterHead,
            inputs: DocumentInputs,
            groups: tuple[LaggingGroup, ...] = groups,
        ) -> bytes:
            assert inputs.report_by is not None
            return render_duban_notice(head, inputs.preamble, groups, inputs.report_by)

        document = _issue(
            acting_user=acting_user,
            step=Step.DUBAN,
            office=issuer,
            region=region,
            items=group,
            inputs=inputs,
            render=render,
        )
        for item in group:
            _record(
                item=item,
                step=Step.DUBAN,
                day=day,
                note=f"{document.doc_number}《{title}》，请于{format_cn_date(reply_by)}前回复",
                by=acting_user,
                automatic=acting_user is None,
                document=document,
            )
        _tell_officers(
            group,
            kind=Kind.DUBAN,
            text_of=f"收到督办通知（{document.doc_number}）",
            key=f"duban:{document.pk}",
        )
        documents.append(document)
    return documents


@transaction.atomic
def tongbao_issue(
    *, acting_user: User | None, issuer: Region, items: Sequence[Item], day: datetime.date
) -> SupervisionDocument:
    """A 通报 for internal circulation: the lagging regions and their items, with the next
    文号 of the issuing office for the year."""
    if acting_user is not None:
        _require_supervisor(acting_user, items)
    cal = work_calendar()
    by_region: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda i: (i.region.code, i.problem.order, i.problem_id)):
        by_region.setdefault(item.region.name, []).append(item)
    names = list(by_region)
    title = f"关于教育督导问题整改滞后情况的通报（{format_cn_date(day)}）"
    preamble = (
        f"截至{format_cn_date(day)}，{'、'.join(names)}共{len(items)}项整改任务超过"
        "整改时限仍未完成，现予通报。"
    )
    requirements = (
        "请被通报地区认真分析原因，压实整改责任，限期完成整改，"
        "并将整改情况书面报送我室。本通报供内部传阅。"
    )
    groups = tuple(
        LaggingGroup(title=name, items=tuple(_lagging(i, day, cal) for i in rows))
        for name, rows in by_region.items()
    )
    inputs = DocumentInputs(
        issuer=_issuer_name(issuer),
        doc_number="",
        title=title,
        recipient="各县（市、区）人民政府：",
        date=day,
        preamble=preamble,
        closing=requirements,
    )

    def render(head: writers.LetterHead, inputs: DocumentInputs) -> bytes:
        return render_tongbao(head, inputs.preamble, groups, inputs.closing)

    document = _issue(
        acting_user=acting_user,
        step=Step.TONGBAO,
        office=issuer,
        region=issuer,
        items=items,
        inputs=inputs,
        render=render,
    )
    for item in items:
        _record(
            item=item,
            step=Step.TONGBAO,
            day=day,
            note=f"{document.doc_number}《{title}》",
            by=acting_user,
            automatic=acting_user is None,
            document=document,
        )
    _tell_officers(
        items,
        kind=Kind.DUBAN,
        text_of=f"被通报（{document.doc_number}）",
        key=f"tongbao:{document.pk}",
    )
    return document


# --- 约谈 ---------------------------------------------------------------------------------


_PROMISE_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?[^\d]{0,12}$")


def parse_commitments(text: str, default: datetime.date | None) -> list[tuple[str, datetime.date]]:
    """One commitment a line, each with its deadline: a date at the end of the line
    (`2025-12-31`, `2025年12月31日前完成`), else `default`.

    >>> rows = parse_commitments("招标，2025年12月31日前\\n补齐人员", datetime.date(2026, 3, 1))
    >>> [(text, f"{day:%Y-%m-%d}") for text, day in rows]
    [('招标，2025年12月31日前', '2025-12-31'), ('补齐人员', '2026-03-01')]
    """
    rows = []
    for number, line in enumerate((ln.strip() for ln in text.splitlines() if ln.strip()), 1):
        match = _PROMISE_DATE.search(line)
        deadline = default
        if match is not None:
            try:
                deadline = datetime.date(*(int(g) for g in match.groups()))
            except ValueError as exc:
                raise LedgerError(
                    f"第 {number} 条整改承诺末尾的日期“{match.group(0).strip()}”不是有效日期",
                    field="commitments",
                ) from exc
        if deadline is None:
            raise LedgerError(
                f"第 {number} 条整改承诺没有完成时限：请在行末写明日期（如 2025-12-31），"
                "或填写“承诺完成时限”",
                field="commitments",
            )
        rows.append((line[:500], deadline))
    return rows


@transaction.atomic
def interview_record(
    *,
    acting_user: User,
    items: Sequence[Item],
    day: datetime.date,
    attendees: str,
    minutes: str,
    commitments: str,
    follow_up_deadline: datetime.date | None = None,
) -> Interview:
    """Record a 约谈 about the items of one region. Each line of `commitments` becomes a
    follow-up item (follow_up_create): a rectification item of the interviewed region with
    its own deadline, linked to the 约谈 and to the items it was about, chased like any
    other."""
    _require_supervisor(acting_user, items)
    regions = {i.region_id for i in items}
    if len(regions) != 1:
        raise LedgerError("一次约谈只能针对一个地区的整改任务", field="items")
    if not attendees.strip():
        raise LedgerError("请填写参加人员", field="attendees")
    if not minutes.strip():
        raise LedgerError("请填写约谈纪要", field="minutes")
    if day > ledger.today():
        raise LedgerError("约谈日期不能晚于今天", field="day")
    promises = parse_commitments(commitments, follow_up_deadline)
    for number, (_, deadline) in enumerate(promises, 1):
        if deadline < day:
            raise LedgerError(
                f"第 {number} 条整改承诺的完成时限（{format_cn_date(deadline)}）早于约谈日期",
                field="commitments",
            )
    interview = Interview.objects.create(
        region=items[0].region,
        day=day,
        attendees=attendees.strip(),
        minutes=minutes.strip(),
        commitments=commitments.strip(),
        created_by=acting_user,
    )
    for item in items:
        _record(
            item=item,
            step=Step.YUETAN,
            day=day,
            note=f"约谈：{minutes.strip()[:200]}"
            + (f"（整改承诺 {len(promises)} 条，已列为后续整改任务）" if promises else ""),
            by=acting_user,
            interview=interview,
        )
    for promise, deadline in promises:
        follow_up_create(
            acting_user=acting_user,
            interview=interview,
            origins=items,
            commitment=promise,
            deadline=deadline,
        )
    return interview


def _follow_up_dimension(origins: Sequence[Item]) -> str:
    dimensions = {i.problem.dimension for i in origins}
    return dimensions.pop() if len(dimensions) == 1 else origins[0].problem.dimension


@transaction.atomic
def follow_up_create(
    *,
    acting_user: User,
    interview: Interview,
    origins: Sequence[Item],
    commitment: str,
    deadline: datetime.date,
) -> FollowUp:
    """A 约谈 commitment as an item: a new problem (“约谈承诺：…”) of the round of the
    items the 约谈 was about, assigned to the interviewed region with its own deadline.
    Not a child of the overdue item: a child's deadline may not pass its parent's, and a
    child is signed off by the region that dispatched it, whereas a commitment is answered
    to the level that held the 约谈 (the item is the round's, signed off from above)."""
    _require_supervisor(acting_user, origins)
    commitment = commitment.strip()
    if not commitment:
        raise LedgerError("整改承诺不能为空", field="commitments")
    first = origins[0]
    rnd = first.problem.round
    region = interview.region
    if deadline.year < rnd.year:
        raise LedgerError(f"承诺完成时限不能早于评价年度 {rnd.year} 年", field="commitments")
    statement = f"约谈承诺：{commitment}"
    dimension = _follow_up_dimension(origins)
    last = rnd.problems.order_by("-order").values_list("order", flat=True).first()
    problem = Problem.objects.create(
        round=rnd, dimension=dimension, statement=statement, order=(last or 0) + 1
    )
    occasion = f"{format_cn_date(interview.day)}约谈{region.name}"
    audit_record(
        actor=acting_user,
        action="problem_add",
        target_type="problem",
        target_id=problem.pk,
        region=region,
        changes={"statement": ("", statement), "dimension": ("", dimension)},
        note=occasion,
    )
    item = ledger.assigned_item(
        acting_user=acting_user,
        problem=problem,
        region=region,
        deadline=deadline,
        note=f"{occasion}的整改承诺，列为后续整改任务",
        lead_unit=first.lead_unit,
        co_units=first.co_units,
        measures=commitment,
    )
    follow_up = FollowUp.objects.create(interview=interview, item=item, commitment=commitment)
    follow_up.origins.set(origins)
    for origin in origins:
        audit_record(
            actor=acting_user,
            action="interview_follow_up",
            target_type="item",
            target_id=origin.pk,
            region=origin.region,
            item=origin,
            changes={"follow_up": ("", f"{statement[:60]}（任务编号 {item.pk}）")},
            note=occasion,
        )
    return follow_up


# --- 延期 ---------------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *,
    acting_user: User,
    item: Item,
    new_deadline: datetime.date,
    reason: str,
    evidence: Evidence | None = None,
) -> Extension:
    if not access.can_edit_item(acting_user, item):
        raise NotAllowed("您没有办理此整改任务的权限")
    if item.status in (Status.SIGNED_OFF, Status.ONGOING):
        raise LedgerError("已销号或长期坚持的整改任务不能申请延期")
    if not reason.strip():
        raise LedgerError("请填写延期理由", field="reason")
    if item.deadline is not None and new_deadline <= item.deadline:
        raise LedgerError("申请延至的日期必须晚于现在的整改时限", field="new_deadline")
    if new_deadline < ledger.today():
        raise LedgerError("申请延至的日期不能早于今天", field="new_deadline")
    if evidence is not None and evidence.item_id != item.pk:
        raise LedgerError("佐证材料不属于此整改任务", field="evidence")
    if Extension.objects.filter(item=item, status=ExtensionStatus.PENDING).exists():
        raise LedgerError("已有一份延期申请在审批中")
    first = Extension.objects.filter(item=item).order_by("id").first()
    ext = Extension.objects.create(
        item=item,
        original_deadline=first.original_deadline if first else item.deadline,
        old_deadline=item.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        evidence=evidence,
        requested_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="extension_request",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={"deadline": (item.deadline, new_deadline)},
        note=ext.reason,
    )
    reviewers = selectors.reviewers_of([item.region]).get(item.region_id, [])
    notify(
        users=reviewers,
        kind=Kind.EXTENSION,
        item=item,
        text=f"{item.region.name}申请延期至{format_cn_date(new_deadline)}：“{item.problem.statement[:40]}”",
        key=f"extension_request:{ext.pk}",
    )
    return ext


@transaction.atomic
def extension_decide(
    *, acting_user: User, extension: Extension, approve: bool, note: str
) -> Extension:
    """Approve (the item's deadline moves; the original stays on the request) or refuse."""
    item = extension.item
    if not access.can_sign_off(acting_user, item):
        raise NotAllowed("只有上级督导人员才能审批延期申请")
    if extension.status != ExtensionStatus.PENDING:
        raise LedgerError("此延期申请已审批")
    if not approve and not note.strip():
        raise LedgerError("不同意延期时必须填写理由", field="note")
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = acting_user
    extension.decided_at = timezone.now()
    extension.decision_note = note.strip()
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        watch, _ = ItemWatch.objects.get_or_create(item=item)
        if watch.original_deadline is None:
            watch.original_deadline = extension.original_deadline
            watch.save(update_fields=["original_deadline"])
        ledger.item_update(
            acting_user=acting_user,
            item=item,
            expected_version=item.version,
            note=f"同意延期：{note.strip()}",
            deadline=extension.new_deadline,
        )
    audit_record(
        actor=acting_user,
        action="extension_decide",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={"extension": ("待审批", extension.get_status_display())},
        note=extension.decision_note,
    )
    verdict = "同意" if approve else "不同意"
    notify(
        users=selectors.officers_of([item.region_id]).get(item.region_id, []),
        kind=Kind.EXTENSION,
        item=item,
        text=f"延期申请{verdict}（申请延至{format_cn_date(extension.new_deadline)}）："
        f"“{item.problem.statement[:40]}”",
        key=f"extension_decide:{extension.pk}",
    )
    return extension


# --- 长期坚持 --------------------------------------------------------------------------------


@transaction.atomic
def ongoing_plan_set(
    *, acting_user: User, item: Item, stage_goals: str, next_review: datetime.date
) -> OngoingPlan:
    if not access.can_edit_item(acting_user, item):
        raise NotAllowed("您没有办理此整改任务的权限")
    if item.status != Status.ONGOING:
        raise LedgerError("只有长期坚持的整改任务才有阶段目标和复查日期")
    if not stage_goals.strip():
        raise LedgerError("请填写阶段目标", field="stage_goals")
    if next_review < ledger.today():
        raise LedgerError("下次复查日期不能早于今天", field="next_review")
    plan = OngoingPlan.objects.filter(item=item).first()
    before = (plan.stage_goals, plan.next_review) if plan else ("", None)
    if plan is None:
        plan = OngoingPlan.objects.create(
            item=item,
            stage_goals=stage_goals.strip(),
            next_review=next_review,
            updated_by=acting_user,
        )
    else:
        plan.stage_goals = stage_goals.strip()
        plan.next_review = next_review
        plan.updated_by = acting_user
        plan.save(update_fields=["stage_goals", "next_review", "updated_by", "updated_at"])
    audit_record(
        actor=acting_user,
        action="ongoing_plan_set",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={
            "stage_goals": (before[0], plan.stage_goals),
            "next_review": (before[1], next_review),
        },
    )
    return plan


# --- settings: holiday table and warning policy -----------------------------------------


def _require_admin(user: User) -> None:
    if not (user.is_superuser or access.is_supervisor(user)):
        raise NotAllowed("只有督导人员才能修改节假日表和预警规则")


@transaction.atomic
def holidays_load(
    *, acting_user: User, year: int, rows: Sequence[tuple[datetime.date, bool, str]]
) -> int:
    """Replace a year's holiday table: (day, is_workday, name) rows, every day in `year`.
    An empty `rows` removes the table (the year then follows chinese-calendar)."""
    _require_admin(acting_user)
    for day, is_workday, _ in rows:
        if day.year != year:
            raise LedgerError(f"{day:%Y-%m-%d} 不在 {year} 年", field="rows")
        if is_workday and day.weekday() < 5:
            raise LedgerError(f"{day:%Y-%m-%d} 是工作日，不需要标为调休上班", field="rows")
    before = HolidayDay.objects.filter(day__year=year).count()
    # A settings table, not a record of work: the audit row keeps what was replaced.
    HolidayDay.objects.filter(day__year=year).delete()
    HolidayDay.objects.bulk_create(
        [HolidayDay(day=d, is_workday=w, name=n.strip()[:32]) for d, w, n in rows]
    )
    audit_record(
        actor=acting_user,
        action="holidays_load",
        target_type="holidays",
        target_id=year,
        changes={"days": (before, len(rows))},
    )
    return len(rows)


def parse_holiday_lines(text: str) -> list[tuple[datetime.date, bool, str]]:
    """Lines `2027-01-01 休 元旦` or `2027-02-07 班 春节调休`; blank lines ignored.

    >>> parse_holiday_lines("2027-01-01 休 元旦\\n2027-02-07 班")
    [(datetime.date(2027, 1, 1), False, '元旦'), (datetime.date(2027, 2, 7), True, '')]
    """
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        try:
            day = datetime.date.fromisoformat(parts[0])
        except ValueError as exc:
            raise LedgerError(
                f"第 {number} 行的日期“{parts[0]}”应写成 2027-01-01", field="rows"
            ) from exc
        kind = parts[1] if len(parts) > 1 else "休"
        if kind not in ("休", "班"):
            raise LedgerError(f"第 {number} 行应注明“休”或“班”", field="rows")
        rows.append((day, kind == "班", " ".join(parts[2:])))
    return rows


POLICY_FIELDS = (
    "blue_days",
    "idle_days",
    "auto_urge",
    "urge_before_days",
    "urge_interval_days",
    "urge_max",
    "duban_after_days",
    "tongbao_after_days",
    "yuetan_after_days",
)


@transaction.atomic
def policy_set(*, acting_user: User, region: Region, **values: int | bool) -> WarningPolicy:
    if not access.supervises(acting_user, region):
        raise NotAllowed("只有本地区的督导人员才能修改预警规则")
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"not a policy field: {sorted(unknown)}")
    if not (
        int(values.get("duban_after_days", 10))
        <= int(values.get("tongbao_after_days", 20))
        <= int(values.get("yuetan_after_days", 40))
    ):
        raise LedgerError("督办、通报、约谈的超期天数应依次递增", field="duban_after_days")
    policy, _ = WarningPolicy.objects.get_or_create(region=region)
    changes = {k: (getattr(policy, k), v) for k, v in values.items() if getattr(policy, k) != v}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save(update_fields=[*values, "updated_at"])
    audit_record(
        actor=acting_user,
        action="warning_policy_set",
        target_type="region",
        target_id=region.pk,
        region=region,
        changes=changes,
    )
    return policy


@transaction.atomic
def preferences_set(*, acting_user: User, choices: dict[str, tuple[bool, bool]]) -> int:
    """One's own choice per kind of notification: (in the inbox, by e-mail). Returns how
    many kinds changed; each change is audited on the user."""
    unknown = set(choices) - set(Kind.values)
    if unknown:
        raise ValueError(f"not a notification kind: {sorted(unknown)}")
    saved = {p.kind: p for p in Preference.objects.filter(user=acting_user)}
    changes: dict[str, tuple[object, object]] = {}
    for kind, (in_app, email) in choices.items():
        old = saved.get(kind)
        before = (old.in_app, old.email) if old is not None else (True, True)
        if before == (in_app, email):
            continue
        Preference.objects.update_or_create(
            user=acting_user, kind=kind, defaults={"in_app": in_app, "email": email}
        )
        changes[kind] = (
            {"in_app": before[0], "email": before[1]},
            {"in_app": in_app, "email": email},
        )
    if changes:
        audit_record(
            actor=acting_user,
            action="notification_preferences_set",
            target_type="user",
            target_id=acting_user.pk,
            changes=changes,
        )
    return len(changes)


SCHEDULE_FIELDS = ("auto_urge", "urge_before_days", "urge_interval_days", "urge_max")


@transaction.atomic
def round_schedule_set(*, acting_user: User, rnd: Round, **values: int | bool) -> RoundSchedule:
    """The automatic 催办 of a round: on or off, and its schedule."""
    if not access.can_manage_round(acting_user, rnd):
        raise NotAllowed("只有评价方的督导人员才能修改此评价的自动催办")
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValueError(f"not a schedule field: {sorted(unknown)}")
    if int(values.get("urge_interval_days", 1)) < 1:
        raise LedgerError("催办间隔至少为 1 个工作日", field="urge_interval_days")
    schedule, _ = RoundSchedule.objects.get_or_create(round=rnd)
    changes = {k: (getattr(schedule, k), v) for k, v in values.items() if getattr(schedule, k) != v}
    for name, value in values.items():
        setattr(schedule, name, value)
    schedule.save(update_fields=[*values, "updated_at"])
    audit_record(
        actor=acting_user,
        action="round_schedule_set",
        target_type="round",
        target_id=rnd.pk,
        region=rnd.evaluated_region,
        changes=changes,
    )
    return schedule
