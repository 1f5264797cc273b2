"""Ledger pages. Thin: access check, form, one service call, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.rectification import selectors, services
from dudao.rectification.errors import LedgerError, NotAllowed, StaleEdit
from dudao.rectification.forms import (
    ArchiveForm,
    AssignForm,
    EvidenceForm,
    ItemEditForm,
    LedgerFilterForm,
    ProblemForm,
    ProgressForm,
    RoundForm,
    TransitionForm,
    ledger_filter_from,
)
from dudao.rectification.models import DIMENSIONS, Evidence, Item, Status
from dudao.regions.models import Region
from dudao.web.panels import has_item_panels, panels_for_item

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _attach(form: Any, exc: LedgerError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- ledger list -------------------------------------------------------------------------


@login_required
def ledger_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = services.today()
    form, f, status = ledger_filter_from(user, request.GET)
    base = selectors.ledger_items(f, today=today)
    counts = selectors.status_counts(base, today=today)
    items = selectors.list_page(selectors.with_status(base, status))
    paginator = Paginator(items, PAGE_SIZE)
    # The per-status counts already hold the total: spare the paginator its COUNT query.
    paginator.__dict__["count"] = counts[status] if status else counts["total"]
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": _filter_choices(form),
        "page": page,
        "rows": selectors.list_rows(page.object_list, today=today, first=page.start_index()),
        "counts": counts,
        "status_tabs": [(value, label, counts[value]) for value, label in Status.choices],
        "current_status": status,
        "query": query.urlencode(),
        "query_without_status": _without(query, "status"),
    }
    # htmx asks for the table alone: the page's `ledger-table` partial.
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "rectification/ledger.html#ledger-table", context)
    return render(request, "rectification/ledger.html", context)


def _filter_choices(form: LedgerFilterForm) -> list[dict[str, Any]]:
    """The filter selects as plain data: rendering them through Django's widget templates
    costs more than the whole ledger table on a province's list of regions."""
    selects = []
    for name in ("region", "round", "dimension", "status"):
        field = form[name]
        value = str(field.value() or "")
        choices: list[tuple[Any, str]] = field.field.choices  # type: ignore[attr-defined]
        selects.append(
            {"name": name, "options": [(str(v), label, str(v) == value) for v, label in choices]}
        )
    return selects


def _without(query: Any, key: str) -> str:
    q = query.copy()
    q.pop(key, None)
    result: str = q.urlencode()
    return result


# --- item page ---------------------------------------------------------------------------


def _item_context(request: HttpRequest, item: Item, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    today = services.today()
    can_edit = access.can_edit_item(user, item)
    return {
        "item": item,
        "today": today,
        "overdue": item.is_overdue(today),
        "can_edit": can_edit and item.status != Status.SIGNED_OFF,
        "can_sign_off": access.can_sign_off(user, item),
        "can_manage": access.can_manage_round(user, item.problem.round),
        "timeline": selectors.item_timeline(item),
        "edit_form": forms.get("edit_form")
        or ItemEditForm(
            initial={
                "version": item.version,
                **{name: getattr(item, name) for name in services.EDITABLE_FIELDS},
            }
        ),
        "progress_form": forms.get("progress_form") or ProgressForm(initial={"day": today}),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "transition_form": forms.get("transition_form")
        or TransitionForm(initial={"version": item.version}),
        "transition_error": forms.get("transition_error"),
        "archive_form": forms.get("archive_form") or ArchiveForm(),
        "has_panels": has_item_panels(),
    }


def _render_item(request: HttpRequest, item: Item, status: int = 200, **forms: Any) -> HttpResponse:
    return render(
        request, "rectification/item.html", _item_context(request, item, **forms), status=status
    )


def _redirect_item(item: Item) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("item", args=[item.pk]))


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access.item_for_user(_user(request), item_id)
    return _render_item(request, item)


@login_required
def item_panels(request: HttpRequest, item_id: int) -> HttpResponse:
    """The panels other apps add to the item page (the evaluation's data re-check and claim
    check), fetched by the page once it has loaded: they compute from indicator data and
    may take longer than the page itself."""
    item = access.item_for_user(_user(request), item_id)
    return HttpResponse("".join(panels_for_item(request, item)))


@login_required
@require_POST
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id, write=True)
    form = ItemEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            changes = services.item_update(
                acting_user=user, item=item, expected_version=version, **data
            )
        except StaleEdit as exc:
            _attach(form, exc)
            return _render_item(request, item, status=409, edit_form=form)
        except LedgerError as exc:
            _attach(form, exc)
        else:
            messages.success(request, "已保存" if changes else "没有修改")
            return _redirect_item(item)
    return _render_item(request, item, status=400, edit_form=form)


TRANSITIONS: dict[str, Callable[..., Item]] = {
    "start": services.item_start,
    "request_signoff": services.item_request_signoff,
    "sign_off": services.item_sign_off,
    "send_back": services.item_send_back,
    "mark_ongoing": services.item_mark_ongoing,
    "resume": services.item_resume,
}
TRANSITION_DONE = {
    "start": "已开始整改",
    "request_signoff": "已申请销号，等待上级督导审核",
    "sign_off": "已销号",
    "send_back": "已退回，县级将继续整改",
    "mark_ongoing": "已转为长期坚持",
    "resume": "已恢复整改",
}


