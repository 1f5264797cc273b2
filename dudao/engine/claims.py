"""Claim check: numbers a county's report states (as the report parser reads them) against
the county's own indicator data.

A fact is a mapping with `text`, `value`, `unit`, `kind` and, for comparisons,
`baseline_year`, `baseline_value`, `change` (signed, percentage points) and `result`, plus
`context`, the sentence around it. The keyword nearest before the number in `context`
tells which rate it is (近视率 vs 达标优良率; 专职保安, 保安配备 … for 专职保安员配备率). A
percentage whose sentence names no known rate is reported "unchecked" with the reason,
never dropped silently; so is one the county data cannot confirm.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dudao.engine.display import value_text
from dudao.engine.indicators import LEVEL_NAMES, framework
from dudao.engine.tables import CountyTable

ClaimFact = Mapping[str, object]
TOLERANCE_PP = 0.05

FIELD_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("近视率", "myopia_rate"),
    ("达标优良率", "fitness_good_rate"),
    ("体质健康优良率", "fitness_good_rate"),
    ("毛入园率", "preschool_gross_enrolment"),
    ("普惠性幼儿园覆盖率", "preschool_inclusive_coverage"),
    ("普惠性资源覆盖率", "preschool_inclusive_coverage"),
    ("公办园在园幼儿占比", "preschool_public_share"),
    ("封闭化管理", "closed_campus_rate"),
    ("封闭管理", "closed_campus_rate"),
    ("专职保安员配备率", "guard_rate"),
    ("保安员配备率", "guard_rate"),
    ("专职保安", "guard_rate"),
    ("保安配备", "guard_rate"),
    ("保安员", "guard_rate"),
    ("一键式报警", "alarm_video_rate"),
    ("一键报警", "alarm_video_rate"),
    ("紧急报警", "alarm_video_rate"),
    ("视频监控", "alarm_video_rate"),
    ("护学岗", "school_patrol_rate"),
    ("封闭化", "closed_campus_rate"),
    ("优良率", "fitness_good_rate"),
    ("体质健康", "fitness_good_rate"),
    ("入园率", "preschool_gross_enrolment"),
    ("普惠率", "preschool_inclusive_coverage"),
    ("普惠性资源", "preschool_inclusive_coverage"),
    ("公办率", "preschool_public_share"),
    ("公办园占比", "preschool_public_share"),
)
# "百分之百", "百分之九十二点五": Chinese numerals read with cn2an, only after 百分之 (a
# blanket conversion would turn 一键式报警 into "1键式报警").
_CN_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百点]{1,12})")
FIELD_NAMES = {
    "myopia_rate": "儿童青少年总体近视率",
    "fitness_good_rate": "学生体质健康达标优良率",
    "preschool_gross_enrolment": "学前三年毛入园率",
    "preschool_inclusive_coverage": "普惠性幼儿园覆盖率",
    "preschool_public_share": "公办园在园幼儿占比",
    "closed_campus_rate": "封闭化管理达标率",
    "guard_rate": "专职保安员配备率",
    "alarm_video_rate": "一键式报警和视频监控联网率",
    "school_patrol_rate": "护学岗设置率",
}
# "较2022年度的67.22%下降3.43个百分点": only bounded, non-nested quantifiers.
_COMPARISON = re.compile(
    r"较(\d{4})年度?的?(\d{1,3}(?:\.\d{1,4})?)%(提高|上升|增加|增长|下降|降低|减少)(\d{1,3}(?:\.\d{1,4})?)个百分点"
)
_FALLS = ("下降", "降低", "减少")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_CLAUSE_ENDS = "，,；;：:"


def _year_named(prefix: str) -> int | None:
    """The last year named in the clause before a number: "2022年专职保安员配备率为86.7%"."""
    cut = max(prefix.rfind(ch) for ch in _CLAUSE_ENDS)
    found = _YEAR.findall(prefix[cut + 1 :])
    return int(found[-1]) if found else None


@dataclass(frozen=True)
class ClaimCheck:
    text: str
    rate: str  # the county-table field checked, e.g. myopia_rate
    verdict: Literal["match", "mismatch", "unchecked"]
    message: str
    claimed: dict[str, float | int] = field(default_factory=dict)
    data: dict[str, float | None] = field(default_factory=dict)


def _rows(
    county_rows: CountyTable | Mapping[int, Mapping[str, object]], code: str
) -> dict[int, Mapping[str, object]]:
    if isinstance(county_rows, CountyTable):
        frame = county_rows.frame
        return {int(r["year"]): r for r in frame.filter(frame["county"] == code).to_dicts()}
    return {int(y): row for y, row in county_rows.items()}


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _clean(text: object) -> str:
    return "".join(str(text or "").split()).replace("％", "%")


def _locate(fact: ClaimFact) -> tuple[str | None, str, int]:
    """(field, cleaned context, start of the fact's text in it or -1)."""
    context, text = _clean(fact.get("context")), _clean(fact.get("text"))
    pos = context.find(text) if text else -1
    prefix = context[:pos] if pos >= 0 else context
    best: tuple[int, str] | None = None
    for keyword, name in FIELD_KEYWORDS:
        at = prefix.rfind(keyword)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, name)
    return (best[1] if best else None), context, pos


