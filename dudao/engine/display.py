"""Numbers as they are written in a feedback letter: 21.2%、3.43个百分点、1:16.2。"""

from __future__ import annotations

from dudao.engine.indicators import Indicator


def plain(number: float) -> str:
    """A threshold without trailing zeros: 50.0 -> '50', 0.45 -> '0.45'."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fixed(number: float, decimals: int) -> str:
    text = f"{number:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def value_text(ind: Indicator, value: float) -> str:
    if ind.kind == "myopia_decline":
        word = "下降" if value >= 0 else "上升"
        return f"{word}{fixed(abs(value), ind.decimals)}个百分点"
    return _with_unit(ind, fixed(value, ind.decimals))


def threshold_text(ind: Indicator, threshold: float) -> str:
    return _with_unit(ind, plain(threshold))


def _with_unit(ind: Indicator, number: str) -> str:
    if ind.unit == "ratio":
        return f"1:{number}"
    if ind.unit in {"%", "个百分点", "平方米", "元"}:
        return f"{number}{ind.unit}"
    return number
