"""Evaluation pages. Thin: access check, form, one service call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.engine import EngineError, default_thresholds, write_template
from dudao.evaluation import presenters, selectors, services
from dudao.evaluation.forms import (
    FindingPickForm,
    OverrideForm,
    RunForm,
    ToProblemsForm,
    UploadForm,
    threshold_info,
)
from dudao.evaluation.models import Dataset, EvaluationRun, Kind, RunCounty
from dudao.rectification.errors import LedgerError
from dudao.rectification.models import DIMENSIONS, Round

TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
TEMPLATE_NAMES = {Kind.SCHOOLS: "学校指标数据模板", Kind.COUNTIES: "区县指标数据模板"}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _attach(form: Any, exc: services.EvaluationError | LedgerError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- index, templates, uploads ------------------------------------------------------------


def _index_context(
    request: HttpRequest, upload_form: UploadForm | None = None, run_form: RunForm | None = None
) -> dict[str, Any]:
    user = _user(request)
    upload_regions = access.regions_user_can_upload_for(user)
    run_regions = access.regions_user_can_evaluate_from(user)
    return {
        "upload_form": upload_form or UploadForm(regions=upload_regions),
        "can_upload": upload_regions.exists(),
        "run_form": run_form or RunForm(regions=run_regions),
        "can_run": run_regions.exists(),
        "datasets": selectors.datasets_visible(user)[:50],
        "runs": selectors.runs_visible(user)[:50],
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "evaluation/index.html", _index_context(request))


@login_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in Kind.values or fmt not in TEMPLATE_TYPES:
        raise Http404("没有这种模板")
    response = HttpResponse(write_template(kind, fmt), content_type=TEMPLATE_TYPES[fmt])  # type: ignore[arg-type]
    filename = f"{TEMPLATE_NAMES[Kind(kind)]}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    regions = access.regions_user_can_upload_for(user)
    if not regions.exists():
        raise access.AccessDenied("只读账号不能上传指标数据")
    form = UploadForm(request.POST, request.FILES, regions=regions)
    errors: tuple[Any, ...] = ()
    total = 0
    if form.is_valid():
        d = form.cleaned_data
        f = d["file"]
        try:
            dataset = services.dataset_upload(
                acting_user=user,
                kind=d["kind"],
                year=d["year"],
                region=d["region"],
                data=f.read(),
                filename=f.name,
            )
        except services.EvaluationError as exc:
            _attach(form, exc)
            errors, total = exc.errors, exc.total
        else:
            messages.success(
                request,
                f"已导入{dataset.year}年度{dataset.get_kind_display()}“{dataset.original_name}”，"
                f"共{dataset.rows}行，全部通过校验",
            )
            target = reverse("evaluation")
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
    context = {"upload_form": form, "errors": errors, "total": total, "can_upload": True}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "evaluation/_upload.html", context, status=400)
    return render(
        request,
        "evaluation/index.html",
        {**_index_context(request, upload_form=form), **context},
        status=400,
    )


@login_required
def dataset_download(request: HttpRequest, dataset_id: int) -> FileResponse:
    try:
        dataset = selectors.datasets_visible(_user(request)).get(pk=dataset_id)
    except Dataset.DoesNotExist as exc:
        raise Http404("数据文件不存在") from exc
    return FileResponse(
        default_storage.open(dataset.stored_name, "rb"),
        as_attachment=True,
        filename=dataset.original_name,
    )


# --- runs ------------------------------------------------------------------------------------


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    regions = access.regions_user_can_evaluate_from(user)
    if not regions.exists():
        raise access.AccessDenied("只有督导人员才能运行评估")
    form = RunForm(request.POST, regions=regions)
    if form.is_valid():
        try:
            run = services.evaluation_run(
                acting_user=user, region=form.cleaned_data["region"], year=form.cleaned_data["year"]
            )
        except services.EvaluationError as exc:
            _attach(form, exc)
        except EngineError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已完成{run.region.name}{run.year}年度督导评估")
            return HttpResponseRedirect(reverse("evaluation-run", args=[run.pk]))
    return render(
        request, "evaluation/index.html", _index_context(request, run_form=form), status=400
    )


def _run_for(user: User, run_id: int) -> EvaluationRun:
    try:
        return selectors.runs_visible(user).get(pk=run_id)
    except EvaluationRun.DoesNotExist as exc:
        raise Http404("评估结果不存在") from exc


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user = _user(request)
    run = _run_for(user, run_id)
    if not access.can_see_region(user, run.region):
        # an officer of a county sees its own county's page of its city's run
        own = (
            RunCounty.objects.filter(run=run, region__in=access.regions_visible_to(user))
            .select_related("region")
            .first()
        )
        if own is None:
            raise Http404("评估结果不存在")
        return HttpResponseRedirect(reverse("evaluation-county", args=[run.pk, own.region.code]))
    context = presenters.run_overview(run)
    context["can_turn"] = access.can_run_evaluation_for(user, run.region)
    return render(request, "evaluation/run.html", context)


@login_required
def run_county(request: HttpRequest, run_id: int, code: str) -> HttpResponse:
    user = _user(request)
    run = _run_for(user, run_id)
    try:
        county = RunCounty.objects.select_related("region__parent").get(run=run, region__code=code)
    except RunCounty.DoesNotExist as exc:
        raise Http404("评估结果不存在") from exc
    if not access.can_see_region(user, county.region):
        raise Http404("评估结果不存在")
    findings = list(run.findings.filter(region=county.region).select_related("problem__round"))
    context = presenters.county_page(run, county, findings)
    context["can_see_run"] = access.can_see_region(user, run.region)
    context["can_turn"] = access.can_run_evaluation_for(user, run.region)
    return render(request, "evaluation/county.html", context)


# --- thresholds ------------------------------------------------------------------------------


@login_required
def thresholds(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editable = access.regions_user_can_set_thresholds_for(user)
    form = OverrideForm(request.POST or None, regions=editable)
    if request.method == "POST":
        if not editable.exists():
            raise access.AccessDenied("只有省级、市级督导人员才能调整阈值")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.threshold_override_add(
                    acting_user=user,
                    region=d["region"],
                    key=d["key"],
                    value=d["value"],
                    valid_from=d["valid_from"],
                    note=d["note"],
                )
            except services.EvaluationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, "已添加阈值调整；只影响此后运行的评估，已有结果不变")
                return HttpResponseRedirect(reverse("evaluation-thresholds"))
    overrides = presenters.overrides_for(user)
    defaults = [(threshold_info(k), v) for k, v in default_thresholds().items()]
    return render(
        request,
        "evaluation/thresholds.html",
        {
            "form": form,
            "can_edit": editable.exists(),
            "defaults": defaults,
            "overrides": overrides,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- findings into problems ------------------------------------------------------------------


def _manageable_rounds(user: User) -> QuerySet[Round]:
    """The rounds `access.can_manage_round` allows: evaluating from a region the user
    supervises, as one query."""
    regions = access.regions_user_can_evaluate_from(user)
    return Round.objects.filter(evaluating_region__in=regions).select_related("evaluated_region")


def _new_round_url(request: HttpRequest, run: EvaluationRun) -> str:
    """新建评价 for the run's year, coming back here afterwards. The evaluated region is left
    to choose: a city's run has findings of several counties, each evaluated on its own."""
    query = urlencode({"year": str(run.year), "next": request.get_full_path()})
    return f"{reverse('round-new')}?{query}"


