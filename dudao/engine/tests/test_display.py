"""`display.shown` against a plain, slower statement of the same rules."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dudao.engine.display import MAX_DECIMALS, shown, shown_many


def _meets(value: float, threshold: float, comparison: str) -> bool:
    tol = 1e-9 * max(1.0, abs(threshold))
    return value >= threshold - tol if comparison == ">=" else value <= threshold + tol


def _fixed(number: float, decimals: int) -> str:
    text = f"{number:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def reference(
    value: float, decimals: int, threshold: float | None = None, comparison: str | None = None
) -> str:
    """The rules one at a time: the decimals the value was typed with (up to
    MAX_DECIMALS), then more while the rounded value would meet a threshold the value
    fails, then no trailing zeros beyond the indicator's decimals."""
    d = decimals
    for extra in range(decimals, MAX_DECIMALS + 1):
        if abs(round(value, extra) - value) <= 1e-9 * max(1.0, abs(value)):
            d = extra
            break
    if (
        threshold is not None
        and comparison is not None
        and not _meets(value, threshold, comparison)
    ):
        while d < 10 and _meets(float(_fixed(value, d)), threshold, comparison):
            d += 1
    text = _fixed(value, d)
    while d > decimals and text.endswith("0"):
        text, d = text[:-1], d - 1
    return text.rstrip(".")


typed = st.builds(
    lambda whole, digits, places: round(whole + digits / 10**places, places),
    st.integers(-1000, 100_000),
    st.integers(0, 9999),
    st.integers(0, 6),
)
values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(-1e6, 1e6),
    typed,
)


@settings(max_examples=3000, deadline=None)
@given(values, st.integers(0, 6))
def test_shown_without_threshold(value: float, decimals: int) -> None:
    assert shown(value, decimals) == reference(value, decimals)


@settings(max_examples=3000, deadline=None)
@given(
    values,
    st.integers(0, 6),
    st.one_of(typed, st.floats(-1e6, 1e6)),
    st.sampled_from([">=", "<="]),
    st.floats(-1e-8, 1e-8),
)
def test_shown_near_a_threshold(
    value: float, decimals: int, threshold: float, comparison: str, nudge: float
) -> None:
    """Values just either side of the threshold are where rounding could mislead."""
    for v in (value, threshold + nudge, threshold * (1 + nudge)):
        assert shown(v, decimals, threshold, comparison) == reference(
            v, decimals, threshold, comparison
        )


def test_examples() -> None:
    assert shown(15.047, 1, 15.0, "<=") == "15.047"
    assert shown(99.96, 1, 100.0, ">=") == "99.96"
    assert shown(0.92, 1) == "0.92"
    assert shown(14.642857, 1, 15.0, "<=") == "14.6"
    assert shown(-0.0001, 2) == "-0.0001"
    assert shown(-0.00001, 2) == "0.00"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(values, max_size=40),
    st.integers(0, 4),
    st.one_of(st.none(), typed),
    st.sampled_from([">=", "<="]),
)
def test_shown_many_is_shown_of_each(
    many: list[float], decimals: int, threshold: float | None, comparison: str
) -> None:
    """The writers format numbers in bulk; each must read as `shown` reads it."""
    near = [threshold + k * 10.0**-decimals / 4 for k in range(-3, 4)] if threshold else []
    array = np.array(many + near, dtype=np.float64)
    expected = [
        shown(v, decimals, threshold, comparison if threshold is not None else None)
        for v in array.tolist()
    ]
    got = shown_many(array, decimals, threshold, comparison if threshold is not None else None)
    assert got == expected
