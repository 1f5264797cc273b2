"""Forms of the import of an office's own Excel 台账: the upload, and the mapping step
(sheet, header row, each column's field, the round)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from dudao.documents.forms_import import MAX_UPLOAD_BYTES
from dudao.documents.importing.sheet import FIELD_CHOICES, Layout, NewRound
from dudao.lib.forms import CleanForm
from dudao.parser.ledger import Sheet
from dudao.rectification.models import Round
from dudao.writers.spreadsheet import column_letter

NEW_ROUND = "new"


class SheetUploadForm(CleanForm):
    file = forms.FileField(
        label="台账文件",
        allow_empty_file=True,
        error_messages={"required": "请选择要导入的 Excel 台账"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 20 MB，请拆分后再导入")
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".xlsm", ".xls", ".et", ".csv")):
            raise forms.ValidationError("请上传 Excel 台账（.xlsx、.xls）或 .csv 文件")
        return upload


class SheetMapForm(CleanForm):
    """The mapping step. `shown` names the sheet and header row the column fields were
    drawn for: when the clerk picks another sheet or header row, the columns are proposed
    again instead of read from the form."""

    sheet = forms.TypedChoiceField(label="工作表", coerce=int)
    header_row = forms.IntegerField(
        label="表头所在行",
        min_value=1,
        max_value=50,
        error_messages={"invalid": "请填写表头所在的行号", "required": "请填写表头所在的行号"},
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    all_sheets = forms.BooleanField(label="同时导入表头相同的其他工作表", required=False)
    round = forms.ChoiceField(label="导入到评价")
    title = forms.CharField(label="新评价名称", max_length=200, required=False)
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100, required=False)
    issuer = forms.CharField(label="来文机关（反馈问题的单位）", max_length=100, required=False)

    def __init__(
        self,
        *args: Any,
        sheets: Sequence[Sheet],
        width: int,
        rounds: Sequence[Round],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        sheet_field = self.fields["sheet"]
        round_field = self.fields["round"]
        assert isinstance(sheet_field, forms.ChoiceField)
        assert isinstance(round_field, forms.ChoiceField)
        sheet_field.choices = [(n, s.name or "表格") for n, s in enumerate(sheets)]
        round_field.choices = [
            (NEW_ROUND, "新建评价（按下方名称、年度、来文机关）"),
            *((str(r.pk), str(r)) for r in rounds),
        ]
        self.width = width
        for i in range(width):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=f"{column_letter(i)}列",
                choices=FIELD_CHOICES,
                required=False,
                widget=forms.Select(attrs={"aria-label": f"{column_letter(i)}列对应的字段"}),
            )

    @staticmethod
    def shown_value(layout: Layout) -> str:
        return f"{layout.sheet}:{layout.header}"

    @staticmethod
    def initial_for(layout: Layout, defaults: dict[str, Any]) -> dict[str, Any]:
        return {
            "sheet": layout.sheet,
            "header_row": layout.header + 1,
            "shown": SheetMapForm.shown_value(layout),
            "all_sheets": layout.all_sheets,
            **{f"col_{i}": f for i, f in enumerate(layout.fields)},
            **defaults,
        }

    def layout(self) -> Layout:
        return Layout(
            sheet=self.cleaned_data["sheet"],
            header=self.cleaned_data["header_row"] - 1,
            fields=tuple(self.cleaned_data.get(f"col_{i}") or "" for i in range(self.width)),
            all_sheets=bool(self.cleaned_data.get("all_sheets")),
        )

    def columns(self) -> list[forms.BoundField]:
        return [self[f"col_{i}"] for i in range(self.width)]

    def new_round(self) -> NewRound | None:
        if self.cleaned_data["round"] != NEW_ROUND:
            return None
        missing = [
            (name, message)
            for name, message in (
                ("title", "请填写新评价的名称"),
                ("year", "请填写评价年度"),
                ("issuer", "请填写来文机关（反馈这些问题的单位）"),
            )
            if not self.cleaned_data.get(name)
        ]
        for name, message in missing:
            self.add_error(name, message)
        if missing:
            return None
        return NewRound(
            title=self.cleaned_data["title"],
            year=self.cleaned_data["year"],
            issuer=self.cleaned_data["issuer"],
        )
