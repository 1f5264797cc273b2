"""The 整改台账 as Excel: export of what a user sees, import of the same layout filled in.

Export groups items one sheet per region one level below the scope (a city's counties; a
province's cities, with a 县（市、区） column), plus a summary sheet above county level.

Import checks every row against the item it names (hidden 系统编号 and 版本 columns) and
carries each change out through the ledger's services, so the same rules apply and each
change is audited. All rows run inside one transaction that is rolled back if any row
fails or when only previewing: nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from dudao import writers
from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.generation import DocumentError, round_topic
from dudao.lib.labels import FIELD_LABELS
from dudao.rectification import services
from dudao.rectification.errors import LedgerError, StaleEdit
from dudao.rectification.models import NEVER_OVERDUE, Item, ItemQuerySet, Progress, Round, Status
from dudao.regions.models import Level, Region

# phase ("导出" / "读取" / "校验"), done, total
ProgressReport = Callable[[str, int, int], None]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK = 5000  # ids per IN (…): SQLite allows at most 32766 parameters

# Ledger column -> Item field, for the fields a clerk may change in the sheet.
EDITABLE_IN_SHEET = (
    "lead_unit",
    "co_units",
    "responsible_person",
    "deadline",
    "measures",
    "outcome",
    "remark",
)
FIELD_COLUMNS = {name: FIELD_LABELS[name] for name in EDITABLE_IN_SHEET}
# (from, to) status labels -> the transition service that makes the change.
TRANSITIONS: dict[tuple[str, str], Callable[..., Item]] = {
    ("未开始", "整改中"): services.item_start,
    ("整改中", "申请销号"): services.item_request_signoff,
    ("长期坚持", "申请销号"): services.item_request_signoff,
    ("申请销号", "已销号"): services.item_sign_off,
    ("申请销号", "整改中"): services.item_send_back,
    ("整改中", "长期坚持"): services.item_mark_ongoing,
    ("未开始", "长期坚持"): services.item_mark_ongoing,
    ("长期坚持", "整改中"): services.item_resume,
}


# --- export ----------------------------------------------------------------------------


def common_region(items: ItemQuerySet) -> Region | None:
    """The lowest region containing every item's region (None when they span provinces)."""
    paths = list(items.order_by().values_list("region__path", flat=True).distinct())
    if not paths:
        return None
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    return Region.objects.filter(code=common[-1]).first() if common else None


def ledger_title(scope: Region | None, rnd: Round | None) -> str:
    where = scope.name if scope is not None else ""
    if rnd is not None:
        return f"{where}{rnd.year}年{round_topic(rnd)}反馈问题整改台账"
    return f"{where}整改台账"


