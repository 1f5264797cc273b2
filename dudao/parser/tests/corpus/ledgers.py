"""Invented 整改台账 workbooks of offices' own design (issue 12), as data: make_corpus.py
writes them to corpus/ledgers/ (`--ledgers`), test_ledger.py checks the reading."""

from __future__ import annotations

TITLE = "萝北县2023年履行教育职责评价反馈问题整改台账"
HEADER = [
    "序号",
    "问题类别",
    "存在问题",
    "整改措施",
    "牵头单位",
    "配合单位",
    "整改时限",
    "完成情况",
]

# county-ledger.xlsx: two title rows, header on row 3, the 类别 cells merged down their
# rows, problem 2's cell merged over two rows of measures, two sheets.
COUNTY_SHEETS: dict[str, list[list[str]]] = {
    "教育保障": [
        [TITLE, "", "", "", "", "", "", ""],
        ["填报单位：萝北县教育局（盖章）", "", "", "", "", "填报日期：2024年6月30日", "", ""],
        HEADER,
        [
            "1",
            "经费保障",
            "教师培训经费未达到公用经费的5%",
            "追加培训经费42万元",
            "县教育局",
            "县财政局",
            "2024年6月",
            "已完成",
        ],
        [
            "2",
            "",
            "生均公用经费拨付不及时",
            "按季度预拨公用经费",
            "县财政局",
            "",
            "2024年3月",
            "已整改",
        ],
        ["", "", "", "建立拨付进度月报制度", "", "", "", "持续整改"],
    ],
    "教师队伍": [
        [TITLE, "", "", "", "", "", "", ""],
        HEADER,
        [
            "3",
            "教师配备",
            "音体美教师缺口较大",
            "招聘音体美教师15名",
            "县教育局",
            "县人社局",
            "2024年8月",
            "整改中",
        ],
    ],
}
# (label, section, problem, measures, lead_unit, deadline, outcome, status)
COUNTY_EXPECTED = [
    (
        "1",
        "经费保障",
        "教师培训经费未达到公用经费的5%",
        "追加培训经费42万元",
        "县教育局",
        "2024年6月",
        "已完成",
        "done",
    ),
    (
        "2",
        "经费保障",
        "生均公用经费拨付不及时",
        "按季度预拨公用经费\n建立拨付进度月报制度",
        "县财政局",
        "2024年3月",
        "已整改\n持续整改",
        "done",
    ),
    (
        "3",
        "教师配备",
        "音体美教师缺口较大",
        "招聘音体美教师15名",
        "县教育局",
        "2024年8月",
        "整改中",
        "in_progress",
    ),
]
COUNTY_MERGED = ("A1:H1", "B4:B5", "C5:C6", "A5:A6")

# bureau-ledger.csv: no title, its own order and names, a 状态 column.
BUREAU_ROWS = [
    ["问题描述", "责任单位", "责任人", "完成时限", "整改进展", "状态"],
    ["校园监控存在盲区", "安全股", "王明", "2024年5月31日", "新增摄像头120个", "已完成"],
    ["作业公示制度落实不到位", "基教股", "李红", "2024年12月31日", "每周抽查作业公示", "持续整改"],
]
BUREAU_EXPECTED = [
    ("1", "", "校园监控存在盲区", "", "安全股", "2024年5月31日", "新增摄像头120个", "done"),
    (
        "2",
        "",
        "作业公示制度落实不到位",
        "",
        "基教股",
        "2024年12月31日",
        "每周抽查作业公示",
        "ongoing",
    ),
]
