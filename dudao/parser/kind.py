"""Which kind of document this is — a feedback letter (problems found by the evaluator) or a
rectification report (what the evaluated side did about them) — decided from the whole
document, with the reason in words the clerk reads in the import preview.

Evidence, strongest first:
1. measure labels under the problems (整改情况：, 整改措施：, 落实情况： …): a report;
2. the sentence that introduces the list: 现将整改情况报告如下 / 函告如下 (a report),
   现将有关问题反馈如下 / 通报如下 (a feedback letter);
3. the title: 关于……整改(落实)情况的报告/函 (a report), ……反馈意见/通报/问题清单 (feedback);
4. otherwise the layout: whether the problems have text under them (see structure.py).

`decide_kind` is the one place that makes this decision; a narrower rule for a particular
kind of letter belongs in it, before the general evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dudao.parser.heading import MEASURES_LABEL
from dudao.parser.model import FEEDBACK_LETTER, RECTIFICATION_REPORT
from dudao.parser.text import fold

NAMES = {RECTIFICATION_REPORT: "整改情况报告", FEEDBACK_LETTER: "反馈意见"}

# the introducing sentence, on folded text; the gaps are bounded so the search stays linear
_REPORT_INTRO = re.compile(
    r"(?:整改|落实|进展)[^。;]{0,16}?(?:情况|进展)[^。;]{0,6}?(?:报告|函告|汇报|报送)(?:如下|于后)"
    r"|函告如下|整改[^。;]{0,10}?报告如下"
)
_FEEDBACK_INTRO = re.compile(
    r"(?:问题|意见|情况|结果)[^。;]{0,8}?(?:反馈|通报|告知|交办)(?:如下|给你)|反馈如下|通报如下"
)
_REPORT_TITLE = re.compile(
    r"整改(?:落实|工作|推进)?(?:情况|进展|落实|完成|工作)[^,。]{0,12}(?:报告|函|说明|汇报|总结)"
    r"|整改(?:工作)?(?:报告|总结)"
)
_FEEDBACK_TITLE = re.compile(
    r"反馈意见|反馈问题清单|问题清单|督导意见|评估意见|评价意见|通报|反馈$"
)


@dataclass(frozen=True)
class KindDecision:
    kind: str | None  # None: no evidence in the words; the layout decides
    reason: str


def _quote(match: re.Match[str] | None) -> str:
    return f"“{match.group()}”" if match else ""


def decide_kind(title: str, paragraphs: Iterable[str]) -> KindDecision:
    """The kind from the title and the paragraphs of the body (preamble included)."""
    folded_title = fold(title)
    labels: str | None = None
    report_intro: re.Match[str] | None = None
    feedback_intro: re.Match[str] | None = None
    for paragraph in paragraphs:
        folded = fold(paragraph)
        if labels is None and (label := MEASURES_LABEL.match(folded)):
            labels = label.group().rstrip(":： ")
        report_intro = report_intro or _REPORT_INTRO.search(folded)
        feedback_intro = feedback_intro or _FEEDBACK_INTRO.search(folded)
    report_title = _REPORT_TITLE.search(folded_title)
    feedback_title = None if report_title else _FEEDBACK_TITLE.search(folded_title)
    if labels:
        because = [f"问题下有“{labels}：”等整改标注"]
        if report_title:
            because.append(f"标题含{_quote(report_title)}")
        return _decision(RECTIFICATION_REPORT, because)
    if report_intro and not feedback_intro:
        return _decision(RECTIFICATION_REPORT, [f"正文写明{_quote(report_intro)}"])
    if feedback_intro and not report_intro:
        return _decision(FEEDBACK_LETTER, [f"正文写明{_quote(feedback_intro)}"])
    if report_title:
        return _decision(RECTIFICATION_REPORT, [f"标题含{_quote(report_title)}"])
    if feedback_title:
        return _decision(FEEDBACK_LETTER, [f"标题含{_quote(feedback_title)}"])
    return KindDecision(None, "")


def layout_reason(kind: str) -> str:
    """The reason when only the layout decided."""
    if kind == RECTIFICATION_REPORT:
        return f"判为{NAMES[kind]}：标题和正文未写明类型，按版式推断（问题下有整改内容）。"
    return f"判为{NAMES[kind]}：标题和正文未写明类型，按版式推断（问题下没有整改内容）。"


def _decision(kind: str, because: list[str]) -> KindDecision:
    return KindDecision(kind, f"判为{NAMES[kind]}：{'；'.join(because)}。")
