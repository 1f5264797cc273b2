"""Heading numbering and field labels, matched on folded text (see text.fold).

GB/T 9704 orders heading levels 一、 → （一） → 1. → （1）; real reports add ①, 一是…,
"问题1：" and unnumbered "关于“……”问题的整改" headings. RANK orders them from outer to inner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dudao.lib.zh import parse_cn_numeral

CN = "一二三四五六七八九十"
_CN_NUM = f"[{CN}]{{1,3}}"
_CODE = r"[\dlI]{1,2}"  # a part of a project code; OCR reads 1 as l or I

# (style, rank, pattern); the pattern's group 1 is the numeral, match end is the label's end
_PATTERNS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("cn、", 0, re.compile(rf"({_CN_NUM})\s*[、.](?![\d{CN}])")),
    # a stray stroke inside the brackets is an OCR slip: (/八)
    ("(cn)", 1, re.compile(rf"[(〔]\s*[/|]?\s*({_CN_NUM})\s*[)〕]")),
    ("问题n", 1.5, re.compile(rf"问题\s*({_CN_NUM}|\d{{1,3}})\s*[:、.]")),
    # an evaluation's indicator codes: 项目1.2：, also as OCR reads them (项目l.2, 项目1.l)
    ("项目n", 1.5, re.compile(rf"项目\s*({_CODE}(?:\s*[.]\s*{_CODE}){{0,2}})\s*[:、]")),
    ("d.", 2, re.compile(r"(\d{1,2})\s*[.、](?!\d)")),
    ("(d)", 3, re.compile(r"\(\s*(\d{1,2})\s*\)")),
    ("circled", 4, re.compile(r"([\u2460-\u2473])")),
    ("cn是", 5, re.compile(rf"({_CN_NUM})是(?![否非])")),
)
ABOUT_STYLE = "关于"
ABOUT_RANK = 1.6
# an unnumbered heading naming the problem it answers: 关于“……”问题的整改(情况)
_ABOUT = re.compile(r"关于.{2,120}问题的?整改(?:情况|落实情况|进展)?[:。]?$")

MEASURES_LABEL = re.compile(
    r"[【\[]?\s*(?:整改|落实|完成|工作)"
    r"(?:情况|措施|进展情况|进展|成效|结果|落实情况|完成情况|进度|措施及成效|措施和成效|措施及进展)"
    r"\s*(?:[】\]]\s*[:;]?|[:;])"
)
PROBLEM_LABEL = re.compile(
    r"[【\[]?\s*(?:存在的?|反馈的?|主要)?问题(?:描述|表现|清单)?\s*[】\]]?\s*[:]"
)
# an inline label inside a heading paragraph follows the end of a sentence
INLINE_MEASURES_LABEL = re.compile(r"(?<=[。;!?”\s])" + MEASURES_LABEL.pattern)


@dataclass(frozen=True)
class Heading:
    style: str
    rank: float
    label: str  # as printed, without trailing spaces
    number: int
    rest: int  # offset of the heading's text after the label


_OCR_DIGITS = str.maketrans("lI", "11")

# the first characters any of the patterns above (and 关于…) can start with
_STARTS = frozenset(CN + "(〔问关项0123456789" + "".join(map(chr, range(0x2460, 0x2474))))


def match_heading(text: str, folded: str) -> Heading | None:
    """The numbering that starts this paragraph, if any."""
    if not folded or folded[0] not in _STARTS:
        return None
    for style, rank, pattern in _PATTERNS:
        match = pattern.match(folded)
        if match is None:
            continue
        numeral = match.group(1)
        if style == "项目n":
            # the number that counts for continuity is the last part: 1.2 → 2
            numeral = re.split(r"\s*[.]\s*", numeral.translate(_OCR_DIGITS))[-1]
        if numeral.isdigit():
            number = int(numeral)
        elif "\u2460" <= numeral <= "\u2473":
            number = ord(numeral) - 0x245F
        else:
            try:
                number = parse_cn_numeral(numeral)
            except ValueError:
                continue
        end = match.end()
        if style == "cn是" and number < 1:
            continue
        rest = end + len(folded[end:]) - len(folded[end:].lstrip())
        return Heading(style, rank, text[:end].rstrip(), number, rest)
    if len(folded) <= 140 and _ABOUT.match(folded):
        return Heading(ABOUT_STYLE, ABOUT_RANK, "", 0, 0)
    return None


def starts_block(folded: str) -> bool:
    """A line that must begin a new paragraph: a heading or a field label. "一是" does not:
    it mostly runs on inside a paragraph, and a reflowed line may happen to start with it."""
    heading = match_heading(folded, folded)
    return (
        (heading is not None and heading.style != "cn是")
        or MEASURES_LABEL.match(folded) is not None
        or PROBLEM_LABEL.match(folded) is not None
    )
