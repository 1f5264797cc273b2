"""Character-level helpers: folding for matching, and repair of stray spaces.

Labels such as "(一)" and "（二）" must stay as printed, so the text is never rewritten with
NFKC. Instead every pattern runs on a *folded* copy (full-width ASCII → ASCII, one character
for one character), so match offsets are valid in the original text as well.
"""

from __future__ import annotations

import bisect
import functools
import re

_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# zero-width characters and odd spaces that PDF and web extraction leave behind
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = re.compile("[\u00a0\u2002-\u200a\u202f\u205f\u3000\t\f\v]")

# CJK ideographs, CJK and full-width punctuation, general punctuation (“”‘’—…), ㎡
WIDE = "\u2010-\u206f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_WIDE_CHAR = re.compile(f"[{WIDE}]")
_SPACE_RUN = re.compile(r" +")


# each line is folded several times (cleaning, header, joining); str.translate with a dict
# is slow enough that the cache halves the parse time
@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Full-width ASCII to ASCII, same length: （一）→(一), ：→:, ３→3."""
    return text.translate(_FOLD)


def normalise(text: str) -> str:
    """Unify line ends and spaces; drop invisible characters. Keeps every visible character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))


class Repaired:
    """Text with stray spaces removed, and a map from offsets in the source to offsets in it.

    A run of spaces goes when it touches a Chinese character or punctuation mark on either
    side ("整改 情况" → "整改情况", "较 2022 年度" → "较2022年度"); spaces between two Latin or
    digit characters ("Windows 10", "92.5 %") stay.
    """

    def __init__(self, source: str) -> None:
        parts: list[str] = []
        self._ends: list[int] = []  # source offset where each removed run ends
        self._removed: list[int] = []  # characters removed up to and including that run
        last = 0
        removed = 0
        n = len(source)
        for match in _SPACE_RUN.finditer(source):
            start, end = match.span()
            left = source[start - 1] if start else "\n"
            right = source[end] if end < n else "\n"
            if left == "\n" or right == "\n" or _WIDE_CHAR.match(left) or _WIDE_CHAR.match(right):
                parts.append(source[last:start])
                last = end
                removed += end - start
                self._ends.append(end)
                self._removed.append(removed)
        parts.append(source[last:])
        self.text = "".join(parts)

    def offset(self, source_offset: int) -> int:
        """Where a source offset lands in the repaired text."""
        i = bisect.bisect_right(self._ends, source_offset)
        return source_offset - (self._removed[i - 1] if i else 0)


def squeeze(text: str) -> str:
    """Repaired text of a one-line field (title, statement)."""
    return Repaired(" ".join(text.split())).text
