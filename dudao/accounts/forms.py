"""Forms of the account pages; every label and message is Chinese."""

from __future__ import annotations

from typing import Any

from django import forms

from dudao.accounts.models import Role
from dudao.lib.forms import CleanForm
from dudao.regions.models import Region


def _region_label(region: Region) -> str:
    return f"{region.code} {region.name}"


class UserCreateForm(CleanForm):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        help_text="登录用，字母、数字或 @.+-_",
        validators=[],
    )
    display_name = forms.CharField(label="姓名与单位", max_length=64, required=False)
    region = forms.ModelChoiceField(label="所属地区", queryset=Region.objects.none())
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions.order_by("path")
        region_field.label_from_instance = _region_label  # type: ignore[method-assign,assignment]

    def clean_username(self) -> str:
        from django.contrib.auth.validators import UnicodeUsernameValidator

        value = str(self.cleaned_data["username"]).strip()
        UnicodeUsernameValidator(message="用户名只能包含字母、数字和 @.+-_ 符号")(value)
        return value


class RoleForm(CleanForm):
    role = forms.ChoiceField(label="角色", choices=Role.choices)


class EmailForm(CleanForm):
    email = forms.CharField(
        label="电子邮箱",
        max_length=254,
        required=False,
        help_text="每日通知摘要发到此邮箱；留空则不发邮件",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
