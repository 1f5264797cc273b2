"""Header fields, dates and damage repair on small hand-written letters."""

from __future__ import annotations

import datetime

import pytest

from dudao.parser import parse_text
from dudao.parser.header import doc_number_in, parse_date

BODY = "一、教育保障方面\n（一）存在“教育经费投入不足”的问题\n整改情况：已追加经费。\n"


@pytest.mark.parametrize(
    "line",
    [
        "绥政函〔2024〕17号",
        "绥政函(2024)17号",
        "绥政函［2024］17 号",
        "绥政函 〔 2024 〕 17 号",
        "绥政函【2024】17号",
    ],
)
def test_it_normalises_document_numbers(line: str) -> None:
    assert doc_number_in(line) == ("绥政函〔2024〕17号", "")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024年5月28日", datetime.date(2024, 5, 28)),
        ("2024 年 5 月 28 日", datetime.date(2024, 5, 28)),
        ("二〇二四年五月二十八日", datetime.date(2024, 5, 28)),
        ("2024年2月30日", None),
    ],
)
def test_it_reads_dates(text: str, day: datetime.date | None) -> None:
    assert parse_date(text) == day


def test_it_reads_the_closing_date_and_strips_the_signature() -> None:
    report = parse_text(
        "某县人民政府\n某政函〔2024〕3号\n某县人民政府关于整改情况的报告\n某市教育局：\n"
        + BODY
        + "某县人民政府\n二〇二四年五月二十八日\n（此件公开发布）"
    )
    assert report.date == datetime.date(2024, 5, 28)
    assert report.problems[0].measures == "已追加经费。"


def test_it_rejoins_a_title_broken_across_lines_and_removes_stray_spaces() -> None:
    report = parse_text(
        "某县人民政府\n某政函〔2024〕3号\n某县人民政府关于 2023年评价\n问题整改 情况的报告\n"
        "某市教育局：\n" + BODY
    )
    assert report.title == "某县人民政府关于2023年评价问题整改情况的报告"
    assert report.recipient == "某市教育局"


def test_it_drops_page_numbers_and_running_headers_inside_a_sentence() -> None:
    text = (
        "某县人民政府关于整改情况的报告\n某市教育局：\n一、教育保障方面\n（一）存在“经费不足”的问题\n"
        "整改情况：我县进一步增加\n— 2 —\n某县人民政府关于整改情况的报告\n体育场馆面积。\n"
        "（二）存在“师资不足”的问题\n整改情况：招聘教师。\n第3页\n某县人民政府关于整改情况的报告\n"
    )
    report = parse_text(text)
    assert report.problems[0].measures == "我县进一步增加体育场馆面积。"
    assert report.problem_count == 2


def test_it_warns_about_a_gap_in_the_numbering() -> None:
    report = parse_text(
        "一、教育保障方面\n（一）存在“甲”的问题\n整改情况：甲。\n（三）存在“丙”的问题\n整改情况：丙。\n"
    )
    assert report.problem_count == 2
    assert any("不连续" in w for w in report.warnings)


def test_it_takes_the_statement_from_a_problem_label() -> None:
    report = parse_text(
        "关于整改情况的报告\n（一）教育经费\n问题：教育经费增长未达到法定要求。\n整改措施：追加预算500万元。\n"
        "（二）教师队伍\n问题：教师培训不足。\n整改措施：开展培训3次。\n"
    )
    assert [p.problem for p in report.problems] == ["教育经费增长未达到法定要求", "教师培训不足"]
    assert report.problems[0].facts[0].value == 5000000


def test_it_warns_when_nothing_is_found() -> None:
    report = parse_text("这是一段普通的文字。")
    assert report.problem_count == 0
    assert any("未读到任何问题" in w for w in report.warnings)


@pytest.mark.parametrize("recipient", ["区政府", "县人民政府", "市教育局", "各县（市、区）教育局"])
def test_it_reads_short_and_long_recipients(recipient: str) -> None:
    text = (
        "XX区教育局关于省督导反馈问题整改落实情况的报告\n"
        f"{recipient}：\n"
        "现将有关情况报告如下。\n"
        "（一）问题：部分学校功能室配备不足。\n"
        "整改情况：新建功能室20间。\n"
    )
    report = parse_text(text)
    assert report.recipient == recipient
    assert report.title == "XX区教育局关于省督导反馈问题整改落实情况的报告"
    assert [p.problem for p in report.problems] == ["部分学校功能室配备不足"]


def test_it_leaves_a_speech_subtitle_and_the_speaker_out_of_the_title() -> None:
    text = (
        "关于2022年度县本级预算执行和其他财政收支审计查出问题整改情况的报告\n"
        "——2023年10月25日在县第十八届人民代表大会常务委员会第十二次会议上\n"
        "县审计局局长 李明\n"
        "县人大常委会：\n"
        "现将整改情况报告如下：\n"
        "（一）预算管理方面的问题\n"
        "1.部分预算编制不够细化的问题。整改情况：已修订预算编制办法。\n"
        "2.非税收入未及时缴库的问题。整改情况：已全部缴入国库。\n"
    )
    report = parse_text(text)
    assert report.title == "关于2022年度县本级预算执行和其他财政收支审计查出问题整改情况的报告"
    assert report.recipient == "县人大常委会"
    assert [p.problem for p in report.problems] == [
        "部分预算编制不够细化的问题",
        "非税收入未及时缴库的问题",
    ]
