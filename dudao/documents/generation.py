"""Official documents generated from the ledger (公文生成).

What a document covers (`document_target`, with the access check), the defaults the clerk
starts from (`document_defaults`, including the next free 文号 of the year per 代字), and
`document_generate`, which renders the .docx with `dudao.writers`, stores it as a new
version of an OfficialDocument and writes the audit row. PDFs are converted on download
and cached by the .docx's SHA-256 (`document_pdf`), so generating stays fast and a
server without LibreOffice still produces every .docx.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from dudao import writers
from dudao.accounts import access
from dudao.accounts.models import User
from dudao.audit.models import AuditEvent
from dudao.audit.services import audit_record
from dudao.documents.models import Kind, OfficeDefaults, OfficialDocument, Origin, next_version
from dudao.lib.files import store_file
from dudao.lib.zh import format_cn_date, format_doc_number
from dudao.rectification.models import Item, Round, Status
from dudao.regions.models import Region

GENERATED_KINDS = (Kind.RECTIFICATION_REPORT, Kind.FEEDBACK_LETTER, Kind.SUMMARY_REPORT)
SHORT_NAMES = {
    Kind.RECTIFICATION_REPORT: "整改情况报告",
    Kind.FEEDBACK_LETTER: "整改通知",
    Kind.SUMMARY_REPORT: "整改汇总报告",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_LIBREOFFICE = "本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版（.docx）"

# 代字〔2024〕17号; also accepted as typed with [] 【】 () （） around the year.
_DOC_NUMBER = re.compile(
    r"^(?P<code>[^〔\[［【(（]+)[〔\[［【(（]\s*(?P<year>\d{4})\s*[〕\]］】)）]\s*"
    r"(?P<seq>\d{1,6})\s*号$"
)


class DocumentError(Exception):
    """A document that cannot be generated as asked; `message` is Chinese, `field` names
    the form field it belongs to."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class DocumentInputs:
    """What the clerk fills in; every field has a default from `document_defaults`."""

    issuer: str
    doc_number: str
    title: str
    recipient: str
    date: datetime.date
    preamble: str
    closing: str = ""
    # 附注 (联系人、电话), 抄送, and for a notice the date by which to report back.
    contact: str = ""
    phone: str = ""
    copy_to: str = ""
    report_by: datetime.date | None = None


@dataclass(frozen=True)
class DocumentTarget:
    """A document to generate: its kind, round and region and the items it covers (for a
    summary, the items of every county under the region)."""

    kind: str
    round: Round
    region: Region
    items: tuple[Item, ...]


# --- what a document covers ------------------------------------------------------------


def document_target(user: User | None, rnd: Round, region: Region, kind: str) -> DocumentTarget:
    """The items of `region` in `rnd`, after checking `user` may generate this kind.

    A county officer (or a supervisor over the county) generates the county's report; a
    supervisor of a higher level generates the feedback letter to a county and the summary
    of the counties under it. None (the command line without --user) skips the checks.
    Raises Http404 for a region the user cannot see, AccessDenied for a user who may not
    generate, DocumentError when there is nothing to put in the document.
    """
    if kind not in GENERATED_KINDS:
        raise DocumentError("只能生成整改情况报告、整改通知或汇总报告", field="kind")
    if user is not None and not access.can_see_region(user, region):
        raise Http404("地区不存在")
    if kind == Kind.SUMMARY_REPORT and not region.children.exists():
        # A county has no counties under it: a "summary" of one would be nonsense
        # ("绥滨县组织各县（市、区）…").
        raise DocumentError(
            f"{region.name}没有下级地区，不能生成汇总报告；请为{region.name}生成整改通知。",
            field="region",
        )
    base = Item.objects.active() if user is None else access.items_visible_to(user)
    items = base.filter(problem__round=rnd).select_related("problem", "region__parent", "parent")
    if kind == Kind.SUMMARY_REPORT:
        # Built from the regions below: the region's own items are what it dispatched.
        items = items.filter(region__path__startswith=region.path).exclude(region=region)
    else:
        items = items.filter(region=region)
    found = tuple(items.order_by("region__code", "problem__order", "problem_id"))
    if user is not None:
        _check_may_generate(user, kind, region, found)
    if not found:
        raise DocumentError(f"{region.name}在本评价中没有整改任务，无法生成公文。")
    return DocumentTarget(kind=kind, round=rnd, region=region, items=found)


