"""A compact character diff for the preview: what a corrected report changes in a text."""

from __future__ import annotations

import difflib

# Unchanged stretches longer than this are shortened to their two ends in the preview.
KEEP = 24
# Above this length the character diff (quadratic at worst) is not worth it: whole texts.
MAX_DIFF = 6000


def inline_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Segments ("same" | "del" | "ins", text) turning `before` into `after`.

    >>> inline_diff("整改完成8所", "整改完成9所")
    [('same', '整改完成'), ('del', '8'), ('ins', '9'), ('same', '所')]
    """
    if len(before) + len(after) > MAX_DIFF:
        return [("del", before), ("ins", after)]
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", _shorten(before[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("del", before[i1:i2]))
        if j2 > j1:
            segments.append(("ins", after[j1:j2]))
    return segments


def _shorten(text: str) -> str:
    if len(text) <= 2 * KEEP + 1:
        return text
    return text[:KEEP] + "……" + text[-KEEP:]
