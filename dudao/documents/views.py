"""Documents pages: the list with downloads, generating a document, and the Excel ledger
export and import. Thin: access check, form, one service call, render."""

from __future__ import annotations

import io
import uuid
from dataclasses import asdict
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
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents import excel, generation
from dudao.documents.forms import (
    ConfirmForm,
    DocumentFilterForm,
    DocumentForm,
    LedgerUploadForm,
    TargetForm,
)
from dudao.documents.generation import DocumentError
from dudao.documents.models import Kind
from dudao.lib.files import forget_stale, store_file
from dudao.rectification import selectors, services
from dudao.rectification.forms import ledger_filter_from
from dudao.regions.models import Region

PAGE_SIZE = 50
SESSION_KEY = "dudao_ledger_import"
# An uploaded Excel ledger waits here between its preview and 确认导入.
LEDGER_PENDING_DIR = "imports/ledger"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


TARGET_KEYS = ("round", "region", "kind")


def _target_form(request: HttpRequest, data: Any) -> TargetForm:
    """Bound when the query names all three; otherwise a guess, overridden by what it names."""
    user = _user(request)
    rounds = access.rounds_visible_to(user)
    regions = access.regions_visible_to(user).select_related("parent").order_by("path")
    initial = _target_guess(user, rounds)
    if data is not None and not all(data.get(k) for k in TARGET_KEYS):
        initial.update({k: data[k] for k in TARGET_KEYS if data.get(k)})
        data = None
    return TargetForm(data, rounds=rounds, regions=regions, kinds=_kinds(user), initial=initial)


def _kinds(user: User) -> tuple[Kind, ...]:
    """The kinds of document the user may write: a county its report, a city or province
    supervisor also the feedback letter and the summary; a viewer none."""
    kinds = []
    if access.can_write_county_reports(user):
        kinds.append(Kind.RECTIFICATION_REPORT)
    if access.can_write_feedback(user):
        kinds += [Kind.FEEDBACK_LETTER, Kind.SUMMARY_REPORT]
    return tuple(kinds)


def _target_guess(user: User, rounds: Any) -> dict[str, Any]:
    """The user's own region, the latest round, and the kind its role writes."""
    mine = access.describe(user)
    initial: dict[str, Any] = {}
    latest = rounds.order_by("-year", "-id").first()
    if latest is not None:
        initial["round"] = latest.pk
    if mine:
        first = mine[0]
        initial["region"] = first["region"].code
        supervisor = first["role"] == "supervisor" and first["region"].level != "county"
        initial["kind"] = "summary" if supervisor else "rectification"
    return initial


# --- list and downloads ----------------------------------------------------------------


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rounds = access.rounds_visible_to(user)
    regions = access.regions_visible_to(user).select_related("parent").order_by("path")
    form = DocumentFilterForm(request.GET or None, rounds=rounds, regions=regions)
    kinds = _kinds(user)
    documents = generation.documents_visible_to(user).select_related(
        "round", "region", "created_by"
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["round"]:
            documents = documents.filter(round_id=d["round"])
        if d["region"]:
            documents = documents.filter(region__code=d["region"])
        if d["kind"]:
            documents = documents.filter(kind=d["kind"])
    documents = documents.order_by("-round__year", "round_id", "region__code", "kind", "-version")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/list.html",
        {
            "form": form,
            "page": page,
            "target_form": _target_form(request, None),
            "can_generate": bool(kinds),
            "kind_names": "、".join(generation.SHORT_NAMES[k] for k in kinds),
            "pdf_available": generation.pdf_available(),
            "no_pdf": generation.NO_LIBREOFFICE,
            "highlight": request.GET.get("new", ""),
        },
    )


@login_required
def document_download(request: HttpRequest, document_id: int, fmt: str) -> HttpResponseBase:
    document = generation.document_for_user(_user(request), document_id)
    if fmt == "docx":
        handle = default_storage.open(document.stored_name, "rb")
        return FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
    if fmt != "pdf":
        raise Http404("没有这种格式")
    try:
        pdf = generation.document_pdf(document)
    except DocumentError as exc:
        return render(
            request,
            "documents/no_pdf.html",
            {
                "message": exc.message,
                "docx_url": reverse("document-download", args=[document.pk, "docx"]),
                "back_url": reverse("documents"),
                "back_label": "返回公文列表",
            },
            status=503,
        )
    name = document.original_name.removesuffix(".docx") + ".pdf"
    return FileResponse(
        io.BytesIO(pdf), as_attachment=True, filename=name, content_type="application/pdf"
    )


