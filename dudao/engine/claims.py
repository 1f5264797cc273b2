"""Claim check: numbers a county's report states (as the report parser reads them) against
the county's own indicator data.

A fact is a mapping with `text`, `value`, `unit`, `kind` and, for comparisons,
`baseline_year`, `baseline_value`, `change` (signed, percentage points) and `result`, plus
`context`, the sentence around it. The keyword nearest before the number in `context`
tells which rate it is (近视率 vs 达标优良率; 专职保安, 保安配备 … for 专职保安员配备率). A
percentage whose sentence names no known rate is reported "unchecked" with the reason,
never dropped silently; so is one the county data cannot confirm.

Besides rates: a county value of a school indicator ("小学生均体育运动场馆面积8.2平方米")
against the evaluation; a 师幼比 against the county data, a 小学 or 初中 生师比 unchecked
(the school data hold no count of all full-time teachers); a census of schools ("全县共有
中小学32所", "小学12所") or of the teachers the school data count ("骨干教师77人") against
the school data of its year. In a from-to phrase ("由7.6提高到8.2") the later number is the
current year's and the earlier the year before's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from dudao.engine.columns import SCHOOL_TYPES
from dudao.engine.display import shown, value_text
from dudao.engine.indicators import LEVEL_NAMES, framework
from dudao.engine.tables import CountyTable, SchoolTable

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


# "由7.6平方米提高到8.2平方米", "从65.1%下降至63.79%": the first number is the year before's
_FROM_TO = re.compile(
    r"[由从]([^，,；;。由从]{1,30}?)(提高|提升|增加|增长|上升|下降|降低|减少|缩小|扩大)(?:到|至)"
)


def _claim_year(context: str, pos: int, year: int) -> int:
    """The year a number describes: the year named just before it in its clause; in a
    from-to phrase ("由7.6提高到8.2") the later number is `year`'s (or the year named before
    由) and the earlier one the year before's (or the year named next to it); else `year`."""
    prefix = context[: max(pos, 0)]
    for m in _FROM_TO.finditer(context):
        if pos < m.start() or pos > m.end() + 12:
            continue
        if pos >= m.end() and any(ch in context[m.end() : pos] for ch in _CLAUSE_ENDS + "。"):
            continue
        to_year = _year_named(context[: m.start()]) or year
        if pos < m.start(2):  # the number the change starts from
            return _year_named(context[m.start() : pos]) or to_year - 1
        return _year_named(context[m.end() : pos]) or to_year
    return _year_named(prefix) or year


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
        close = "" if round(actual, 4) == round(claimed, 4) else f"（区县数据为{actual:g}%）"
        return True, f"{year}年度{name}{claimed:g}%，与区县数据一致{close}"
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
    counts: SchoolCounts | None = None,
) -> list[ClaimCheck]:
    """Check each rate fact against the county's data. `year` is the year the report's
    current figures refer to; `county_rows` is a CountyTable or {year: {field: value}};
    `school_values` the county values of the school indicators by year and level (from
    the evaluation), for claims such as "小学生均体育运动场馆面积达到8.2平方米"; `counts`
    the county's schools and teachers by year (`school_counts`), for "全县共有中小学32所"."""
    rows = _rows(county_rows, county_code)
    out: list[ClaimCheck] = []
    seen: set[tuple[str, tuple[tuple[int, float], ...]]] = set()
    skipped: set[tuple[str, str, str]] = set()
    for fact in facts:
        if str(fact.get("unit")) == RATIO_UNIT:
            out.append(_ratio(fact, rows, year))
            continue
        if str(fact.get("unit")) not in {"%", "个百分点"}:
            other = _count(fact, counts or {}, year)
            if other is None:
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
                why = "未核对：句中没有可识别的指标名称，无法确定是哪项比率，请人工核对"
                out.append(ClaimCheck(text, "", "unchecked", why, {}, {}))
            continue
        name = FIELD_NAMES[name_key]
        text = str(fact.get("text") or "")
        if fact.get("baseline_year") is None and _FROM_TO.search(_clean(text)):
            continue  # "由65.1%下降到63.79%": each of its numbers is a fact of its own
        comp = _comparison(fact, context, start)
        value = _number(fact.get("value"))
        checks: tuple[tuple[int, float], ...] = ()
        if comp is not None:
            base_year, base, change = comp
            checks = ((base_year, base), (year, round(base + change, 4)))
        elif str(fact.get("unit")) == "%" and value is not None:
            checks = ((_claim_year(context, start, year), value),)
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
        elif len(checks) > 1 and all(round(v, 4) == round(actual[y] or 0, 4) for y, v in checks):
            verdict = "match"  # "学生体质健康达标优良率2022年度17.3%、2023年度21.2%，均与…一致"
            said = "、".join(f"{y}年度{v:g}%" for y, v in checks)
            message = f"{name}{said}，均与区县数据一致"
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
    if key in PER_100_TEACHERS and "每百名" not in prefix:
        why = f"未核对：{text}不是{framework().get(key).name}的县域值，请人工核对"
        return ClaimCheck(text, key, "unchecked", why, {}, {})
    ind = framework().get(key)
    value = _number(fact.get("value"))
    if str(fact.get("unit")) not in SCHOOL_UNITS.get(key, set()) or value is None:
        why = f"未核对：{text}不是{ind.name}的县域值（如“8.2平方米”），请人工核对"
        return ClaimCheck(text, key, "unchecked", why, {}, {})
    claim_year = _claim_year(context, pos, year)
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
        close = "" if shown_actual == text else f"（按学校数据计算为{shown_actual}）"
        message = f"{claim_year}年度{lname}{ind.name}{text}，与评估数据一致{close}"
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