def _check_may_generate(user: User, kind: str, region: Region, items: Sequence[Item]) -> None:
    if kind == Kind.RECTIFICATION_REPORT:
        if not items or not all(access.can_edit_item(user, i) for i in items):
            raise access.AccessDenied(
                f"只有{region.name}的经办人或其上级督导人员才能生成{region.name}的整改情况报告"
            )
    elif not items or not all(access.can_sign_off(user, i) for i in items):
        raise access.AccessDenied("只有上级督导人员才能生成整改通知和汇总报告")


def children_outcomes(items: Sequence[Item]) -> dict[int, str]:
    """For each item with no outcome of its own, its children's outcomes, one line per
    child ("绥滨县：……"): a parent's 整改情况 draws on what the regions below it did.
    One query."""
    empty = [i.pk for i in items if not i.outcome.strip()]
    if not empty:
        return {}
    lines: dict[int, list[str]] = {}
    children = (
        Item.objects.active()
        .filter(parent_id__in=empty)
        .exclude(outcome="")
        .select_related("region")
        .order_by("region__code", "unit", "id")
    )
    for child in children:
        assert child.parent_id is not None
        lines.setdefault(child.parent_id, []).append(f"{child.holder}：{child.outcome.strip()}")
    return {pk: "\n".join(rows) for pk, rows in lines.items()}


def report_sections(
    items: Sequence[Item], drawn: dict[int, str] | None = None
) -> tuple[writers.ReportSection, ...]:
    """Dimensions in the order of their first problem, `X方面` titles, problems in order.
    `drawn`: outcomes taken from an item's children where it has none (children_outcomes)."""
    groups: dict[str, list[writers.ReportProblem]] = {}
    drawn = drawn or {}
    for item in sorted(items, key=lambda i: (i.problem.order, i.problem_id)):
        groups.setdefault(item.problem.dimension, []).append(
            writers.ReportProblem(
                statement=item.problem.statement,
                outcome=item.outcome or drawn.get(item.pk, ""),
                deadline=item.deadline,
                lead_unit=item.lead_unit,
            )
        )
    return tuple(
        writers.ReportSection(title=section_title(d), problems=tuple(ps))
        for d, ps in groups.items()
    )


def section_title(dimension: str) -> str:
    dimension = dimension.strip()
    return dimension if dimension.endswith("方面") else f"{dimension}方面"


def summary_data(items: Sequence[Item], *, today: datetime.date) -> writers.SummaryData:
    """One county per responsible region (by code), its items in problem order."""
    counties: dict[int, tuple[str, list[writers.SummaryItem]]] = {}
    for item in sorted(items, key=lambda i: (i.region.code, i.problem.order, i.problem_id)):
        _, rows = counties.setdefault(item.region_id, (item.region.name, []))
        rows.append(
            writers.SummaryItem(
                dimension=item.problem.dimension,
                problem=item.problem.statement,
                status_label=item.get_status_display(),
                deadline=item.deadline,
                overdue=item.is_overdue(today),
                lead_unit=item.lead_unit,
            )
        )
    return writers.SummaryData(
        counties=tuple(writers.SummaryCounty(name, tuple(rows)) for name, rows in counties.values())
    )


# --- defaults and 文号 -----------------------------------------------------------------


def round_topic(rnd: Round) -> str:
    """ "省对鹤岗市人民政府履行教育职责评价" -> "履行教育职责评价": the evaluation without
    who evaluated whom, as letters name it."""
    title = rnd.title.strip()
    _, sep, rest = title.rpartition("人民政府")
    return rest if sep and rest else title


def _superior(target: DocumentTarget) -> Region:
    region = target.region
    if region.parent is not None and region != target.round.evaluating_region:
        return region.parent
    return target.round.evaluating_region


def _we(region: Region) -> str:
    """我县 / 我区 / 我市: how a region calls itself."""
    return "我" + (region.name[-1] if region.name else "县")


