"""督查督办 pages. Thin: access check, input, one service call, render."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dudao.accounts import access
from dudao.accounts import services as accounts
from dudao.accounts.forms import EmailForm
from dudao.accounts.models import User
from dudao.documents import generation
from dudao.rectification import services as ledger
from dudao.rectification.errors import LedgerError
from dudao.rectification.models import Evidence, Item
from dudao.supervision import overview as board
from dudao.supervision import selectors, services
from dudao.supervision.calendar import work_calendar
from dudao.supervision.models import (
    Colour,
    Extension,
    HolidayDay,
    Kind,
    Notification,
    Preference,
    RoundSchedule,
    SupervisionDocument,
    WarningPolicy,
)
from dudao.supervision.notify import mark_read
from dudao.supervision.workdays import SOURCE_LABELS

PAGE_SIZE = 50
AWAITING_PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = default
    return HttpResponseRedirect(target)


def _selected(request: HttpRequest) -> list[Item]:
    ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()][
        : services.MAX_SELECTION + 1
    ]
    return list(
        access.items_visible_to(_user(request))
        .filter(pk__in=ids)
        .select_related("problem__round", "region__parent")
        .order_by("region__code", "problem__order", "id")
    )


def _date(raw: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise LedgerError(f"{label}应写成 2025-10-10 这样的日期") from exc


def _run(request: HttpRequest, default: str, call: Callable[[], str]) -> HttpResponseRedirect:
    try:
        messages.success(request, call())
    except LedgerError as exc:
        messages.error(request, exc.message)
    return _back(request, default)


# --- overview ---------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = ledger.today()
    items = access.items_visible_to(user)
    context: dict[str, Any] = {"today": today, "is_supervisor": access.is_supervisor(user)}
    supervised = [m["region"] for m in access.describe(user) if m["role"] == "supervisor"]
    if supervised:
        region = supervised[0]
        code = request.GET.get("region", "")
        chosen = next((r for r in supervised if r.code == code), region)
        tree = board.subtree(chosen)
        dimensions, rows = board.matrix(items, tree, today)
        weeks, trend_weeks, trend = board.sign_offs(tree, rows, today)
        awaiting = board.awaiting(user, request.GET.get("awaiting_region", ""))
        page = Paginator(awaiting, AWAITING_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            region=chosen,
            supervised=supervised,
            dimensions=dimensions,
            rows=rows,
            near=board.coloured(items, Colour.BLUE),
            late=board.coloured(items, Colour.RED),
            awaiting=page,
            awaiting_region=request.GET.get("awaiting_region", ""),
            awaiting_regions=tree.units,
            weeks=weeks,
            chart_width=board.WEEKS * board.BAR_STEP,
            trend_weeks=trend_weeks,
            trend=trend,
        )
    else:
        context.update(board.officer_view(user))
    return render(request, "supervision/overview.html", context)


# --- inbox and preferences ---------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = (
        Notification.objects.filter(user=_user(request), in_app=True)
        .select_related("item")
        .order_by("-created_at", "-id")
    )
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/inbox.html", {"page": page, "kinds": dict(Kind.choices)})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    n = mark_read(user=_user(request), notification_ids=ids or None)
    messages.success(request, f"已将 {n} 条通知标为已读")
    return _back(request, reverse("inbox"))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    email_form = EmailForm(initial={"email": user.email})
    if request.method == "POST" and request.POST.get("form") == "email":
        email_form = EmailForm(request.POST)
        if email_form.is_valid():
            try:
                changed = accounts.user_set_email(
                    acting_user=user, target=user, email=email_form.cleaned_data["email"]
                )
            except accounts.AccountError as exc:
                email_form.add_error("email", str(exc))
            else:
                messages.success(request, "电子邮箱已保存" if changed else "电子邮箱未改变")
                return HttpResponseRedirect(reverse("notification-preferences"))
    elif request.method == "POST":
        kinds_changed = services.preferences_set(
            acting_user=user,
            choices={
                kind: (
                    request.POST.get(f"in_app_{kind}") == "on",
                    request.POST.get(f"email_{kind}") == "on",
                )
                for kind in Kind.values
            },
        )
        messages.success(request, "通知设置已保存" if kinds_changed else "通知设置未改变")
        return HttpResponseRedirect(reverse("notification-preferences"))
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = [
        (
            kind,
            label,
            saved[kind].in_app if kind in saved else True,
            saved[kind].email if kind in saved else True,
        )
        for kind, label in Kind.choices
    ]
    status = 400 if email_form.is_bound else 200
    return render(
        request,
        "supervision/preferences.html",
        {"rows": rows, "email_form": email_form, "email": user.email},
        status=status,
    )


# --- settings: holidays and warning policy --------------------------------------------------


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (user.is_superuser or access.is_supervisor(user)):
        raise access.AccessDenied("只有督导人员才能查看和修改预警设置")
    if request.method == "POST":
        return _settings_post(request, user)
    cal = work_calendar()
    year = ledger.today().year
    years = [
        (y, SOURCE_LABELS[cal.source_of(y)], cal.source_of(y) == "weekends")
        for y in range(year - 1, year + 3)
    ]
    shown = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else year + 1
    table = "\n".join(
        f"{d.day:%Y-%m-%d} {'班' if d.is_workday else '休'} {d.name}".rstrip()
        for d in HolidayDay.objects.filter(day__year=shown)
    )
    regions = [m["region"] for m in access.describe(user) if m["role"] == "supervisor"]
    policies = {p.region_id: p for p in WarningPolicy.objects.filter(region__in=regions)}
    forms = [(r, policies.get(r.pk) or WarningPolicy(region=r)) for r in regions]
    rounds = [
        rnd
        for rnd in access.rounds_visible_to(user).select_related(
            "evaluating_region", "urge_schedule"
        )
        if access.can_manage_round(user, rnd)
    ]
    schedules = [
        (rnd, getattr(rnd, "urge_schedule", None) or RoundSchedule(round=rnd)) for rnd in rounds
    ]
    return render(
        request,
        "supervision/settings.html",
        {
            "years": years,
            "shown": shown,
            "table": table,
            "forms": forms,
            "fields": services.POLICY_FIELDS,
            "labels": _policy_labels(),
            "schedules": schedules,
        },
    )


def _policy_labels() -> dict[str, str]:
    fields = {f.name: f for f in WarningPolicy._meta.fields}
    return {name: str(fields[name].verbose_name) for name in services.POLICY_FIELDS}


def _settings_post(request: HttpRequest, user: User) -> HttpResponse:
    default = reverse("supervision-settings")
    if request.POST.get("form") == "holidays":
        raw = request.POST.get("year", "")
        if not raw.isdigit():
            messages.error(request, "请填写年份")
            return HttpResponseRedirect(default)

        def load() -> str:
            rows = services.parse_holiday_lines(request.POST.get("table", ""))
            n = services.holidays_load(acting_user=user, year=int(raw), rows=rows)
            return f"已保存 {raw} 年节假日表（{n} 天）" if n else f"已清除 {raw} 年节假日表"

        return _run(request, f"{default}?year={raw}", load)
    if request.POST.get("form") == "schedule":
        return _schedule_post(request, user)
    code = request.POST.get("region", "")
    region = next((m["region"] for m in access.describe(user) if m["region"].code == code), None)
    if region is None:
        raise Http404("地区不存在")
    values: dict[str, int | bool] = {}
    for name in services.POLICY_FIELDS:
        if name == "auto_urge":
            values[name] = request.POST.get(name) == "on"
            continue
        raw = request.POST.get(name, "").strip()
        if not raw.isdigit() or int(raw) > 365:
            messages.error(request, f"“{_policy_labels()[name]}”应为 0–365 的整数")
            return HttpResponseRedirect(default)
        values[name] = int(raw)
    return _run(
        request,
        default,
        lambda: (services.policy_set(acting_user=user, region=region, **values), "预警规则已保存")[
            1
        ],
    )


def _schedule_post(request: HttpRequest, user: User) -> HttpResponse:
    default = reverse("supervision-settings")
    raw = request.POST.get("round", "")
    rnd = access.round_for_user(user, int(raw), manage=True) if raw.isdigit() else None
    if rnd is None:
        raise Http404("评价不存在")
    values: dict[str, int | bool] = {"auto_urge": request.POST.get("auto_urge") == "on"}
    for name in services.SCHEDULE_FIELDS[1:]:
        value = request.POST.get(name, "").strip()
        if not value.isdigit() or int(value) > 365:
            messages.error(request, f"“{_policy_labels()[name]}”应为 0–365 的整数")
            return HttpResponseRedirect(default)
        values[name] = int(value)

    def call() -> str:
        services.round_schedule_set(acting_user=user, rnd=rnd, **values)
        return f"已保存“{rnd}”的自动催办安排"

    return _run(request, default, call)


# --- 催办, 督办, 通报, 约谈 ---------------------------------------------------------------------


@login_required
@require_POST
def urge(request: HttpRequest) -> HttpResponse:
    user, items = _user(request), _selected(request)
    note = request.POST.get("note", "")

    def call() -> str:
        done = services.items_urge(acting_user=user, items=items, note=note, day=ledger.today())
        return f"已催办 {len(done)} 项整改任务"

    return _run(request, reverse("supervision-overview"), call)


@login_required
@require_POST
def duban(request: HttpRequest) -> HttpResponse:
    user, items = _user(request), _selected(request)

    def call() -> str:
        docs = services.duban_issue(acting_user=user, items=items, day=ledger.today())
        return f"已生成督办通知 {len(docs)} 份：" + "；".join(
            f"{d.doc_number}《{d.title}》" for d in docs
        )

    return _run(request, reverse("supervision-overview"), call)


@login_required
@require_POST
def tongbao(request: HttpRequest) -> HttpResponse:
    user, items = _user(request), _selected(request)

    def call() -> str:
        if not items:
            raise LedgerError("请至少选择一项整改任务")
        issuer = selectors.supervising_region(items[0].region) or items[0].region
        doc = services.tongbao_issue(
            acting_user=user, issuer=issuer, items=items, day=ledger.today()
        )
        return f"已生成通报：{doc.doc_number}《{doc.title}》"

    return _run(request, reverse("supervision-overview"), call)


@login_required
def interview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method != "POST" or "attendees" not in request.POST:
        items = _selected(request) if request.method == "POST" else []
        return render(
            request, "supervision/interview.html", {"items": items, "today": ledger.today()}
        )
    items = _selected(request)

    def call() -> str:
        record = services.interview_record(
            acting_user=user,
            items=items,
            day=_date(request.POST.get("day", ""), "约谈日期"),
            attendees=request.POST.get("attendees", ""),
            minutes=request.POST.get("minutes", ""),
            commitments=request.POST.get("commitments", ""),
            follow_up_deadline=(
                _date(raw, "承诺完成时限")
                if (raw := request.POST.get("follow_up_deadline", "").strip())
                else None
            ),
        )
        made = record.follow_ups.count()
        return f"已记录{record.region.name}约谈（{len(items)} 项整改任务）" + (
            f"，整改承诺已列为 {made} 项后续整改任务" if made else ""
        )

    return _run(request, reverse("supervision-overview"), call)


def _document_for(user: User, document_id: int) -> SupervisionDocument:
    doc = (
        SupervisionDocument.objects.select_related("region", "issuer", "official")
        .filter(pk=document_id)
        .first()
    )
    # Whoever sees one of the items it is about (the county of a 通报 too), or its regions.
    if doc is None or not (
        access.can_see_region(user, doc.region)
        or access.can_see_region(user, doc.issuer)
        or access.items_visible_to(user).filter(supervision_actions__document=doc).exists()
    ):
        raise Http404("文书不存在")
    return doc


def _file_name(doc: SupervisionDocument) -> str:
    if doc.official is not None:
        return doc.official.original_name.removesuffix(".docx")
    return doc.title[:60]


@login_required
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    doc = _document_for(_user(request), document_id)
    return FileResponse(
        default_storage.open(doc.stored_name, "rb"),
        as_attachment=True,
        filename=f"{_file_name(doc)}.docx",
    )


@login_required
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponseBase:
    """The document as PDF, converted by LibreOffice once and kept (documents app)."""
    doc = _document_for(_user(request), document_id)
    if doc.official is None:
        raise Http404("此文书生成于文号功能之前，只有 Word 版")
    try:
        pdf = generation.document_pdf(doc.official)
    except generation.DocumentError as exc:
        return render(
            request,
            "documents/no_pdf.html",
            {
                "message": exc.message,
                "docx_url": reverse("supervision-document", args=[doc.pk]),
                "back_url": reverse("supervision-overview"),
                "back_label": "返回督查督办",
            },
            status=503,
        )
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=f"{_file_name(doc)}.pdf",
        content_type="application/pdf",
    )


# --- item-page forms: 延期, 长期坚持 ------------------------------------------------------------


@login_required
@require_POST
def extension_request(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id, write=True)
    evidence_id = request.POST.get("evidence", "")
    evidence = (
        Evidence.objects.filter(pk=int(evidence_id), item=item).first()
        if evidence_id.isdigit()
        else None
    )

    def call() -> str:
        ext = services.extension_request(
            acting_user=user,
            item=item,
            new_deadline=_date(request.POST.get("new_deadline", ""), "申请延至的日期"),
            reason=request.POST.get("reason", ""),
            evidence=evidence,
        )
        return f"已提交延期申请（延至 {ext.new_deadline:%Y-%m-%d}），等待上级审批"

    return _run(request, reverse("item", args=[item.pk]), call)


@login_required
@require_POST
def extension_decide(request: HttpRequest, extension_id: int) -> HttpResponse:
    user = _user(request)
    ext = Extension.objects.filter(pk=extension_id).first()
    if ext is None:
        raise Http404("延期申请不存在")
    item = access.item_for_user(user, ext.item_id)
    ext.item = item
    approve = request.POST.get("decision") == "approve"

    def call() -> str:
        services.extension_decide(
            acting_user=user, extension=ext, approve=approve, note=request.POST.get("note", "")
        )
        return "已同意延期" if approve else "已不同意延期"

    return _run(request, reverse("item", args=[item.pk]), call)


@login_required
@require_POST
def ongoing_plan(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id, write=True)

    def call() -> str:
        services.ongoing_plan_set(
            acting_user=user,
            item=item,
            stage_goals=request.POST.get("stage_goals", ""),
            next_review=_date(request.POST.get("next_review", ""), "下次复查日期"),
        )
        return "已保存阶段目标和复查日期"

    return _run(request, reverse("item", args=[item.pk]), call)
