"""Invented but realistic reports for the corpus, as data, so that the expected reading of
each one comes from its definition and not from the parser."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    label: str
    text: str  # heading text after the label, as printed
    statement: str  # what the parser must read as the problem
    measures: tuple[str, ...] = ()  # paragraphs under the heading


@dataclass(frozen=True)
class Part:
    label: str
    title: str
    items: tuple[Item, ...] = ()
    body: tuple[str, ...] = ()  # paragraphs of a section without problems
    problems: bool = True


@dataclass(frozen=True)
class Doc:
    name: str
    kind: str
    head: tuple[str, ...]  # issuer mark and document number lines
    title: tuple[str, ...]  # title lines as printed
    recipient: str
    preamble: tuple[str, ...]
    parts: tuple[Part, ...]
    closing: tuple[str, ...] = ()
    expected: dict[str, object] = field(default_factory=dict)  # header fields
    inline: bool = False  # problems are the 一是/二是 items of each heading

    def lines(self) -> list[str]:
        out = [*self.head, *self.title]
        if self.recipient:
            out.append(self.recipient)
        out.extend(self.preamble)
        for part in self.parts:
            out.append(f"{part.label}{part.title}")
            out.extend(part.body)
            for item in part.items:
                out.append(f"{item.label}{item.text}")
                out.extend(item.measures)
        out.extend(self.closing)
        return out

    def expectation(self) -> dict[str, object]:
        problems: list[dict[str, str]] = []
        for part in self.parts:
            if not part.problems:
                continue
            for item in part.items:
                if self.inline:
                    problems.extend(
                        {"label": label, "problem": statement, "measures_start": ""}
                        for label, statement in _inline_items(item.text)
                    )
                    continue
                first = next((m for m in item.measures if m.strip()), "")
                start = first.split("：", 1)[1] if first.startswith("整改") else first
                if not start and len(item.measures) > 1:
                    start = item.measures[1]
                problems.append(
                    {"label": item.label, "problem": item.statement, "measures_start": start[:12]}
                )
        return {
            "kind": self.kind,
            **self.expected,
            "problem_count": len(problems),
            "problems": problems,
        }


def _inline_items(text: str) -> list[tuple[str, str]]:
    numerals = "一二三四五六七八九十"
    items = []
    rest = text
    for n in numerals:
        marker = f"{n}是"
        if marker not in rest:
            break
        rest = rest.split(marker, 1)[1]
        following = f"{numerals[numerals.index(n) + 1]}是"
        body = rest.split(following, 1)[0]
        items.append((marker, body.rstrip("；。")))
    return items


FEEDBACK = Doc(
    name="feedback-letter",
    kind="feedback_letter",
    head=("鹤岗市人民政府教育督导委员会办公室", "鹤教督办函〔2024〕8号"),
    title=("关于萝北县2023年履行教育职责评价", "反馈意见的函"),
    recipient="萝北县人民政府：",
    preamble=(
        "根据《2023年对县级人民政府履行教育职责评价方案》，市政府教育督导委员会于2024年3月对你县"
        "2023年履行教育职责情况进行了评价。现将发现的问题反馈如下，请认真研究，逐项整改，"
        "并于2024年6月30日前将整改情况书面报送市政府教育督导委员会办公室。",
    ),
    parts=(
        Part(
            "一、",
            "教育优先发展方面",
            (
                Item(
                    "（一）",
                    "学前教育普惠发展有差距，全县普惠性幼儿园覆盖率为78.5%，低于80%的国家标准。",
                    "学前教育普惠发展有差距，全县普惠性幼儿园覆盖率为78.5%，低于80%的国家标准",
                ),
                Item(
                    "（二）",
                    "教育经费保障不足，2023年一般公共预算教育支出较上年减少326万元。",
                    "教育经费保障不足，2023年一般公共预算教育支出较上年减少326万元",
                ),
            ),
        ),
        Part(
            "二、",
            "教师队伍建设方面",
            (
                Item(
                    "（三）",
                    "教师补充机制不健全，全县尚有十六人未取得相应教师资格证。",
                    "教师补充机制不健全，全县尚有十六人未取得相应教师资格证",
                ),
                Item(
                    "（四）",
                    "教师培训经费未达到公用经费的5%，乡村教师培训覆盖面窄。",
                    "教师培训经费未达到公用经费的5%，乡村教师培训覆盖面窄",
                ),
                Item(
                    "（五）",
                    "中小学教师平均工资收入水平低于当地公务员平均工资收入水平。",
                    "中小学教师平均工资收入水平低于当地公务员平均工资收入水平",
                ),
            ),
        ),
        Part(
            "三、",
            "校园安全方面",
            (
                Item(
                    "（六）",
                    "3所农村学校未实现封闭化管理，一键式报警装置与公安机关联网率仅为60%。",
                    "3所农村学校未实现封闭化管理，一键式报警装置与公安机关联网率仅为60%",
                ),
            ),
        ),
    ),
    closing=("鹤岗市人民政府教育督导委员会办公室", "二〇二四年四月十五日"),
    expected={
        "title": "关于萝北县2023年履行教育职责评价反馈意见的函",
        "issuer": "鹤岗市人民政府教育督导委员会办公室",
        "doc_number": "鹤教督办函〔2024〕8号",
        "recipient": "萝北县人民政府",
        "date": "2024-04-15",
    },
)

AUDIT = Doc(
    name="audit-rectification",
    kind="rectification_report",
    head=("萝北县教育局", "萝教发〔2024〕12号"),
    title=("萝北县教育局关于2023年度预算执行审计", "发现问题整改情况的报告"),
    recipient="萝北县审计局：",
    preamble=(
        "根据县审计局《关于萝北县教育局2023年度预算执行情况的审计报告》（萝审报〔2024〕3号）"
        "要求，我局高度重视，逐项制定整改措施，现将整改情况报告如下：",
    ),
    parts=(
        Part(
            "一、",
            "整改工作开展情况",
            body=(
                "（一）提高政治站位。局党组召开专题会议研究审计整改工作，成立了由局长任组长的整改工作领导小组。",
                "（二）压实整改责任。建立整改台账，明确责任股室和整改时限，做到整改一个、销号一个。",
            ),
            problems=False,
        ),
        Part(
            "二、",
            "审计发现问题的整改情况",
            body=("（一）预算执行方面",),
            items=(
                Item(
                    "1.",
                    "关于部分项目资金未及时拨付的问题",
                    "部分项目资金未及时拨付",
                    (
                        "整改措施：已于2024年4月将滞留的校舍维修资金286.5万元全部拨付到各学校，"
                        "并建立项目资金拨付月报制度。",
                        "整改成效：截至2024年5月底，资金拨付率达到100%。",
                    ),
                ),
                Item(
                    "2.",
                    "关于政府采购程序不规范的问题",
                    "政府采购程序不规范",
                    (
                        "整改措施：",
                        "（1）修订《萝北县教育局政府采购内部控制制度》，明确采购需求论证程序。",
                        "（2）组织全系统12名财务人员参加政府采购业务培训。",
                        "整改成效：2024年以来新开展的7项采购全部按程序执行。",
                    ),
                ),
            ),
        ),
        Part(
            "",
            "",
            body=("（二）资产管理方面",),
            items=(
                Item(
                    "1.",
                    "关于固定资产账实不符的问题",
                    "固定资产账实不符",
                    (
                        "整改措施：组织开展固定资产全面清查，核销报废资产价值48.6万元，"
                        "对账实不符的236台套设备逐一登记入账。",
                        "整改成效：固定资产账实相符率达到100%。",
                    ),
                ),
                Item(
                    "2.",
                    "关于闲置校舍未有效利用的问题",
                    "闲置校舍未有效利用",
                    (
                        "整改措施：将2所撤并学校的闲置校舍共计3200平方米移交乡镇统筹使用，"
                        "其中1所改建为乡镇公办幼儿园。",
                    ),
                ),
            ),
        ),
        Part(
            "三、",
            "下一步工作打算",
            body=(
                "（一）巩固整改成果。对已完成整改的事项适时开展回头看，防止问题反弹。",
                "（二）健全长效机制。进一步完善财务管理制度，从源头上防范问题发生。",
            ),
            problems=False,
        ),
    ),
    closing=("萝北县教育局", "2024年6月20日"),
    expected={
        "title": "萝北县教育局关于2023年度预算执行审计发现问题整改情况的报告",
        "issuer": "萝北县教育局",
        "doc_number": "萝教发〔2024〕12号",
        "recipient": "萝北县审计局",
        "date": "2024-06-20",
    },
)

INSPECTION = Doc(
    name="inspection-notice",
    kind="feedback_letter",
    head=("萝北县人民政府教育督导室",),
    title=("关于2024年春季学期中小学校", "责任督学挂牌督导检查情况的通报"),
    recipient="各中小学校：",
    preamble=("按照县政府教育督导室工作安排，现将2024年春季学期挂牌督导检查情况通报如下：",),
    parts=(
        Part(
            "一、",
            "基本情况",
            body=(
                "本次检查由责任督学分组进行，共抽查中小学校12所，查阅资料200余份，访谈师生150余人。",
            ),
            problems=False,
        ),
        Part(
            "二、",
            "存在的主要问题",
            body=(),
            items=(
                Item(
                    "（一）",
                    "校园安全管理方面。一是部分学校门卫室未配备防护器械；二是个别学校消防通道堆放杂物；"
                    "三是3所学校视频监控系统存在盲区。",
                    "",
                ),
                Item(
                    "（二）",
                    "教育教学管理方面。一是部分学校课后服务时长不足；二是作业公示制度落实不到位。",
                    "",
                ),
            ),
        ),
        Part(
            "三、",
            "整改要求",
            body=(
                "（一）各学校要对照问题清单制定整改方案，于2024年7月31日前完成整改。",
                "（二）责任督学要跟踪督促整改，整改情况纳入年度督导考核。",
            ),
            problems=False,
        ),
    ),
    closing=("萝北县人民政府教育督导室", "2024年6月5日"),
    inline=True,
    expected={
        "title": "关于2024年春季学期中小学校责任督学挂牌督导检查情况的通报",
        "issuer": "萝北县人民政府教育督导室",
        "doc_number": "",
        "recipient": "各中小学校",
        "date": "2024-06-05",
    },
)

ABOUT = Doc(
    name="about-headings",
    kind="rectification_report",
    head=(),
    title=("萝北县人民政府关于市级专项督导反馈问题整改情况的报告",),
    recipient="鹤岗市人民政府教育督导委员会：",
    preamble=("按照市级专项督导反馈意见要求，我县认真组织整改，现将整改情况报告如下：",),
    parts=(
        Part(
            "",
            "",
            items=(
                Item(
                    "",
                    "关于“农村学校教师结构性缺编”问题的整改",
                    "农村学校教师结构性缺编",
                    (
                        "整改进展：通过“特岗计划”招聘教师25名，全部充实到农村学校，音体美教师缺口已补齐。",
                    ),
                ),
                Item(
                    "",
                    "关于“学校食堂管理不规范”问题的整改",
                    "学校食堂管理不规范",
                    (
                        "整改进展：对全县18所学校食堂开展专项检查，整改问题43项，实现“明厨亮灶”全覆盖。",
                    ),
                ),
                Item(
                    "",
                    "关于“校外培训机构监管不到位”问题的整改",
                    "校外培训机构监管不到位",
                    ("整改进展：开展联合执法检查10余次，取缔无证培训机构2家。",),
                ),
            ),
        ),
    ),
    closing=("萝北县人民政府", "2024年7月1日"),
    expected={
        "title": "萝北县人民政府关于市级专项督导反馈问题整改情况的报告",
        "issuer": "萝北县人民政府",
        "doc_number": "",
        "recipient": "鹤岗市人民政府教育督导委员会",
        "date": "2024-07-01",
    },
)

CONTINUOUS = Doc(
    name="continuous-unlabelled",
    kind="rectification_report",
    head=("鹤岗市东山区人民政府", "东政函［2024］21 号"),
    title=("鹤岗市东山区人民政府关于2023年履行教育职责评价", "反馈问题整改情况的报告"),
    recipient="鹤岗市人民政府：",
    preamble=("现将我区2023年履行教育职责评价反馈问题整改情况报告如下：",),
    parts=(
        Part(
            "一、",
            "教育保障方面",
            (
                Item(
                    "1.",
                    "义务教育学校教师培训经费未达到公用经费的5%。",
                    "义务教育学校教师培训经费未达到公用经费的5%",
                    ("2024年区财政安排教师培训经费48万元，占公用经费的5.2%，已按季度拨付到校。",),
                ),
                Item(
                    "2.",
                    "部分学校生均教学仪器设备值偏低。",
                    "部分学校生均教学仪器设备值偏低",
                    ("投入资金1.2亿元为6所学校配备教学仪器设备，生均设备值较2022年提高1500元。",),
                ),
            ),
        ),
        Part(
            "二、",
            "教师队伍方面",
            (
                Item(
                    "3.",
                    "教师交流轮岗比例偏低。",
                    "教师交流轮岗比例偏低",
                    ("2024年交流轮岗教师42人，占符合条件教师的12.5%，其中骨干教师11人。",),
                ),
                Item(
                    "4.",
                    "乡村教师周转宿舍建设滞后。",
                    "乡村教师周转宿舍建设滞后",
                    ("新建教师周转宿舍60套，建筑面积3000平方米，预计2024年10月投入使用。",),
                ),
                Item(
                    "5.",
                    "学生体质健康优良率偏低。",
                    "学生体质健康优良率偏低",
                    (
                        "全面落实每天综合体育活动2小时，2023年学生体质健康优良率达到48.6%，较2022年提高5.1个百分点。",
                    ),
                ),
            ),
        ),
    ),
    closing=("鹤岗市东山区人民政府", "2024年5月30日"),
    expected={
        "title": "鹤岗市东山区人民政府关于2023年履行教育职责评价反馈问题整改情况的报告",
        "issuer": "鹤岗市东山区人民政府",
        "doc_number": "东政函〔2024〕21号",
        "recipient": "鹤岗市人民政府",
        "date": "2024-05-30",
    },
)

DOCUMENTS = (FEEDBACK, AUDIT, INSPECTION, ABOUT, CONTINUOUS)
