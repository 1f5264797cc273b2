"""Breaking a long 公文 title into lines shaped like a trapezoid or a diamond.

GB/T 9704 asks that a wrapped title keep words whole and form a 梯形 or 菱形, never an
hourglass. Without a word segmenter, good break points are approximated by the function
words a title is built from (关于 … 的 …); any other break costs a penalty.
"""

from __future__ import annotations

import itertools
import math

# A line may end after these characters…
_BREAK_AFTER = frozenset("于的中和与及、，；年")
# …or right before these words.
_BREAK_BEFORE = ("关于", "的通知", "的函", "的报告", "的意见", "的请示")
# Never start a line with closing punctuation, nor end one with opening punctuation.
_NO_START = frozenset("，。、；：！？”’）》〕」』")
_NO_END = frozenset("“‘（《〔「『")
_MAX_LINES = 4


def width(text: str) -> float:
    """Width in characters of the font size: ASCII is half a character wide."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "—“”‘’" else 1.0 for ch in text)


def title_lines(title: str, capacity: float) -> list[str]:
    """Split `title` into lines of at most `capacity` characters.

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
    good = _good_breaks(title)
    fallback = [
        i
        for i in range(1, len(title))
        if title[i] not in _NO_START
        and title[i - 1] not in _NO_END
        and not (title[i - 1].isascii() and title[i].isascii())
    ]
    lines_needed = math.ceil(width(title) / capacity)
    for count in range(lines_needed, min(lines_needed + 2, _MAX_LINES + 1)):
        best = _best_split(title, good, count, capacity)
        if best is not None:
            return best
    return _best_split(title, fallback, lines_needed, capacity) or _greedy(title, capacity)


def _good_breaks(title: str) -> list[int]:
    breaks = set()
    for i in range(1, len(title)):
        if title[i - 1] in _BREAK_AFTER and title[i] not in _NO_START:
            breaks.add(i)
        if any(title.startswith(word, i) for word in _BREAK_BEFORE):
            breaks.add(i)
    return sorted(breaks)


def _best_split(title: str, breaks: list[int], count: int, capacity: float) -> list[str] | None:
    best: tuple[float, list[str]] | None = None
    # Titles are short (≤ ~60 characters, ≤ 4 lines), so trying every combination is cheap.
    for cut in itertools.combinations(breaks, count - 1):
        bounds = (0, *cut, len(title))
        lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
        widths = [width(line) for line in lines]
        if max(widths) > capacity or _has_valley(widths):
            continue
        mean = sum(widths) / count
        cost = sum((w - mean) ** 2 for w in widths)
        if best is None or cost < best[0]:
            best = (cost, lines)
    return None if best is None else best[1]


def _has_valley(widths: list[float]) -> bool:
    """An hourglass: a line clearly narrower than both its neighbours."""
    return any(
        widths[i] + 1 < widths[i - 1] and widths[i] + 1 < widths[i + 1]
        for i in range(1, len(widths) - 1)
    )


def _greedy(title: str, capacity: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for ch in title:
        if current and width(current + ch) > capacity:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines
