"""The indicator framework, read from `data/indicators.json`, and thresholds.

Thresholds are a flat mapping: `"<key>.<level>"` for indicators judged at more than one
level (小学 and 初中 differ), `"<key>"` for single-level ones, plus rule parameters such as
`"school_rule.min_met"`. The Django side stores per-province or per-city overrides (with
history) and passes them to `evaluate`; defaults come from the data file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal

from dudao.engine.errors import EngineError

Level = Literal["primary", "junior", "preschool", "county"]
Comparison = Literal[">=", "<="]
Thresholds = Mapping[str, float]

LEVEL_NAMES: dict[str, str] = {
    "primary": "小学",
    "junior": "初中",
    "preschool": "学前教育",
    "county": "县域",
}
SCHOOL_LEVELS: tuple[Level, Level] = ("primary", "junior")


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    decimals: int
    kind: str
    levels: tuple[Level, ...]
    comparison: Comparison
    thresholds: Mapping[str, float]
    scale: float
    source: str
    years: tuple[int, int | None]
    dimension: str
    group: str | None
    statement: str
    detail: str
    note: str
    order: int

    def applies_to(self, year: int) -> bool:
        first, last = self.years
        return first <= year and (last is None or year <= last)

    def threshold_key(self, level: str) -> str:
        return f"{self.key}.{level}" if len(self.levels) > 1 else self.key

    def meets(self, value: float, threshold: float) -> bool:
        # A relative tolerance keeps 42 / 1000 * 100 == 4.2 from failing on float noise.
        tol = 1e-9 * max(1.0, abs(threshold))
        ok = value >= threshold - tol if self.comparison == ">=" else value <= threshold + tol
        return bool(ok)  # numpy scalars in, a JSON-safe bool out


@dataclass(frozen=True)
class Group:
    key: str
    statement: str
    joiner: str


@dataclass(frozen=True)
class Framework:
    indicators: tuple[Indicator, ...]
    groups: Mapping[str, Group]
    parameters: Mapping[str, float]
    dimensions: tuple[str, ...]

    def get(self, key: str) -> Indicator:
        ind = self.by_key.get(key)
        if ind is None:
            raise EngineError(f"未知的指标：{key}")
        return ind

    @cached_property
    def by_key(self) -> Mapping[str, Indicator]:
        return {ind.key: ind for ind in self.indicators}


def _indicator(raw: Mapping[str, Any], order: int) -> Indicator:
    first, last = raw["years"]
    return Indicator(
        key=raw["key"],
        name=raw["name"],
        unit=raw["unit"],
        decimals=int(raw["decimals"]),
        kind=raw["kind"],
        levels=tuple(raw["levels"]),
        comparison=raw["comparison"],
        thresholds={k: float(v) for k, v in raw["thresholds"].items()},
        scale=float(raw["scale"]),
        source=raw["source"],
        years=(int(first), None if last is None else int(last)),
        dimension=raw["dimension"],
        group=raw["group"],
        statement=raw["statement"],
        detail=raw["detail"],
        note=raw["note"],
        order=order,
    )


@cache
def framework() -> Framework:
    """The indicator framework shipped with the package (read once)."""
    text = resources.files("dudao.engine").joinpath("data/indicators.json").read_text("utf-8")
    raw = json.loads(text)
    indicators = tuple(_indicator(r, i) for i, r in enumerate(raw["indicators"]))
    groups = {k: Group(k, g["statement"], g["joiner"]) for k, g in raw["groups"].items()}
    return Framework(
        indicators=indicators,
        groups=groups,
        parameters={k: float(v) for k, v in raw["parameters"].items()},
        dimensions=tuple(raw["dimensions"]),
    )


def default_thresholds() -> dict[str, float]:
    """Every threshold key with its national default."""
    fw = framework()
    out: dict[str, float] = {}
    for ind in fw.indicators:
        for level in ind.levels:
            out[ind.threshold_key(level)] = ind.thresholds[level]
    out.update(fw.parameters)
    return out


def resolve_thresholds(overrides: Thresholds | None) -> dict[str, float]:
    """Defaults with the caller's overrides applied; unknown keys are refused so a typo in
    a province's settings cannot silently leave the national value in force."""
    out = default_thresholds()
    for key, value in (overrides or {}).items():
        if key not in out:
            raise EngineError(f"未知的指标阈值“{key}”，请检查阈值设置。")
        out[key] = float(value)
    return out
