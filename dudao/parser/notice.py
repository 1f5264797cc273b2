"""Notices (整改通知 / 整改工作提示): a letter handing problems down with who leads each one
and by when, laid out as Dudao writes it (and as offices commonly do by hand):

    一、教育优先发展方面
    （一）普通高中理科实验室设施设备更新缓慢……
    牵头单位：绥滨县教育局
    配合单位：绥滨县财政局
    整改时限：2024年6月30日

The general reader would take the label lines for a report's measures (or, repeated on
every problem, for running headers) and the dimension headings for the problems: a letter
whose problems carry these assignment labels, and no 整改情况, is read here instead.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass

from dudao.parser.heading import MEASURES_LABEL, Heading, match_heading
from dudao.parser.model import FEEDBACK_LETTER, Problem, Section
from dudao.parser.text import fold, squeeze

# On the folded text (full-width colons are ":" there). OCR often reads the colon as a
# comma, semicolon or full stop: those count only before a value that is plainly one
# (`_plain_value`), so that "…作为牵头单位，负责…" in a sentence stays a sentence.
_LABEL_NAMES = r"牵头单位|责任单位|配合单位|协办单位|整改时限|完成时限|整改期限"
ASSIGNMENT_LABEL = re.compile(rf"(?P<name>{_LABEL_NAMES})\s*(?P<sep>[:,;.])\s*(?P<value>.*)$")
_DEADLINE_NAMES = {"整改时限", "完成时限", "整改期限"}
_ORGAN_END = re.compile(
    r"(?:局|委|办|院|室|政府|中心|部|会|所|站|队|校|馆|处|科|厅|团|公司|镇|乡|街道|园)$"
)
_DEADLINE_START = re.compile(r"\d{4}\s*年|长期|持续")
_LEAD = {"牵头单位", "责任单位"}
_CO = {"配合单位", "协办单位"}
# Closing paragraphs of a notice: the request to report back, its 附注, attachments.
_CLOSING = re.compile(r"^[(（]?\s*(?:请|特此|以上|联系人|联系电话|附件|抄送)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def is_assignment_line(folded: str) -> bool:
    """ "牵头单位：绥滨县教育局" — printed under every problem of a notice, so it repeats
    like a running header but is content.

    >>> is_assignment_line("整改时限:2024年6月30日")
    True
    >>> is_assignment_line("绥滨县人民政府")
    False
    """
    return assignment(folded.strip()) is not None


def assignment(folded: str) -> re.Match[str] | None:
    """The label, separator and value of an assignment line (folded), or None."""
    match = ASSIGNMENT_LABEL.match(folded)
    if match is None or match.group("sep") == ":" or _plain_value(match):
        return match
    return None


def _plain_value(match: re.Match[str]) -> bool:
    """After an OCR slip for the colon: a date (or 长期) for a deadline, a list of organs
    (…局、…委) for a unit."""
    value = match.group("value").strip(" .;")
    if not value or len(value) > 80:
        return False
    if match.group("name") in _DEADLINE_NAMES:
        return _DEADLINE_START.match(value) is not None
    parts = [p.strip() for p in re.split(r"[、,]", value) if p.strip()]
    return bool(parts) and all(_ORGAN_END.search(p) for p in parts)


@dataclass
class _Open:
    label: str
    statement: str
    lead_unit: str = ""
    co_units: str = ""
    deadline: datetime.date | None = None
    labelled: bool = False


@dataclass(frozen=True)
class Notice:
    sections: tuple[Section, ...]
    kind: str = FEEDBACK_LETTER


def read_notice(paragraphs: list[str]) -> Notice | None:
    """The sections and problems of a notice, or None when the text is not one: no
    assignment labels under its problems, or a report's 整改情况 labels among them."""
    pieces = [piece for p in paragraphs for piece in _split_at_labels(p)]
    parsed = [(p, fold(p), match_heading(p, fold(p))) for p in pieces]
    labelled = sum(1 for _, f, _ in parsed if is_assignment_line(f))
    if labelled == 0 or any(MEASURES_LABEL.match(f) for _, f, _ in parsed):
        return None
    ranks = sorted({h.rank for _, _, h in parsed if h is not None})
    if not ranks:
        return None
    # Two levels: dimensions above problems; one level: the problems themselves.
    problem_rank = ranks[1] if len(ranks) > 1 else ranks[0]
    section_rank = ranks[0] if len(ranks) > 1 else None
    sections: list[tuple[str, str, list[_Open]]] = []
    current: _Open | None = None
    for text, folded, head in parsed:
        if head is not None and head.rank == section_rank:
            sections.append((head.label, _rest(text, head), []))
            current = None
        elif head is not None and head.rank == problem_rank:
            if not sections:
                sections.append(("", "", []))
            current = _Open(head.label, _rest(text, head))
            sections[-1][2].append(current)
        elif current is not None and (match := assignment(folded.strip())):
            # fold keeps every character in place: the value as written starts where the
            # folded one does
            stripped = text.strip()
            _assign(current, match.group("name"), squeeze(stripped[match.start("value") :]))
        elif current is not None and not current.labelled and not _CLOSING.match(folded):
            current.statement += squeeze(text)  # a statement wrapped onto the next line
        else:
            current = None if _CLOSING.match(folded) else current
    problems = [p for _, _, ps in sections for p in ps]
    if not problems or sum(p.labelled for p in problems) * 2 < len(problems):
        return None
    number = 0
    built: list[Section] = []
    for label, title, opened in sections:
        rows = []
        for p in opened:
            number += 1
            rows.append(
                Problem(
                    label=p.label,
                    number=number,
                    problem=p.statement,
                    measures="",
                    lead_unit=p.lead_unit,
                    co_units=p.co_units,
                    deadline=p.deadline.isoformat() if p.deadline else "",
                )
            )
        built.append(Section(label=label, title=title, problems=tuple(rows)))
    return Notice(sections=tuple(built))


