"""Which problem of the ledger a parsed problem is.

Statements come back from Word, PDF and web pages with different spaces, brackets and
quotes (“四个百分百” vs "四个百分百", （一） vs (一)), so they are compared on a folded key.
When the key differs, a problem is only taken for an existing one of the same dimension if
the two texts are nearly the same: a wrong match would write one problem's outcome into
another's item, which is worse than creating a new problem the clerk can see in the preview.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Below this similarity a statement is a different problem, however close its position.
CLOSE_RATIO = 0.9


def statement_key(text: str) -> str:
    """Letters and digits only, full-width folded to half-width, lower case.

    >>> statement_key("“四个百分百”（安防）。") == statement_key('"四个百分百"(安防)')
    True
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN").lower()


def dimension_key(text: str) -> str:
    """ "一、教育优先发展方面" and "教育优先发展" name the same dimension."""
    return statement_key(text).removesuffix("方面")


@dataclass(frozen=True)
class Candidate:
    """An existing problem of the round, as the matcher sees it."""

    pk: int
    dimension: str
    statement: str


@dataclass(frozen=True)
class Match:
    pk: int
    exact: bool
    ratio: float


def match_statements(
    parsed: Sequence[tuple[str, str]], existing: Sequence[Candidate]
) -> list[Match | None]:
    """For each parsed (dimension, statement), the existing problem it is, or None.

    Exact key matches are taken first over the whole round, so a problem moved to another
    dimension is still found; each existing problem is matched at most once. Then, per
    dimension, the remaining problems are paired with the most similar remaining candidate,
    preferring the one at the same position when ratios tie.
    """
    result: list[Match | None] = [None] * len(parsed)
    by_key: dict[str, list[Candidate]] = {}
    for cand in existing:
        by_key.setdefault(statement_key(cand.statement), []).append(cand)
    used: set[int] = set()
    for i, (_, statement) in enumerate(parsed):
        for cand in by_key.get(statement_key(statement), []):
            if cand.pk not in used:
                used.add(cand.pk)
                result[i] = Match(pk=cand.pk, exact=True, ratio=1.0)
                break

    positions: dict[str, int] = {}
    for i, (dimension, statement) in enumerate(parsed):
        dim = dimension_key(dimension)
        position = positions.get(dim, 0)
        positions[dim] = position + 1
        if result[i] is not None:
            continue
        same_dim = [c for c in existing if dimension_key(c.dimension) == dim]
        key = statement_key(statement)
        best: tuple[float, int, Candidate] | None = None
        for index, cand in enumerate(same_dim):
            if cand.pk in used:
                continue
            ratio = difflib.SequenceMatcher(None, key, statement_key(cand.statement)).ratio()
            rank = (ratio, -abs(index - position), cand)
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best is not None and best[0] >= CLOSE_RATIO:
            used.add(best[2].pk)
            result[i] = Match(pk=best[2].pk, exact=False, ratio=best[0])
    return result
