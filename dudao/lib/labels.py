"""The one vocabulary for an item's fields: the same words on the screens, in the Excel
台账 (column headers), in generated documents and in the audit trail. Pure: the writers
(a core without Django) read it as well as the templates.

>>> FIELD_LABELS["lead_unit"], FIELD_LABELS["outcome"]
('牵头单位', '整改情况')
>>> current_column("完成情况")
'整改情况'
"""

from __future__ import annotations

FIELD_LABELS: dict[str, str] = {
    "lead_unit": "牵头单位",
    "co_units": "配合单位",
    "responsible_person": "责任人",
    "deadline": "整改时限",
    "measures": "整改措施",
    "outcome": "整改情况",
    "remark": "备注",
    "status": "状态",
    "region": "责任地区",
    "archived": "已撤回",
    "statement": "问题",
    "dimension": "维度",
    "title": "名称",
    "year": "年度",
    "text": "内容",
    "file": "文件",
    "step": "督办环节",
    "follow_up": "约谈后续任务",
    "extension": "延期申请",
    "stage_goals": "阶段目标",
    "next_review": "下次复查日期",
    "parent": "分解来源（任务编号）",
    "unit": "责任部门",
    "ongoing_reason": "长期坚持理由",
}

# The fields of an account's audit rows (the user page): not an item's, so not offered
# as a 台账 column.
ACCOUNT_FIELD_LABELS: dict[str, str] = {
    "username": "用户名",
    "membership": "授权",
    "is_active": "启用",
    "role": "角色",
    "email": "电子邮箱",
}

# Headers of 台账 exported before the vocabulary was one: files of then still import.
FORMER_COLUMN_NAMES: dict[str, str] = {
    "责任单位": FIELD_LABELS["lead_unit"],
    "完成情况": FIELD_LABELS["outcome"],
}


def field_label(name: str) -> str:
    """The label of a field name; an unknown name is returned as it is."""
    return FIELD_LABELS.get(name) or ACCOUNT_FIELD_LABELS.get(name, name)


def current_column(header: str) -> str:
    """A 台账 column header in today's words."""
    return FORMER_COLUMN_NAMES.get(header, header)
