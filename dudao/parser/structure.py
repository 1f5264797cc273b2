"""Sections and problems: which heading level holds the problems, and what each one says.

A report mixes heading levels for several things (dimensions, problems, lists of measures),
so the problem level is chosen by evidence, not by a fixed rule:
1. with measure labels (整改情况：…), it is the deepest level whose blocks nearly all carry
   the document's first kind of label;
2. otherwise the deepest level whose headings read like problems (存在“……”的问题, 关于……问题);
3. otherwise, for a rectification report, the deepest level whose headings have text under
   them, and for anything else the innermost level (a feedback letter's list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dudao.parser.facts import read_problem
from dudao.parser.heading import (
    ABOUT_STYLE,
    CN,
    INLINE_MEASURES_LABEL,
    MEASURES_LABEL,
    PROBLEM_LABEL,
    Heading,
    match_heading,
)
from dudao.parser.model import FEEDBACK_LETTER, RECTIFICATION_REPORT, Problem, Section
from dudao.parser.text import fold, squeeze

_BEARING = re.compile(r"问题|整改(?:落实)?情况|整改进展|整改工作落实")
_OTHER = re.compile(
    r"成绩|成效|基本情况|总体情况|工作开展|开展情况|组织|领导|做法|经验|下一步|打算|要求|意见|建议"
    r"|措施|结论|主要工作|工作情况|保障|概述|总体|亮点|特色"
)
_DEFICIENCY = re.compile(
    r"问题|不足|不够|滞后|缓慢|未|不到位|短板|薄弱|偏低|较低|不高|不强|不完善|不健全|不规范|欠缺"
    r"|差距|隐患|不达标|不均衡|困难|没有|缺乏|缺少|超标|较大|较多|不力|不严"
)
_FEEDBACK_TITLE = re.compile(r"反馈|意见|问题清单|通报|检查|督导报告|评估报告|评价报告")
# quotes as typed or as OCR reads them: either curly quote may open or close
_Q = "[“”\"‘’「」']"
_WRAPPERS = (
    # a scan's line may break anywhere, even inside 问题
    re.compile(rf"存在\s*{_Q}(.+?){_Q}\s*的?\s*问\s*题"),
    re.compile(rf"关于\s*{_Q}(.+){_Q}\s*的?\s*问\s*题"),
    re.compile(r"关于(.+?)的?问题的?整改"),
    re.compile(r"关于(.+)的问题[。.:]?$"),
    re.compile(PROBLEM_LABEL.pattern + r"\s*(.+)"),
)
_ENUMERATOR = re.compile(r"(?:^|(?<=[。;:,\s]))([一二三四五六七八九十]{1,2})是")
# "1.…；2.…" or "(1)…；(2)…" inside one paragraph, on the folded text.
_ARABIC_ENUMERATOR = re.compile(r"(?:^|(?<=[。;:\s]))(?:\((\d{1,2})\)|(\d{1,2})[.、](?!\d))")
_ABOUT_INLINE = re.compile(r"关于\s*[“\"]?([^。;]{2,80}?)[”\"]?\s*的?问题\s*[。.:;]\s*(?=\S)")
# a paragraph under an item that answers it: 针对……问题，…… (measures, not the statement)
_ANSWERING = re.compile(r"针对")
_ONE_PROBLEM_SECTION = re.compile(r"(.{2,30}?方面)[。.:]\s*(\S.*)")
# Closing paragraphs of a letter (instructions, contacts), never part of a problem.
_CLOSING = re.compile(r"(?:请|特此|以上|联系人|联系电话|附件)")
# The closing line and 附注 that end a county's report, never part of the last outcome.
# (A scan may misread one character of it: 特此画告。)
_REPORT_END = re.compile(
    r"(?:特此(?:函告|报告|通知|函复|说明|\S告|函\S)[。.]?$|[（(]?联系人|联系电话)"
)
_TRIM = " \n。;；，,：:"


def _before_report_end(paragraphs: list[str]) -> list[str]:
    end = next((n for n, t in enumerate(paragraphs) if _REPORT_END.match(fold(t))), None)
    return paragraphs[:end]


@dataclass(frozen=True)
class _Para:
    text: str
    folded: str
    head: Heading | None


@dataclass(frozen=True)
class Structure:
    kind: str
    sections: tuple[Section, ...]
    warnings: tuple[str, ...]


def read_structure(paragraphs: list[str], title: str, kind: str | None = None) -> Structure:
    """kind: the kind decided from the document's words (kind.decide_kind), or None to
    let the layout decide."""
    paras = [_Para(t, f, match_heading(t, f)) for t in paragraphs for f in (fold(t),)]
    region = _region(paras)
    report = None if kind is None else kind == RECTIFICATION_REPORT
    style, rectification = _problem_style(paras, region, title, report)
    if report is not None:
        rectification = report
    builder = _Builder(paras, region, rectification)
    if style is None:
        builder.inline_only()
    else:
        builder.collect(style)
    return builder.result()


def _region(paras: list[_Para]) -> list[int]:
    """Indices of the paragraphs that may hold problems: all, or the top-level sections about
    problems when the others are clearly about something else (成绩, 下一步打算 …)."""
    everything = list(range(len(paras)))
    ranks = [p.head.rank for p in paras if p.head and p.head.style != ABOUT_STYLE]
    if not ranks:
        return everything
    top = min(ranks)
    tops = [i for i, p in enumerate(paras) if p.head and p.head.rank == top]
    bearing = {i for i in tops if _BEARING.search(_title(paras[i]))}
    others = [i for i in tops if i not in bearing]
    if len(tops) < 2 or not bearing or not all(_OTHER.search(_title(paras[i])) for i in others):
        return everything
    kept: list[int] = []
    keep = False
    for i, p in enumerate(paras):
        if p.head and p.head.rank == top:
            keep = i in bearing
        if keep:
            kept.append(i)
    return kept


def _title(para: _Para) -> str:
    rest = para.head.rest if para.head else 0
    return squeeze(para.text[rest:]).strip(_TRIM)


def _label_key(para: _Para) -> str | None:
    match = MEASURES_LABEL.match(para.folded)
    if match is None and para.head is not None:
        match = INLINE_MEASURES_LABEL.search(para.folded)
    return re.sub(r"[【】\[\]\s:;]", "", match.group()) if match else None


def _blocks(paras: list[_Para], region: list[int], style: str) -> list[tuple[int, int]]:
    """(start, end) positions in `region` of each block opened by a heading of `style`: it
    ends at the next heading of the same or a higher rank (an inline 一是 heading ends only a
    block of 一是 headings).

    One pass from the end, remembering the next position of each rank: linear in the
    region times the handful of ranks, where scanning forward from every heading was
    quadratic (a 7,000-line list of 一是 took 45 s).
    """
    heads = [k for k, i in enumerate(region) if (h := paras[i].head) and h.style == style]
    wanted = set(heads)
    ends: dict[int, int] = {}
    following: dict[float, int] = {}  # rank → nearest position after k with that rank
    for k in range(len(region) - 1, -1, -1):
        h = paras[region[k]].head
        if h is None:
            continue
        if k in wanted:
            ends[k] = min((at for r, at in following.items() if r <= h.rank), default=len(region))
        if h.style != "cn是" or style == "cn是":
            following[h.rank] = k
    return [(k, ends[k]) for k in heads]


def _problem_style(
    paras: list[_Para], region: list[int], title: str, report: bool | None
) -> tuple[str | None, bool]:
    styles = sorted({(h.rank, h.style) for i in region if (h := paras[i].head)}, reverse=True)
    keys = [(k, key) for k, i in enumerate(region) if (key := _label_key(paras[i]))]
    if keys:
        primary = keys[0][1]
        best: tuple[float, str | None] = (0.0, None)
        for _, style in styles:
            blocks = _blocks(paras, region, style)
            hits = sum(
                1
                for a, b in blocks
                if any(_label_key(paras[region[k]]) == primary for k in range(a, b))
            )
            share = hits / len(blocks)
            if share >= 0.6:
                return style, True
            best = max(best, (share, style), key=lambda t: t[0])
        if best[1] is not None:
            return best[1], True
    bodies = {style: _body_share(paras, region, style) for _, style in styles}
    for _, style in styles:
        heads = [
            (paras[region[a]], paras[region[a + 1]] if a + 1 < b else None)
            for a, b in _blocks(paras, region, style)
        ]
        marked = sum(
            1
            for p, after in heads
            if style in ("问题n", "项目n", ABOUT_STYLE) or _unwrap(p, after)[1] or _about_inline(p)
        )
        if marked / len(heads) >= 0.6:
            return style, bodies[style] >= 0.5
    if report if report is not None else "整改" in title:
        for _, style in styles:
            if style != "cn是" and bodies[style] >= 0.6:
                return style, True
    leaves = [style for _, style in styles if len(_blocks(paras, region, style)) >= 2]
    if leaves:
        return leaves[0], False
    return (styles[0][1] if styles else None), False


def _body_share(paras: list[_Para], region: list[int], style: str) -> float:
    blocks = _blocks(paras, region, style)
    return sum(1 for a, b in blocks if b - a > 1) / len(blocks)


def _unwrap(para: _Para, after: _Para | None = None) -> tuple[str, bool]:
    """The statement inside a wrapper such as 存在“……”的问题, and whether there was one
    (`after`: the paragraph that follows, where a line break may have cut the wrapper)."""
    rest = para.head.rest if para.head else 0
    text = para.text[rest:].strip()
    statement, wrapped = _strip_wrapper(text)
    if not wrapped and after is not None and after.head is None:
        across = wrapper_across(text, after.text)
        if across is not None:
            return across, True
    return statement, wrapped


def _about_inline(para: _Para) -> re.Match[str] | None:
    """ "（一）关于X的问题。我局已……": the problem X, then the measures in the same paragraph."""
    rest = para.head.rest if para.head else 0
    return _ABOUT_INLINE.match(para.folded, rest)


def _strip_wrapper(text: str) -> tuple[str, bool]:
    match = _wrapper(text)
    if match is None:
        return text, False
    group = match.lastindex or 1
    return text[match.start(group) : match.end(group)], True


def _wrapper(text: str) -> re.Match[str] | None:
    folded = fold(text)
    for pattern in _WRAPPERS:
        match = pattern.match(folded)
        if match:
            return match
    return None


def wrapper_across(text: str, following: str) -> str | None:
    """A wrapper cut by a line break the heading was not joined across (a PDF's short last
    page, a copy from a web page): "存在“X”的问" + "题", "关于" + "“X”的问题". The statement
    when the heading reads as a wrapper only with the next paragraph, and that paragraph
    holds nothing but the wrapper's end."""
    joined = text + following.strip()
    match = _wrapper(joined)
    if match is None or match.end() <= len(text) or joined[match.end() :].strip(_TRIM):
        return None
    group = match.lastindex or 1
    return joined[match.start(group) : match.end(group)]


