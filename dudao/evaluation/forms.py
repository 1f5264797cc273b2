"""Input forms of the evaluation pages; their errors are Chinese and shown by the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet

from dudao.engine import default_thresholds, framework
from dudao.engine.display import plain
from dudao.engine.indicators import LEVEL_NAMES
from dudao.engine.sheet import MAX_BYTES, too_large
from dudao.evaluation.models import Kind
from dudao.lib.forms import CleanForm
from dudao.rectification.models import Round
from dudao.regions.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PARAMETER_NAMES = {
    "school_rule.min_met": "学校达标规则：7项指标中至少达标项数",
    "school_rule.floor_ratio": "学校达标规则：其余指标不低于标准的比例",
    "myopia_decline.high_prevalence": "近视高发省份：近视率年下降幅度（个百分点）",
}


PARAMETER_UNITS = {
    "school_rule.min_met": "项",
    "school_rule.floor_ratio": "（小数，如 0.85 即 85%）",
    "myopia_decline.high_prevalence": "个百分点",
}
# How an indicator's unit is written after a number ('ratio' is written 1:N instead).
UNIT_WORDS = {
    "%": "%",
    "个百分点": "个百分点",
    "平方米": "平方米",
    "元": "元",
    "人": "人",
    "间": "间",
}


@dataclass(frozen=True)
class ThresholdInfo:
    """A threshold key as a clerk reads it: indicator, school level, unit, direction."""

    name: str
    level: str  # 小学 / 初中 / 学前教育 / 县域, or "" for a rule parameter
    unit: str  # as written after the number ("" when none; "1:N" for a ratio)
    comparison: str  # 不低于 / 不高于 / ""
    label: str  # the name, with the level where the indicator has several

    @property
    def unit_hint(self) -> str:
        if self.unit == "1:N":
            return "（填写 N，即 1:N）"
        if self.unit.startswith("（"):
            return self.unit
        return f"（单位：{self.unit}）" if self.unit else ""

    def value_text(self, value: float) -> str:
        number = plain(value)
        if self.unit == "1:N":
            number = f"1:{number}"
        elif self.unit and not self.unit.startswith("（"):
            number = f"{number}{self.unit}"
        return f"{self.comparison}{number}"


def threshold_info(key: str) -> ThresholdInfo:
    """'sports_area_per_student.primary' -> 生均体育运动场馆面积, 小学, 平方米, 不低于."""
    if key in PARAMETER_NAMES:
        name = PARAMETER_NAMES[key]
        return ThresholdInfo(name, "", PARAMETER_UNITS.get(key, ""), "", name)
    base, _, level = key.partition(".")
    ind = framework().get(base)
    unit = "1:N" if ind.unit == "ratio" else UNIT_WORDS.get(ind.unit, "")
    comparison = "不低于" if ind.comparison == ">=" else "不高于"
    label = f"{ind.name}（{LEVEL_NAMES[level]}）" if level else ind.name
    return ThresholdInfo(ind.name, LEVEL_NAMES[level or ind.levels[0]], unit, comparison, label)


def threshold_label(key: str) -> str:
    """'sports_area_per_student.primary' -> '生均体育运动场馆面积（小学）'."""
    return threshold_info(key).label


def threshold_choices() -> list[tuple[str, str]]:
    return [
        (k, f"{threshold_info(k).label}{threshold_info(k).unit_hint}") for k in default_thresholds()
    ]


class RegionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "请选择地区")  # not Django's "---------"
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.full_name}"


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="数据年度",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "请填写年度", "min_value": "年度应为四位年份"},
    )


class RegionForm(CleanForm):
    """A form whose `region` field offers the `regions` given (the user's, from `access`)."""

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the choices are labelled with `full_name`: their parents come in the same query
        field = self.fields["region"]
        field.queryset = regions.select_related("parent")  # type: ignore[attr-defined]


class UploadForm(RegionForm):
    max_upload_bytes = MAX_BYTES  # checked again in the browser before the file is sent
    kind = forms.ChoiceField(label="数据类型", choices=Kind.choices)
    year = _year_field()
    region = RegionChoice(
        label="数据范围", queryset=Region.objects.none(), error_messages={"required": "请选择地区"}
    )
    file = forms.FileField(
        label="数据文件（.xlsx 或 .csv）", error_messages={"required": "请选择要上传的文件"}
    )

    def clean_file(self) -> Any:
        # before anything reads it: an upload past the limit stays in Django's temporary file
        upload = self.cleaned_data["file"]
        if message := too_large(upload.size or 0):
            raise forms.ValidationError(message)
        return upload


class RunForm(RegionForm):
    region = RegionChoice(
        label="评估范围", queryset=Region.objects.none(), error_messages={"required": "请选择地区"}
    )
    year = _year_field()


class OverrideForm(RegionForm):
    region = RegionChoice(
        label="适用地区", queryset=Region.objects.none(), error_messages={"required": "请选择地区"}
    )
    key = forms.ChoiceField(label="阈值项", choices=())
    value = forms.FloatField(label="阈值", error_messages={"required": "请填写阈值"})
    valid_from = forms.DateField(
        label="生效日期", widget=DATE_WIDGET, error_messages={"required": "请填写生效日期"}
    )
    note = forms.CharField(label="依据/说明（如省级文件文号）", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = threshold_choices()  # type: ignore[attr-defined]


class RoundChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Round) -> str:
        return f"{obj.year}年 {obj.title}（{obj.evaluated_region.name}）"


class ToProblemsForm(CleanForm):
    round = RoundChoice(
        label="转入评价", queryset=Round.objects.none(), error_messages={"required": "请选择评价"}
    )
    assign = forms.BooleanField(label="同时分配给所属区县", required=False, initial=True)
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]


class FindingPickForm(CleanForm):
    """One finding in the list: picked or not, and its statement and dimension as edited."""

    pick = forms.BooleanField(label="选择", required=False)
    statement = forms.CharField(
        label="问题表述", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    dimension = forms.CharField(
        label="维度",
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "dimensions"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pick"):
            if not str(data.get("statement", "")).strip():
                self.add_error("statement", "问题表述不能为空")
            if not str(data.get("dimension", "")).strip():
                self.add_error("dimension", "请填写问题所属维度")
        return data
