"""Breaking a long 公文 title into lines shaped like a trapezoid or a diamond.

GB/T 9704 7.3.3: a wrapped title keeps words whole ("词意完整"), is balanced ("排列对称，长短
适宜") and forms a 梯形 or 菱形, never an hourglass. Words come from a dictionary segmenter
(rjieba, jieba's Rust port); a number never leaves its unit ("2023年", "30所"), an organ's
name never breaks ("绥滨县人民政府"), nor does anything inside 《》 or “”. Among the
breaks that remain, the function words a title is built from (关于 … 的 …, 和, 、) are the
natural places; any other word boundary costs a penalty.

The search is a dynamic programme over break points whose state is (line end, line
start, rising or falling): a line spans at most `capacity` characters, so the work is
linear in the title's length. `steps` counts its inner loop for the tests.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import rjieba

# A good line end is right after one of these words…
_BREAK_AFTER = frozenset({"关于", "的", "和", "与", "及", "、", "，", "；", "中", "对"})
# …or right before one of these.
_BREAK_BEFORE = frozenset({"关于", "对", "和", "与", "及"})
# Never start a line with closing punctuation, nor end one with opening punctuation.
_NO_START = frozenset("，。、；：！？”’）》〕」』")
_NO_END = frozenset("“‘（《〔「『")
_PAIRS = {"《": "》", "“": "”", "（": "）", "〔": "〕"}
# Place names (by jieba's tag, or ending like 萝北县) and the words that continue an
# organ's name after them.
_PLACE_ENDS = frozenset("省市县区旗州盟")
_ORGAN_PARTS = frozenset({"人民", "政府", "人民政府", "教育", "督导", "教育督导", "人民代表大会"})
_ORGAN_ENDS = (
    "政府",
    "委员会",
    "办公室",
    "局",
    "厅",
    "室",
    "部",
    "院",
    "中心",
    "学校",
    "中学",
    "小学",
)
MIN_LINE = 4  # characters; a shorter line looks like a stray word
# What a line break costs, by where it falls (compare: a line k characters off the mean costs
# 0.3 k²).
_GOOD = 0.0  # after 关于, 的, 和, 、, 中, or before 关于, 对
_PHRASE = 4.0  # before a new verb phrase
_BEFORE_PARTICLE = 10.0  # a line starting with 的
_COMPOUND = 14.0  # between the nouns of a compound
_VERB_OBJECT = 18.0  # between a verb and its object
_INSIDE_NAME = 30.0  # between the words of a name or a quotation
_INSIDE_WORD = 60.0  # the last resort, when no whole-word split fits
_UNBALANCED = 0.3
_EXTRA_LINE = 5.0  # one line more than the fewest that fit
_HOURGLASS = 40.0  # a line wider than the one above it, after narrower lines


@dataclass
class Steps:
    """How many transitions the search tried (the tests bound it by the title's length)."""

    steps: int = 0


def width(text: str) -> float:
    """Width in characters of the font size: ASCII is half a character wide."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "—“”‘’" else 1.0 for ch in text)


def title_lines(title: str, capacity: float, counter: Steps | None = None) -> list[str]:
    """Split `title` into balanced lines of at most `capacity` characters.

    >>> title_lines("绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函", 20)
    ['绥滨县人民政府关于', '2023年履行教育职责评价中', '存在问题整改情况报告的函']
    >>> title_lines("关于整改情况的函", 20)
    ['关于整改情况的函']
    """
    if "\n" in title:
        return [line.strip() for line in title.split("\n") if line.strip()]
    title = title.strip()
    if width(title) <= capacity:
        return [title]
    counter = counter or Steps()
    costs = break_costs(title)
    lines = _search(title, costs, capacity, counter)
    if lines is None:
        # No split keeps every name and quotation whole: break them between words.
        lines = _search(title, break_costs(title, strict=False), capacity, counter)
    if lines is None:
        # Not even that: allow breaks inside words.
        loose: list[float | None] = [_INSIDE_WORD if c is None else c for c in costs]
        for i in range(1, len(title)):
            if title[i] in _NO_START or title[i - 1] in _NO_END:
                loose[i] = None
        lines = _search(title, loose, capacity, counter)
    return lines if lines is not None else _greedy(title, capacity)


def break_costs(title: str, strict: bool = True) -> list[float | None]:
    """For each position 0..len, the cost of a line break before it (None: forbidden).

    Not `strict`: names, 《…》 and “…” may break between their words, at a price."""
    n = len(title)
    costs: list[float | None] = [None] * (n + 1)
    tokens = rjieba.tag(title)
    position = 0
    in_name = False
    for index, (word, tag) in enumerate(tokens):
        if index > 0:
            left = tokens[index - 1]
            in_name = (in_name or _is_place(*left)) and _continues_name(word)
            cost = _boundary(left, (word, tag))
            if in_name:
                cost = None if strict or cost is None else cost + _INSIDE_NAME
            costs[position] = cost
        position += len(word)
    costs[0] = costs[n] = 0.0
    # Nothing breaks inside 《…》 or “…”.
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(title):
        if ch in _PAIRS:
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, start = stack.pop()
            for k in range(start + 1, i + 1):
                cost = costs[k]
                costs[k] = None if strict or cost is None else cost + _INSIDE_NAME
    for i in range(1, n):
        if title[i] in _NO_START or title[i - 1] in _NO_END:
            costs[i] = None
    return costs


def _is_place(word: str, tag: str) -> bool:
    return tag in ("ns", "nt") or (len(word) >= 2 and word[-1] in _PLACE_ENDS)


def _continues_name(word: str) -> bool:
    """绥滨县|人民政府, 鹤岗市人民政府|教育|督导|委员会|办公室: an organ's name goes on."""
    return word in _ORGAN_PARTS or word.endswith(_ORGAN_ENDS)


def _boundary(left: tuple[str, str], right: tuple[str, str]) -> float | None:
    lw, lt = left
    rw, rt = right
    if lw[-1].isdigit() or (lt == "m" and rt in ("m", "q")):
        return None  # 2023年, 30所, 第一批: a number keeps its unit
    if lw in _BREAK_AFTER or lt in ("f", "c") or rw in _BREAK_BEFORE or rt == "p":
        return _GOOD
    if rw[0] in "的之":
        return _BEFORE_PARTICLE
    if rt == "v" and lt != "d":
        return _PHRASE  # a new verb phrase starts
    if lt == "v":
        return _VERB_OBJECT
    return _COMPOUND


def _search(
    title: str, costs: list[float | None], capacity: float, counter: Steps
) -> list[str] | None:
    """The cheapest split into as few lines as fit, or one more where that reads better
    (绥滨县人民政府关于 / 2023年…中 / 存在…的函 rather than breaking 教育|职责)."""
    fewest = math.ceil(width(title) / capacity)
    found = [
        _search_lines(title, costs, capacity, count, counter) for count in (fewest, fewest + 1)
    ]
    options = [
        (cost + _EXTRA_LINE * extra, lines)
        for extra, (cost, lines) in enumerate(f for f in found if f is not None)
    ]
    return min(options)[1] if options else None


def _search_lines(
    title: str, costs: list[float | None], capacity: float, count: int, counter: Steps
) -> tuple[float, list[str]] | None:
    """The cheapest unimodal (rising, then falling) split into about `count` lines."""
    n = len(title)
    mean = width(title) / count
    prefix = [0.0]
    for ch in title:
        prefix.append(prefix[-1] + width(ch))
    # best[(end, start, falling)] = (cost, key of the line above); a line is title[start:end].
    Key = tuple[int, int, bool]
    best: dict[Key, tuple[float, Key | None]] = {}
    window: deque[int] = deque()  # break points within `capacity` before the current one
    reach: dict[int, tuple[int, ...]] = {}
    for end, cost_end in enumerate(costs):
        if cost_end is None:
            continue
        if end == 0:
            window.append(0)
            continue
        while window and prefix[end] - prefix[window[0]] > capacity:
            window.popleft()
        reach[end] = tuple(window)
        for start in window:
            line = prefix[end] - prefix[start]
            if line < MIN_LINE:
                continue
            own = _UNBALANCED * (line - mean) ** 2 + cost_end
            if start == 0:
                counter.steps += 1
                best[(end, 0, False)] = (own, None)
                continue
            for before in reach[start]:
                counter.steps += 1
                above = prefix[start] - prefix[before]
                for falling in (False, True):
                    found = best.get((start, before, falling))
                    if found is None:
                        continue
                    # Level (within a character) keeps the phase; rising after falling is
                    # an hourglass.
                    if line + 1 < above:
                        now_falling = True
                    elif line > above + 1:
                        # An hourglass: tolerated only where nothing else fits (the long
                        # titles, which are set like a paragraph).
                        own_here = own + (_HOURGLASS if falling else 0.0)
                        now_falling = False
                        cost = found[0] + own_here
                        key = (end, start, now_falling)
                        if key not in best or cost < best[key][0]:
                            best[key] = (cost, (start, before, falling))
                        continue
                    else:
                        now_falling = falling
                    cost = found[0] + own
                    key = (end, start, now_falling)
                    if key not in best or cost < best[key][0]:
                        best[key] = (cost, (start, before, falling))
        window.append(end)
    finals = [(value[0], key) for key, value in best.items() if key[0] == n]
    if not finals:
        return None
    lines: list[str] = []
    total, last = min(finals)
    at: Key | None = last
    while at is not None:
        lines.append(title[at[1] : at[0]])
        at = best[at][1]
    return total, lines[::-1]


def _greedy(title: str, capacity: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in title:
        if current and width(current + ch) > capacity:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines
