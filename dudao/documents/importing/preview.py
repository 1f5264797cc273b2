"""report_import_preview: read a file and work out, without writing anything, what
importing it into a round for a region would change."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
from collections.abc import Mapping
from typing import Any

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.importing.matching import Candidate, match_statements
from dudao.documents.importing.plan import (
    CLOSE,
    EXACT,
    HEADER_FIELDS,
    MISSING,
    NEW,
    FieldChange,
    Header,
    ImportPlan,
    ProblemPlan,
)
from dudao.documents.models import OfficialDocument, Origin
from dudao.lib import chars
from dudao.parser import (
    FEEDBACK_LETTER,
    RECTIFICATION_REPORT,
    ParseError,
    parse_text,
    report_to_dict,
)
from dudao.parser.ledger import (
    as_letter,
    is_workbook,
    read_sheets,
    read_workbook,
    sheets_text,
)
from dudao.parser.ocr import extract_with_ocr
from dudao.rectification.errors import LedgerError, NotAllowed
from dudao.rectification.models import Item, Problem, Round, Status
from dudao.regions.models import Region

KINDS = (RECTIFICATION_REPORT, FEEDBACK_LETTER)
NOT_IN_ROUND = "此问题不在本评价的问题清单中；只有评价方督导人员才能新增问题"


def check_import_allowed(user: User, rnd: Round, region: Region) -> None:
    """What is checked before the file is even read: the region belongs to the round and
    the user may import something into it."""
    if not access.rounds_visible_to(user).filter(pk=rnd.pk).exists():
        raise NotAllowed("您无权查看此评价", field="round")
    if not region.path.startswith(rnd.evaluated_region.path):
        raise LedgerError(
            f"“{region.name}”不在此评价（被评价方：{rnd.evaluated_region.name}）的范围内",
            field="region",
        )
    if not (access.can_edit_region_items(user, region) or access.can_manage_round(user, rnd)):
        raise NotAllowed(f"您不能修改{region.name}的整改任务，不能导入其报告", field="region")


def report_import_preview(
    *,
    acting_user: User,
    data: bytes,
    filename: str,
    rnd: Round,
    region: Region,
    corrections: Mapping[str, Any] | None = None,
) -> ImportPlan:
    """The plan of an import. Raises LedgerError (NotAllowed for permissions; field "file"
    with the parser's message for a file that cannot be read). Writes nothing.

    corrections: {"kind", "issuer", "doc_number", "title", "recipient": str, "date": date |
    "YYYY-MM-DD" | None, "problems": {number: {"statement", "dimension", "measures": str,
    "skip": bool}}}; any key may be left out.
    """
    check_import_allowed(acting_user, rnd, region)
    try:
        if is_workbook(data, filename):
            # an office's own 整改台账: one problem per row (parser/ledger.py)
            sheets = read_sheets(data, filename)  # once, in the bounded child process
            text, ocr_pages = sheets_text(data, filename, sheets), 0
            report = as_letter(read_workbook(data, filename, sheets))
        else:
            extracted = extract_with_ocr(data, filename)
            text, ocr_pages = extracted.text, extracted.pages
            report = parse_text(text)
    except ParseError as exc:
        raise LedgerError(exc.message, field="file") from exc
    base = _base_dict(report_to_dict(report))
    corrected = _corrected(base, corrections or {})
    kind = str(corrected["kind"])
    # The evaluator imports a feedback letter to create its problems; the region it was
    # sent to imports it to match it against the items it holds (creating nothing).
    if kind == FEEDBACK_LETTER and not (
        access.can_manage_round(acting_user, rnd)
        or access.can_edit_region_items(acting_user, region)
    ):
        raise NotAllowed(
            "只有评价方的督导人员或被通知地区的人员才能导入反馈意见（整改通知）", field="file"
        )
    if kind == RECTIFICATION_REPORT and not access.can_edit_region_items(acting_user, region):
        raise NotAllowed(f"您不能修改{region.name}的整改任务，不能导入其整改情况报告")

    items = {
        i.problem_id: i
        for i in Item.objects.filter(problem__round=rnd, region=region, unit="").select_related(
            "region"
        )
    }
    sha256 = hashlib.sha256(data).hexdigest()
    return ImportPlan(
        acting_user_id=acting_user.pk,
        data=data,
        filename=filename,
        sha256=sha256,
        rnd=rnd,
        region=region,
        corrections=corrections,
        kind=kind,
        source_text=text,
        header=_header(corrected),
        warnings=report.warnings,
        entries=_entries(acting_user, rnd, region, corrected, items),
        report=corrected,
        item_versions={i.pk: i.version for i in items.values()},
        duplicate_of=_duplicate(acting_user, rnd, region, sha256, base, corrected),
        ocr_pages=ocr_pages,
    )


def _base_dict(parsed: dict[str, object]) -> dict[str, Any]:
    """The parser's dict with each problem's dimension (its section title without 方面) and
    the numbers of the problems the clerk chose not to import: what the document keeps."""
    data: dict[str, Any] = copy.deepcopy(parsed)
    for section in data["sections"]:
        for problem in section["problems"]:
            problem["dimension"] = dimension_of(str(section["title"]))
    data["skipped"] = []
    return data


def dimension_of(section_title: str) -> str:
    """ "教育优先发展方面" -> "教育优先发展" (the ledger's dimension names)."""
    return section_title.strip().removesuffix("方面").strip()


def _corrected(base: dict[str, Any], corrections: Mapping[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    kind = corrections.get("kind")
    if kind in KINDS:
        data["kind"] = kind
    for name in HEADER_FIELDS:
        if name not in corrections:
            continue
        value = corrections[name]
        if name == "date":
            data["date"] = _iso_date(value)
        else:
            data[name] = " ".join(str(value or "").split())
    by_number = {int(k): v for k, v in (corrections.get("problems") or {}).items()}
    skipped = []
    for section in data["sections"]:
        for problem in section["problems"]:
            change = by_number.get(int(problem["number"]), {})
            for key, target in (("statement", "problem"), ("dimension", "dimension")):
                if key in change:
                    problem[target] = " ".join(str(change[key] or "").split())
            if "measures" in change:
                # browsers send a textarea's line breaks as CRLF
                measures = str(change["measures"] or "").replace("\r\n", "\n")
                problem["measures"] = measures.strip()
            if change.get("skip"):
                skipped.append(int(problem["number"]))
    data["skipped"] = skipped
    return data


def _iso_date(value: object) -> str | None:
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise LedgerError("成文日期格式应为 2024-05-28", field="date") from exc


def _header(data: Mapping[str, Any]) -> Header:
    date = data.get("date")
    return Header(
        issuer=str(data.get("issuer") or ""),
        doc_number=str(data.get("doc_number") or ""),
        title=str(data.get("title") or ""),
        recipient=str(data.get("recipient") or ""),
        date=datetime.date.fromisoformat(date) if date else None,
    )


def _entries(
    user: User, rnd: Round, region: Region, data: Mapping[str, Any], items: dict[int, Item]
) -> tuple[ProblemPlan, ...]:
    problems = {p.pk: p for p in Problem.objects.filter(round=rnd)}
    parsed = [(s, p) for s in data["sections"] for p in s["problems"]]
    matches = match_statements(
        [(str(p["dimension"]), str(p["problem"])) for _, p in parsed],
        [Candidate(p.pk, p.dimension, p.statement) for p in problems.values()],
    )
    can_manage = access.can_manage_round(user, rnd)
    can_assign = access.can_assign_to(user, rnd, region)
    feedback = data["kind"] == FEEDBACK_LETTER
    skipped_numbers = set(data["skipped"])
    entries = []
    for (section, p), match in zip(parsed, matches, strict=True):
        entry = ProblemPlan(
            number=int(p["number"]),
            label=str(p["label"]),
            section=str(section["title"]),
            statement=str(p["problem"]),
            dimension=str(p["dimension"]),
            measures=str(p["measures"]),
            facts=tuple(p["facts"]),
            match=NEW if can_manage else MISSING,
        )
        if match is not None:
            entry = _with(
                entry,
                match=EXACT if match.exact else CLOSE,
                ratio=match.ratio,
                problem=problems[match.pk],
            )
        if entry.number in skipped_numbers:
            entries.append(_with(entry, skipped="已选择不导入此问题", skipped_by_user=True))
            continue
        entries.append(_plan_one(entry, user, region, items, can_manage, can_assign, feedback))
    return tuple(entries)


def _with(entry: ProblemPlan, **values: Any) -> ProblemPlan:
    return dataclasses.replace(entry, **values)


def _plan_one(
    entry: ProblemPlan,
    user: User,
    region: Region,
    items: dict[int, Item],
    can_manage: bool,
    can_assign: bool,
    feedback: bool,
) -> ProblemPlan:
    if not entry.statement:
        return _with(entry, skipped="问题描述为空，请填写或选择不导入")
    for what, text in (("问题描述", entry.statement), ("整改情况", entry.measures)):
        if len(text) > chars.MAX_LONG_TEXT:
            return _with(
                entry,
                skipped=f"{what}长达{len(text)}字，超过系统上限（{chars.MAX_LONG_TEXT}字），"
                "请在预览中精简或选择不导入",
            )
    if entry.problem is None:
        if not can_manage:
            return _with(entry, skipped=NOT_IN_ROUND)
        if not entry.dimension:
            return _with(entry, skipped="请填写此问题所属维度")
        entry = _with(entry, create_problem=True)
    item = items.get(entry.problem.pk) if entry.problem is not None else None
    if item is None:
        if not can_assign:
            return _with(entry, skipped=f"此问题尚未分配给{region.name}，请评价方先分配整改任务")
        entry = _with(entry, create_item=True)
    else:
        entry = _with(entry, item=item)
    before = item.outcome if item is not None else ""
    after = entry.measures.strip()
    if feedback or not after or _same_text(before, after):
        return entry
    if item is not None and item.archived_at is not None:
        return _with(entry, skipped="此整改任务已撤回，未修改")
    if item is not None and item.status == Status.SIGNED_OFF:
        return _with(entry, skipped="此整改任务已销号，不覆盖其整改情况")
    if item is not None and not access.can_edit_item(user, item):
        return _with(entry, skipped="您没有修改此整改任务的权限")
    return _with(entry, changes=(FieldChange("outcome", before, after),))


def _same_text(before: str, after: str) -> bool:
    """Line breaks and spaces are not a change: a PDF keeps paragraph breaks that the same
    report as text (or as the clerk typed it) does not."""
    return "".join(before.split()) == "".join(after.split())


def _duplicate(
    user: User,
    rnd: Round,
    region: Region,
    sha256: str,
    base: Mapping[str, Any],
    corrected: Mapping[str, Any],
) -> OfficialDocument | None:
    """The document of record this very file already is, unless the clerk corrected what was
    read in a way that document does not hold. Per importing organ: the notice the city
    generated, or the copy the city imported, is not the county's import of it."""
    organs = [g.region_id for g in access.grants(user)]
    doc = (
        OfficialDocument.objects.filter(
            round=rnd,
            region=region,
            sha256=sha256,
            archived_at__isnull=True,
            origin=Origin.IMPORTED,
            created_by__memberships__region_id__in=organs,
        )
        .order_by("-version", "-id")
        .first()
    )
    if doc is None:
        return None
    if corrected == base or corrected == doc.data:
        return doc
    return None