def _latest_progress(ids: Sequence[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = (
            Progress.objects.filter(item_id__in=ids[start : start + _CHUNK])
            .order_by("item_id", "created_at", "id")
            .values_list("item_id", "text")
        )
        latest.update(rows)  # the last row of each item wins
    return latest


# Read as plain tuples: building 40,000 model instances (with problem and region) costs
# several times what writing the workbook does.
_EXPORT_FIELDS = (
    "pk",
    "problem__dimension",
    "problem__statement",
    "measures",
    "lead_unit",
    "co_units",
    "responsible_person",
    "deadline",
    "outcome",
    "status",
    "signed_off_at",
    "remark",
    "version",
    "region__path",
    "region__name",
)
_STATUS_LABELS = dict(Status.choices)


def ledger_sheets(
    items: ItemQuerySet, scope: Region | None, *, today: datetime.date
) -> list[writers.LedgerSheet]:
    """One sheet per region one level below `scope` (the scope itself if it is a county),
    items in region, round and problem order."""
    rows = list(
        items.order_by(
            "region__code", "problem__round_id", "problem__order", "problem_id", "id"
        ).values_list(*_EXPORT_FIELDS)
    )
    depth = scope.path.count("/") if scope is not None else 0
    progress = _latest_progress([r[0] for r in rows])
    groups: dict[str, list[tuple[Any, ...]]] = {}
    deeper = False
    for row in rows:
        codes = row[13].strip("/").split("/")
        group = codes[depth] if len(codes) > depth else codes[-1]
        deeper = deeper or len(codes) > depth + 1
        groups.setdefault(group, []).append(row)
    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    return [
        writers.LedgerSheet(
            name=names.get(code, code),
            items=tuple(_ledger_item(r, progress, today, deeper) for r in groups[code]),
        )
        for code in sorted(groups)
    ]


def _ledger_item(
    row: tuple[Any, ...], progress: dict[int, str], today: datetime.date, with_region: bool
) -> writers.LedgerItem:
    (pk, dimension, problem, measures, lead, co, person, deadline, outcome, status, signed,
     remark, version, _, region) = row  # fmt: skip
    return writers.LedgerItem(
        dimension=dimension,
        problem=problem,
        measures=measures,
        lead_unit=lead,
        co_units=co,
        responsible_person=person,
        deadline=deadline,
        progress_text=progress.get(pk, ""),
        outcome=outcome,
        status_label=_STATUS_LABELS[status],
        # The same rule as Item.is_overdue, on the tuple.
        overdue=deadline is not None and deadline < today and status not in NEVER_OVERDUE,
        signed_off_on=None if signed is None else timezone.localdate(signed),
        remark=remark,
        item_id=pk,
        version=version,
        region=region if with_region else "",
    )


def ledger_export(
    items: ItemQuerySet,
    *,
    scope: Region | None,
    rnd: Round | None,
    today: datetime.date,
    progress: ProgressReport | None = None,
) -> bytes:
    """The items as a ledger workbook; `scope` None takes the smallest region holding them."""
    if scope is None:
        scope = common_region(items)
    sheets = ledger_sheets(items, scope, today=today)
    if not sheets:
        sheets = [writers.LedgerSheet(name=scope.name if scope else "台账", items=())]
    above_county = scope is None or scope.level != Level.COUNTY
    summary = writers.summary_of(sheets) if above_county else None
    report = None if progress is None else (lambda done, total: progress("导出", done, total))
    try:
        return writers.write_ledger_xlsx(ledger_title(scope, rnd), sheets, summary, report)
    except writers.WriterError as exc:
        raise DocumentError(exc.message) from exc


# --- import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowChange:
    """What one row changes in one item."""

    sheet: str
    row: int
    item_id: int
    region: str
    problem: str
    fields: tuple[str, ...] = ()  # column names
    status: tuple[str, str] | None = None
    progress: bool = False

    def __str__(self) -> str:
        parts = list(self.fields)
        if self.progress:
            parts.append("新增整改进展")
        if self.status is not None:
            parts.append(f"状态 {self.status[0]}→{self.status[1]}")
        problem = self.problem if len(self.problem) <= 24 else self.problem[:24] + "…"
        return f"工作表“{self.sheet}”第{self.row}行（{self.region}：{problem}）：{'、'.join(parts)}"


@dataclass(frozen=True)
class LedgerImport:
    rows: int
    changes: tuple[RowChange, ...]
    errors: tuple[writers.CellError, ...]
    applied: bool

    @property
    def summary(self) -> str:
        if self.errors:
            return f"文件中有 {len(self.errors)} 处错误，未导入任何内容。请修正后重新上传。"
        if not self.changes:
            return "没有需要更新的内容"
        verb = "已修改" if self.applied else "将修改"
        return f"{verb} {len(self.changes)} 项："


@dataclass
class _Run:
    user: User
    errors: list[writers.CellError] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)

    def fail(self, row: writers.LedgerRow, column: str, message: str) -> None:
        self.errors.append(writers.CellError(row.sheet, row.row_number, column, message))


def ledger_import(
    *,
    acting_user: User,
    data: bytes,
    apply: bool,
    progress: ProgressReport | None = None,
) -> LedgerImport:
    """Check (and with apply=True, make) every change a filled-in ledger asks for.

    Raises DocumentError when the file as a whole cannot be read (not an .xlsx, password,
    wrong columns …); row-level problems come back in `errors`, and then nothing is written.
    """
    report = None if progress is None else (lambda done, total: progress("读取", done, total))
    try:
        ledger = writers.read_ledger_xlsx(data, report)
    except writers.WriterError as exc:
        raise DocumentError(exc.message) from exc
    run = _Run(acting_user, errors=list(ledger.errors))
    bad_rows = {(e.sheet, e.row) for e in ledger.errors}
    ids = [r.item.item_id for r in ledger.rows if r.item.item_id is not None]
    items = _visible_items(acting_user, ids)
    latest = _latest_progress(list(items))
    seen: dict[int, writers.LedgerRow] = {}
    with transaction.atomic():
        for done, row in enumerate(ledger.rows, start=1):
            if progress is not None and done % 500 == 0:
                progress("校验", done, len(ledger.rows))
            item_id = row.item.item_id
            if item_id is None:
                if (row.sheet, row.row_number) not in bad_rows:
                    run.fail(
                        row,
                        "系统编号",
                        "此行没有系统编号，无法对应到整改任务。"
                        "新问题请在系统中添加；请勿删除隐藏的“系统编号”列的内容",
                    )
                continue
            if item_id in seen:
                first = seen[item_id]
                run.fail(
                    row,
                    "系统编号",
                    f"系统编号 {item_id} 与工作表“{first.sheet}”"
                    f"第{first.row_number}行重复，同一整改任务只能出现一次",
                )
                continue
            seen[item_id] = row
            item = items.get(item_id)
            if item is None:
                run.fail(
                    row, "系统编号", f"系统中没有编号为 {item_id} 的整改任务，或您无权查看该任务"
                )
                continue
            if (row.sheet, row.row_number) in bad_rows:
                continue
            _import_row(run, row, item, latest.get(item_id, ""))
        if progress is not None:
            progress("校验", len(ledger.rows), len(ledger.rows))
        applied = apply and not run.errors
        if not applied:
            transaction.set_rollback(True)
    return LedgerImport(
        rows=len(ledger.rows),
        changes=tuple(run.changes),
        errors=tuple(sorted(run.errors, key=_error_order(ledger.sheets))),
        applied=applied and bool(run.changes),
    )


def _error_order(sheets: Sequence[str]) -> Callable[[writers.CellError], tuple[int, int]]:
    order = {name: n for n, name in enumerate(sheets)}
    return lambda e: (order.get(e.sheet, len(order)), e.row)


@dataclass(frozen=True, slots=True)
class _Current:
    """An item as it is now, read as a tuple: the file is compared against these, and a
    model instance is loaded only for the rows that change something."""

    pk: int
    version: int
    status: str
    lead_unit: str
    co_units: str
    responsible_person: str
    deadline: datetime.date | None
    measures: str
    outcome: str
    remark: str
    statement: str
    dimension: str
    region_id: int
    region: str


_CURRENT_FIELDS = (
    "pk",
    "version",
    "status",
    *services.EDITABLE_FIELDS,
    "problem__statement",
    "problem__dimension",
    "region_id",
    "region__name",
)


def _visible_items(user: User, ids: Sequence[int]) -> dict[int, _Current]:
    """The items named in the file that the user may see (archived ones too: the services
    refuse to change those). Fetched by id, then each region checked once with the access
    module: on SQLite, "id IN (…) AND region visible" as one query is planned badly."""
    rows: list[_Current] = []
    unique = sorted(set(ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = Item.objects.filter(pk__in=unique[start : start + _CHUNK])
        rows += (_Current(*r) for r in chunk.values_list(*_CURRENT_FIELDS))
    region_ids = {r.region_id for r in rows}
    visible = {
        region.pk
        for region in Region.objects.filter(pk__in=region_ids)
        if access.can_see_region(user, region)
    }
    return {r.pk: r for r in rows if r.region_id in visible}


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _field_changes(row: writers.LedgerItem, item: _Current) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name in FIELD_COLUMNS:
        new: Any = getattr(row, name)
        old: Any = getattr(item, name)
        if isinstance(new, str):
            new, old = _norm(new), _norm(old)
        if new != old:
            changed[name] = new
    return changed


def _import_row(run: _Run, row: writers.LedgerRow, item: _Current, latest: str) -> None:
    values = row.item
    if _norm(values.problem) != _norm(item.statement):
        run.fail(
            row,
            "问题",
            "问题描述与系统中的不一致。反馈问题由评价方确定，不能在台账中修改，"
            f"请恢复为原文：“{item.statement}”",
        )
    if _norm(values.dimension) != _norm(item.dimension):
        run.fail(row, "维度", f"维度不能在台账中修改，请恢复为“{item.dimension}”")
    fields = _field_changes(values, item)
    before = _STATUS_LABELS[item.status]
    target = values.status_label
    text = _norm(values.progress_text)
    new_progress = bool(text) and text != _norm(latest)
    if not fields and target == before and not new_progress:
        return  # nothing asked of this item (whatever its version): not a conflict
    if values.version is None:
        run.fail(row, "版本", "缺少版本号；隐藏的“版本”列由系统生成，请勿修改")
        return
    if values.version != item.version:
        run.fail(
            row,
            "",
            f"此行导出后该任务已在系统中被修改（导出时为第{values.version}版，"
            f"现为第{item.version}版），未覆盖。请重新导出台账，在新文件中填写后再上传",
        )
        return
    if target != before and (before, target) not in TRANSITIONS:
        run.fail(
            row,
            "状态",
            f"不能把状态从“{before}”直接改为“{target}”。"
            "状态只能按“未开始→整改中→申请销号→已销号”的流程逐步变更",
        )
        return
    reason = fields.get("remark", "")
    if (before, target) == ("申请销号", "整改中") and not reason:
        run.fail(row, "备注", "退回时请在「备注」中填写退回理由")
        return
    try:
        with transaction.atomic():
            _carry_out(
                run.user,
                Item.objects.select_related("problem__round", "region").get(pk=item.pk),
                values.version,
                fields,
                text if new_progress else "",
                target if target != before else None,
                reason,
            )
    except StaleEdit:
        run.fail(row, "", "此行导出后该任务已在系统中被修改，未覆盖。请重新导出台账后再填写")
        return
    except LedgerError as exc:
        column = FIELD_COLUMNS.get(exc.field or "", "状态" if target != before else "")
        run.fail(row, column, exc.message)
        return
    run.changes.append(
        RowChange(
            sheet=row.sheet,
            row=row.row_number,
            item_id=item.pk,
            region=item.region,
            problem=item.statement,
            fields=tuple(FIELD_COLUMNS[f] for f in fields),
            status=(before, target) if target != before else None,
            progress=new_progress,
        )
    )


def _carry_out(
    user: User,
    item: Item,
    version: int,
    fields: dict[str, Any],
    progress: str,
    target: str | None,
    reason: str,
) -> None:
    """Fields first (against the exported version), then the progress update (which may
    start an item not yet started), then the status change still needed."""
    if fields:
        services.item_update(
            acting_user=user,
            item=item,
            expected_version=version,
            note="导入 Excel 台账",
            **fields,
        )
    if progress:
        services.progress_add(acting_user=user, item=item, text=progress)
    current = item.get_status_display()
    if target is None or current == target:
        return  # also when the progress update has just started an item left 未开始
    service = TRANSITIONS.get((current, target))
    if service is None:
        raise LedgerError(f"不能把状态从“{current}”改为“{target}”", field="status")
    kwargs: dict[str, Any] = {"acting_user": user, "item": item, "expected_version": item.version}
    if service is services.item_send_back:
        kwargs["reason"] = reason
    service(**kwargs)
