"""Map a problem statement (反馈问题) to indicator keys by keywords.

>>> indicators_for_statement("部分义务教育学校生均体育运动场馆面积、生均教学及辅助用房面积不足")
['sports_area_per_student', 'teaching_area_per_student']
>>> indicators_for_statement("学生体质健康达标优良率和儿童青少年近视率下降比率未达标")
['fitness_good_rate', 'myopia_decline']
>>> indicators_for_statement("教育专网建设进度缓慢")
[]
"""

from __future__ import annotations

PRESCHOOL = (
    "preschool_gross_enrolment",
    "preschool_inclusive_coverage",
    "preschool_public_share",
    "preschool_child_teacher_ratio",
)
SAFETY = ("closed_campus_rate", "guard_rate", "alarm_video_rate", "school_patrol_rate")

# (keyword, indicator keys). Keywords are specific phrases: "体育" alone would also match
# 体育运动场馆, "公办幼儿园" would also match a problem about teachers' pay.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("高于规定学历", ("qualified_teachers_per_100",)),
    ("骨干教师", ("key_teachers_per_100",)),
    ("体育、艺术", ("pe_arts_teachers_per_100",)),
    ("体育艺术", ("pe_arts_teachers_per_100",)),
    ("音体美", ("pe_arts_teachers_per_100",)),
    ("教学及辅助用房", ("teaching_area_per_student",)),
    ("体育运动场馆", ("sports_area_per_student",)),
    ("运动场地", ("sports_area_per_student",)),
    ("教学仪器设备", ("equipment_value_per_student",)),
    ("多媒体教室", ("multimedia_rooms_per_100",)),
    ("差异系数", ("balance_cv",)),
    ("资源配置未达标", ("school_rule_share",)),
    ("班额", ("class_size_over_share",)),
    ("普及普惠", PRESCHOOL),
    ("毛入园率", ("preschool_gross_enrolment",)),
    ("普惠性幼儿园覆盖率", ("preschool_inclusive_coverage",)),
    ("普惠性资源覆盖率", ("preschool_inclusive_coverage",)),
    ("公办园在园幼儿占比", ("preschool_public_share",)),
    ("公办园幼儿占比", ("preschool_public_share",)),
    ("师幼比", ("preschool_child_teacher_ratio",)),
    ("体质健康", ("fitness_good_rate",)),
    ("达标优良率", ("fitness_good_rate",)),
    ("近视", ("myopia_decline",)),
    ("四个百分百", SAFETY),
    ("四个100%", SAFETY),
    ("封闭化管理", ("closed_campus_rate",)),
    ("封闭管理", ("closed_campus_rate",)),
    ("专职保安", ("guard_rate",)),
    ("保安员配备", ("guard_rate",)),
    ("一键式报警", ("alarm_video_rate",)),
    ("一键报警", ("alarm_video_rate",)),
    ("视频监控", ("alarm_video_rate",)),
    ("护学岗", ("school_patrol_rate",)),
)
# Used only when nothing more specific matched: "义务教育优质均衡发展存在短板".
FALLBACK: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("优质均衡", ("school_rule_share", "balance_cv")),
)


def _match(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    hits: list[tuple[int, int, str]] = []
    for keyword, keys in table:
        pos = text.find(keyword)
        if pos >= 0:
            hits.extend((pos, i, key) for i, key in enumerate(keys))
    out: list[str] = []
    for _, _, key in sorted(hits):
        if key not in out:
            out.append(key)
    return out


def indicators_for_statement(text: str) -> list[str]:
    """Indicator keys a statement speaks of, in the order it mentions them."""
    clean = "".join(text.split()).replace("％", "%")
    return _match(clean, KEYWORDS) or _match(clean, FALLBACK)
