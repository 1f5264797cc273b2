"""Every write to the ledger. Each function checks the rule, saves, and writes the audit row
in one transaction; views, forms and commands call these and nothing else."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.services import audit_record, diff_fields
from dudao.lib.files import store_file
from dudao.rectification.errors import LedgerError, NotAllowed, StaleEdit
from dudao.rectification.evidence import check_upload
from dudao.rectification.models import (
    Evidence,
    Item,
    Problem,
    Progress,
    Round,
    Source,
    Status,
)
from dudao.regions.models import Region

EDITABLE_FIELDS = (
    "lead_unit",
    "co_units",
    "responsible_person",
    "deadline",
    "measures",
    "outcome",
    "remark",
)

STATUS_LABELS = dict(Status.choices)


def today() -> datetime.date:
    """Today in Asia/Shanghai (the configured time zone), whatever the server's clock zone."""
    return timezone.localdate()


def _check_deadline(rnd: Round, deadline: datetime.date | None) -> None:
    if deadline is not None and deadline.year < rnd.year:
        raise LedgerError(
            f"整改时限（{deadline:%Y-%m-%d}）不能早于评价年度 {rnd.year} 年", field="deadline"
        )


def _check_against_parent_and_children(item: Item, deadline: datetime.date) -> None:
    """A child's deadline is never after its parent's: the parent has to report by then."""
    parent_deadline = item.parent.deadline if item.parent_id and item.parent else None
    if parent_deadline is not None and deadline > parent_deadline:
        raise LedgerError(
            f"整改时限不能晚于上级任务的时限（{parent_deadline:%Y-%m-%d}）", field="deadline"
        )
    latest = (
        Item.objects.active()
        .filter(parent=item, deadline__isnull=False)
        .order_by("-deadline")
        .values_list("deadline", flat=True)
        .first()
    )
    if latest is not None and deadline < latest:
        raise LedgerError(
            f"整改时限不能早于已下发任务的最晚时限（{latest:%Y-%m-%d}）", field="deadline"
        )


# --- rounds and problems ---------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    acting_user: User,
    year: int,
    evaluating_region: Region,
    evaluated_region: Region,
    title: str,
    source_doc_number: str = "",
) -> Round:
    if not access.can_create_round(acting_user, evaluating_region):
        raise NotAllowed("只有评价方的督导人员才能创建评价", field="evaluating_region")
    if not evaluating_region.is_strict_ancestor_of(evaluated_region):
        raise LedgerError("被评价地区必须是评价方的下级地区", field="evaluated_region")
    if not title.strip():
        raise LedgerError("请填写评价名称", field="title")
    if not 2000 <= year <= 2100:
        raise LedgerError("评价年度应为四位年份", field="year")
    rnd = Round.objects.create(
        year=year,
        evaluating_region=evaluating_region,
        evaluated_region=evaluated_region,
        title=title.strip(),
        source_doc_number=source_doc_number.strip(),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="round_create",
        target_type="round",
        target_id=rnd.pk,
        region=evaluated_region,
        changes={"title": ("", rnd.title), "year": (None, year)},
    )
    return rnd


@dataclass(frozen=True)
class ReceivedProblem:
    dimension: str
    statement: str
    lead_unit: str = ""
    co_units: str = ""
    deadline: datetime.date | None = None


_YEAR = re.compile(r"(20\d{2})\s*年")


def _sender_region(region: Region, issuer: str) -> Region:
    """The region above whose name opens the issuer (鹤岗市人民政府教育督导室 -> 鹤岗市);
    else the region's parent; a region without one (a province receiving from the
    ministry) stands for its sender itself."""
    ancestor = region.parent
    while ancestor is not None:
        if issuer.startswith(ancestor.name):
            return ancestor
        ancestor = ancestor.parent
    return region.parent or region


