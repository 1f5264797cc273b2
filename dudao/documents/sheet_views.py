"""Import of an office's own Excel 台账: upload → map its columns to Dudao's fields (with
the first rows as read) and choose the round → every row a problem and item → what was
done. The uploaded file waits under default_storage `imports/pending/<uuid>`, named in the
session, as the report import's does."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.forms_sheet import NEW_ROUND, SheetMapForm, SheetUploadForm
from dudao.documents.importing.received import importing_region
from dudao.documents.importing.sheet import (
    PREVIEW_ROWS,
    Layout,
    importable_rounds,
    layout_at,
    load_sheets,
    propose_layout,
    same_header_sheets,
    sheet_import_apply,
    sheet_import_plan,
)
from dudao.documents.pending import GONE, PendingUploads
from dudao.parser.ledger import Sheet
from dudao.rectification import services
from dudao.rectification.errors import LedgerError
from dudao.rectification.models import Round
from dudao.regions.models import Region
from dudao.writers.spreadsheet import column_letter

PENDING = PendingUploads("dudao_sheet_imports")
RESULT_KEY = "dudao_sheet_import_results"
_YEAR = re.compile(r"(20\d{2})\s*年")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _region(user: User) -> Region:
    region = importing_region(user)
    if region is None:
        raise PermissionDenied("只有地区的督导人员或经办人员才能导入本单位的整改台账")
    return region


@login_required
def sheet_upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = importing_region(user)
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if region is None:
            raise PermissionDenied("只有地区的督导人员或经办人员才能导入本单位的整改台账")
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            filename = upload.name or "台账.xlsx"
            try:
                load_sheets(data, filename)
            except LedgerError as exc:
                form.add_error("file", exc.message)
            else:
                token = PENDING.keep(request, data, filename=filename, region=region.code)
                return HttpResponseRedirect(reverse("import-sheet-map", args=[token]))
    return render(
        request,
        "documents/import/sheet_upload.html",
        {"form": form, "region": region},
        status=status,
    )


def _pending(request: HttpRequest, token: str, region: Region) -> tuple[dict[str, Any], bytes]:
    found = PENDING.get(request, token)
    if found["region"] != region.code:
        raise Http404(GONE)
    return found, PENDING.read(found)


def _shown(value: str, sheets: list[Sheet]) -> tuple[int, int] | None:
    try:
        sheet, header = (int(x) for x in value.split(":"))
    except ValueError:
        return None
    if 0 <= sheet < len(sheets) and 0 <= header < max(len(sheets[sheet].rows), 1):
        return sheet, header
    return None


def _round_defaults(sheets: list[Sheet], layout: Layout) -> dict[str, Any]:
    """A new round's name and year from the title row above the header."""
    sheet = sheets[layout.sheet]
    title = next((c for row in sheet.rows[: layout.header] for c in row if c and len(c) >= 4), "")
    found = _YEAR.search(title)
    return {
        "title": title[:200],
        "year": int(found.group(1)) if found else services.today().year,
    }