@login_required
@require_POST
def item_transition(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    user = _user(request)
    service = TRANSITIONS.get(action)
    if service is None:
        raise Http404("没有这个操作")
    item = access.item_for_user(user, item_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _render_item(
            request,
            item,
            status=400,
            transition_form=form,
            transition_error="请求无效，请刷新页面后重试",
        )
    kwargs: dict[str, Any] = {
        "acting_user": user,
        "item": item,
        "expected_version": form.cleaned_data["version"],
    }
    note = form.cleaned_data["note"]
    if action == "send_back":
        kwargs["reason"] = note
    elif action in ("request_signoff", "sign_off", "mark_ongoing"):
        kwargs["note"] = note
    try:
        service(**kwargs)
    except LedgerError as exc:
        status = 409 if isinstance(exc, StaleEdit) else 403 if isinstance(exc, NotAllowed) else 400
        item.refresh_from_db()
        return _render_item(
            request, item, status=status, transition_form=form, transition_error=exc.message
        )
    messages.success(request, TRANSITION_DONE[action])
    return _redirect_item(item)


@login_required
@require_POST
def item_progress(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id, write=True)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.progress_add(
                acting_user=user,
                item=item,
                text=form.cleaned_data["text"],
                day=form.cleaned_data["day"],
            )
        except LedgerError as exc:
            _attach(form, exc)
        else:
            messages.success(request, "已添加进展")
            return _redirect_item(item)
    return _render_item(request, item, status=400, progress_form=form)


@login_required
@require_POST
def item_evidence(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                acting_user=user,
                item=item,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except LedgerError as exc:
            _attach(form, exc)
        else:
            messages.success(request, "已上传佐证材料")
            return _redirect_item(item)
    return _render_item(request, item, status=400, evidence_form=form)


@login_required
@require_POST
def item_archive(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.item_for_user(user, item_id)
    form = ArchiveForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("restore"):
            services.item_restore(acting_user=user, item=item)
            messages.success(request, "已恢复")
        else:
            services.item_archive(
                acting_user=user, item=item, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, "已撤回（可随时恢复）")
    except LedgerError as exc:
        _attach(form, exc)
        return _render_item(request, item, status=400, archive_form=form)
    return _redirect_item(item)


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    user = _user(request)
    try:
        evidence = Evidence.objects.get(pk=evidence_id)
    except Evidence.DoesNotExist as exc:
        raise Http404("文件不存在") from exc
    access.item_for_user(user, evidence.item_id)  # 404 unless the user may see the item
    handle = default_storage.open(evidence.stored_name, "rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


# --- rounds ------------------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rounds = access.rounds_visible_to(user).select_related("evaluating_region", "evaluated_region")
    return render(
        request,
        "rectification/rounds.html",
        {"rounds": rounds, "can_create": access.is_supervisor(user)},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    evaluating = access.regions_user_can_evaluate_from(user).exclude(level="county")
    if not evaluating.exists():
        raise access.AccessDenied("只有督导人员才能创建评价")
    evaluated = access.regions_visible_to(user).exclude(level="province")
    form = RoundForm(request.POST or None, evaluating=evaluating, evaluated=evaluated)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(acting_user=user, **form.cleaned_data)
        except LedgerError as exc:
            _attach(form, exc)
        else:
            messages.success(request, "已创建评价，请添加反馈问题")
            return HttpResponseRedirect(reverse("round", args=[rnd.pk]))
    return render(request, "rectification/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    rnd = access.round_for_user(user, round_id)
    can_manage = access.can_manage_round(user, rnd)
    problems = list(rnd.problems.order_by("order", "id"))
    regions = list(
        Region.objects.filter(path__startswith=rnd.evaluated_region.path).order_by("code")
    )
    problem_form = ProblemForm()
    assign_form = AssignForm(problems=problems, regions=regions)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise access.AccessDenied("只有评价方的督导人员才能管理此评价")
        if "statement" in request.POST:
            problem_form = ProblemForm(request.POST)
            if problem_form.is_valid():
                try:
                    services.problem_add(acting_user=user, rnd=rnd, **problem_form.cleaned_data)
                except LedgerError as exc:
                    _attach(problem_form, exc)
                else:
                    messages.success(request, "已添加问题")
                    return HttpResponseRedirect(reverse("round", args=[rnd.pk]))
        else:
            assign_form = AssignForm(request.POST, problems=problems, regions=regions)
            if assign_form.is_valid():
                d = assign_form.cleaned_data
                by_pk = {str(p.pk): p for p in problems}
                by_code = {r.code: r for r in regions}
                try:
                    created = services.items_assign(
                        acting_user=user,
                        rnd=rnd,
                        problems=[by_pk[k] for k in d["problems"]],
                        regions=[by_code[c] for c in d["regions"]],
                        deadline=d["deadline"],
                        lead_unit=d["lead_unit"],
                        co_units=d["co_units"],
                        responsible_person=d["responsible_person"],
                    )
                except LedgerError as exc:
                    _attach(assign_form, exc)
                else:
                    messages.success(request, f"已分配 {len(created)} 项整改任务")
                    return HttpResponseRedirect(reverse("round", args=[rnd.pk]))
        status = 400
    item_counts = selectors.round_item_counts(user, rnd)
    return render(
        request,
        "rectification/round.html",
        {
            "round": rnd,
            "problems": problems,
            "can_manage": can_manage,
            "problem_form": problem_form,
            "assign_form": assign_form,
            "dimensions": DIMENSIONS,
            "item_counts": item_counts,
        },
        status=status,
    )