# --- generating ------------------------------------------------------------------------


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _kinds(user):
        raise access.AccessDenied("只读账号可以查看和下载公文，不能生成公文")
    target_form = _target_form(request, request.GET or None)
    if not target_form.is_valid():
        return render(request, "documents/new.html", {"target_form": target_form})
    choice = target_form.cleaned_data
    rnd = access.round_for_user(user, choice["round"])
    region = Region.objects.filter(code=choice["region"]).first()
    if region is None:
        raise Http404("地区不存在")
    try:
        target = generation.document_target(user, rnd, region, choice["kind"])
    except DocumentError as exc:
        target_form.add_error(None, exc.message)
        return render(request, "documents/new.html", {"target_form": target_form}, status=400)
    defaults = generation.document_defaults(target, today=services.today())
    form = DocumentForm(request.POST or None, initial=asdict(defaults))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document = generation.document_generate(
                    acting_user=user,
                    target=target,
                    inputs=generation.DocumentInputs(**form.cleaned_data),
                )
            except DocumentError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request, f"已生成《{document.title}》第{document.version}版，可下载"
                )
                query = urlencode(
                    {"round": str(rnd.pk), "region": region.code, "new": str(document.pk)}
                )
                return HttpResponseRedirect(f"{reverse('documents')}?{query}")
        status = 400
    versions = generation.documents_visible_to(user).filter(
        kind=target.kind, round=rnd, region=region
    )
    return render(
        request,
        "documents/new.html",
        {
            "target_form": target_form,
            "target": target,
            "form": form,
            "kind_label": generation.SHORT_NAMES[target.kind],  # type: ignore[index]
            "sections": generation.report_sections(target.items),
            "versions": versions.order_by("-version"),
            "counties": sorted({i.region.name for i in target.items}),
            "warnings": generation.document_warnings(target),
        },
        status=status,
    )


# --- Excel ledger ----------------------------------------------------------------------


@login_required
def ledger_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The ledger list's current filters, as an .xlsx."""
    user = _user(request)
    today = services.today()
    _, f, status = ledger_filter_from(user, request.GET)
    items = selectors.with_status(selectors.ledger_items(f, today=today), status)
    rnd = access.round_for_user(user, f.round_id) if f.round_id else None
    scope = f.region or excel.common_region(items)
    try:
        data = excel.ledger_export(items, scope=scope, rnd=rnd, today=today)
    except DocumentError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("ledger"))
    name = f"{excel.ledger_title(scope, rnd)}（{today:%Y%m%d}）.xlsx"
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name, content_type=excel.XLSX_TYPE
    )


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    """Upload -> preview (nothing written) -> 确认导入 (all or nothing)."""
    user = _user(request)
    template = (
        "documents/_ledger_import_result.html"
        if request.htmx  # type: ignore[attr-defined]
        else "documents/ledger_import.html"
    )
    context: dict[str, Any] = {"form": LedgerUploadForm()}
    if request.method != "POST":
        return render(request, "documents/ledger_import.html", context)
    if "token" in request.POST:
        return _confirm(request, user, template)
    form = LedgerUploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, template, context, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    context["filename"] = upload.name
    try:
        result = excel.ledger_import(acting_user=user, data=data, apply=False)
    except DocumentError as exc:
        context["file_error"] = exc.message
        return render(request, template, context, status=400)
    context["result"] = result
    if result.errors or not result.changes:
        return render(request, template, context, status=400 if result.errors else 200)
    forget_stale(LEDGER_PENDING_DIR)
    stored = store_file(LEDGER_PENDING_DIR, data, "xlsx").name
    _forget(request)
    token = uuid.uuid4().hex
    request.session[SESSION_KEY] = {"token": token, "stored": stored, "name": upload.name}
    context["confirm"] = ConfirmForm(initial={"token": token})
    return render(request, template, context)


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["stored"])


def _confirm(request: HttpRequest, user: User, template: str) -> HttpResponse:
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    context: dict[str, Any] = {"form": LedgerUploadForm()}
    if not form.is_valid() or not pending or pending["token"] != form.cleaned_data["token"]:
        context["file_error"] = "导入已过期或已完成，请重新上传台账文件"
        return render(request, template, context, status=400)
    with default_storage.open(pending["stored"], "rb") as handle:
        data = handle.read()
    context["filename"] = pending["name"]
    try:
        result = excel.ledger_import(acting_user=user, data=data, apply=True)
    except DocumentError as exc:
        context["file_error"] = exc.message
        result = None
    _forget(request)
    context["result"] = result
    failed = result is None or bool(result.errors)
    return render(request, template, context, status=400 if failed else 200)
