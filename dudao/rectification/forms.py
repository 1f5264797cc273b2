"""Input forms; their error messages are Chinese and shown next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from dudao.lib.forms import CleanForm
from dudao.rectification.models import DIMENSIONS, Status
from dudao.rectification.selectors import LedgerFilter
from dudao.regions.models import Region


def _code_and_full_name(region: Region) -> str:
    return f"{region.code} {region.full_name}"


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemEditForm(CleanForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lead_unit = forms.CharField(label="牵头单位", max_length=200, required=False)
    co_units = forms.CharField(label="配合单位", max_length=400, required=False)
    responsible_person = forms.CharField(label="责任人", max_length=64, required=False)
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE_WIDGET)
    measures = forms.CharField(
        label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.CharField(
        label="整改情况", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    remark = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(CleanForm):
    day = forms.DateField(label="日期", required=False, widget=DATE_WIDGET)
    text = forms.CharField(
        label="进展",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "进展内容不能为空"},
    )


class EvidenceForm(CleanForm):
    @property
    def max_upload_bytes(self) -> int:  # checked again in the browser before it is sent
        limit: int = settings.DUDAO_EVIDENCE_MAX_BYTES
        return limit

    file = forms.FileField(
        label="文件",
        allow_empty_file=True,
        error_messages={"required": "请选择要上传的文件"},
    )
    description = forms.CharField(label="说明", max_length=200, required=False)


class TransitionForm(CleanForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveForm(CleanForm):
    reason = forms.CharField(label="理由", required=False)


class LedgerFilterForm(CleanForm):
    region = forms.ChoiceField(label="地区", required=False)
    round = forms.TypedChoiceField(label="评价", required=False, coerce=int, empty_value=None)
    dimension = forms.ChoiceField(label="维度", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Status.choices]
    )
    overdue = forms.BooleanField(label="仅看超期", required=False)
    archived = forms.BooleanField(label="已撤回", required=False)
    q = forms.CharField(label="搜索", required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[str, str]],
        rounds: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """`regions` as (code, label) and `rounds` as (id, label): plain choices, because
        the list page builds this form on every request."""
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, str]]] = {
            "region": [("", "全部地区"), *regions],
            "round": [("", "全部评价"), *rounds],
            "dimension": [("", "全部维度"), *((d, d) for d in DIMENSIONS)],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options


class RoundForm(CleanForm):
    year = forms.IntegerField(
        label="评价年度", min_value=2000, max_value=2100, help_text="开展评价的年度，如 2023"
    )
    evaluating_region = forms.ModelChoiceField(
        label="评价方",
        queryset=Region.objects.none(),
        to_field_name="code",
        help_text="开展评价、下达反馈意见的本级政府（您所督导的地区）",
    )
    evaluated_region = forms.ModelChoiceField(
        label="被评价方",
        queryset=Region.objects.none(),
        to_field_name="code",
        help_text="接受评价、负责整改的下级政府",
    )
    title = forms.CharField(
        label="评价名称",
        max_length=200,
        help_text="如：省对鹤岗市人民政府履行教育职责评价",
    )
    source_doc_number = forms.CharField(
        label="反馈文号",
        max_length=64,
        required=False,
        help_text="反馈意见的文号，如 黑教督函〔2023〕5号；没有可不填",
    )

    def __init__(self, *args: Any, evaluating: Any, evaluated: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, qs in (("evaluating_region", evaluating), ("evaluated_region", evaluated)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs
            field.label_from_instance = _code_and_full_name  # type: ignore[method-assign,assignment]


class ProblemForm(CleanForm):
    dimension = forms.CharField(
        label="维度",
        max_length=64,
        widget=forms.TextInput(attrs={"list": "dimension-options"}),
        error_messages={"required": "请选择或填写问题所属维度"},
    )
    statement = forms.CharField(
        label="问题",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "问题描述不能为空"},
    )


class AssignForm(CleanForm):
    problems = forms.MultipleChoiceField(
        label="问题",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个问题"},
    )
    regions = forms.MultipleChoiceField(
        label="责任地区",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个责任地区"},
    )
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE_WIDGET)
    lead_unit = forms.CharField(label="牵头单位", max_length=200, required=False)
    co_units = forms.CharField(label="配合单位", max_length=400, required=False)
    responsible_person = forms.CharField(label="责任人", max_length=64, required=False)

    def __init__(self, *args: Any, problems: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p_field = self.fields["problems"]
        r_field = self.fields["regions"]
        assert isinstance(p_field, forms.MultipleChoiceField)
        assert isinstance(r_field, forms.MultipleChoiceField)
        p_field.choices = [(str(p.pk), f"{p.order}. {p.statement[:40]}") for p in problems]
        r_field.choices = [(r.code, r.name) for r in regions]


def ledger_filter_from(user: Any, data: Any) -> tuple[LedgerFilterForm, LedgerFilter, str]:
    """The ledger filters in a query string: the bound form, the filter, and the status."""
    from dudao.accounts import access

    # Plain tuples: a province's supervisor sees a hundred regions, and only the chosen
    # one becomes a model instance.
    visible = {
        code: (pk, name, path, level, parent)
        for pk, code, name, path, level, parent in access.regions_visible_to(user)
        .order_by("code")
        .values_list("id", "code", "name", "path", "level", "parent_id")
    }
    visible_ids = [r[0] for r in visible.values()]
    rounds = (
        access.rounds_visible_to(user, region_ids=visible_ids)
        .order_by("-year", "id")
        .values_list("id", "year", "title")
    )
    form = LedgerFilterForm(
        data or None,
        regions=[(code, f"{code} {r[1]}") for code, r in visible.items()],
        rounds=[(pk, f"{year}年 {title}") for pk, year, title in rounds],
    )
    if not form.is_valid():
        return form, LedgerFilter(region_ids=tuple(visible_ids)), ""
    d = form.cleaned_data
    chosen = visible.get(d["region"])
    region = None
    if chosen is not None:
        pk, name, path, level, parent = chosen
        region = Region(
            pk=pk, code=d["region"], name=name, path=path, level=level, parent_id=parent
        )
    f = LedgerFilter(
        region=region,
        region_ids=tuple(
            pk
            for pk, _, path, _, _ in visible.values()
            if region is None or path.startswith(region.path)
        ),
        round_id=d["round"],
        dimension=d["dimension"],
        overdue=d["overdue"],
        q=d["q"].strip(),
        archived=d["archived"],
    )
    return form, f, d["status"]


class DispatchForm(CleanForm):
    """Pass items on (分解下发): to regions directly below, and/or to departments."""

    items = forms.MultipleChoiceField(
        label="整改任务",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项整改任务"},
    )
    regions = forms.MultipleChoiceField(
        label="下级地区", widget=forms.CheckboxSelectMultiple, required=False
    )
    units = forms.CharField(
        label="本级部门",
        max_length=400,
        required=False,
        help_text="多个部门用顿号分隔，如：市教育局、市人社局",
    )
    deadline = forms.DateField(
        label="整改时限", required=False, widget=DATE_WIDGET, help_text="留空则与本级任务相同"
    )
    lead_unit = forms.CharField(label="牵头单位（下级地区）", max_length=200, required=False)
    co_units = forms.CharField(label="配合单位", max_length=400, required=False)

    def __init__(self, *args: Any, items: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        i_field = self.fields["items"]
        r_field = self.fields["regions"]
        assert isinstance(i_field, forms.MultipleChoiceField)
        assert isinstance(r_field, forms.MultipleChoiceField)
        i_field.choices = [
            (str(i.pk), f"{i.problem.order}. {i.problem.statement[:40]}") for i in items
        ]
        r_field.choices = [(r.code, r.name) for r in regions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("regions") and not str(data.get("units") or "").strip():
            raise forms.ValidationError("请至少选择一个下级地区或填写一个部门")
        return data
