"""Notices (整改通知): problems handed down with their lead units and deadlines."""

from __future__ import annotations

from dudao.parser import FEEDBACK_LETTER, parse_text, report_to_dict

NOTICE = """鹤岗市人民政府教育督导室
鹤教督函〔2024〕3号
鹤岗市人民政府教育督导室关于绥滨县2023年履行教育职责评价反馈问题整改工作的函
绥滨县人民政府：
根据2023年省对鹤岗市人民政府履行教育职责评价反馈意见，现将绥滨县存在的问题反馈如下。
一、教育优先发展方面
（一）普通高中理科实验室设施设备更新缓慢，未能适应
新教材、新课程、新高考改革的需求
牵头单位：绥滨县教育局
配合单位：绥滨县财政局、绥滨县发改局
整改时限：2024年6月30日
（二）教育专网建设进度缓慢
牵头单位：绥滨县教育局
整改时限：2024年12月31日
二、校园安全方面
（三）安防人员专业知识与风险防控能力不足
牵头单位：绥滨县公安局
整改时限：2024年6月30日
请于2024年7月15日前将整改情况书面报送鹤岗市人民政府教育督导室。
鹤岗市人民政府教育督导室
2024年3月1日
（联系人：李督学，联系电话：0468-1234567）
"""


def test_it_reads_a_notice_as_a_feedback_letter_with_its_assignments() -> None:
    report = parse_text(NOTICE)
    assert report.kind == FEEDBACK_LETTER
    assert report.doc_number == "鹤教督函〔2024〕3号"
    assert [s.title for s in report.sections] == ["教育优先发展方面", "校园安全方面"]
    first, second, third = report.problems
    assert (
        first.problem
        == "普通高中理科实验室设施设备更新缓慢，未能适应新教材、新课程、新高考改革的需求"
    )
    assert (first.lead_unit, first.co_units, first.deadline) == (
        "绥滨县教育局",
        "绥滨县财政局、绥滨县发改局",
        "2024-06-30",
    )
    assert (second.problem, second.deadline) == (
        "教育专网建设进度缓慢",
        "2024-12-31",
    )
    assert (third.lead_unit, third.problem) == (
        "绥滨县公安局",
        "安防人员专业知识与风险防控能力不足",
    )
    assert "请于" not in third.problem and "联系人" not in third.problem


def test_the_labels_glued_on_by_a_pdf_are_split_off_again() -> None:
    glued = NOTICE.replace("需求\n牵头单位", "需求牵头单位").replace(
        "缓慢\n牵头单位：绥滨县教育局\n整改时限", "缓慢牵头单位：绥滨县教育局整改时限"
    )
    report = parse_text(glued)
    assert [p.problem for p in report.problems][:2] == [
        "普通高中理科实验室设施设备更新缓慢，未能适应新教材、新课程、新高考改革的需求",
        "教育专网建设进度缓慢",
    ]
    assert report.problems[1].lead_unit == "绥滨县教育局"


def test_the_json_carries_the_assignments_only_where_a_letter_has_them() -> None:
    row = report_to_dict(parse_text(NOTICE))["sections"][0]["problems"][0]  # type: ignore[index]
    assert row["lead_unit"] == "绥滨县教育局" and row["deadline"] == "2024-06-30"
    plain = NOTICE.replace("牵头单位", "").replace("配合单位", "").replace("整改时限：", "")
    for section in report_to_dict(parse_text(plain))["sections"]:  # type: ignore[attr-defined]
        for problem in section["problems"]:
            assert "lead_unit" not in problem