def _comparison(fact: ClaimFact, context: str, pos: int) -> tuple[int, float, float] | None:
    """(baseline year, baseline value, signed change) from the fact, or from the
    comparison phrase of its context that contains the fact's text."""
    year, base, change = (
        _number(fact.get(k)) for k in ("baseline_year", "baseline_value", "change")
    )
    if year is not None and base is not None:
        if change is None:
            result = _number(fact.get("result"))
            change = None if result is None else result - base
        if change is not None:
            return int(year), base, change
    for m in _COMPARISON.finditer(context):
        if pos < 0 or m.start() <= pos < m.end():
            sign = -1.0 if m.group(3) in _FALLS else 1.0
            return int(m.group(1)), float(m.group(2)), sign * float(m.group(4))
    return None


def _verdict(name: str, year: int, claimed: float, actual: float | None) -> tuple[bool | None, str]:
    if actual is None:
        return None, f"区县数据中没有{year}年度{name}"
    diff = abs(claimed - actual)
    if diff <= TOLERANCE_PP + 1e-9:
        return True, f"{year}年度{name}{claimed:g}%与区县数据{actual:g}%一致"
    return (
        False,
        f"报告称{year}年度{name}为{claimed:g}%，区县数据为{actual:g}%，相差{diff:.2f}个百分点",
    )


