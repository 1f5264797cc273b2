"""What an import would do (the plan shown in the preview) and what it did (the result)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dudao.documents.models import OfficialDocument
    from dudao.rectification.models import Item, Problem, Round
    from dudao.regions.models import Region

# How a parsed problem relates to the round's problems.
EXACT = "exact"  # same statement (ignoring spaces, punctuation, full/half width)
CLOSE = "close"  # nearly the same statement, same dimension
NEW = "new"  # not in the round: the import creates it
MISSING = "missing"  # not in the round, and this user may not create it

HEADER_FIELDS = ("issuer", "doc_number", "title", "recipient", "date")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ProblemPlan:
    """One parsed problem (after the clerk's corrections) and what the import does with it."""

    number: int
    label: str
    section: str
    statement: str
    dimension: str
    measures: str
    facts: tuple[Mapping[str, Any], ...]
    match: str
    problem: Problem | None = None
    ratio: float = 0.0
    create_problem: bool = False
    item: Item | None = None
    create_item: bool = False
    changes: tuple[FieldChange, ...] = ()
    # Why this problem changes nothing although it would have (skipped by the clerk,
    # signed off, not assigned to the region, …); empty when there is nothing to say.
    skipped: str = ""
    skipped_by_user: bool = False

    @property
    def has_changes(self) -> bool:
        return self.create_problem or self.create_item or bool(self.changes)

    @property
    def match_label(self) -> str:
        if self.match == EXACT:
            return "与台账中的问题一致"
        if self.match == CLOSE:
            return f"与台账中的问题相近（相似度 {self.ratio:.0%}）"
        if self.match == NEW:
            return "新问题"
        return "台账中没有此问题"


@dataclass(frozen=True)
class Header:
    issuer: str
    doc_number: str
    title: str
    recipient: str
    date: datetime.date | None


@dataclass(frozen=True)
class ImportPlan:
    """Computed by `report_import_preview`; `report_import_apply` recomputes it from the same
    inputs inside its transaction and refuses if an item changed in between."""

    acting_user_id: int
    data: bytes
    filename: str
    sha256: str
    rnd: Round
    region: Region
    corrections: Mapping[str, Any] | None
    kind: str  # "rectification_report" or "feedback_letter" (as read, or corrected)
    source_text: str
    header: Header
    warnings: tuple[str, ...]
    entries: tuple[ProblemPlan, ...]
    # What the document of record would hold: the parser's dict with the corrections.
    report: Mapping[str, Any]
    # Version of every item of the region in the round when the plan was made.
    item_versions: Mapping[int, int] = field(default_factory=dict)
    duplicate_of: OfficialDocument | None = None
    # pages read through OCR (a scan without a text layer); 0 for a file with text
    ocr_pages: int = 0

    @property
    def has_changes(self) -> bool:
        return self.duplicate_of is None and any(e.has_changes for e in self.entries)

    @property
    def is_feedback(self) -> bool:
        return self.kind == "feedback_letter"

    @property
    def counts(self) -> dict[str, int]:
        live = [] if self.duplicate_of is not None else self.entries
        return {
            "problems": len(self.entries),
            "new_problems": sum(e.create_problem for e in live),
            "new_items": sum(e.create_item for e in live),
            "changed_items": sum(bool(e.changes) for e in live),
            "changed_fields": sum(len(e.changes) for e in live),
            "skipped": sum(bool(e.skipped) for e in self.entries),
        }

    @property
    def notice(self) -> str:
        """One sentence for the top of the preview and the command line."""
        if self.duplicate_of is not None:
            doc = self.duplicate_of
            when = doc.created_at.date().isoformat() if doc.created_at else ""
            name = doc.doc_number or doc.title or doc.original_name
            return f"此文件已导入过（{name}，第 {doc.version} 版，{when} 导入），没有需要更新的内容"
        if not self.has_changes:
            return "没有需要更新的内容"
        c = self.counts
        parts = []
        if c["new_problems"]:
            parts.append(f"新增问题 {c['new_problems']} 个")
        if c["new_items"]:
            parts.append(f"新增整改任务 {c['new_items']} 项")
        if c["changed_items"]:
            parts.append(f"更新整改任务 {c['changed_items']} 项（{c['changed_fields']} 处内容）")
        return "将" + "，".join(parts)


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    document: OfficialDocument | None
    problems_created: tuple[Problem, ...]
    items_created: tuple[Item, ...]
    items_updated: tuple[Item, ...]
    # The item each imported problem (by its number in the report) ended up in.
    items_by_number: Mapping[int, Item] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.document is not None

    @property
    def summary(self) -> str:
        if self.document is None:
            return self.plan.notice
        parts = [f"已保存文件（第 {self.document.version} 版）"]
        if self.problems_created:
            parts.append(f"新增问题 {len(self.problems_created)} 个")
        if self.items_created:
            parts.append(f"新增整改任务 {len(self.items_created)} 项")
        if self.items_updated:
            parts.append(f"更新整改任务 {len(self.items_updated)} 项")
        return "导入完成：" + "，".join(parts)