@transaction.atomic
def round_receive(
    *,
    acting_user: User,
    region: Region,
    issuer: str,
    doc_number: str,
    title: str,
    date: datetime.date | None,
    problems: Sequence[ReceivedProblem],
    year: int | None = None,
) -> tuple[Round, list[Item]]:
    """A round received from a sender that does not use Dudao: the letter's problems become
    the region's own items (with the letter's lead units and deadlines). The region adopts
    Dudao alone: its evaluator, outside, signs nothing off here."""
    if not access.can_edit_region_items(acting_user, region):
        raise NotAllowed(f"您不能修改{region.name}的整改任务，不能登记其来文")
    rows = [p for p in problems if p.statement.strip()]
    if not rows:
        raise LedgerError("来文中没有读到问题，无法建立评价", field="file")
    found = _YEAR.search(title)
    if year is None:
        year = int(found.group(1)) if found else (date or today()).year
    elif not 2000 <= year <= 2100:
        raise LedgerError("评价年度应为四位年份", field="year")
    rnd = Round.objects.create(
        year=year,
        evaluating_region=_sender_region(region, issuer),
        evaluated_region=region,
        title=(title.strip() or f"{issuer}来文")[:200],
        source_doc_number=doc_number.strip()[:64],
        source_issuer=issuer.strip()[:100],
        source_title=title.strip()[:300],
        source_date=date,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="round_receive",
        target_type="round",
        target_id=rnd.pk,
        region=region,
        changes={"title": ("", rnd.title), "doc_number": ("", rnd.source_doc_number)},
        note=issuer,
    )
    note = f"来文：{doc_number}"
    items = [
        _received_item(acting_user, rnd, row, order, note=note, audit_problem=False)
        for order, row in enumerate(rows, start=1)
    ]
    return rnd, items


def _received_item(
    acting_user: User,
    rnd: Round,
    row: ReceivedProblem,
    order: int,
    *,
    note: str,
    audit_problem: bool,
) -> Item:
    """One problem of a received round and its item for the round's region, audited (the
    problem too when `audit_problem`)."""
    region = rnd.evaluated_region
    problem = Problem.objects.create(
        round=rnd,
        dimension=row.dimension.strip() or "其他",
        statement=row.statement.strip(),
        order=order,
        source=Source.IMPORTED,
    )
    if audit_problem:
        audit_record(
            actor=acting_user,
            action="problem_add",
            target_type="problem",
            target_id=problem.pk,
            region=region,
            changes={"statement": ("", problem.statement), "dimension": ("", problem.dimension)},
            note=note,
        )
    return assigned_item(
        acting_user=acting_user,
        problem=problem,
        region=region,
        deadline=row.deadline,
        note=note,
        lead_unit=row.lead_unit.strip()[:200],
        co_units=row.co_units.strip()[:400],
    )


def assigned_item(
    *,
    acting_user: User,
    problem: Problem,
    region: Region,
    deadline: datetime.date | None,
    note: str = "",
    **fields: str,
) -> Item:
    """Create the item of `problem` for `region` (`fields`: its other text fields) and
    audit the assignment. The callers check who may assign."""
    item = Item.objects.create(problem=problem, region=region, deadline=deadline, **fields)
    audit_record(
        actor=acting_user,
        action="item_assign",
        target_type="item",
        target_id=item.pk,
        region=region,
        item=item,
        changes={"region": (None, region.name), "deadline": (None, deadline)},
        note=note,
    )
    return item


@transaction.atomic
def received_problems_add(
    *, acting_user: User, rnd: Round, problems: Sequence[ReceivedProblem], note: str = ""
) -> list[Item]:
    """More problems of a received round (an office's own 台账 of it): each becomes a
    problem and the region's item, as `round_receive` makes them."""
    if not access.can_add_received_problems(acting_user, rnd):
        raise NotAllowed("只能向本地区登记的来文评价添加问题", field="round")
    last = rnd.problems.order_by("-order").values_list("order", flat=True).first() or 0
    return [
        _received_item(acting_user, rnd, row, order, note=note, audit_problem=True)
        for order, row in enumerate((p for p in problems if p.statement.strip()), start=last + 1)
    ]


