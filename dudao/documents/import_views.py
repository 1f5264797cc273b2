"""Report import pages: upload → preview side by side with the source text, with every
field correctable → confirm → what was done. The uploaded file waits between the steps under
default_storage `imports/pending/<uuid>`, named in the session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.forms_import import CorrectionForm, UploadForm
from dudao.documents.importing import (
    ImportPlan,
    ProblemPlan,
    report_import_apply,
    report_import_preview,
)
from dudao.documents.importing.diff import inline_diff
from dudao.documents.importing.preview import dimension_of
from dudao.documents.importing.received import (
    check_receivable,
    letter_receive,
    letter_round,
    missing_items,
    read_letter,
)
from dudao.documents.models import OfficialDocument, Origin
from dudao.documents.pending import PendingUploads
from dudao.parser import ParseError, ocr
from dudao.rectification.errors import LedgerError, NotAllowed, StaleEdit
from dudao.rectification.models import Item, Round
from dudao.regions.models import Region

PENDING = PendingUploads("dudao_imports")
RESULT_KEY = "dudao_import_results"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _attach(form: Any, exc: LedgerError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _region_for(user: User, code: str) -> Region:
    """The region if the user may see it, else 404 (a neighbour learns nothing)."""
    region = Region.objects.filter(code=code).first()
    if region is None or not access.can_see_region(user, region):
        raise Http404("地区不存在")
    return region


# --- upload ------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rounds = access.rounds_visible_to(user).select_related("evaluating_region", "evaluated_region")
    regions = (
        access.regions_visible_to(user)
        .exclude(level="province")
        .select_related("parent")
        .order_by("code")
    )
    form = UploadForm(request.POST or None, request.FILES or None, rounds=rounds, regions=regions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = form.cleaned_data["round"]
            region = _region_for(user, form.cleaned_data["region"])
            upload = form.cleaned_data["file"]
            data = upload.read()
            filename = upload.name or "report.txt"
            try:
                # no round chosen: the one the letter's problems name, as `import-report` does
                rnd = (
                    access.round_for_user(user, chosen)
                    if chosen is not None
                    else letter_round(user, region, data, filename)
                )
                if rnd is None:  # a letter from outside Dudao: offer its received round
                    return _to_receive(request, data, filename, region)
                plan = report_import_preview(
                    acting_user=user, data=data, filename=filename, rnd=rnd, region=region
                )
            except LedgerError as exc:
                _attach(form, exc)
                status = 403 if isinstance(exc, NotAllowed) else 400
            else:
                token = _keep_pending(request, data, plan)
                return HttpResponseRedirect(reverse("import-preview", args=[token]))
    recent = (
        OfficialDocument.objects.filter(
            origin=Origin.IMPORTED, region__in=access.regions_visible_to(user)
        )
        .select_related("round", "region", "created_by")
        .order_by("-created_at", "-id")[:10]
    )
    return render(
        request, "documents/import/upload.html", {"form": form, "recent": recent}, status=status
    )


def _to_receive(request: HttpRequest, data: bytes, filename: str, region: Region) -> HttpResponse:
    """Check the letter can become a received round, keep it, and show what it would be."""
    if not access.can_edit_region_items(_user(request), region):
        raise NotAllowed(f"您不能修改{region.name}的整改任务，不能登记其来文", field="region")
    check_receivable(read_letter(data, filename))
    token = PENDING.keep(
        request, data, filename=filename, round=None, region=region.code, numbers=[]
    )
    return HttpResponseRedirect(reverse("import-receive", args=[token]))


def _keep_pending(request: HttpRequest, data: bytes, plan: ImportPlan) -> str:
    return PENDING.keep(
        request,
        data,
        filename=plan.filename,
        round=plan.rnd.pk,
        region=plan.region.code,
        numbers=[e.number for e in plan.entries],
    )


# --- preview and confirm ----------------------------------------------------------------


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    user = _user(request)
    pending = PENDING.get(request, token)
    if pending["round"] is None:
        return HttpResponseRedirect(reverse("import-receive", args=[token]))
    rnd = access.round_for_user(user, pending["round"])
    region = _region_for(user, pending["region"])
    data = PENDING.read(pending)

    def preview(corrections: dict[str, Any] | None) -> ImportPlan:
        return report_import_preview(
            acting_user=user,
            data=data,
            filename=pending["filename"],
            rnd=rnd,
            region=region,
            corrections=corrections,
        )

    numbers = pending["numbers"]
    if request.method != "POST":
        plan = preview(None)
        form = CorrectionForm(initial=CorrectionForm.initial_for(plan), numbers=numbers)
        return _render_preview(request, plan, form, pending)

    form = CorrectionForm(request.POST, numbers=numbers)
    if not form.is_valid():
        return _render_preview(request, preview(None), form, pending, status=400)
    try:
        plan = preview(form.corrections())
    except LedgerError as exc:
        _attach(form, exc)
        return _render_preview(request, preview(None), form, pending, status=400)
    if "confirm" not in request.POST:
        return _render_preview(request, plan, _rebound(request, plan, numbers), pending)
    try:
        result = report_import_apply(
            acting_user=user, plan=plan, expected_versions=form.expected_versions()
        )
    except LedgerError as exc:
        status = 409 if isinstance(exc, StaleEdit) else 403 if isinstance(exc, NotAllowed) else 400
        if isinstance(exc, StaleEdit):
            # The page now shows the diff against the ledger as it is: confirm against that.
            form = _rebound(request, plan, numbers)
        _attach(form, exc)
        return _render_preview(request, plan, form, pending, status=status)
    PENDING.drop(request, token)
    results = request.session.get(RESULT_KEY, {})
    results[token] = {
        "summary": result.summary,
        "changed": result.changed,
        "round": rnd.pk,
        "region": region.code,
        "filename": pending["filename"],
        "document": result.document.pk if result.document else None,
        "items": [
            [_item_pk(result.items_by_number.get(e.number)), e.label, e.statement, _done_label(e)]
            for e in result.plan.entries
        ],
    }
    request.session[RESULT_KEY] = dict(list(results.items())[-5:])
    return HttpResponseRedirect(reverse("import-done", args=[token]))


def _rebound(request: HttpRequest, plan: ImportPlan, numbers: list[int]) -> CorrectionForm:
    """The posted corrections with the item versions of `plan`: the page about to be shown
    holds the diff against the ledger as it is now, so a confirm is checked against that."""
    data = request.POST.copy()
    data["versions"] = CorrectionForm.initial_for(plan)["versions"]
    form = CorrectionForm(data, numbers=numbers)
    form.is_valid()
    return form


def _item_pk(item: Item | None) -> int | None:
    return item.pk if item is not None else None


def _done_label(entry: ProblemPlan) -> str:
    if entry.skipped:
        return "未导入：" + entry.skipped
    parts = []
    if entry.create_problem:
        parts.append("新增问题")
    if entry.create_item:
        parts.append("新增整改任务")
    if entry.changes:
        parts.append("已更新整改情况")
    return "、".join(parts) or "无变化"


def _matching(plan: ImportPlan) -> dict[str, Any]:
    """How the letter's problems stand against the items the region holds in the round:
    matched, new (not held), and held but not mentioned (the `--json` of import-report)."""
    matched = sum(e.item is not None for e in plan.entries)
    return {
        "matched": matched,
        "new": len(plan.entries) - matched,
        "missing": missing_items(plan),
    }


def _render_preview(
    request: HttpRequest,
    plan: ImportPlan,
    form: CorrectionForm,
    pending: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    sections: list[dict[str, Any]] = []
    for entry in plan.entries:
        if not sections or sections[-1]["title"] != entry.section:
            sections.append({"title": entry.section, "rows": []})
        prefix = f"p{entry.number}-"
        sections[-1]["rows"].append(
            {
                "entry": entry,
                "statement": form[prefix + "statement"],
                "dimension": form[prefix + "dimension"],
                "measures": form[prefix + "measures"],
                "skip": form[prefix + "skip"],
                "diffs": [
                    {"change": c, "segments": inline_diff(c.before, c.after)} for c in entry.changes
                ],
            }
        )
    context = {
        "plan": plan,
        "matching": _matching(plan),
        "form": form,
        "sections": sections,
        "filename": pending["filename"],
        "token": request.resolver_match.kwargs["token"] if request.resolver_match else "",
        "ocr_page_numbers": range(1, plan.ocr_pages + 1),
        "header_fields": [
            form[name] for name in ("kind", "issuer", "doc_number", "title", "recipient", "date")
        ],
    }
    return render(request, "documents/import/preview.html", context, status=status)


@login_required
def import_page(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """Page `number` of a pending scanned PDF as the image OCR read, shown beside the text."""
    _user(request)
    pending = PENDING.get(request, token)
    data = PENDING.read(pending)
    try:
        image = ocr.page_image(data, number)
    except ParseError as exc:
        raise Http404("没有这一页") from exc
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


@login_required
def import_receive(request: HttpRequest, token: str) -> HttpResponse:
    """A letter no round of the region names: what its received round would hold, and the
    button that creates it (`letter_receive`, as `dudao import-report` does)."""
    user = _user(request)
    pending = PENDING.get(request, token)
    if pending["round"] is not None:
        return HttpResponseRedirect(reverse("import-preview", args=[token]))
    region = _region_for(user, pending["region"])
    data = PENDING.read(pending)
    error, status = "", 200
    if request.method == "POST":
        try:
            result = letter_receive(
                acting_user=user, region=region, data=data, filename=pending["filename"]
            )
        except LedgerError as exc:
            error, status = exc.message, 403 if isinstance(exc, NotAllowed) else 400
        else:
            PENDING.drop(request, token)
            results = request.session.get(RESULT_KEY, {})
            results[token] = {
                "summary": f"已按来文建立收文评价：{result.plan.rnd.title}，"
                f"新增整改任务 {len(result.items_created)} 项",
                "changed": True,
                "round": result.plan.rnd.pk,
                "region": region.code,
                "filename": pending["filename"],
                "document": result.document.pk if result.document else None,
                "items": [
                    [_item_pk(result.items_by_number.get(e.number)), e.label, e.statement,
                     "新增整改任务"]
                    for e in result.plan.entries
                ],
            }  # fmt: skip
            request.session[RESULT_KEY] = dict(list(results.items())[-5:])
            return HttpResponseRedirect(reverse("import-done", args=[token]))
    try:
        report = read_letter(data, pending["filename"])
    except LedgerError as exc:
        raise Http404(exc.message) from exc
    rows = [
        {"section": s, "problem": p, "dimension": dimension_of(s.title)}
        for s in report.sections
        for p in s.problems
    ]
    context = {
        "report": report,
        "rows": rows,
        "region": region,
        "filename": pending["filename"],
        "error": error,
    }
    return render(request, "documents/import/receive.html", context, status=status)


# --- after applying ----------------------------------------------------------------------


@login_required
def import_done(request: HttpRequest, token: str) -> HttpResponse:
    user = _user(request)
    result: dict[str, Any] | None = request.session.get(RESULT_KEY, {}).get(token)
    if result is None:
        raise Http404("没有这次导入的记录")
    rnd: Round = access.round_for_user(user, result["round"])
    named = [item_id for item_id, *_ in result["items"] if item_id is not None]
    visible = set(
        access.items_visible_to(user, archived=True)
        .filter(problem__round=rnd, pk__in=named)
        .values_list("pk", flat=True)
    )
    rows = [
        {"item": item_id if item_id in visible else None, "label": label, "statement": s, "done": d}
        for item_id, label, s, d in result["items"]
    ]
    document = (
        OfficialDocument.objects.filter(pk=result["document"]).first()
        if result["document"]
        else None
    )
    return render(
        request,
        "documents/import/done.html",
        {"result": result, "round": rnd, "rows": rows, "document": document},
    )
