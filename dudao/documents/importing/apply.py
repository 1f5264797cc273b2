"""report_import_apply: carry out a plan, through the ledger's services only, and keep the
file as the document of record."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction

from dudao.accounts.models import User
from dudao.audit.services import audit_record
from dudao.documents.importing.plan import ImportPlan, ImportResult
from dudao.documents.importing.preview import report_import_preview
from dudao.documents.models import Kind, OfficialDocument, Origin, next_version
from dudao.lib.files import store_file
from dudao.parser import FEEDBACK_LETTER
from dudao.rectification import services
from dudao.rectification.errors import LedgerError, StaleEdit
from dudao.rectification.models import Item, Problem, Round, Source

CONTENT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def report_import_apply(
    *,
    acting_user: User,
    plan: ImportPlan,
    expected_versions: Mapping[int, int] | None = None,
) -> ImportResult:
    """Apply `plan` (from report_import_preview with the same user). The plan is worked out
    again from its inputs inside the transaction; if an item it would change was saved by
    someone since `expected_versions` (default: the plan's own) were read, StaleEdit is
    raised and nothing is written. A plan with nothing to change writes nothing at all."""
    if acting_user.pk != plan.acting_user_id:
        raise LedgerError("预览与导入必须由同一用户完成")
    versions = plan.item_versions if expected_versions is None else expected_versions
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _apply(acting_user, plan, versions, stored)
    except BaseException:
        for name in stored:  # the database rolled back: do not leave an orphan file
            default_storage.delete(name)
        raise


def _apply(
    user: User, previewed: ImportPlan, versions: Mapping[int, int], stored: list[str]
) -> ImportResult:
    # One import per round at a time: two clerks confirming the same feedback letter at
    # once must not both create its problems (PostgreSQL; SQLite serialises writers anyway).
    list(Round.objects.select_for_update().filter(pk=previewed.rnd.pk).values_list("pk"))
    plan = report_import_preview(
        acting_user=user,
        data=previewed.data,
        filename=previewed.filename,
        rnd=previewed.rnd,
        region=previewed.region,
        corrections=previewed.corrections,
    )
    for entry in plan.entries:
        item = entry.item
        if entry.changes and item is not None and versions.get(item.pk) != item.version:
            raise StaleEdit()
    if not plan.has_changes:
        return ImportResult(
            plan=plan, document=None, problems_created=(), items_created=(), items_updated=()
        )

    problems_created: list[Problem] = []
    items_created: list[Item] = []
    items_updated: list[Item] = []
    by_number: dict[int, Item] = {e.number: e.item for e in plan.entries if e.item is not None}
    for entry in plan.entries:
        if entry.skipped or not entry.has_changes:
            continue
        problem = entry.problem
        if entry.create_problem:
            problem = services.problem_add(
                acting_user=user,
                rnd=plan.rnd,
                dimension=entry.dimension,
                statement=entry.statement,
                source=Source.IMPORTED,
            )
            problems_created.append(problem)
        assert problem is not None
        item = entry.item
        if entry.create_item:
            (item,) = services.items_assign(
                acting_user=user,
                rnd=plan.rnd,
                problems=[problem],
                regions=[plan.region],
                deadline=None,
            )
            items_created.append(item)
        assert item is not None
        by_number[entry.number] = item
        if entry.changes:
            services.item_update(
                acting_user=user,
                item=item,
                expected_version=item.version,
                note=f"导入报告文件：{plan.filename}",
                **{c.field: c.after for c in entry.changes},
            )
            items_updated.append(item)
    document = store_document(user, plan, stored)
    return ImportResult(
        plan=plan,
        document=document,
        problems_created=tuple(problems_created),
        items_created=tuple(items_created),
        items_updated=tuple(items_updated),
        items_by_number=by_number,
    )


def store_document(user: User, plan: ImportPlan, stored: list[str]) -> OfficialDocument:
    """The file as the document of record: a new version for its kind, round and region.
    Stored under a generated name, never the clerk's file name."""
    kind = Kind.FEEDBACK_LETTER if plan.kind == FEEDBACK_LETTER else Kind.RECTIFICATION_REPORT
    extension = PurePath(plan.filename).suffix.lower().lstrip(".")
    if extension not in CONTENT_TYPES:
        extension = "txt"
    saved = store_file(f"documents/{plan.rnd.year}", plan.data, extension)
    stored.append(saved.name)
    header = plan.header
    document = OfficialDocument.objects.create(
        kind=kind,
        origin=Origin.IMPORTED,
        round=plan.rnd,
        region=plan.region,
        issuer=header.issuer[:100],
        doc_number=header.doc_number[:64],
        title=header.title[:300],
        recipient=header.recipient[:200],
        date=header.date,
        version=next_version(kind, plan.rnd, plan.region),
        stored_name=saved.name,
        original_name=PurePath(plan.filename).name[:255],
        sha256=saved.sha256,
        size=saved.size,
        content_type=CONTENT_TYPES[extension],
        data=dict(plan.report),
        created_by=user,
    )
    audit_record(
        actor=user,
        action="document_import",
        target_type="document",
        target_id=document.pk,
        region=plan.region,
        changes={"file": ("", document.original_name)},
        note=f"第 {document.version} 版；SHA-256 {plan.sha256}",
    )
    return document