@login_required
def to_problems(request: HttpRequest, run_id: int) -> HttpResponse:
    user = _user(request)
    run = _run_for(user, run_id)
    if not access.can_run_evaluation_for(user, run.region):
        raise access.AccessDenied("只有督导人员才能把评估发现转为问题")
    findings = list(
        run.findings.filter(problem__isnull=True, region__in=access.regions_visible_to(user))
        .select_related("region")
        .order_by("region__code", "order")
    )
    rounds = _manageable_rounds(user)
    post = request.POST if request.method == "POST" else None
    form = ToProblemsForm(post, rounds=rounds)
    picks = [
        (
            f,
            FindingPickForm(
                post,
                prefix=f"f{f.pk}",
                initial={"statement": f.statement, "dimension": f.dimension},
            ),
        )
        for f in findings
    ]
    if post is not None and form.is_valid() and all(p.is_valid() for _, p in picks):
        chosen = [
            services.Pick(f, p.cleaned_data["statement"].strip(), p.cleaned_data["dimension"])
            for f, p in picks
            if p.cleaned_data["pick"]
        ]
        d = form.cleaned_data
        try:
            created = services.findings_to_problems(
                acting_user=user,
                rnd=d["round"],
                picks=chosen,
                assign=d["assign"],
                deadline=d["deadline"],
            )
        except LedgerError as exc:
            _attach(form, exc)
        else:
            messages.success(request, f"已将{len(created)}条评估发现转为“{d['round'].title}”的问题")
            return HttpResponseRedirect(reverse("round", args=[d["round"].pk]))
    return render(
        request,
        "evaluation/to_problems.html",
        {
            "run": run,
            "form": form,
            "picks": picks,
            "dimensions": DIMENSIONS,
            "has_rounds": rounds.exists(),
            "new_round_url": _new_round_url(request, run),
        },
        status=400 if post is not None else 200,
    )