# --- ratios: 生师比, 师生比, 师幼比 ------------------------------------------------------------

RATIO_UNIT = "比"
# "小学生师比为15:1", "生师比达到1:15", "师生比1∶13.5", "师幼比为1比12": the ratio word, a few
# characters (为, 达到, a level), then two numbers around a colon of any width or 比.
_RATIO = re.compile(
    r"(生师比|师生比|师幼比|幼师比)[^，,；;。\d]{0,8}?"
    r"(\d{1,6}(?:\.\d{1,4})?)\s*[:：∶比]\s*(\d{1,6}(?:\.\d{1,4})?)(?![\d.])"
)
_PRESCHOOL_WORDS = ("师幼比", "幼师比", "幼儿园", "学前")


_MORE_RATIOS = re.compile(
    r"[、，,和及]\s*(\d{1,6}(?:\.\d{1,4})?)\s*[:：∶比]\s*(\d{1,6}(?:\.\d{1,4})?)(?![\d.])"
)


def ratio_facts(text: str) -> list[dict[str, object]]:
    """The ratio claims of a text (the fact reader has no kind for them), in the shape of
    the reader's facts: `value` is the number of students (children) per teacher, whichever
    way round the ratio is written ("15:1", "1:15", "1∶13.5"); `decimals` the most any of
    its two numbers is written with.

    >>> [(f["text"], f["value"]) for f in ratio_facts("小学、初中生师比分别为15:1、13:1")]
    [('15:1', 15.0), ('13:1', 13.0)]
    """
    out: list[dict[str, object]] = []

    def add(m: re.Match[str], first: int) -> None:
        left, right = float(m.group(first)), float(m.group(first + 1))
        written = (m.group(first), m.group(first + 1))
        # "0:15" is no ratio: reported unchecked (value None), never dropped
        value = max(left, right) / min(left, right) if min(left, right) > 0 else None
        out.append(
            {
                "text": text[m.start(first) : m.end()],
                "value": value,
                "decimals": max(len(w.partition(".")[2]) for w in written),
                "unit": RATIO_UNIT,
                "kind": "ratio",
                "start": m.start(first),
                "end": m.end(),
            }
        )

    for m in _RATIO.finditer(text):
        add(m, 2)
        end = m.end()
        while (more := _MORE_RATIOS.match(text, end)) is not None:
            add(more, 1)
            end = more.end()
    return out


def _ratio(fact: ClaimFact, rows: Mapping[int, Mapping[str, object]], year: int) -> ClaimCheck:
    """A 师幼比 against the county data (在园幼儿数 ÷ 幼儿园专任教师数); a 小学 or 初中
    生师比 is reported unchecked: the school data hold no count of all full-time teachers."""
    text = str(fact.get("text") or "")
    value = _number(fact.get("value"))
    context = _clean(fact.get("context"))
    pos = context.find(_clean(text))
    prefix = context[: max(pos, 0)]
    claim_year = _claim_year(context, pos, year)
    if value is None:
        return ClaimCheck(
            text, "", "unchecked", f"未核对：{text}不是有效的比例（一方为0），请人工核对"
        )
    if not any(word in prefix[-16:] for word in _PRESCHOOL_WORDS):
        said = prefix.replace("中小学", "")
        levels = [word for word in ("小学", "初中") if word in said]
        named = levels[0] if len(levels) == 1 else "中小学"
        why = (
            f"未核对：学校数据中没有{named}专任教师总数（只有学历达标、骨干、体育艺术教师数），"
            f"无法计算生师比，请人工核对"
        )
        return ClaimCheck(text, "student_teacher_ratio", "unchecked", why, {}, {})
    key = "preschool_child_teacher_ratio"
    claim = {str(claim_year): round(value, 4)}
    row = rows.get(claim_year, {})
    children, teachers = (
        _number(row.get("preschool_children")),
        _number(row.get("preschool_teachers")),
    )
    if children is None or not teachers:
        why = f"未核对：区县数据中没有{claim_year}年度在园幼儿数和幼儿园专任教师数，无法核对师幼比"
        return ClaimCheck(text, key, "unchecked", why, claim, {})
    actual = children / teachers
    data: dict[str, float | None] = {str(claim_year): round(actual, 4)}
    written = fact.get("decimals")
    decimals = written if isinstance(written, int) else 1
    said = f"1:{shown(value, decimals)}"
    found = f"1:{shown(actual, 1)}（在园幼儿{children:g}人、专任教师{teachers:g}人）"
    if abs(actual - value) <= 0.5 * 10**-decimals + 1e-9:
        message = f"{claim_year}年度师幼比{said}，与区县数据{found}一致"
        return ClaimCheck(text, key, "match", message, claim, data)
    message = f"与区县数据不符：报告称{claim_year}年度师幼比为{said}，区县数据为{found}"
    return ClaimCheck(text, key, "mismatch", message, claim, data)