def doc_code(target: DocumentTarget) -> str:
    """The 机关代字 of the issuer: 绥政函 for 绥滨县人民政府, 鹤教督函 for 鹤岗市's 督导室."""
    if target.kind == Kind.RECTIFICATION_REPORT:
        return f"{target.region.name[:1]}政函"
    issuer = _superior(target) if target.kind == Kind.FEEDBACK_LETTER else target.region
    return office_code(issuer)


def office_code(region: Region) -> str:
    """The 机关代字 of a region's 督导室 (鹤教督函): its notices, 督办通知 and 通报 share
    one sequence of 文号 a year."""
    return f"{region.name[:1]}教督函"


def document_defaults(target: DocumentTarget, *, today: datetime.date) -> DocumentInputs:
    """What the form starts with. A new version of a document suggests its previous 文号;
    a first version the next free number of the year for the issuer's 代字."""
    rnd, region = target.round, target.region
    topic = f"{rnd.year}年{round_topic(rnd)}"
    if target.kind == Kind.RECTIFICATION_REPORT:
        issuer = f"{region.name}人民政府"
        received = received_notice(target)
        if received is not None:
            # The reply answers the letter received: addressed to its issuer, citing it.
            recipient = received.issuer or f"{_superior(target).name}人民政府教育督导室"
            cited = cite(received)
        else:
            recipient = f"{_superior(target).name}人民政府教育督导委员会"
            cited = (
                f"《{_superior(target).name}人民政府教育督导室关于{rnd.year}年{rnd.title}"
                "反馈意见问题整改工作提示》"
            )
        title = f"{issuer}关于{topic}中存在问题整改情况报告的函"
        preamble = (
            f"按照{cited}要求，{_we(region)}高度重视，加强统筹协调，严格安排部署，"
            "明确职责任务，认真梳理剖析，逐项落实整改。"
            f"现将{_we(region)}落实履行教育职责督导整改情况报告如下："
        )
    elif target.kind == Kind.FEEDBACK_LETTER:
        issuer = f"{_superior(target).name}人民政府教育督导室"
        recipient = f"{region.name}人民政府"
        title = f"{issuer}关于{region.name}{topic}反馈问题整改工作的函"
        preamble = (
            f"根据{rnd.year}年{rnd.title}反馈意见，现将{region.name}存在的问题反馈如下。"
            "请高度重视，对照问题逐项制定整改措施，明确责任单位和整改时限，按期完成整改，"
            f"并将整改情况书面报送{issuer}。"
        )
    else:
        issuer = f"{region.name}人民政府教育督导室"
        recipient = f"{_superior(target).name}人民政府教育督导委员会"
        title = f"{issuer}关于{topic}反馈问题整改情况的汇总报告"
        preamble = (
            f"根据{rnd.year}年{rnd.title}反馈意见，{region.name}组织各县（市、区）逐项落实整改。"
            f"现将截至{format_cn_date(today)}的整改情况汇总报告如下："
        )
    previous = _versions(target).exclude(doc_number="").order_by("-version").first()
    if previous is not None and doc_number_year(previous.doc_number) == today.year:
        number = previous.doc_number
    else:  # a 文号's year is its 成文日期's: a new year starts the organ's new sequence
        number = next_doc_number(doc_code(target), today.year)
    inputs = DocumentInputs(
        issuer=issuer,
        doc_number=number,
        title=title,
        recipient=recipient,
        date=today,
        preamble=preamble,
    )
    office = OfficeDefaults.objects.filter(region=_issuing_region(target), issuer=issuer).first()
    if office is not None:
        inputs = replace(
            inputs,
            contact=office.contact,
            phone=office.phone,
            copy_to=office.copy_to,
            recipient=office.recipient or recipient,
            closing=office.closing if target.kind == Kind.RECTIFICATION_REPORT else "",
        )
    return inputs


