"""An office's own Excel 台账 imported by mapping its columns to Dudao's fields.

The clerk uploads a workbook of the office's own design; `propose_layout` picks the sheet,
the header row and each column's field (the mapping the office saved for this very header
first, else from the header names, `dudao.parser.ledger.propose_columns`); the page shows
them with the first rows and lets the clerk correct each; `sheet_import_plan` reads every
row under the chosen mapping and says, per row and in Chinese, what is wrong;
`sheet_import_apply` turns every row into a problem and the region's item of a received
round (new, or one the region registered before) — all rows or none — and remembers the
mapping (`column_mapping_save`). Both writers audit every change.

Status words map to the workflow as the ledger's rules allow (never past what the
importer could do by hand):

- 已完成/已整改/完成整改/已办结, and 已销号 (which the region cannot do itself): the outcome
  is recorded and the item is put to 申请销号, for the level above to sign off;
- 持续整改/长期坚持/持续推进: 长期坚持, with the status text as its reason;
- 整改中/推进中/未完成/部分完成: 整改中;
- 未开始/未整改 or no status: 未开始.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.services import audit_record
from dudao.documents.models import ColumnMapping, Kind, OfficialDocument, Origin, next_version
from dudao.lib import chars
from dudao.lib.files import store_file
from dudao.parser import ParseError
from dudao.parser.ledger import (
    BadDate,
    Sheet,
    deadline_of,
    find_header,
    mapped_rows,
    propose_columns,
    read_sheets,
    status_of,
)
from dudao.rectification import services
from dudao.rectification.errors import LedgerError
from dudao.rectification.models import Item, Round, Status
from dudao.regions.models import Region
from dudao.writers.spreadsheet import column_letter

# field -> what the page calls it
FIELD_LABELS = {
    "": "不导入",
    "label": "序号",
    "dimension": "类别（维度）",
    "problem": "问题",
    "measures": "整改措施",
    "lead_unit": "责任（牵头）单位",
    "co_units": "配合单位",
    "responsible_person": "责任人",
    "deadline": "整改时限",
    "outcome": "整改进展（完成情况）",
    "status": "状态",
    "remark": "备注",
}
FIELD_CHOICES = list(FIELD_LABELS.items())
PREVIEW_ROWS = 5
_LIMITS = {"lead_unit": 200, "co_units": 400, "responsible_person": 64, "dimension": 64}
# parser status word -> (Dudao status, what the page says it becomes)
STATUS_TARGETS = {
    "done": Status.SIGNOFF_REQUESTED,
    "signed_off": Status.SIGNOFF_REQUESTED,
    "ongoing": Status.ONGOING,
    "in_progress": Status.IN_PROGRESS,
    "not_started": Status.NOT_STARTED,
    "": Status.NOT_STARTED,
}
STATUS_LABELS = dict(Status.choices)


def _normal(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def headers_key(headers: Sequence[str]) -> str:
    """The header as a key: cells without spaces, trailing blanks dropped."""
    cells = [_normal(h) for h in headers]
    while cells and not cells[-1]:
        cells.pop()
    return hashlib.sha256("\t".join(cells).encode()).hexdigest()


@dataclass(frozen=True)
class Layout:
    """Where the ledger is and what each column holds: the sheet (index), its header row
    (0-based) and one field per column ("" = not imported)."""

    sheet: int
    header: int
    fields: tuple[str, ...]
    remembered: bool = False
    # also the other sheets whose header is the same (one sheet per 方面 or per year)
    all_sheets: bool = False


def same_header_sheets(sheets: Sequence[Sheet], layout: Layout) -> list[tuple[int, int]]:
    """(sheet, header row) of the chosen sheet, then of every other sheet with the same
    header among its first ten rows (its title rows may be fewer or more)."""
    chosen = sheets[layout.sheet]
    if layout.header >= len(chosen.rows) or not any(chosen.rows[layout.header]):
        return [(layout.sheet, layout.header)]
    key = headers_key(chosen.rows[layout.header])
    found = [(layout.sheet, layout.header)]
    for n, sheet in enumerate(sheets):
        if n == layout.sheet:
            continue
        for h, row in enumerate(sheet.rows[:10]):
            if any(row) and headers_key(row) == key:
                found.append((n, h))
                break
    return found


def load_sheets(data: bytes, filename: str) -> list[Sheet]:
    """The workbook's sheets, read in the bounded child process; LedgerError(field "file")
    when it cannot be read."""
    try:
        sheets = read_sheets(data, filename)
    except ParseError as exc:
        raise LedgerError(exc.message, field="file") from exc
    if not any(any(any(c for c in row) for row in s.rows) for s in sheets):
        raise LedgerError("表格是空的，没有可导入的内容", field="file")
    return sheets


def _width(sheet: Sheet, header: int) -> int:
    row = sheet.rows[header] if header < len(sheet.rows) else []
    width = len(row)
    while width and not row[width - 1]:
        width -= 1
    # columns without a header name but with data below it still count
    for below in sheet.rows[header + 1 : header + 1 + 50]:
        used = len(below)
        while used and not below[used - 1]:
            used -= 1
        width = max(width, used)
    return width


def _fields_by_name(sheet: Sheet, header: int) -> tuple[str, ...]:
    row = sheet.rows[header] if header < len(sheet.rows) else []
    mapping = propose_columns(row)
    by_column = {i: f for f, i in mapping.items()}
    return tuple(by_column.get(i, "") for i in range(_width(sheet, header)))


def _remembered(region: Region, sheets: Sequence[Sheet]) -> dict[str, ColumnMapping]:
    keys = [headers_key(row) for s in sheets for row in s.rows[:10] if any(row)]
    return {
        m.headers_key: m
        for m in ColumnMapping.objects.filter(region=region, headers_key__in=keys).only(
            "headers_key", "fields"
        )
    }


def _fit(fields: Sequence[str], width: int) -> tuple[str, ...]:
    known = [f if f in FIELD_LABELS else "" for f in fields]
    return tuple((known + [""] * width)[:width])


def propose_layout(region: Region, sheets: Sequence[Sheet]) -> Layout:
    """The mapping the office saved for a header in this workbook, else the first sheet
    whose header names a problem column, mapped by the header names."""
    saved = _remembered(region, sheets)
    if saved:
        for n, sheet in enumerate(sheets):
            for h, row in enumerate(sheet.rows[:10]):
                found = saved.get(headers_key(row)) if any(row) else None
                if found is not None:
                    return Layout(n, h, _fit(found.fields, _width(sheet, h)), remembered=True)
    for n, sheet in enumerate(sheets):
        header = find_header(sheet.rows)
        if header is not None:
            return Layout(n, header, _fields_by_name(sheet, header))
    return Layout(0, 0, _fields_by_name(sheets[0], 0) if sheets else ())


def layout_at(region: Region, sheets: Sequence[Sheet], sheet: int, header: int) -> Layout:
    """The proposal for a sheet and header row the clerk chose."""
    chosen = sheets[sheet]
    row = chosen.rows[header] if header < len(chosen.rows) else []
    found = ColumnMapping.objects.filter(region=region, headers_key=headers_key(row)).first()
    if found is not None and any(row):
        return Layout(sheet, header, _fit(found.fields, _width(chosen, header)), remembered=True)
    return Layout(sheet, header, _fields_by_name(chosen, header))


# --- reading the rows -------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    row_number: int
    sheet: str
    where: str  # 第14行, or 工作表“教师队伍”第3行 when several sheets are imported
    statement: str
    dimension: str
    measures: str
    lead_unit: str
    co_units: str
    responsible_person: str
    deadline: datetime.date | None
    outcome: str
    remark: str
    status: str  # a Status value
    status_text: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class SheetPlan:
    sheet: str
    rows: tuple[SheetRow, ...]
    errors: tuple[str, ...]


def mapping_errors(fields: Sequence[str]) -> list[str]:
    errors = []
    if "problem" not in fields:
        errors.append("请指定哪一列是“问题”：每行的问题描述将成为一个反馈问题。")
    for name, label in FIELD_LABELS.items():
        columns = [column_letter(i) for i, f in enumerate(fields) if f == name]
        if name and len(columns) > 1:
            errors.append(
                f"“{label}”对应了{len(columns)}列（{'、'.join(columns)}列），只能对应一列。"
            )
    return errors


def sheet_import_plan(sheets: Sequence[Sheet], layout: Layout, year: int | None) -> SheetPlan:
    """Every row of the chosen sheet (and with `all_sheets`, of the others with the same
    header) under the layout, with what is wrong in each."""
    targets = same_header_sheets(sheets, layout)
    if not layout.all_sheets:
        targets = targets[:1]
    names = "、".join(sheets[n].name or "表格" for n, _ in targets)
    errors = mapping_errors(layout.fields)
    if errors:
        return SheetPlan(names, (), tuple(errors))
    mapping = {f: i for i, f in enumerate(layout.fields) if f}
    rows: list[SheetRow] = []
    seen: dict[str, str] = {}
    for n, header in targets:
        sheet = sheets[n]
        prefix = f"工作表“{sheet.name}”" if len(targets) > 1 else ""
        for mapped in mapped_rows(sheet.rows, header, mapping):
            where = f"{prefix}第{mapped.row_number}行"
            row, errs = _row(where, mapped.row_number, mapped.values, year, sheet.name)
            errors += errs
            if row is None:
                continue
            key = _normal(row.statement)
            if key in seen:
                errors.append(f"{where}的问题与{seen[key]}相同，同一问题只能导入一次。")
                continue
            seen[key] = where
            rows.append(row)
    if not rows and not errors:
        errors.append(f"表头（第{layout.header + 1}行）以下没有读到问题，请检查表头行和“问题”列。")
    return SheetPlan(names, tuple(rows), tuple(errors))


def _row(
    where: str, n: int, values: dict[str, str], year: int | None, sheet: str
) -> tuple[SheetRow | None, list[str]]:
    errors = []
    statement = values.get("problem", "").strip(" 。；;")
    for name, limit in _LIMITS.items():
        if len(values.get(name, "")) > limit:
            errors.append(f"{where}{FIELD_LABELS[name]}超过{limit}字，请精简或检查列的对应。")
    for name in ("problem", "measures", "outcome", "remark"):
        if len(values.get(name, "")) > chars.MAX_LONG_TEXT:
            errors.append(
                f"{where}{FIELD_LABELS[name]}超过系统上限（{chars.MAX_LONG_TEXT}字），请精简。"
            )
    deadline = None
    written = values.get("deadline", "")
    try:
        deadline = deadline_of(written)
    except BadDate:
        errors.append(
            f"{where}整改时限“{written}”不是有效日期，应写作 2025年6月30日 或 2025-06-30。"
        )
    if deadline is not None and year is not None and deadline.year < year:
        errors.append(f"{where}整改时限“{written}”早于评价年度 {year} 年。")
    status_text = values.get("status", "")
    word = status_of(status_text) if status_text else status_of(values.get("outcome", ""))
    if status_text and not word:
        errors.append(
            f"{where}状态“{status_text}”无法识别，应为已完成、已整改、整改中、持续整改、"
            "长期坚持或未开始；也可把“状态”列设为不导入。"
        )
    if not statement:
        errors.append(f"{where}没有问题描述。")
    if errors:
        return None, errors
    outcome = values.get("outcome", "")
    if word in ("done", "signed_off") and not outcome:
        outcome = status_text  # 申请销号 needs an outcome: the ledger's own word for it
    return (
        SheetRow(
            row_number=n,
            sheet=sheet,
            where=where,
            statement=statement,
            dimension=values.get("dimension", "").removesuffix("方面").strip(),
            measures=values.get("measures", ""),
            lead_unit=values.get("lead_unit", ""),
            co_units=values.get("co_units", ""),
            responsible_person=values.get("responsible_person", ""),
            deadline=deadline,
            outcome=outcome,
            remark=values.get("remark", ""),
            status=STATUS_TARGETS[word],
            status_text=status_text or (values.get("outcome", "") if word else ""),
        ),
        [],
    )


# --- writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewRound:
    title: str
    year: int
    issuer: str


@dataclass(frozen=True)
class SheetImportResult:
    rnd: Round | None
    items: tuple[Item, ...] = ()
    skipped: tuple[str, ...] = ()  # rows already in the round
    errors: tuple[str, ...] = ()
    already: OfficialDocument | None = None  # this file (and sheet) was imported before
    statuses: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def column_mapping_save(
    *, acting_user: User, region: Region, headers: Sequence[str], layout: Layout, sheet: str
) -> ColumnMapping:
    """Remember the office's mapping for this header (one per region and header)."""
    if not access.can_edit_region_items(acting_user, region):
        raise LedgerError(f"您不能为{region.name}保存台账列的对应")
    key = headers_key(headers)
    cells = [_normal(h) for h in headers][: len(layout.fields)]
    mapping, created = ColumnMapping.objects.get_or_create(
        region=region,
        headers_key=key,
        defaults={"headers": cells, "fields": list(layout.fields), "updated_by": acting_user},
    )
    before = [] if created else list(mapping.fields)
    if created or before != list(layout.fields) or mapping.sheet != sheet[:100]:
        mapping.headers = cells
        mapping.fields = list(layout.fields)
        mapping.sheet = sheet[:100]
        mapping.header_row = layout.header + 1
        mapping.updated_by = acting_user
        mapping.save(
            update_fields=["headers", "fields", "sheet", "header_row", "updated_by", "updated_at"]
        )
        audit_record(
            actor=acting_user,
            action="column_mapping_save",
            target_type="column_mapping",
            target_id=mapping.pk,
            region=region,
            changes={"fields": (_describe(cells, before), _describe(cells, layout.fields))},
        )
    return mapping