def check_claims(
    facts: Sequence[ClaimFact],
    county_rows: CountyTable | Mapping[int, Mapping[str, object]],
    county_code: str,
    year: int,
    school_values: SchoolValues | None = None,
) -> list[ClaimCheck]:
    """Check each rate fact against the county's data. `year` is the year the report's
    current figures refer to; `county_rows` is a CountyTable or {year: {field: value}};
    `school_values` the county values of the school indicators by year and level (from
    the evaluation), for claims such as "小学生均体育运动场馆面积达到8.2平方米"."""
    rows = _rows(county_rows, county_code)
    out: list[ClaimCheck] = []
    seen: set[tuple[str, tuple[tuple[int, float], ...]]] = set()
    skipped: set[tuple[str, str, str]] = set()
    for fact in facts:
        if str(fact.get("unit")) not in {"%", "个百分点"}:
            other = _other_quantity(fact, school_values or {}, year)
            if other is not None and (other.text, other.message) not in {
                (c.text, c.message) for c in out
            }:
                out.append(other)
            continue
        name_key, context, start = _locate(fact)
        if name_key is None:
            text = str(fact.get("text") or "")
            if str(fact.get("unit")) == "%" and ("unchecked", text, context) not in skipped:
                skipped.add(("unchecked", text, context))
                why = "未核对：句中没有可识别的指标名称（如“专职保安员配备率”），请人工核对"
                out.append(ClaimCheck(text, "", "unchecked", why, {}, {}))
            continue
        name = FIELD_NAMES[name_key]
        text = str(fact.get("text") or "")
        comp = _comparison(fact, context, start)
        value = _number(fact.get("value"))
        checks: tuple[tuple[int, float], ...] = ()
        if comp is not None:
            base_year, base, change = comp
            checks = ((base_year, base), (year, round(base + change, 4)))
        elif str(fact.get("unit")) == "%" and value is not None:
            checks = ((_year_named(context[: max(start, 0)]) or year, value),)
        elif name_key == "myopia_rate" and value is not None and _FALL.search(context):
            out.append(_decline(text, value, rows, year))
            continue
        if not checks:
            why = f"未核对：句中的{text}不是{name}的数值，也没有可比较的年度，请人工核对"
            out.append(ClaimCheck(text, name_key, "unchecked", why, {}, {}))
            continue
        if (name_key, checks) in seen:
            continue  # both numbers of one comparison phrase give the same check
        seen.add((name_key, checks))
        actual = {y: _number(rows.get(y, {}).get(name_key)) for y, _ in checks}
        results = [_verdict(name, y, v, actual[y]) for y, v in checks]
        claimed = {str(y): v for y, v in checks}
        data = {str(y): v for y, v in actual.items()}
        if any(ok is False for ok, _ in results):
            verdict: Literal["match", "mismatch", "unchecked"] = "mismatch"
            message = "与区县数据不符：" + "；".join(m for ok, m in results if ok is not True)
        elif any(ok is None for ok, _ in results):
            verdict = "unchecked"
            message = "未核对：" + "；".join(m for ok, m in results if ok is None)
        else:
            verdict = "match"
            message = "；".join(m for _, m in results)
        out.append(ClaimCheck(text, name_key, verdict, message, claimed, data))
    return out


# Indicators computed from school data: the county table cannot confirm a claim about them.
SCHOOL_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("教学及辅助用房", "teaching_area_per_student"),
    ("体育运动场馆", "sports_area_per_student"),
    ("运动场", "sports_area_per_student"),
    ("仪器设备", "equipment_value_per_student"),
    ("多媒体教室", "multimedia_rooms_per_100"),
    ("骨干教师", "key_teachers_per_100"),
    ("体育、艺术", "pe_arts_teachers_per_100"),
    ("音体美", "pe_arts_teachers_per_100"),
    ("高于规定学历", "qualified_teachers_per_100"),
    ("大班额", "class_size_over_share"),
    ("班额", "class_size_over_share"),
)
# the unit a claimed value of each indicator is written in
SCHOOL_UNITS = {
    "teaching_area_per_student": {"平方米"},
    "sports_area_per_student": {"平方米"},
    "equipment_value_per_student": {"元"},
    "multimedia_rooms_per_100": {"间", "个"},
    "key_teachers_per_100": {"人", "名"},
    "pe_arts_teachers_per_100": {"人", "名"},
    "qualified_teachers_per_100": {"人", "名"},
}
_LEVEL_WORDS = (("小学", "primary"), ("初中", "junior"))
SchoolValues = Mapping[int, Mapping[str, Mapping[str, float | None]]]
"""{year: {indicator key: {level: county value}}} from the evaluation of the county."""
_FALL = re.compile(r"近视率[^，,；;。]{0,12}(下降|降低|减少)")


def _level_named(prefix: str) -> str | None:
    best = max(((prefix.rfind(word), level) for word, level in _LEVEL_WORDS), default=(-1, ""))
    return best[1] if best[0] >= 0 else None


