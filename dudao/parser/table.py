"""Problems from a ledger table (整改台账) inside a .docx: one problem per row.

Word tables reach the parser as tab-separated lines (see word.py). A table counts as a
ledger when its header row names a problem column (问题, 存在问题, 反馈问题…); a measures or
outcome column (整改措施, 整改情况, 完成情况…) and a dimension column (类别, 维度, 方面…) are
used when present. A cell that held a line break splits its row over several lines; those
are joined back until the row has as many cells as the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dudao.parser.facts import read_problem
from dudao.parser.model import FEEDBACK_LETTER, RECTIFICATION_REPORT, Problem, Section
from dudao.parser.text import squeeze

_PROBLEM = re.compile(r"(?:存在的?|反馈的?|具体|主要)?问题(?:描述|表现|清单|内容)?")
_OUTCOME = re.compile(r"整改(?:落实)?(?:情况|进展|成效|结果)|完成情况|落实情况")
_MEASURES = re.compile(r"整改措施|整改举措|措施")
_DIMENSION = re.compile(r"问题?类别|类别|维度|方面|领域|问题类型|类型")
_LABEL = re.compile(r"序号|编号")
# other column names of a ledger (used to recognise a header row flattened onto one line)
_OTHER_COLUMN = re.compile(
    r"(?:责任|牵头|配合|主责|协办)(?:单位|部门|领导|人)|责任人|(?:整改|完成)(?:时限|时间|期限)"
    r"|备注|(?:整改)?状态|整改目标|整改要求|整改进度|整改进展"
)
_WRAPPER = re.compile(r"存在\s*[“\"‘「](.+?)[”\"’」]\s*的?问题")


@dataclass(frozen=True)
class _Columns:
    count: int
    problem: int
    outcome: int | None
    measures: int | None
    dimension: int | None
    label: int | None


def _columns(cells: list[str]) -> _Columns | None:
    names = [squeeze(c) for c in cells]

    def find(pattern: re.Pattern[str]) -> int | None:
        return next((i for i, n in enumerate(names) if pattern.fullmatch(n)), None)

    problem = find(_PROBLEM)
    if problem is None or len(cells) < 2:
        return None
    return _Columns(
        count=len(cells),
        problem=problem,
        outcome=find(_OUTCOME),
        measures=find(_MEASURES),
        dimension=find(_DIMENSION),
        label=find(_LABEL),
    )


def _rows(lines: list[str], start: int, columns: _Columns) -> list[list[str]]:
    width = columns.count
    rows: list[list[str]] = []
    pending = ""
    for n in range(start, len(lines)):
        line = lines[n]
        if "\t" not in line and not pending:
            break
        pending = f"{pending}{line}" if pending else line
        cells = pending.split("\t")
        following = lines[n + 1] if n + 1 < len(lines) else ""
        # Trailing empty cells are dropped on extraction: a short row whose next line is
        # no continuation (no tab) is complete.
        if len(cells) >= width or (len(cells) > columns.problem and "\t" not in following):
            rows.append([c.strip() for c in cells[:width]] + [""] * (width - len(cells)))
            pending = ""
    return rows


def read_table(text: str) -> tuple[str, tuple[Section, ...]] | None:
    """(kind, sections) read from the first ledger table in the text, or None."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "\t" not in line:
            continue
        columns = _columns(line.split("\t"))
        if columns is None:
            continue
        sections = _sections(_rows(lines, i + 1, columns), columns)
        if sections:
            has_outcomes = any(p.measures for s in sections for p in s.problems)
            return (RECTIFICATION_REPORT if has_outcomes else FEEDBACK_LETTER), sections
    return None


def read_tables(text: str) -> tuple[Section, ...]:
    """Every ledger table in the text as one list (a summary prints one table per region):
    a problem that several tables hold is read once, where it first appears."""
    lines = text.splitlines()
    grouped: dict[str, list[Problem]] = {}
    seen: set[tuple[str, str]] = set()
    for i, line in enumerate(lines):
        columns = _columns(line.split("\t")) if "\t" in line else None
        if columns is None:
            continue
        for section in _sections(_rows(lines, i + 1, columns), columns):
            for problem in section.problems:
                if (section.title, problem.problem) in seen:
                    continue
                seen.add((section.title, problem.problem))
                grouped.setdefault(section.title, []).append(problem)
    number = 0
    sections = []
    for title, problems in grouped.items():
        renumbered = []
        for problem in problems:
            number += 1
            renumbered.append(replace(problem, number=number, label=str(number)))
        sections.append(Section("", title, tuple(renumbered)))
    return tuple(sections)


def _sections(rows: list[list[str]], columns: _Columns) -> tuple[Section, ...]:
    grouped: dict[str, list[Problem]] = {}
    number = 0
    for cells in rows:
        statement_src = cells[columns.problem].strip(" 。；;")
        if not statement_src:
            continue
        wrapped = _WRAPPER.fullmatch(statement_src)
        if wrapped:
            statement_src = wrapped.group(1)
        # The planned measures and what came of them, as a report would write them.
        parts = [cells[c] for c in (columns.measures, columns.outcome) if c is not None]
        measures_src = "\n".join(p for p in parts if p)
        number += 1
        label = cells[columns.label] if columns.label is not None else ""
        dimension = cells[columns.dimension] if columns.dimension is not None else ""
        grouped.setdefault(squeeze(dimension), []).append(
            read_problem(label or str(number), number, statement_src, measures_src)
        )
    return tuple(Section("", title, tuple(ps)) for title, ps in grouped.items())


def _column_name(token: str) -> bool:
    names = (_PROBLEM, _OUTCOME, _MEASURES, _DIMENSION, _LABEL, _OTHER_COLUMN)
    return any(p.fullmatch(token) for p in names)


def flat_table_rows(line: str) -> list[str]:
    """A ledger table flattened onto one line by a web page's text export — "序号 问题 整改措施
    责任单位 完成情况 1 … 2 …" — as tab-separated lines (header first), or [] if the line
    holds none. Rows are found by their running number; a row with more words than columns
    has the surplus joined to its problem cell; words after the last full row are not table."""
    tokens = line.split()
    start = next((n for n, t in enumerate(tokens) if _LABEL.fullmatch(t)), None)
    if start is None:
        return []
    width = 0
    while start + width < len(tokens) and _column_name(tokens[start + width]):
        width += 1
    header = tokens[start : start + width]
    columns = _columns(header)
    if columns is None or columns.label is None or width < 3:
        return []
    rows: list[list[str]] = []
    n = start + width
    number = 1
    while n + width <= len(tokens) and tokens[n] == str(number):
        end = n + width
        # the next row starts at the next running number at or after a full row
        following = next((m for m in range(end, len(tokens)) if tokens[m] == str(number + 1)), end)
        words = tokens[n:following]
        surplus = len(words) - width
        p = columns.problem
        rows.append([*words[:p], "".join(words[p : p + surplus + 1]), *words[p + surplus + 1 :]])
        n = following
        number += 1
    if len(rows) < 2:
        return []
    return ["\t".join(header), *("\t".join(r) for r in rows)]