@login_required
def sheet_map(request: HttpRequest, token: str) -> HttpResponse:
    user = _user(request)
    region = _region(user)
    pending, data = _pending(request, token, region)
    try:
        sheets = load_sheets(data, pending["filename"])
    except LedgerError as exc:
        raise Http404(exc.message) from exc
    rounds = importable_rounds(user, region)
    if request.method != "POST":
        layout = _with_others(sheets, propose_layout(region, sheets))
        defaults = {"round": str(rounds[0].pk) if rounds else NEW_ROUND}
        defaults |= _round_defaults(sheets, layout)
        form = SheetMapForm(
            initial=SheetMapForm.initial_for(layout, defaults),
            sheets=sheets,
            width=len(layout.fields),
            rounds=rounds,
        )
        return _render(request, form, sheets, layout, rounds, pending)

    shown = _shown(request.POST.get("shown", ""), sheets) or (0, 0)
    width = len(layout_at(region, sheets, *shown).fields)
    form = SheetMapForm(request.POST, sheets=sheets, width=width, rounds=rounds)
    if not form.is_valid():
        layout = layout_at(region, sheets, *shown)
        return _render(request, form, sheets, layout, rounds, pending, status=400)
    layout = form.layout()
    if (layout.sheet, layout.header) != shown:
        # another sheet or header row: its columns are proposed afresh
        if layout.header >= len(sheets[layout.sheet].rows):
            form.add_error("header_row", "这一行超出了工作表的范围")
            layout = layout_at(region, sheets, *shown)
            return _render(request, form, sheets, layout, rounds, pending, status=400)
        layout = _with_others(sheets, layout_at(region, sheets, layout.sheet, layout.header))
        data_now = request.POST.copy()
        data_now["shown"] = SheetMapForm.shown_value(layout)
        if layout.all_sheets:
            data_now["all_sheets"] = "on"
        else:
            data_now.pop("all_sheets", None)
        for i, f in enumerate(layout.fields):
            data_now[f"col_{i}"] = f
        form = SheetMapForm(data_now, sheets=sheets, width=len(layout.fields), rounds=rounds)
        form.is_valid()
        return _render(request, form, sheets, layout, rounds, pending)
    if "confirm" not in request.POST:
        return _render(request, form, sheets, layout, rounds, pending)

    new_round = form.new_round()
    chosen: Round | None = None
    if form.cleaned_data["round"] != NEW_ROUND:
        chosen = next((r for r in rounds if str(r.pk) == form.cleaned_data["round"]), None)
        if chosen is None:
            form.add_error("round", "请选择评价")
    if form.errors:
        return _render(request, form, sheets, layout, rounds, pending, status=400)
    try:
        result = sheet_import_apply(
            acting_user=user,
            region=region,
            data=data,
            filename=pending["filename"],
            layout=layout,
            rnd=chosen,
            new_round=new_round,
        )
    except LedgerError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render(request, form, sheets, layout, rounds, pending, status=400)
    if result.errors:
        return _render(
            request, form, sheets, layout, rounds, pending, status=400, errors=result.errors
        )
    PENDING.drop(request, token)
    results = request.session.get(RESULT_KEY, {})
    results[token] = {
        "filename": pending["filename"],
        "region": region.code,
        "round": result.rnd.pk if result.rnd is not None else None,
        "items": [item.pk for item in result.items],
        "skipped": list(result.skipped),
        "statuses": result.statuses,
        "already": result.already.created_at.isoformat() if result.already else "",
    }
    request.session[RESULT_KEY] = dict(list(results.items())[-5:])
    return HttpResponseRedirect(reverse("import-sheet-done", args=[token]))


def _with_others(sheets: list[Sheet], layout: Layout) -> Layout:
    """A fresh proposal takes in the other sheets with the same header."""
    return dataclasses.replace(layout, all_sheets=len(same_header_sheets(sheets, layout)) > 1)


def _render(
    request: HttpRequest,
    form: SheetMapForm,
    sheets: list[Sheet],
    layout: Layout,
    rounds: list[Round],
    pending: dict[str, Any],
    *,
    status: int = 200,
    errors: tuple[str, ...] = (),
) -> HttpResponse:
    sheet = sheets[layout.sheet]
    width = len(layout.fields)

    def cells(row: list[str]) -> list[str]:
        return (row + [""] * width)[:width]

    header = cells(sheet.rows[layout.header]) if layout.header < len(sheet.rows) else [""] * width
    below = [
        (n + 1, cells(row))
        for n, row in enumerate(sheet.rows[layout.header + 1 :], start=layout.header + 1)
        if any(row)
    ][:PREVIEW_ROWS]
    year = form.cleaned_data.get("year") if hasattr(form, "cleaned_data") else None
    chosen = form.cleaned_data.get("round") if hasattr(form, "cleaned_data") else None
    if chosen and chosen != NEW_ROUND:
        year = next((r.year for r in rounds if str(r.pk) == chosen), year)
    plan = sheet_import_plan(sheets, layout, year)
    context = {
        "form": form,
        "filename": pending["filename"],
        "sheet": sheet,
        "columns": [
            {"letter": column_letter(i), "name": header[i], "field": field}
            for i, field in enumerate(form.columns())
        ],
        "rows": below,
        "plan": plan,
        "read": plan.rows[:PREVIEW_ROWS],
        "errors": errors or plan.errors,
        "refused": bool(errors),
        "layout": layout,
        "has_rounds": bool(rounds),
        "others": [sheets[n].name for n, _ in same_header_sheets(sheets, layout)[1:]],
    }
    return render(request, "documents/import/sheet_map.html", context, status=status)


@login_required
def sheet_done(request: HttpRequest, token: str) -> HttpResponse:
    user = _user(request)
    region = _region(user)
    result: dict[str, Any] | None = request.session.get(RESULT_KEY, {}).get(token)
    if result is None or result["region"] != region.code:
        raise Http404("没有这次导入的记录")
    rnd = None
    if result["round"] is not None:
        rnd = access.round_for_user(user, result["round"])
    return render(
        request,
        "documents/import/sheet_done.html",
        {"result": result, "round": rnd, "count": len(result["items"])},
    )