def _other_quantity(fact: ClaimFact, values: SchoolValues, year: int) -> ClaimCheck | None:
    """A number that is not a rate (平方米, 元, 所, 名…): a county value of a school indicator
    (生均…平方米, 生均…元, 每百名学生…) is checked against the evaluation's; any other is
    reported unchecked, with why, rather than dropped."""
    text = str(fact.get("text") or "")
    if not text:
        return None
    context = _clean(fact.get("context"))
    pos = context.find(_clean(text))
    prefix = context[:pos] if pos >= 0 else context
    found = [(prefix.rfind(k), key) for k, key in SCHOOL_KEYWORDS if k in prefix]
    if not found:
        why = "未核对：不是比率，区县数据中没有可对照的指标，请人工核对"
        return ClaimCheck(text, "", "unchecked", why, {}, {})
    key = max(found)[1]
    ind = framework().get(key)
    value = _number(fact.get("value"))
    if str(fact.get("unit")) not in SCHOOL_UNITS.get(key, set()) or value is None:
        why = f"未核对：{text}不是{ind.name}的县域值（如“8.2平方米”），请人工核对"
        return ClaimCheck(text, key, "unchecked", why, {}, {})
    claim_year = _year_named(prefix) or year
    level = _level_named(prefix)
    by_level = values.get(claim_year, {}).get(key, {})
    if level is None and len(by_level) == 1:
        level = next(iter(by_level))
    if level is None:
        why = f"未核对：未说明是小学还是初中的{ind.name}，请人工核对"
        return ClaimCheck(text, key, "unchecked", why, {}, {})
    lname = LEVEL_NAMES[level]
    actual = by_level.get(level)
    claim = {str(claim_year): value}
    if actual is None:
        why = f"未核对：没有{claim_year}年度{lname}{ind.name}的评估数据"
        return ClaimCheck(text, key, "unchecked", why, claim, {})
    data: dict[str, float | None] = {str(claim_year): actual}
    # a claim written with d decimals holds when the data round to it
    decimals = len(f"{value:g}".partition(".")[2])
    shown_actual = value_text(ind, actual)
    if abs(actual - value) <= 0.5 * 10**-decimals + 1e-9:
        message = f"{claim_year}年度{lname}{ind.name}{text}，与评估数据{shown_actual}一致"
        return ClaimCheck(text, key, "match", message, claim, data)
    message = (
        f"与评估数据不符：报告称{claim_year}年度{lname}{ind.name}为{text}，"
        f"按学校数据计算为{shown_actual}"
    )
    return ClaimCheck(text, key, "mismatch", message, claim, data)


def _decline(
    text: str, claimed: float, rows: Mapping[int, Mapping[str, object]], year: int
) -> ClaimCheck:
    """ "近视率较上年下降0.6个百分点" against last year's rate minus this year's."""
    before = _number(rows.get(year - 1, {}).get("myopia_rate"))
    now = _number(rows.get(year, {}).get("myopia_rate"))
    claim = {str(year): claimed}
    if before is None or now is None:
        why = f"未核对：区县数据中没有{year - 1}年度和{year}年度的近视率，无法核对下降幅度"
        return ClaimCheck(text, "myopia_rate", "unchecked", why, claim, {})
    actual = round(before - now, 4)
    data: dict[str, float | None] = {str(year): actual}
    if abs(actual - claimed) <= TOLERANCE_PP + 1e-9:
        message = f"{year}年度近视率较上年下降{claimed:g}个百分点，与区县数据一致"
        return ClaimCheck(text, "myopia_rate", "match", message, claim, data)
    message = (
        f"与区县数据不符：报告称{year}年度近视率下降{claimed:g}个百分点，区县数据为"
        f"{before:g}%降至{now:g}%，下降{actual:g}个百分点"
    )
    return ClaimCheck(text, "myopia_rate", "mismatch", message, claim, data)


def _cn_number(numeral: str) -> str | None:
    # cn2an reads 一百 but not a bare 百 or 十 at the start: "百分之百" is one hundred
    import cn2an  # ~0.15 s to import: not on `dudao evaluate`'s path

    text = "一" + numeral if numeral[0] in "百十" else numeral
    try:
        value = cn2an.cn2an(text, "smart")
    except ValueError:
        return None
    return f"{value:g}"


def arabic_percentages(text: str) -> str:
    """Chinese percentages as digits, so the fact reader sees them:

    >>> arabic_percentages("一键式报警达到百分之百，配备率百分之九十二点五")
    '一键式报警达到100%，配备率92.5%'
    """

    def replace(m: re.Match[str]) -> str:
        number = _cn_number(m.group(1))
        return m.group(0) if number is None else number + "%"

    return _CN_PERCENT.sub(replace, text)