@transaction.atomic
def problem_add(
    *,
    acting_user: User,
    rnd: Round,
    dimension: str,
    statement: str,
    order: int | None = None,
    source: str = Source.MANUAL,
) -> Problem:
    if not access.can_manage_round(acting_user, rnd):
        raise NotAllowed("只有评价方的督导人员才能添加反馈问题")
    statement = statement.strip()
    dimension = dimension.strip()
    if not statement:
        raise LedgerError("问题描述不能为空", field="statement")
    if not dimension:
        raise LedgerError("请选择或填写问题所属维度", field="dimension")
    if order is None:
        last = rnd.problems.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    problem = Problem.objects.create(
        round=rnd, dimension=dimension, statement=statement, order=order, source=source
    )
    audit_record(
        actor=acting_user,
        action="problem_add",
        target_type="problem",
        target_id=problem.pk,
        region=rnd.evaluated_region,
        changes={"statement": ("", statement), "dimension": ("", dimension)},
    )
    return problem


@transaction.atomic
def items_assign(
    *,
    acting_user: User,
    rnd: Round,
    problems: Sequence[Problem],
    regions: Sequence[Region],
    deadline: datetime.date | None,
    lead_unit: str = "",
    co_units: str = "",
    responsible_person: str = "",
) -> list[Item]:
    """Assign many problems to many regions at once; pairs already assigned are left as
    they are. Returns the items created."""
    if not problems:
        raise LedgerError("请至少选择一个问题", field="problems")
    if not regions:
        raise LedgerError("请至少选择一个责任地区", field="regions")
    _check_deadline(rnd, deadline)
    for region in regions:
        if not access.can_assign_to(acting_user, rnd, region):
            raise NotAllowed(f"不能把问题分配给“{region.name}”", field="regions")
    for problem in problems:
        if problem.round_id != rnd.pk:
            raise LedgerError("所选问题不属于此评价", field="problems")
    existing = set(
        Item.objects.filter(problem__in=problems, region__in=regions, unit="").values_list(
            "problem_id", "region_id"
        )
    )
    created = []
    for problem in problems:
        for region in regions:
            if (problem.pk, region.pk) in existing:
                continue
            item = assigned_item(
                acting_user=acting_user,
                problem=problem,
                region=region,
                deadline=deadline,
                lead_unit=lead_unit.strip(),
                co_units=co_units.strip(),
                responsible_person=responsible_person.strip(),
            )
            created.append(item)
    return created


def _clean_units(units: Iterable[str]) -> list[str]:
    """Unit names as typed (one per entry, or several split by 、，, or spaces), without
    repeats."""
    seen: list[str] = []
    for entry in units:
        for name in entry.replace("，", "、").replace(",", "、").replace(" ", "、").split("、"):
            name = name.strip()
            if name and name not in seen:
                seen.append(name)
    return seen


@transaction.atomic
def item_dispatch(
    *,
    acting_user: User,
    item: Item,
    regions: Sequence[Region] = (),
    units: Sequence[str] = (),
    deadline: datetime.date | None = None,
    lead_unit: str = "",
    co_units: str = "",
    measures: str = "",
) -> list[Item]:
    """Pass an item on (分解下发) to regions directly below its region and to departments
    of its region. Each child is a full item of the same problem; its deadline defaults
    to the parent's and may not be after it. Children already there are left as they are;
    returns the children created. The parent, if not started, is started."""
    if not access.can_dispatch(acting_user, item):
        raise NotAllowed("只有此整改任务的责任地区才能分解下发；部门任务不能再分解")
    if item.status in (Status.SIGNED_OFF, Status.SIGNOFF_REQUESTED):
        raise LedgerError(f"当前状态为“{STATUS_LABELS[item.status]}”，不能分解下发")
    names = _clean_units(units)
    if not regions and not names:
        raise LedgerError("请至少选择一个下级地区或填写一个部门", field="regions")
    for region in regions:
        if region.parent_id != item.region_id:
            raise NotAllowed(f"只能下发给{item.region.name}的直属下级地区", field="regions")
    deadline = deadline or item.deadline
    if deadline is not None:
        _check_deadline(item.problem.round, deadline)
        if item.deadline is not None and deadline > item.deadline:
            raise LedgerError(
                f"下发任务的时限不能晚于本任务的时限（{item.deadline:%Y-%m-%d}）", field="deadline"
            )
    existing = set(Item.objects.filter(problem_id=item.problem_id).values_list("region_id", "unit"))
    targets = [(r, "") for r in regions] + [(item.region, n) for n in names]
    created = []
    for region, unit in targets:
        if (region.pk, unit) in existing:
            continue
        child = Item.objects.create(
            problem_id=item.problem_id,
            region=region,
            parent=item,
            unit=unit,
            deadline=deadline,
            lead_unit=unit or lead_unit.strip(),
            co_units=co_units.strip(),
            measures=measures.strip(),
        )
        audit_record(
            actor=acting_user,
            action="item_dispatch",
            target_type="item",
            target_id=child.pk,
            region=region,
            item=child,
            changes={
                "parent": (None, item.pk),
                "region": (None, unit or region.name),
                "deadline": (None, deadline),
            },
        )
        created.append(child)
    if created:
        audit_record(
            actor=acting_user,
            action="item_dispatch",
            target_type="item",
            target_id=item.pk,
            region=item.region,
            item=item,
            changes={"children": ("", "、".join(c.holder for c in created))},
        )
        if item.status == Status.NOT_STARTED:
            item_start(acting_user=acting_user, item=item, expected_version=None)
    return created


