from __future__ import annotations

import datetime
import re
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from dudao.lib import labels
from dudao.lib.zh import format_cn_date

register = template.Library()


@register.filter
def manages_users(user: Any) -> bool:
    """Whether the top bar shows 用户管理 (the grants are read once per request anyway)."""
    from dudao.accounts import access

    return access.can_manage_users(user)


ACTION_LABELS = {
    "round_create": "创建评价",
    "problem_add": "添加问题",
    "problem_update": "修改问题",
    "item_assign": "分配整改任务",
    "item_dispatch": "分解下发",
    "round_receive": "登记来文评价",
    "column_mapping_save": "保存台账列对应",
    "item_update": "修改整改内容",
    "item_start": "开始整改",
    "item_request_signoff": "申请销号",
    "item_sign_off": "销号",
    "item_send_back": "退回",
    "item_mark_ongoing": "转为长期坚持",
    "item_resume": "恢复整改",
    "item_archive": "撤回任务",
    "item_restore": "恢复任务",
    "progress_add": "报送进展",
    "evidence_add": "上传佐证材料",
    "item_import": "导入整改情况",
    "user_add": "新增用户",
    "membership_add": "授予权限",
    "dataset_upload": "导入指标数据",
    "evaluation_run": "运行督导评估",
    "threshold_override_add": "调整评估阈值",
    "finding_to_problem": "评估发现转为问题",
    "document_generate": "生成公文",
    "document_import": "导入报告文件",
    "supervision_urge": "催办",
    "supervision_duban": "督办通知",
    "supervision_tongbao": "通报",
    "supervision_yuetan": "约谈",
    "extension_request": "申请延期",
    "extension_decide": "审批延期",
    "ongoing_plan_set": "设定阶段目标",
    "holidays_load": "修改节假日表",
    "warning_policy_set": "修改预警规则",
    "round_schedule_set": "修改自动催办",
}


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@register.filter
def field_label(name: str) -> str:
    return labels.field_label(name)


@register.filter
def value_text(info: Any, value: float) -> str:
    """A threshold with its direction and unit: 不低于4.2人, 不高于1:15."""
    text: str = info.value_text(value)
    return text


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag
def field_row(field: Any) -> str:
    """A form field with its label and its errors in Chinese beside it. A tag, not an
    included template: the item page shows a dozen fields."""
    errors = format_html_join("", '<div class="error">{}</div>', ((e,) for e in field.errors))
    widget = field
    if field.widget_type in FILE_WIDGETS:
        widget = file_picker(field)
    return format_html(
        '<div class="field{}"><label for="{}">{}</label>{}{}</div>',
        " has-error" if field.errors else "",
        field.id_for_label,
        field.label,
        widget,
        errors,
    )


FILE_WIDGETS = {"file", "clearablefile"}
NO_FILE = "未选择文件"


def file_picker(field: Any) -> str:
    """A file input with a Chinese face, whatever the browser's language: the native input
    stays (visually hidden, still focusable and keyboard-operable), a label styled as a
    button opens it, and `upload.js` writes the chosen file's name beside it."""
    attrs = {**field.field.widget.attrs, "class": "file-input"}
    limit = getattr(field.form, "max_upload_bytes", None)
    if limit:
        attrs["data-max-bytes"] = str(limit)
    return format_html(
        '<span class="file-picker">{}<label for="{}" class="file-button">选择文件</label>'
        '<span class="file-name" aria-live="polite" data-empty="{}">{}</span></span>',
        field.as_widget(attrs=attrs),
        field.id_for_label,
        NO_FILE,
        NO_FILE,
    )


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@register.filter
def change_text(value: object, length: int = 80) -> str:
    """A recorded value as the history shows it: （空） for none, a date (kept as ISO text
    in the audit row) as official documents print it, long text cut to `length`."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    if _ISO_DAY.fullmatch(text):
        try:
            return format_cn_date(datetime.date.fromisoformat(text))
        except ValueError:
            return text
    return text if len(text) <= length else Truncator(text).chars(length)