def received_notice(target: DocumentTarget) -> OfficialDocument | None:
    """The latest notice or feedback letter the region received in the round (generated by
    the sender in Dudao, or imported by the region itself), which its report answers."""
    return (
        OfficialDocument.objects.filter(
            kind=Kind.FEEDBACK_LETTER,
            round=target.round,
            region=target.region,
            archived_at__isnull=True,
        )
        .order_by("-date", "-version", "-id")
        .first()
    )


def cite(document: OfficialDocument) -> str:
    """《title》（文号）, as a reply cites the letter it answers."""
    title = f"《{document.title or document.original_name}》"
    return f"{title}（{document.doc_number}）" if document.doc_number else title


def doc_number_year(number: str) -> int | None:
    """The year in a 文号, or None when it does not read as one.

    >>> doc_number_year("绥政函〔2024〕17号")
    2024
    """
    match = _DOC_NUMBER.match(number.strip())
    return int(match["year"]) if match else None


@dataclass(frozen=True)
class ItemWarning:
    """Items a report would print in a state the clerk should know of before generating."""

    message: str
    items: tuple[Item, ...]


def document_warnings(target: DocumentTarget) -> tuple[ItemWarning, ...]:
    """Before a report is generated: items with no outcome (the letter would print an empty
    整改情况), items sent back and not revised since, items not signed off."""
    if target.kind != Kind.RECTIFICATION_REPORT:
        return ()
    items = target.items
    drawn = children_outcomes(items)
    empty = tuple(i for i in items if not i.outcome.strip() and i.pk not in drawn)
    sent_back = _sent_back_unrevised(items)
    open_ = tuple(i for i in items if i.status != Status.SIGNED_OFF)
    warnings = []
    if empty:
        warnings.append(ItemWarning(f"{len(empty)} 个问题尚未填写整改情况", empty))
    if sent_back:
        warnings.append(ItemWarning(f"{len(sent_back)} 个问题被退回后尚未修改", sent_back))
    if open_:
        warnings.append(ItemWarning(f"{len(open_)} 个问题尚未销号", open_))
    return tuple(warnings)


def _sent_back_unrevised(items: Sequence[Item]) -> tuple[Item, ...]:
    """Items whose last send-back has no edit of the item after it."""
    last: dict[int, str] = {}
    events = (
        AuditEvent.objects.filter(
            item__in=[i.pk for i in items], action__in=["item_send_back", "item_update"]
        )
        .order_by("at", "id")
        .values_list("item_id", "action")
    )
    for item_id, action in events:
        last[item_id] = action
    return tuple(i for i in items if last.get(i.pk) == "item_send_back")


def next_doc_number(code: str, year: int) -> str:
    """The next free 文号 of the year for a 代字: the largest number in use plus one.

    >>> next_doc_number("绥政函", 2024)  # doctest: +SKIP
    '绥政函〔2024〕18号'
    """
    used = OfficialDocument.objects.filter(doc_number__startswith=f"{code}〔{year}〕")
    largest = 0
    for number in used.values_list("doc_number", flat=True):
        match = _DOC_NUMBER.match(number)
        if match and match["code"] == code and int(match["year"]) == year:
            largest = max(largest, int(match["seq"]))
    return format_doc_number(code, year, largest + 1)


def normalize_doc_number(text: str) -> str:
    """Spaces, half-width brackets and leading zeros as typed -> 绥政函〔2024〕7号."""
    text = text.strip()
    match = _DOC_NUMBER.match(text)
    if match is None:
        return text
    return format_doc_number(match["code"].strip(), int(match["year"]), int(match["seq"]))


def _versions(target: DocumentTarget) -> QuerySet[OfficialDocument]:
    return OfficialDocument.objects.filter(
        kind=target.kind, round=target.round, region=target.region
    )


# --- generating ------------------------------------------------------------------------


def _render(target: DocumentTarget, inputs: DocumentInputs, head: writers.LetterHead) -> bytes:
    if target.kind == Kind.RECTIFICATION_REPORT:
        sections = report_sections(target.items, children_outcomes(target.items))
        return writers.render_rectification_report(
            head, inputs.preamble, sections, inputs.closing or None
        )
    if target.kind == Kind.FEEDBACK_LETTER:
        return writers.render_feedback_letter(
            head, inputs.preamble, report_sections(target.items), report_by=inputs.report_by
        )
    return writers.render_summary_report(
        head, inputs.preamble, summary_data(target.items, today=inputs.date)
    )