@transaction.atomic
def items_dispatch(
    *,
    acting_user: User,
    items: Sequence[Item],
    regions: Sequence[Region] = (),
    units: Sequence[str] = (),
    deadline: datetime.date | None = None,
    lead_unit: str = "",
    co_units: str = "",
) -> list[Item]:
    """item_dispatch for many items at once, all or nothing."""
    if not items:
        raise LedgerError("请至少选择一项整改任务", field="items")
    created: list[Item] = []
    for item in items:
        created += item_dispatch(
            acting_user=acting_user,
            item=item,
            regions=regions,
            units=units,
            deadline=deadline,
            lead_unit=lead_unit,
            co_units=co_units,
        )
    return created


def unfinished_children(item: Item) -> list[Item]:
    """Children that keep the parent from asking for sign-off: neither signed off nor
    长期坚持 with a reason."""
    return [
        child
        for child in Item.objects.active()
        .filter(parent=item)
        .select_related("region")
        .order_by("region__code", "unit", "id")
        if not (
            child.status == Status.SIGNED_OFF
            or (child.status == Status.ONGOING and child.ongoing_reason.strip())
        )
    ]


# --- item fields -----------------------------------------------------------------------


def _conditional_update(
    item: Item, expected_version: int | None, from_statuses: Iterable[str] | None, **values: Any
) -> None:
    """Write `values` only if nobody changed the item since `expected_version` was read;
    bumps the version. The check and the write are one UPDATE, so two racing saves cannot
    both succeed."""
    qs = Item.objects.filter(pk=item.pk)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if from_statuses is not None:
        qs = qs.filter(status__in=list(from_statuses))
    now = timezone.now()
    if qs.update(**values, version=F("version") + 1, updated_at=now) != 1:
        raise StaleEdit()
    for name, value in values.items():
        setattr(item, name, value)
    if expected_version is not None:
        item.version = expected_version + 1
    else:  # written whatever its version: read the one it has now
        item.version = Item.objects.values_list("version", flat=True).get(pk=item.pk)
    item.updated_at = now


