"""Forms of the report import: the upload, and the corrections made in the preview."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from dudao.documents.importing import ImportPlan
from dudao.lib.forms import CleanForm
from dudao.parser import FEEDBACK_LETTER, RECTIFICATION_REPORT
from dudao.rectification.models import Round
from dudao.regions.models import Region

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KIND_CHOICES = [(RECTIFICATION_REPORT, "整改情况报告"), (FEEDBACK_LETTER, "反馈意见（只有问题）")]


class UploadForm(CleanForm):
    max_upload_bytes = MAX_UPLOAD_BYTES  # checked again in the browser before the file is sent
    file = forms.FileField(
        label="报告文件",
        allow_empty_file=True,  # the parser explains what is wrong with an empty file
        error_messages={"required": "请选择要导入的文件"},
    )
    # The round and the region are checked by the view through the access module (404 for
    # what the user cannot see), so the fields accept any value and only offer visible ones.
    # blank: the round the letter's problems name, or a received round for a letter from
    # outside Dudao (dudao.documents.importing.received)
    round = forms.IntegerField(
        label="评价",
        widget=forms.Select,
        required=False,
        error_messages={"invalid": "请选择评价"},
    )
    region = forms.CharField(
        label="报告地区", widget=forms.Select, error_messages={"required": "请选择地区"}
    )

    def __init__(
        self, *args: Any, rounds: Iterable[Round], regions: Iterable[Region], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].widget.choices = [
            ("", "按来文自动识别（或按来文建立收文评价）"),
            *((r.pk, str(r)) for r in rounds),
        ]
        region_choices = [(r.code, f"{r.code} {r.full_name}") for r in regions]
        self.fields["region"].widget.choices = [("", "请选择地区"), *region_choices]
        if len(region_choices) == 1:  # a county officer: their own county
            self.fields["region"].initial = region_choices[0][0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 20 MB，请拆分或压缩后再导入")
        return upload


class CorrectionForm(CleanForm):
    """The preview's fields: the header, the kind, and per problem its statement, dimension,
    measures text and a "do not import" box (fields p<number>-statement …)."""

    kind = forms.ChoiceField(label="类型", choices=KIND_CHOICES)
    issuer = forms.CharField(label="发文机关", max_length=100, required=False)
    doc_number = forms.CharField(label="文号", max_length=64, required=False)
    title = forms.CharField(label="标题", max_length=300, required=False)
    recipient = forms.CharField(label="主送机关", max_length=200, required=False)
    date = forms.DateField(
        label="成文日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "成文日期格式应为 2024-05-28"},
    )
    # item id:version of every item of the region when the preview was shown
    versions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, numbers: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = list(numbers)
        for number in self.numbers:
            prefix = f"p{number}-"
            self.fields[prefix + "statement"] = forms.CharField(
                label="问题", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[prefix + "dimension"] = forms.CharField(
                label="维度", max_length=64, required=False
            )
            self.fields[prefix + "measures"] = forms.CharField(
                label="整改情况", required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.fields[prefix + "skip"] = forms.BooleanField(label="不导入此问题", required=False)

    @staticmethod
    def initial_for(plan: ImportPlan) -> dict[str, Any]:
        header = plan.header
        initial: dict[str, Any] = {
            "kind": plan.kind,
            "issuer": header.issuer,
            "doc_number": header.doc_number,
            "title": header.title,
            "recipient": header.recipient,
            "date": header.date,
            "versions": ",".join(f"{k}:{v}" for k, v in sorted(plan.item_versions.items())),
        }
        for entry in plan.entries:
            prefix = f"p{entry.number}-"
            initial[prefix + "statement"] = entry.statement
            initial[prefix + "dimension"] = entry.dimension
            initial[prefix + "measures"] = entry.measures
            initial[prefix + "skip"] = entry.skipped_by_user
        return initial

    def corrections(self) -> dict[str, Any]:
        d = self.cleaned_data
        problems = {
            n: {
                "statement": d.get(f"p{n}-statement", ""),
                "dimension": d.get(f"p{n}-dimension", ""),
                "measures": d.get(f"p{n}-measures", ""),
                "skip": bool(d.get(f"p{n}-skip")),
            }
            for n in self.numbers
        }
        return {
            "kind": d["kind"],
            "issuer": d["issuer"],
            "doc_number": d["doc_number"],
            "title": d["title"],
            "recipient": d["recipient"],
            "date": d["date"],
            "problems": problems,
        }

    def expected_versions(self) -> dict[int, int]:
        pairs = (p.split(":", 1) for p in self.cleaned_data["versions"].split(",") if ":" in p)
        try:
            return {int(k): int(v) for k, v in pairs}
        except ValueError:
            return {}