def _clean(inputs: DocumentInputs) -> DocumentInputs:
    values: dict[str, Any] = {
        k: (v.strip() if isinstance(v, str) else v) for k, v in asdict(inputs).items()
    }
    values["doc_number"] = normalize_doc_number(values["doc_number"])
    year = doc_number_year(values["doc_number"])
    if year is not None and year != values["date"].year:
        raise DocumentError(
            f"文号的年份（{year}）应与成文日期的年份（{values['date'].year}）一致",
            field="doc_number",
        )
    for field, label in (
        ("issuer", "发文机关"),
        ("doc_number", "文号"),
        ("title", "标题"),
        ("recipient", "主送机关"),
    ):
        if not values[field]:
            raise DocumentError(f"请填写{label}", field=field)
    return DocumentInputs(**values)


@transaction.atomic
def document_generate(
    *, acting_user: User | None, target: DocumentTarget, inputs: DocumentInputs
) -> OfficialDocument:
    """Render the document and keep it as the next version of (kind, round, region).

    A 文号 already used by another document is refused; a new version of the same document
    may keep its 文号.
    """
    inputs = _clean(inputs)
    taken = (
        OfficialDocument.objects.filter(doc_number=inputs.doc_number)
        .exclude(kind=target.kind, round=target.round, region=target.region)
        .first()
    )
    if taken is not None:
        message = _clash_message(acting_user, target, inputs.doc_number, taken)
        raise DocumentError(message, field="doc_number")
    try:
        data = _render(target, inputs, _head(inputs))
    except writers.WriterError as exc:
        raise DocumentError(exc.message) from exc
    document = _keep_generated(
        acting_user=acting_user,
        kind=target.kind,
        rnd=target.round,
        region=target.region,
        inputs=inputs,
        data=data,
        name=SHORT_NAMES[Kind(target.kind)],
        record=_record(target, inputs),
    )
    _remember_office(target, inputs)
    return document


def _keep_generated(
    *,
    acting_user: User | None,
    kind: str,
    rnd: Round,
    region: Region,
    inputs: DocumentInputs,
    data: bytes,
    name: str,
    record: dict[str, Any],
) -> OfficialDocument:
    """A generated .docx stored and kept as the next version of (kind, round, region),
    audited."""
    version = next_version(kind, rnd, region)
    stored = store_file(f"documents/{inputs.date:%Y}", data, "docx")
    document = OfficialDocument.objects.create(
        kind=kind,
        origin=Origin.GENERATED,
        round=rnd,
        region=region,
        issuer=inputs.issuer,
        doc_number=inputs.doc_number,
        title=inputs.title,
        recipient=inputs.recipient,
        date=inputs.date,
        version=version,
        stored_name=stored.name,
        original_name=f"{region.name}{name}（{inputs.doc_number}，第{version}版）.docx",
        sha256=stored.sha256,
        size=stored.size,
        content_type=DOCX_TYPE,
        data=record,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="document_generate",
        target_type="document",
        target_id=document.pk,
        region=region,
        changes={"doc_number": ("", inputs.doc_number), "version": (None, version)},
        note=inputs.title,
    )
    return document


SUPERVISION_NAMES = {Kind.DUBAN: "督办通知", Kind.TONGBAO: "通报"}