def _describe(headers: Sequence[str], fields: Sequence[str]) -> str:
    def name(i: int) -> str:
        return headers[i] if i < len(headers) and headers[i] else column_letter(i) + "列"

    return "；".join(f"{name(i)}→{FIELD_LABELS[f]}" for i, f in enumerate(fields) if f)


def importable_rounds(user: User, region: Region) -> list[Round]:
    """The received rounds of the region the user may add problems to."""
    rounds = (
        access.rounds_visible_to(user)
        .filter(evaluated_region=region)
        .exclude(source_issuer="")
        .select_related("evaluated_region", "evaluating_region")
        .order_by("-year", "-id")
    )
    return [r for r in rounds if access.can_add_received_problems(user, r)]


def previous_import(user: User, region: Region, sha256: str, sheet: str) -> OfficialDocument | None:
    """This file's sheet as imported before by the importer's organ."""
    return (
        OfficialDocument.objects.filter(
            kind=Kind.LEDGER,
            origin=Origin.IMPORTED,
            region=region,
            sha256=sha256,
            data__sheet=sheet,
            archived_at__isnull=True,
        )
        .select_related("round")
        .order_by("-id")
        .first()
    )


def sheet_import_apply(
    *,
    acting_user: User,
    region: Region,
    data: bytes,
    filename: str,
    layout: Layout,
    rnd: Round | None = None,
    new_round: NewRound | None = None,
) -> SheetImportResult:
    """Every row of the sheet as a problem and the region's item of `rnd` (a received round
    of the region) or of a new received round; all or nothing. The same file (and sheet)
    imported again changes nothing; rows already in `rnd` are left as they are."""
    if not access.can_edit_region_items(acting_user, region):
        raise LedgerError(f"您不能修改{region.name}的整改任务，不能导入其台账")
    if rnd is not None and not access.can_add_received_problems(acting_user, rnd):
        raise LedgerError("只能导入到本地区登记的来文评价", field="round")
    if rnd is None and new_round is None:
        raise LedgerError("请选择评价，或填写新评价的名称、年度和来文机关", field="round")
    sheets = load_sheets(data, filename)
    if not 0 <= layout.sheet < len(sheets):
        raise LedgerError("没有这个工作表", field="sheet")
    sha256 = hashlib.sha256(data).hexdigest()
    year = rnd.year if rnd is not None else new_round.year if new_round is not None else None
    plan = sheet_import_plan(sheets, layout, year)
    done_before = previous_import(acting_user, region, sha256, plan.sheet)
    if done_before is not None:
        return SheetImportResult(rnd=done_before.round, already=done_before)
    if plan.errors:
        return SheetImportResult(rnd=rnd, errors=plan.errors)
    if new_round is not None and rnd is None:
        if not new_round.title.strip():
            raise LedgerError("请填写新评价的名称", field="title")
        if not new_round.issuer.strip():
            raise LedgerError("请填写来文机关（反馈这些问题的单位）", field="issuer")
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _apply(
                acting_user, region, data, filename, sheets, layout, plan, rnd, new_round, stored
            )
    except BaseException:
        for name in stored:  # the database rolled back: no orphan file
            default_storage.delete(name)
        raise


