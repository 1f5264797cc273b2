"""Reports of other kinds and layouts (audit, inspection, environmental inspection, city
notices), written the way their offices publish them; each must give the right problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from dudao.parser import FEEDBACK_LETTER, RECTIFICATION_REPORT, parse_file

MORE = Path(__file__).parent / "corpus" / "more"

CASES = {
    "feedback-inline-numbers.txt": (
        FEEDBACK_LETTER,
        [
            ("教育优先发展方面", "普通高中理科实验室设施设备更新缓慢"),
            ("教育优先发展方面", "部分学校人防投入不足"),
            ("教育优先发展方面", "教育专网建设进度缓慢"),
            ("重点任务落实方面", "县域学前教育普及普惠统筹推进力度不够"),
            ("重点任务落实方面", "义务教育优质均衡发展存在短板"),
            ("校园安全方面", "安防人员专业知识与风险防控能力不足"),
        ],
    ),
    "audit-congress-report.txt": (
        RECTIFICATION_REPORT,
        [
            ("预算管理方面的问题", "部分预算编制不够细化的问题"),
            ("预算管理方面的问题", "非税收入未及时缴库的问题"),
            ("专项资金管理方面的问题", "专项资金拨付不及时的问题"),
            ("专项资金管理方面的问题", "部分项目资金闲置的问题"),
        ],
    ),
    "inspection-rectification.txt": (
        RECTIFICATION_REPORT,
        [
            ("关于落实党中央重大决策部署方面", "学习贯彻党的二十大精神不够深入"),
            ("关于落实党中央重大决策部署方面", "落实“双减”政策不够到位"),
            ("关于全面从严治党方面", "党风廉政建设主体责任压得不实"),
            ("关于全面从严治党方面", "“三重一大”制度执行不严格"),
        ],
    ),
    "environment-inspection.txt": (
        RECTIFICATION_REPORT,
        [
            ("", "城区黑臭水体治理进度滞后"),
            ("", "部分企业环评手续不全"),
            ("", "农村生活垃圾收运体系不健全"),
        ],
    ),
    "city-feedback-notice.txt": (
        FEEDBACK_LETTER,
        [
            ("教育优先发展方面", "普通高中理科实验室设施设备更新缓慢"),
            ("教育优先发展方面", "教育专网建设进度缓慢"),
            ("重点任务落实方面", "县域学前教育普及普惠统筹推进力度不够"),
            ("重点任务落实方面", "学生体质健康达标优良率未达标"),
            ("校园安全方面", "部分学校未通过消防验收"),
        ],
    ),
    "about-headings-county.txt": (
        RECTIFICATION_REPORT,
        [
            ("", "教育经费投入不足"),
            ("", "中小学教师缺编严重"),
            ("", "校舍安全隐患排查不彻底"),
        ],
    ),
    "bureau-report-problem-labels.txt": (
        RECTIFICATION_REPORT,
        [
            ("问题整改落实情况", "部分学校功能室配备不足"),
            ("问题整改落实情况", "教师培训经费未达到公用经费的5%"),
            ("问题整改落实情况", "校外培训机构监管不到位"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_reads_the_problems_of_other_kinds_of_report(name: str) -> None:
    kind, expected = CASES[name]
    report = parse_file((MORE / name).read_bytes(), name)
    assert report.kind == kind
    got = [(s.title, p.problem) for s in report.sections for p in s.problems]
    assert got == expected
    if kind == RECTIFICATION_REPORT:
        assert all(p.measures for p in report.problems)


def test_closing_instructions_stay_out_of_the_last_problem() -> None:
    report = parse_file((MORE / "feedback-inline-numbers.txt").read_bytes(), "x.txt")
    assert all("报送" not in p.problem for p in report.problems)


def test_a_speech_report_keeps_its_title_clean() -> None:
    report = parse_file((MORE / "audit-congress-report.txt").read_bytes(), "x.txt")
    assert report.title == "关于2022年度县本级预算执行和其他财政收支审计查出问题整改情况的报告"
    assert report.recipient == "县人大常委会"