class _Builder:
    def __init__(self, paras: list[_Para], region: list[int], rectification: bool) -> None:
        self.paras = paras
        self.region = region
        self.rectification = rectification
        self.sections: list[tuple[str, str, list[Problem]]] = []
        self.section_key: int | None = -2
        self.warnings: list[str] = []
        self.count = 0  # problems read so far

    def _problem(self, label: str, statement_src: str, measures_src: str) -> Problem:
        self.count += 1
        number = self.count
        return read_problem(label, number, statement_src.strip(_TRIM), measures_src.strip(" \n"))

    def _add(self, key: int | None, label: str, title: str, problem: Problem) -> None:
        if key != self.section_key or not self.sections:
            self.sections.append((label, title, []))
            self.section_key = key
        self.sections[-1][2].append(problem)

    def collect(self, style: str) -> None:
        parents = _parents(self.paras, self.region)
        for a, b in _blocks(self.paras, self.region, style):
            head_para = self.paras[self.region[a]]
            head = head_para.head
            assert head is not None
            parent = parents[a]
            section = self.paras[parent] if parent is not None else None
            s_label = section.head.label if section and section.head else ""
            s_title = _title(section) if section else ""
            rest = [self.paras[self.region[k]] for k in range(a + 1, b)]
            if not self.rectification and self._split_inline(a, head_para):
                continue
            statement, measures = self._parts(head_para, rest)
            self._add(parent, s_label, s_title, self._problem(head.label, statement, measures))

    def _parts(self, head_para: _Para, rest: list[_Para]) -> tuple[str, str]:
        head = head_para.head
        assert head is not None
        text = head_para.text[head.rest :]
        inline = INLINE_MEASURES_LABEL.search(fold(text)) or MEASURES_LABEL.match(fold(text))
        about = _about_inline(head_para) if self.rectification and not inline else None
        if about:
            statement = head_para.text[about.start(1) : about.end(1)]
            measures = [head_para.text[about.end() :], *(p.text for p in rest)]
            return statement, "\n".join(measures)
        if inline:
            measures = [text[inline.end() :], *(p.text for p in rest)]
            return _strip_wrapper(text[: inline.start()].strip())[0], "\n".join(measures)
        before: list[str] = []
        measures = []
        for para in rest:
            label = MEASURES_LABEL.match(para.folded)
            if label and not measures:
                measures.append(para.text[label.end() :] or " ")
            elif measures or _ANSWERING.match(para.folded):
                measures.append(para.text)
            else:
                before.append(para.text)
        statement, wrapped = _strip_wrapper(text.strip())
        across = wrapper_across(text.strip(), before[0]) if before and not wrapped else None
        if across is not None:
            statement, wrapped, before = across, True, before[1:]
        if before and PROBLEM_LABEL.match(fold(before[0])):
            statement = _strip_wrapper(before[0])[0]
            before = before[1:]
        if self.rectification:
            before, measures = _before_report_end(before), _before_report_end(measures)
        if not measures and self.rectification:
            return statement, "\n".join(before)
        closing = next((n for n, t in enumerate(before) if _CLOSING.match(fold(t))), len(before))
        before = before[:closing]
        if before and not wrapped:
            statement = "\n".join([statement, *before])
        return statement, "\n".join(measures)

    def _split_inline(self, key: int, head_para: _Para) -> bool:
        """A feedback letter's "（一）……方面。一是……；二是……。": one problem per 一是."""
        head = head_para.head
        assert head is not None
        text = head_para.text[head.rest :]
        items = _enumerated(text)
        if items is None:
            single = _ONE_PROBLEM_SECTION.fullmatch(fold(text).strip())
            if single is None:
                return False
            # "（三）校园安全方面。安防人员……不足。": a section with a single problem.
            intro = text[: single.end(1)]
            statement = text[single.start(2) :].strip(_TRIM)
            self._add(-1 - key, head.label, squeeze(intro), self._problem("", statement, ""))
            return True
        intro, problems = items
        if intro and not re.search(r"(?:方面|问题|存在|表现|如下|主要)$", fold(intro)):
            return False
        for label, statement in problems:
            self._add(-1 - key, head.label, squeeze(intro), self._problem(label, statement, ""))
        return True

    def inline_only(self) -> None:
        for k, i in enumerate(self.region):
            items = _enumerated(self.paras[i].text)
            if items:
                intro, problems = items
                for label, statement in problems:
                    self._add(-1 - k, "", squeeze(intro), self._problem(label, statement, ""))

    def result(self) -> Structure:
        sections = tuple(Section(lbl, title, tuple(ps)) for lbl, title, ps in self.sections)
        previous: Problem | None = None
        for problem in (p for s in sections for p in s.problems):
            if self.rectification and not problem.measures:
                self.warnings.append(f"问题{problem.label}未读到整改情况，请核对。")
            if previous is not None and not _follows(previous.label, problem.label):
                self.warnings.append(
                    f"问题编号不连续：{previous.label}之后是{problem.label}，请核对是否漏读。"
                )
            previous = problem
        kind = RECTIFICATION_REPORT if self.rectification else FEEDBACK_LETTER
        return Structure(kind, sections, tuple(self.warnings))


