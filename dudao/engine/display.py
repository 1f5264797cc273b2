"""Numbers as they are written in a feedback letter: 21.2%、3.43个百分点、1:16.2。

Machine output keeps exact values; only these helpers round, and they never let a failing
value read as its standard: 15.047 children per teacher against 1:15 prints "1:15.047",
not "1:15.0", and 99.96 % against 100 % prints "99.96%", not "100.0%".

>>> shown(15.047, 1, 15.0, "<=")
'15.047'
>>> shown(99.96, 1, 100.0, ">=")
'99.96'
>>> shown(0.92, 1)
'0.92'
>>> shown(14.642857, 1, 15.0, "<=")
'14.6'
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import numpy.typing as npt

from dudao.engine.indicators import Indicator

MAX_DECIMALS = 4


def plain(number: float) -> str:
    """A threshold without trailing zeros: 50.0 -> '50', 0.45 -> '0.45'."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _meets(value: float, threshold: float, comparison: str) -> bool:
    tol = 1e-9 * max(1.0, abs(threshold))
    return value >= threshold - tol if comparison == ">=" else value <= threshold + tol


def shown(
    value: float,
    decimals: int,
    threshold: float | None = None,
    comparison: str | None = None,
) -> str:
    """`value` with the indicator's decimals, more where the value was typed with more (0.92
    stays 0.92) or where rounding would make a failing value look like one that passes.

    Called for every school a finding names (some 150,000 times at national scale), so the
    common case (a computed value, nothing to add) takes one `round` and one format."""
    d = decimals
    size = -value if value < 0 else value
    tol = 1e-9 * (size if size > 1.0 else 1.0)
    # a value with few digits (as typed in a county file) is shown as typed; if rounding to
    # MAX_DECIMALS is not close enough, rounding to fewer is not either
    if decimals <= MAX_DECIMALS and abs(round(value, MAX_DECIMALS) - value) <= tol:
        for extra in range(decimals, MAX_DECIMALS + 1):
            if abs(round(value, extra) - value) <= tol:
                d = extra
                break
    text = f"{value:.{d}f}"
    if (
        threshold is not None
        and comparison is not None
        and not _meets(value, threshold, comparison)
    ):
        # the engine's tolerance is 1e-9 relative: 10 decimals always tell them apart
        while d < 10 and _meets(float(text), threshold, comparison):
            d += 1
            text = f"{value:.{d}f}"
    if text[0] == "-" and float(text) == 0:
        text = text[1:]
    if d > decimals:
        while d > decimals and text[-1] == "0":
            text, d = text[:-1], d - 1
    return text.rstrip(".")


def shown_many(
    values: npt.NDArray[np.float64],
    decimals: int,
    threshold: float | None = None,
    comparison: str | None = None,
) -> list[str]:
    """`shown` of each value, for many at once (the writer's findings name some 150,000
    schools): numpy finds the few values that need `shown`'s extra rules (typed with few
    digits, failing but rounding onto the threshold, negative zero); the rest are one
    format each."""
    v = np.asarray(values, dtype=np.float64)
    numbers = v.tolist()
    texts = list(map(format, numbers, repeat(f".{decimals}f", len(numbers))))
    if not texts:
        return texts
    size = np.abs(v)
    tol = 1e-9 * np.maximum(size, 1.0)
    with np.errstate(invalid="ignore", over="ignore"):
        # numpy rounds by scaling, within an ulp or so of `round`: twice the tolerance
        # catches every value `shown` would treat as typed, and a few more
        special = ~(np.abs(np.round(v, MAX_DECIMALS) - v) > 2 * tol)
        special |= v < 0  # negative zero after rounding: rare, left to `shown`
        if threshold is not None and comparison is not None:
            t_tol = 1e-9 * max(1.0, abs(threshold))
            fails = v < threshold - t_tol if comparison == ">=" else v > threshold + t_tol
            # a failing value within half a unit of the last decimal may round onto it
            near = np.abs(v - threshold) <= 0.5 * 10.0**-decimals * (1 + 1e-6) + t_tol
            special |= fails & near
    for i in np.flatnonzero(special).tolist():
        texts[i] = shown(float(v[i]), decimals, threshold, comparison)
    return texts


def affixes(ind: Indicator) -> tuple[str, str]:
    """What comes before and after a number of the indicator (`_with_unit`)."""
    if ind.unit == "ratio":
        return "1:", ""
    if ind.unit in {"%", "个百分点", "平方米", "元"}:
        return "", ind.unit
    return "", ""


def value_text(ind: Indicator, value: float, threshold: float | None = None) -> str:
    """A value with its unit; with `threshold`, never printed so that it reads as meeting
    the threshold when it does not."""
    comparison = ind.comparison if threshold is not None else None
    if ind.kind == "myopia_decline":
        word = "下降" if value >= 0 else "上升"
        number = shown(abs(value), ind.decimals)
        if threshold is not None and value >= 0:
            number = shown(value, ind.decimals, threshold, comparison)
        return f"{word}{number}个百分点"
    return _with_unit(ind, shown(value, ind.decimals, threshold, comparison))


def threshold_text(ind: Indicator, threshold: float) -> str:
    return _with_unit(ind, plain(threshold))


def _with_unit(ind: Indicator, number: str) -> str:
    before, after = affixes(ind)
    return f"{before}{number}{after}"