@transaction.atomic
def supervision_document_generate(
    *,
    acting_user: User | None,
    kind: str,
    rnd: Round,
    region: Region,
    office: Region,
    inputs: DocumentInputs,
    items: Sequence[Item],
    render: Callable[[writers.LetterHead, DocumentInputs], bytes],
) -> OfficialDocument:
    """A 督办通知 (`region`: the region it is sent to) or a 通报 (`region`: the office's own)
    of the supervising `office`, kept as the next version of (kind, round, region) like
    every generated document. An empty 文号 takes the next free one of the office's 代字
    for the year of the document's date; the office's 附注 contact and 抄送 are put around
    it. The caller checks who may issue it; `render` writes the body from the inputs."""
    if kind not in SUPERVISION_NAMES:
        raise DocumentError("只能生成督办通知或通报", field="kind")
    code = office_code(office)
    saved = OfficeDefaults.objects.filter(region=office, issuer=inputs.issuer).first()
    if saved is not None:
        inputs = replace(
            inputs,
            contact=inputs.contact or saved.contact,
            phone=inputs.phone or saved.phone,
            copy_to=inputs.copy_to or saved.copy_to,
        )
    if not inputs.doc_number.strip():
        inputs = replace(inputs, doc_number=next_doc_number(code, inputs.date.year))
    inputs = _clean(inputs)
    taken = OfficialDocument.objects.filter(doc_number=inputs.doc_number).first()
    if taken is not None:
        year = doc_number_year(inputs.doc_number) or inputs.date.year
        raise DocumentError(
            f"文号“{inputs.doc_number}”已被其他公文使用，请改用其他文号"
            f"（可用：{next_doc_number(code, year)}）。",
            field="doc_number",
        )
    try:
        data = render(_head(inputs), inputs)
    except writers.WriterError as exc:
        raise DocumentError(exc.message) from exc
    record = _inputs_record(inputs, items)
    record["regions"] = sorted({i.region.code for i in items})
    document = _keep_generated(
        acting_user=acting_user,
        kind=kind,
        rnd=rnd,
        region=region,
        inputs=inputs,
        data=data,
        name=SUPERVISION_NAMES[Kind(kind)],
        record=record,
    )
    return document


def contact_note(inputs: DocumentInputs) -> str:
    """The 附注: 联系人：王建国，电话：0468-6121234 (either part alone when one is empty)."""
    parts = [f"联系人：{inputs.contact}" if inputs.contact else ""]
    parts.append(f"电话：{inputs.phone}" if inputs.phone else "")
    return "，".join(p for p in parts if p)


def _issuing_region(target: DocumentTarget) -> Region:
    """The region of the office that signs: the county for its report, the superior for
    a notice to a county, the region itself for its summary."""
    return _superior(target) if target.kind == Kind.FEEDBACK_LETTER else target.region


def _remember_office(target: DocumentTarget, inputs: DocumentInputs) -> None:
    """Keep what this office put around its letter for its next one (part of the audited
    generation that calls it)."""
    values = {
        "contact": inputs.contact,
        "phone": inputs.phone,
        "recipient": inputs.recipient,
        "copy_to": inputs.copy_to,
    }
    if target.kind == Kind.RECTIFICATION_REPORT:
        values["closing"] = inputs.closing
    OfficeDefaults.objects.update_or_create(
        region=_issuing_region(target), issuer=inputs.issuer, defaults=values
    )


def _clash_message(
    user: User | None, target: DocumentTarget, number: str, taken: OfficialDocument
) -> str:
    """Why the 文号 is refused, naming only what the user may see: the other document's title
    if it is about a region the user sees, and the next free number only of the issuer's
    own 代字 or of a document the user sees (otherwise it would tell a neighbouring county
    how many letters another county has sent this year)."""
    # No user: the command line without --user, run by whoever runs the server.
    visible = user is None or documents_visible_to(user).filter(pk=taken.pk).exists()
    what = f"《{taken.title or taken.original_name}》" if visible else "其他公文"
    match = _DOC_NUMBER.match(number)
    suggestion = ""
    if match is not None and (visible or match["code"].strip() == doc_code(target)):
        suggestion = f"（可用：{next_doc_number(match['code'].strip(), int(match['year']))}）"
    return f"文号“{number}”已被{what}使用，请改用其他文号{suggestion}。"


def _head(inputs: DocumentInputs) -> writers.LetterHead:
    return writers.LetterHead(
        issuer=inputs.issuer,
        doc_number=inputs.doc_number,
        title=inputs.title,
        recipient=inputs.recipient,
        date=inputs.date,
        contact=contact_note(inputs),
        copy_to=inputs.copy_to,
    )