_LABEL_START = re.compile(rf"(?:{_LABEL_NAMES})\s*[:：,，;；.．。]")


def _split_at_labels(paragraph: str) -> list[str]:
    """A PDF's lines re-joined into one paragraph glue the label lines onto the statement
    ("……的需求牵头单位：绥滨县教育局整改时限：2024年6月30日"): split them apart again.

    >>> _split_at_labels("教育专网建设进度缓慢牵头单位：县教育局整改时限：2024年6月30日")
    ['教育专网建设进度缓慢', '牵头单位：县教育局', '整改时限：2024年6月30日']
    >>> _split_at_labels("进度缓慢牵头单位，绥滨县教育局整改时限，2024年6月30日")
    ['进度缓慢', '牵头单位，绥滨县教育局', '整改时限，2024年6月30日']
    >>> _split_at_labels("由县教育局作为牵头单位，负责推进")
    ['由县教育局作为牵头单位，负责推进']
    """
    found = [m.start() for m in _LABEL_START.finditer(paragraph)]
    if not found:
        return [paragraph]
    ends = [*found[1:], len(paragraph)]
    starts = [
        start
        for start, end in zip(found, ends, strict=True)
        if start > 0 and assignment(fold(paragraph[start:end]).strip()) is not None
    ]
    if not starts:
        return [paragraph]
    bounds = [0, *starts, len(paragraph)]
    return [paragraph[a:b] for a, b in itertools.pairwise(bounds) if paragraph[a:b].strip()]


def _rest(text: str, head: Heading) -> str:
    return squeeze(text[head.rest :]).strip(" 。；;，,")


def _assign(problem: _Open, name: str, value: str) -> None:
    problem.labelled = True
    value = value.strip(" 。；;")
    if name in _LEAD:
        problem.lead_unit = value
    elif name in _CO:
        problem.co_units = value
    elif match := _DATE.search(fold(value)):
        try:
            problem.deadline = datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            problem.deadline = None