@transaction.atomic
def item_update(
    *, acting_user: User, item: Item, expected_version: int, note: str = "", **fields: Any
) -> dict[str, tuple[Any, Any]]:
    """Change the editable fields of an item; returns what changed (empty: nothing saved)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not access.can_edit_item(acting_user, item):
        raise NotAllowed("您没有修改此整改任务的权限")
    if item.status == Status.SIGNED_OFF:
        raise LedgerError("已销号的整改任务不能再修改")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    deadline = values.get("deadline")
    if deadline is not None:
        assert isinstance(deadline, datetime.date)
        _check_deadline(item.problem.round, deadline)
        _check_against_parent_and_children(item, deadline)
    if item.version != expected_version:
        raise StaleEdit()
    changes = diff_fields(item, values)
    if not changes:
        return {}
    _conditional_update(item, expected_version, None, **{k: values[k] for k in changes})
    audit_record(
        actor=acting_user,
        action="item_update",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes=changes,
        note=note,
    )
    return changes


# --- transitions -----------------------------------------------------------------------


def _transition(
    *,
    acting_user: User,
    item: Item,
    expected_version: int | None,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> Item:
    if item.status not in allowed_from:
        raise LedgerError(f"当前状态为“{STATUS_LABELS[item.status]}”，不能{_ACTION_LABELS[action]}")
    before = item.status
    _conditional_update(item, expected_version, allowed_from, status=to, **(extra or {}))
    audit_record(
        actor=acting_user,
        action=action,
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={"status": (STATUS_LABELS[before], STATUS_LABELS[to])},
        note=note,
    )
    return item


_ACTION_LABELS = {
    "item_start": "开始整改",
    "item_request_signoff": "申请销号",
    "item_sign_off": "销号",
    "item_send_back": "退回",
    "item_mark_ongoing": "转为长期坚持",
    "item_resume": "恢复整改",
}


def _require_edit(acting_user: User, item: Item) -> None:
    if not access.can_edit_item(acting_user, item):
        raise NotAllowed("您没有办理此整改任务的权限")


def _require_signoff(acting_user: User, item: Item) -> None:
    if not access.can_sign_off(acting_user, item):
        raise NotAllowed("只有上级督导人员才能销号或退回；不能对本级的整改任务销号")


@transaction.atomic
def item_start(*, acting_user: User, item: Item, expected_version: int | None) -> Item:
    _require_edit(acting_user, item)
    return _transition(
        acting_user=acting_user,
        item=item,
        expected_version=expected_version,
        allowed_from=(Status.NOT_STARTED,),
        to=Status.IN_PROGRESS,
        action="item_start",
    )


@transaction.atomic
def item_request_signoff(
    *, acting_user: User, item: Item, expected_version: int | None, note: str = ""
) -> Item:
    _require_edit(acting_user, item)
    # a parent's 整改情况 draws on its children's (what the regions below reported)
    drawn = Item.objects.active().filter(parent=item).exclude(outcome="").exists()
    if not item.outcome.strip() and not drawn:
        raise LedgerError("申请销号前请先填写整改情况", field="outcome")
    pending = unfinished_children(item)
    if pending:
        shown = "、".join(f"{c.holder}（{STATUS_LABELS[c.status]}）" for c in pending[:8])
        more = f"等 {len(pending)} 项" if len(pending) > 8 else ""
        raise LedgerError(f"下发的整改任务尚未全部销号或注明长期坚持理由：{shown}{more}")
    return _transition(
        acting_user=acting_user,
        item=item,
        expected_version=expected_version,
        allowed_from=(Status.IN_PROGRESS, Status.ONGOING),
        to=Status.SIGNOFF_REQUESTED,
        action="item_request_signoff",
        note=note.strip(),
    )


@transaction.atomic
def item_sign_off(
    *, acting_user: User, item: Item, expected_version: int | None, note: str = ""
) -> Item:
    _require_signoff(acting_user, item)
    return _transition(
        acting_user=acting_user,
        item=item,
        expected_version=expected_version,
        allowed_from=(Status.SIGNOFF_REQUESTED,),
        to=Status.SIGNED_OFF,
        action="item_sign_off",
        note=note.strip(),
        extra={"signed_off_at": timezone.now(), "signed_off_by": acting_user},
    )


@transaction.atomic
def item_send_back(
    *, acting_user: User, item: Item, expected_version: int | None, reason: str
) -> Item:
    _require_signoff(acting_user, item)
    if not reason.strip():
        raise LedgerError("退回时必须填写退回理由", field="reason")
    return _transition(
        acting_user=acting_user,
        item=item,
        expected_version=expected_version,
        allowed_from=(Status.SIGNOFF_REQUESTED,),
        to=Status.IN_PROGRESS,
        action="item_send_back",
        note=reason.strip(),
    )


@transaction.atomic
def item_mark_ongoing(
    *, acting_user: User, item: Item, expected_version: int | None, note: str = ""
) -> Item:
    _require_edit(acting_user, item)
    return _transition(
        acting_user=acting_user,
        item=item,
        expected_version=expected_version,
        allowed_from=(Status.IN_PROGRESS, Status.NOT_STARTED),
        to=Status.ONGOING,
        action="item_mark_ongoing",
        note=note.strip(),
        extra={"ongoing_reason": note.strip()},
    )


@transaction.atomic
def item_resume(*, acting_user: User, item: Item, expected_version: int | None) -> Item:
    _require_edit(acting_user, item)
    return _transition(
        acting_user=acting_user,
        item=item,
        expected_version=expected_version,
        allowed_from=(Status.ONGOING,),
        to=Status.IN_PROGRESS,
        action="item_resume",
        extra={"ongoing_reason": ""},
    )


# --- archive / restore (nothing is hard-deleted) ----------------------------------------


@transaction.atomic
def item_archive(*, acting_user: User, item: Item, reason: str) -> Item:
    if not access.can_manage_round(acting_user, item.problem.round):
        raise NotAllowed("只有评价方的督导人员才能撤回整改任务")
    if item.archived_at is not None:
        raise LedgerError("此整改任务已撤回")
    if not reason.strip():
        raise LedgerError("撤回时必须填写理由", field="reason")
    _conditional_update(item, None, None, archived_at=timezone.now())
    audit_record(
        actor=acting_user,
        action="item_archive",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={"archived": (False, True)},
        note=reason.strip(),
    )
    return item


@transaction.atomic
def item_restore(*, acting_user: User, item: Item) -> Item:
    if not access.can_manage_round(acting_user, item.problem.round):
        raise NotAllowed("只有评价方的督导人员才能恢复整改任务")
    if item.archived_at is None:
        raise LedgerError("此整改任务未被撤回")
    _conditional_update(item, None, None, archived_at=None)
    audit_record(
        actor=acting_user,
        action="item_restore",
        target_type="item",
        target_id=item.pk,
        region=item.region,
        item=item,
        changes={"archived": (True, False)},
    )
    return item


# --- progress and evidence -------------------------------------------------------------


@transaction.atomic
def progress_add(
    *, acting_user: User, item: Item, text: str, day: datetime.date | None = None
) -> Progress:
    """Append a progress update; the first one on an item not yet started starts it."""
    _require_edit(acting_user, item)
    if item.status == Status.SIGNED_OFF:
        raise LedgerError("已销号的整改任务不能再添加进展")
    text = text.strip()
    if not text:
        raise LedgerError("进展内容不能为空", field="text")
    day = day or today()
    if day > today():
        raise LedgerError("进展日期不能晚于今天", field="day")
    progress = Progress.objects.create(item=item, author=acting_user, day=day, text=text)
    audit_record(
        actor=acting_user,
        action="progress_add",
        target_type="progress",
        target_id=progress.pk,
        region=item.region,
        item=item,
        changes={"text": ("", text)},
    )
    if item.status == Status.NOT_STARTED:
        item_start(acting_user=acting_user, item=item, expected_version=None)
    return progress


@transaction.atomic
def evidence_add(
    *, acting_user: User, item: Item, upload: UploadedFile, description: str = ""
) -> Evidence:
    _require_edit(acting_user, item)
    limit: int = settings.DUDAO_EVIDENCE_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        # Refuse before reading an oversize file into memory.
        check_upload(upload.name or "", b"", None, size, limit)
    upload.seek(0)
    data = upload.read()
    checked = check_upload(upload.name or "", data[:16], data, len(data), limit)
    stored = store_file(f"evidence/{today():%Y}", data, checked.extension)
    evidence = Evidence.objects.create(
        item=item,
        uploaded_by=acting_user,
        original_name=checked.name,
        stored_name=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        content_type=checked.content_type,
        description=description.strip()[:200],
    )
    audit_record(
        actor=acting_user,
        action="evidence_add",
        target_type="evidence",
        target_id=evidence.pk,
        region=item.region,
        item=item,
        changes={"file": ("", checked.name)},
        note=f"SHA-256 {stored.sha256}",
    )
    return evidence