def _apply(
    user: User,
    region: Region,
    data: bytes,
    filename: str,
    sheets: Sequence[Sheet],
    layout: Layout,
    plan: SheetPlan,
    rnd: Round | None,
    new_round: NewRound | None,
    stored: list[str],
) -> SheetImportResult:
    # One import per office at a time: a double click on 确认导入 must not make two rounds
    # (PostgreSQL; SQLite serialises writers anyway). Then the check again, under the lock.
    list(Region.objects.select_for_update().filter(pk=region.pk).values_list("pk"))
    sha256 = hashlib.sha256(data).hexdigest()
    done_before = previous_import(user, region, sha256, plan.sheet)
    if done_before is not None:
        return SheetImportResult(rnd=done_before.round, already=done_before)
    note = f"导入台账：{PurePath(filename).name}"
    rows = list(plan.rows)
    skipped: list[str] = []
    if rnd is not None:
        list(Round.objects.select_for_update().filter(pk=rnd.pk).values_list("pk"))
        held = {
            _normal(s)
            for s in Item.objects.filter(problem__round=rnd, region=region, unit="").values_list(
                "problem__statement", flat=True
            )
        }
        skipped = [
            f"{r.where}的问题已在此评价中，未重复导入。"
            for r in rows
            if _normal(r.statement) in held
        ]
        rows = [r for r in rows if _normal(r.statement) not in held]
    received = [
        services.ReceivedProblem(
            dimension=r.dimension or r.sheet or "其他",
            statement=r.statement,
            lead_unit=r.lead_unit,
            co_units=r.co_units,
            deadline=r.deadline,
        )
        for r in rows
    ]
    items: list[Item] = []
    if rnd is None:
        assert new_round is not None
        rnd, items = services.round_receive(
            acting_user=user,
            region=region,
            issuer=new_round.issuer.strip(),
            doc_number="",
            title=new_round.title.strip(),
            date=None,
            problems=received,
            year=new_round.year,
        )
    elif received:
        items = services.received_problems_add(
            acting_user=user, rnd=rnd, problems=received, note=note
        )
    if not items:
        return SheetImportResult(rnd=rnd, skipped=tuple(skipped))
    statuses: dict[str, int] = {}
    for row, item in zip(rows, items, strict=True):
        try:
            _fill(user, item, row, note)
        except LedgerError as exc:
            raise LedgerError(f"第{row.row_number}行：{exc.message}") from exc
        statuses[row.status_label] = statuses.get(row.status_label, 0) + 1
    saved = store_file(
        f"documents/{rnd.year}", data, PurePath(filename).suffix.lower().lstrip(".") or "xlsx"
    )
    stored.append(saved.name)
    document = OfficialDocument.objects.create(
        kind=Kind.LEDGER,
        origin=Origin.IMPORTED,
        round=rnd,
        region=region,
        title=(new_round.title if new_round is not None else rnd.title)[:300],
        version=next_version(Kind.LEDGER, rnd, region),
        stored_name=saved.name,
        original_name=PurePath(filename).name[:255],
        sha256=saved.sha256,
        size=saved.size,
        content_type=_content_type(filename),
        data={
            "sheet": plan.sheet,
            "header_row": layout.header + 1,
            "all_sheets": layout.all_sheets,
            "fields": list(layout.fields),
            "rows": [r.row_number for r in rows],
        },
        created_by=user,
    )
    audit_record(
        actor=user,
        action="document_import",
        target_type="document",
        target_id=document.pk,
        region=region,
        changes={"file": ("", document.original_name)},
        note=f"工作表“{plan.sheet}”，{len(items)} 行；SHA-256 {saved.sha256}",
    )
    headers = sheets[layout.sheet].rows[layout.header]
    column_mapping_save(
        acting_user=user, region=region, headers=headers, layout=layout, sheet=plan.sheet
    )
    return SheetImportResult(rnd=rnd, items=tuple(items), skipped=tuple(skipped), statuses=statuses)


def _content_type(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return "text/csv; charset=utf-8"
    if name.endswith(".xls"):
        return "application/vnd.ms-excel"
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fill(user: User, item: Item, row: SheetRow, note: str) -> None:
    """The row's texts, then its status as far as the importer may take it."""
    fields = {
        name: value
        for name, value in (
            ("measures", row.measures),
            ("outcome", row.outcome),
            ("responsible_person", row.responsible_person),
            ("remark", row.remark),
        )
        if value
    }
    if fields:
        services.item_update(
            acting_user=user, item=item, expected_version=item.version, note=note, **fields
        )
    if row.status == Status.NOT_STARTED:
        return
    if row.status == Status.ONGOING:
        services.item_mark_ongoing(
            acting_user=user,
            item=item,
            expected_version=item.version,
            note=row.status_text or "台账记为持续整改",
        )
        return
    services.item_start(acting_user=user, item=item, expected_version=item.version)
    if row.status == Status.SIGNOFF_REQUESTED:
        services.item_request_signoff(
            acting_user=user,
            item=item,
            expected_version=item.version,
            note=f"台账记为“{row.status_text}”，请上级核实销号",
        )
