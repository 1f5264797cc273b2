"""Forms of the documents pages; their error messages are Chinese."""

from __future__ import annotations

from typing import Any

from django import forms

from dudao.documents.generation import GENERATED_KINDS, SHORT_NAMES
from dudao.documents.models import Kind
from dudao.lib.forms import CleanForm
from dudao.rectification.forms import DATE_WIDGET

MAX_LEDGER_BYTES = 50 * 1024 * 1024
KIND_CHOICES = [(k.value, SHORT_NAMES[k]) for k in GENERATED_KINDS]


class TargetForm(CleanForm):
    """Which document: a round, a region (code) and a kind. The choices only list what the
    user sees; any other round or region is refused by the access check (404), not here."""

    round = forms.IntegerField(
        label="评价", widget=forms.Select, error_messages={"required": "请选择评价"}
    )
    region = forms.CharField(
        label="地区", max_length=6, widget=forms.Select, error_messages={"required": "请选择地区"}
    )
    kind = forms.ChoiceField(
        label="公文类型",
        choices=KIND_CHOICES,
        error_messages={"required": "请选择公文类型"},
    )

    def __init__(
        self, *args: Any, rounds: Any, regions: Any, kinds: Any = GENERATED_KINDS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        round_widget = self.fields["round"].widget
        region_widget = self.fields["region"].widget
        assert isinstance(round_widget, forms.Select)
        assert isinstance(region_widget, forms.Select)
        round_widget.choices = [(r.pk, str(r)) for r in rounds]
        region_widget.choices = [(r.code, r.full_name) for r in regions]
        region_widget.attrs["data-filter"] = "输入地区名称筛选"
        kind_widget = self.fields["kind"].widget
        assert isinstance(kind_widget, forms.Select)
        # Offered: only the kinds the user may write (access decides), so that no choice
        # ends in 无权操作. A URL naming another kind still meets the access check (403).
        kind_widget.choices = [(k.value, SHORT_NAMES[k]) for k in GENERATED_KINDS if k in kinds]


class DocumentFilterForm(CleanForm):
    round = forms.TypedChoiceField(label="评价", required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label="地区", required=False)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Kind.choices]
    )

    def __init__(self, *args: Any, rounds: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        round_field = self.fields["round"]
        region_field = self.fields["region"]
        assert isinstance(round_field, forms.ChoiceField)
        assert isinstance(region_field, forms.ChoiceField)
        round_field.choices = [("", "全部评价"), *((r.pk, str(r)) for r in rounds)]
        # Regions by name, from those the user sees (never a GB/T 2260 code to type).
        region_field.choices = [("", "全部地区"), *((r.code, r.full_name) for r in regions)]
        region_field.widget.attrs["data-filter"] = "输入地区名称筛选"


class DocumentForm(CleanForm):
    issuer = forms.CharField(
        label="发文机关", max_length=100, error_messages={"required": "请填写发文机关"}
    )
    doc_number = forms.CharField(
        label="文号",
        max_length=64,
        help_text="格式：机关代字〔年份〕序号号，如 绥政函〔2024〕17号",
        error_messages={"required": "请填写文号"},
    )
    title = forms.CharField(label="标题", max_length=300, error_messages={"required": "请填写标题"})
    recipient = forms.CharField(
        label="主送机关", max_length=200, error_messages={"required": "请填写主送机关"}
    )
    date = forms.DateField(
        label="成文日期",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写成文日期", "invalid": "请填写有效日期，如 2024-05-28"},
    )
    preamble = forms.CharField(
        label="开头语", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    closing = forms.CharField(
        label="下一步打算（可不填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.CharField(label="联系人（附注，可不填）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    copy_to = forms.CharField(
        label="抄送（可不填）",
        max_length=200,
        required=False,
        help_text="多个机关用顿号分隔，如 鹤岗市教育局、鹤岗市财政局",
    )
    report_by = forms.DateField(
        label="整改情况报送期限（整改通知，可不填）",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "请填写有效日期，如 2024-08-31"},
    )


class LedgerUploadForm(CleanForm):
    max_upload_bytes = MAX_LEDGER_BYTES  # checked again in the browser before it is sent
    file = forms.FileField(
        label="填好的台账（.xlsx）",
        allow_empty_file=True,
        error_messages={"required": "请选择要导入的台账文件"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_LEDGER_BYTES:
            raise forms.ValidationError(
                f"文件超过 {MAX_LEDGER_BYTES // 1024 // 1024} MB，请按县（市、区）拆分后分批导入"
            )
        return upload


class ConfirmForm(CleanForm):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