# --- counts: schools and teachers -----------------------------------------------------------

SchoolCounts = Mapping[int, Mapping[str, int]]
"""{year: {count key: number}} of one county, from `school_counts`."""
# the words that name a kind of school, longest first (中小学 before 小学)
_SCHOOL_WORDS: tuple[tuple[str, str], ...] = (
    ("十二年一贯制学校", "type:十二年一贯制学校"),
    ("九年一贯制学校", "type:九年一贯制学校"),
    ("十二年一贯制", "type:十二年一贯制学校"),
    ("九年一贯制", "type:九年一贯制学校"),
    ("完全中学", "type:完全中学"),
    ("教学点", "type:教学点"),
    ("义务教育学校", "schools"),
    ("中小学校", "schools"),
    ("中小学", "schools"),
    ("小学校", "type:小学"),
    ("初中学校", "type:初中"),
    ("初级中学", "type:初中"),
    ("学校", "schools"),
    ("小学", "type:小学"),
    ("初中", "type:初中"),
)
_KIND_NAMES = {"schools": "中小学", **{f"type:{t}": t for t in SCHOOL_TYPES}}
# "全县共有中小学32所": what may stand between the kind of school and its number
_COUNT_FILLER = re.compile(r"(?:共有|现有|共计|合计|总计|总数|数量|共|计|有|为|达到|达)+$")
# a number of schools built, merged or brought up to standard is no census of the county
_SCHOOL_ACTIONS = re.compile(
    r"新建|改建|扩建|新增|撤并|撤销|合并|改造|建设|维修|完成|达标|配备|配齐|覆盖|实现|开展|投入|"
    r"标准化|薄弱|验收|创建|评为|命名|试点|整改|存在|超标|不足|低于|未达"
)
# teachers the school data count, by the words of the claim; 专任教师 as such they do not
_TEACHER_WORDS: tuple[tuple[str, str], ...] = (
    ("骨干教师", "key_teachers"),
    ("体育、艺术", "pe_arts_teachers"),
    ("体育艺术", "pe_arts_teachers"),
    ("音体美", "pe_arts_teachers"),
    ("高于规定学历", "qualified_teachers"),
    ("专科及以上", "qualified_teachers"),
    ("本科及以上", "qualified_teachers"),
)
_TEACHER_NAMES = {
    "key_teachers": "县级及以上骨干教师",
    "pe_arts_teachers": "体育艺术专任教师",
    "qualified_teachers": "高于规定学历专任教师",
}
# teachers recruited, trained or moved in a year: no school table counts them
_TEACHER_EVENTS = re.compile(
    r"招聘|招录|补充|新增|引进|调入|调出|培训|交流|轮岗|特岗|支教|退休|选派|评定|评聘|评为|"
    r"晋升|职称|聘任|表彰|获评|认定|一级教师|高级教师"
)
# "全县共有专任教师1,234人": a count of all the county's teachers, which no table holds
_TEACHER_CENSUS = re.compile(r"专任教师|(?:共有|现有|总数|合计|共计)[^，,；;。]*教师")
PER_100_TEACHERS = {
    "key_teachers_per_100",
    "pe_arts_teachers_per_100",
    "qualified_teachers_per_100",
}


def school_counts(table: SchoolTable, code: str) -> dict[str, int]:
    """One county's schools by type ("type:小学"…), its schools without the 教学点
    ("schools"), the schools teaching each level ("level:primary"…, 教学点 apart), and its
    teachers by column and level ("key_teachers:primary"…, "key_teachers" for both)."""
    frame = table.schools.filter(pl.col("county") == code)
    out = {f"type:{t}": 0 for t in SCHOOL_TYPES}
    for kind, n in frame.group_by("school_type").len().iter_rows():
        out[f"type:{kind}"] = int(n)
    out["schools"] = frame.height - out["type:教学点"]
    for level in ("primary", "junior"):
        teaching = [t for t, levels in SCHOOL_TYPES.items() if level in levels and t != "教学点"]
        out[f"level:{level}"] = sum(out[f"type:{t}"] for t in teaching)
    for column in _TEACHER_NAMES:
        both = 0
        for level in ("primary", "junior"):
            total = frame[f"{level}_{column}"].fill_null(0).sum()
            out[f"{column}:{level}"] = int(total)
            both += int(total)
        out[column] = both
    return out


