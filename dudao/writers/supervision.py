"""The documents of 督查督办: the 督办通知 a supervising office sends a lagging region's
government, and the 通报 listing the lagging regions and their items (for internal
circulation). Both are GB/T 9704 letters built with page.py, like the 整改通知.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from dudao.lib.labels import FIELD_LABELS
from dudao.lib.zh import cn_numeral, format_cn_date
from dudao.writers.content import LetterHead, cleaned
from dudao.writers.page import finish_letter, new_letter, paragraph, paragraphs

DUBAN_CLOSING = "特此通知。"
TONGBAO_CLOSING = "特此通报。"


@dataclass(frozen=True)
class LaggingItem:
    """An item behind its deadline, as the documents of 督查督办 show it."""

    statement: str
    deadline: datetime.date | None = None
    lead_unit: str = ""
    status_label: str = ""
    late_days: int = 0  # working days past the deadline


@dataclass(frozen=True)
class LaggingGroup:
    """A heading (a dimension in a 督办通知, a region in a 通报) and its items."""

    title: str
    items: tuple[LaggingItem, ...]


def _item(document: object, number: str, item: LaggingItem) -> None:
    paragraph(document, f"{number}{item.statement.strip().rstrip('。；;')}", "GwHeading2")
    facts = []
    if item.lead_unit.strip():
        facts.append(f"{FIELD_LABELS['lead_unit']}：{item.lead_unit.strip()}")
    if item.deadline is not None:
        late = f"（已超期{item.late_days}个工作日）" if item.late_days > 0 else ""
        facts.append(f"{FIELD_LABELS['deadline']}：{format_cn_date(item.deadline)}{late}")
    if item.status_label.strip():
        facts.append(f"{FIELD_LABELS['status']}：{item.status_label.strip()}")
    if facts:
        paragraph(document, "；".join(facts) + "。", "GwBody")


def _groups(document: object, groups: Sequence[LaggingGroup]) -> None:
    """`一、` headings (黑体) and `（一）` items (楷体) numbered on across the headings."""
    number = 0
    for index, group in enumerate(groups, start=1):
        paragraph(document, f"{cn_numeral(index)}、{group.title.strip()}", "GwHeading1")
        for item in group.items:
            number += 1
            _item(document, f"（{cn_numeral(number)}）", item)


def render_duban_notice(
    head: LetterHead,
    preamble: str,
    groups: Sequence[LaggingGroup],
    reply_by: datetime.date,
    requirements: str = "",
) -> bytes:
    """The 督办通知: the preamble, the overdue items by dimension, what is required
    (`requirements`, one paragraph a line) and the date by which to reply in writing."""
    head, preamble, groups, requirements = cleaned((head, preamble, tuple(groups), requirements))
    document = new_letter(head)
    paragraphs(document, preamble)
    _groups(document, groups)
    paragraphs(document, requirements)
    paragraph(
        document,
        f"请于{format_cn_date(reply_by)}前将上述问题的整改情况书面报送我室。",
        "GwBody",
    )
    return finish_letter(document, head, DUBAN_CLOSING)


def render_tongbao(
    head: LetterHead, preamble: str, groups: Sequence[LaggingGroup], requirements: str = ""
) -> bytes:
    """The 通报: the preamble, the lagging regions (one heading each) with their items,
    and what is required of them."""
    head, preamble, groups, requirements = cleaned((head, preamble, tuple(groups), requirements))
    document = new_letter(head)
    paragraphs(document, preamble)
    _groups(document, groups)
    paragraphs(document, requirements)
    return finish_letter(document, head, TONGBAO_CLOSING)