def _inputs_record(inputs: DocumentInputs, items: Sequence[Item]) -> dict[str, Any]:
    """The inputs as JSON, and which item versions the document was written from."""
    record: dict[str, Any] = {
        k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in asdict(inputs).items()
    }
    record["items"] = [[i.pk, i.version] for i in items]
    return record


def _record(target: DocumentTarget, inputs: DocumentInputs) -> dict[str, Any]:
    """The inputs as JSON, which item versions the document was written from, and what
    its sections held."""
    record = _inputs_record(inputs, target.items)
    if target.kind == Kind.SUMMARY_REPORT:
        record["counties"] = sorted({i.region.name for i in target.items})
    else:
        record["sections"] = [
            {"title": s.title, "problems": [p.statement for p in s.problems]}
            for s in report_sections(target.items)
        ]
    return record


# --- reading back ----------------------------------------------------------------------


def documents_visible_to(user: User | AnonymousUser) -> QuerySet[OfficialDocument]:
    """Documents about a region the user sees (and those without a region the user made)."""
    visible = Q(region__in=access.regions_visible_to(user))
    if isinstance(user, User):
        visible |= Q(region__isnull=True, created_by=user)
    return OfficialDocument.objects.filter(visible, archived_at__isnull=True)


def document_for_user(user: User | AnonymousUser, document_id: int) -> OfficialDocument:
    try:
        return documents_visible_to(user).get(pk=document_id)
    except OfficialDocument.DoesNotExist as exc:
        raise Http404("公文不存在") from exc


def pdf_available() -> bool:
    return writers.libreoffice_path() is not None


def document_pdf(document: OfficialDocument) -> bytes:
    """The document as PDF, converted once and then kept under the .docx's SHA-256."""
    if not pdf_available():
        raise DocumentError(NO_LIBREOFFICE)
    cached = f"documents/pdf/{document.sha256}.pdf"
    if default_storage.exists(cached):
        with default_storage.open(cached, "rb") as handle:
            cached_pdf: bytes = handle.read()
        return cached_pdf
    try:
        pdf = writers.docx_to_pdf(document_bytes(document))
    except writers.WriterError as exc:
        raise DocumentError(exc.message) from exc
    default_storage.save(cached, ContentFile(pdf))
    return pdf


def document_bytes(document: OfficialDocument) -> bytes:
    with default_storage.open(document.stored_name, "rb") as handle:
        data: bytes = handle.read()
    return data


# --- demo ------------------------------------------------------------------------------


def demo_documents(say: Callable[[str], object]) -> None:
    """`dudao demo`: the chain's two hand-offs to and from 绥滨县 — the city's notice
    (鹤教督函〔2024〕3号) and the county's reply citing it (绥政函〔2024〕17号), so the
    documents page has documents to download straight away. Does nothing when they are
    already there."""
    from dudao.rectification.demo import ROUND_TITLE, SUIBIN

    rnd = Round.objects.filter(title=ROUND_TITLE, year=2023).first()
    region = Region.objects.filter(code=SUIBIN).first()
    clerk = User.objects.filter(username="suibin").first()
    city = User.objects.filter(username="hegang").first()
    if rnd is None or region is None or clerk is None or city is None:
        return
    if OfficialDocument.objects.filter(
        kind=Kind.RECTIFICATION_REPORT, round=rnd, region=region
    ).exists():
        return
    notice_target = document_target(city, rnd, region, Kind.FEEDBACK_LETTER)
    sent = datetime.date(2024, 3, 1)
    notice = document_generate(
        acting_user=city,
        target=notice_target,
        inputs=replace(
            document_defaults(notice_target, today=sent),
            doc_number=format_doc_number("鹤教督函", 2024, 3),
        ),
    )
    say(f"已生成演示公文：{notice.doc_number}《{notice.title}》")
    target = document_target(clerk, rnd, region, Kind.RECTIFICATION_REPORT)
    day = datetime.date(2024, 5, 28)
    inputs = replace(
        document_defaults(target, today=day), doc_number=format_doc_number("绥政函", 2024, 17)
    )
    document = document_generate(acting_user=clerk, target=target, inputs=inputs)
    say(f"已生成演示公文：{document.doc_number}《{document.title}》（公文与台账 /documents/）")