def _count(fact: ClaimFact, counts: SchoolCounts, year: int) -> ClaimCheck | None:
    """A number of schools ("全县共有中小学32所", "小学12所") or of teachers the school data
    count ("骨干教师120人") against the county's school data of its year; a count of all
    专任教师 unchecked, with why. None for any other number (it is not a census)."""
    text, unit = str(fact.get("text") or ""), str(fact.get("unit"))
    value = _number(fact.get("value"))
    context = _clean(fact.get("context"))
    pos = context.find(_clean(text))
    if not text or value is None or pos < 0:
        return None
    cut = max(context.rfind(ch, 0, pos) for ch in _CLAUSE_ENDS + "、")
    clause = context[cut + 1 : pos]
    claim_year = _claim_year(context, pos, year)
    by_year = counts.get(claim_year)
    if unit in {"所", "个"}:
        bare = _COUNT_FILLER.sub("", clause)
        kind = next((k for w, k in _SCHOOL_WORDS if bare.endswith(w)), None)
        if kind is None or _SCHOOL_ACTIONS.search(clause):
            return None
        return _school_count(text, value, kind, claim_year, by_year)
    if unit not in {"人", "名"} or "每百名" in clause or _TEACHER_EVENTS.search(clause):
        return None
    column = next((c for w, c in _TEACHER_WORDS if w in clause), None)
    if column is None:
        if not _TEACHER_CENSUS.search(clause):
            return None
        why = (
            f"未核对：学校数据中没有专任教师总数（只有学历达标、骨干、体育艺术教师数），"
            f"无法核对{text}，请人工核对"
        )
        return ClaimCheck(text, "teachers", "unchecked", why, {}, {})
    level = _level_named(clause)
    key = f"{column}:{level}" if level else column
    name = (LEVEL_NAMES[level] if level else "") + _TEACHER_NAMES[column]
    claim = {str(claim_year): value}
    if by_year is None:
        why = f"未核对：没有{claim_year}年度的学校数据，无法核对{name}人数"
        return ClaimCheck(text, "teachers", "unchecked", why, claim, {})
    actual = by_year[key]
    data: dict[str, float | None] = {str(claim_year): float(actual)}
    if actual == value:
        message = f"{claim_year}年度{name}{value:g}人，与学校数据一致"
        return ClaimCheck(text, "teachers", "match", message, claim, data)
    message = f"与学校数据不符：报告称{claim_year}年度有{name}{value:g}人，学校数据合计{actual}人"
    return ClaimCheck(text, "teachers", "mismatch", message, claim, data)


def _school_count(
    text: str, value: float, kind: str, year: int, by_year: Mapping[str, int] | None
) -> ClaimCheck:
    name = _KIND_NAMES[kind]
    claim = {str(year): value}
    if by_year is None:
        why = f"未核对：没有{year}年度的学校数据，无法核对{name}数量"
        return ClaimCheck(text, "schools", "unchecked", why, claim, {})
    actual = by_year[kind]
    measure = "个" if kind == "type:教学点" else "所"
    data: dict[str, float | None] = {str(year): float(actual)}
    found = f"{name}{actual}{measure}"
    note = ""
    level = {"type:小学": "primary", "type:初中": "junior"}.get(kind)
    # 小学 may be counted with the 九年一贯制 schools and 完全中学 that teach the level
    with_level = by_year[f"level:{level}"] if level else actual
    if with_level != actual:
        note = f"（连同设{name}部的一贯制学校、完全中学共{with_level}所）"
    points = by_year["type:教学点"] if kind == "schools" else 0
    if points:
        note = f"（另有教学点{points}个）"
    if value in {actual, with_level, actual + points}:
        if value == actual:
            note = f"（另有教学点{points}个）" if points else ""
        elif value == with_level:
            note = f"（{found}，连同设{name}部的一贯制学校、完全中学共{with_level}所）"
        else:
            note = f"（含教学点{points}个）"
        message = f"{year}年度{name}{text}，与学校数据一致{note}"
        return ClaimCheck(text, "schools", "match", message, claim, data)
    message = f"与学校数据不符：报告称{year}年度有{name}{text}，学校数据为{found}{note}"
    return ClaimCheck(text, "schools", "mismatch", message, claim, data)