def _parents(paras: list[_Para], region: list[int]) -> list[int | None]:
    """For each position in `region`, the paragraph index of the nearest heading before it
    of an outer rank (its section), in one pass with a stack of open headings."""
    stack: list[tuple[float, int]] = []  # (rank, paragraph index), ranks increasing
    parents: list[int | None] = []
    for i in region:
        head = paras[i].head
        if head is None:
            parents.append(None)
            continue
        while stack and stack[-1][0] >= head.rank:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((head.rank, i))
    return parents


def _enumerated(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """Split "……。一是A；二是B。" or "……方面。1.A；2.B。" into its intro and the (label, text)
    items, if it has ≥ 2 numbered in order from one."""
    folded = fold(text)
    marks = []
    expected = 0
    for match in _ENUMERATOR.finditer(folded):
        if match.group(1) == CN[expected : expected + 1]:
            marks.append(match)
            expected += 1
    if len(marks) < 2:
        marks = []
        for match in _ARABIC_ENUMERATOR.finditer(folded):
            if int(match.group(1) or match.group(2)) == len(marks) + 1:
                marks.append(match)
    if len(marks) < 2:
        return None
    intro = text[: marks[0].start()].strip(_TRIM)
    items = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        end = nxt.start() if nxt else len(text)
        items.append((text[m.start() : m.end()], text[m.end() : end].strip(_TRIM)))
    return intro, items


def _follows(previous: str, label: str) -> bool:
    a, b = (match_heading(x, fold(x)) for x in (previous, label))
    if a is None or b is None or a.number == 0 or b.number == 0:
        return True
    return b.number in (a.number + 1, 1)
