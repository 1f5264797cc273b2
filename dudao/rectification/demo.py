"""Demo data: 黑龙江省 > 鹤岗市 and its eight county-level units, the 2023 round whose
problems are those of 绥滨县's real report (绥政函〔2024〕17号, bundled in data/), read by the
report parser. The chain of hand-offs: the province evaluates 鹤岗市, the round's problems
belong to 鹤岗市, which passed each of them on (分解下发) to its eight counties.
Everything is written through the services, so it is audited like real work.
Running it twice changes nothing."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from dudao.accounts.models import Role, User
from dudao.accounts.services import user_add
from dudao.rectification import services
from dudao.rectification.models import Item, Round, Source
from dudao.regions.models import Region
from dudao.regions.services import regions_load_bundled

ROUND_TITLE = "省对鹤岗市人民政府履行教育职责评价"
SAMPLE = "data/suibin-2024-17.txt"
SUIBIN = "230422"
# The city's own deadline for each problem: the latest of its counties' (a child's deadline
# is never after its parent's).
CITY_DEADLINE = datetime.date(2027, 6, 30)
ONGOING_REASON = "需长期坚持推进，按年度目标逐年落实。"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    region_code: str
    role: str


ACCOUNTS = (
    DemoAccount("province", "省督导室 王督学", "230000", Role.SUPERVISOR),
    DemoAccount("hegang", "鹤岗市督导室 李督学", "230400", Role.SUPERVISOR),
    DemoAccount("suibin", "绥滨县教育局 张干事", "230422", Role.OFFICER),
    DemoAccount("luobei", "萝北县教育局 赵干事", "230421", Role.OFFICER),
)

LEAD_UNITS = {
    "教育优先发展": ("县教育局", "县财政局、县发改局"),
    "重点任务落实": ("县教育局", "县财政局、县人社局"),
    "教师队伍建设": ("县人社局", "县教育局、县委编办"),
    "校园安全": ("县公安局", "县教育局、县消防救援大队"),
}


def sample_text() -> str:
    return resources.files("dudao.rectification").joinpath(SAMPLE).read_text("utf-8")


def sample_problems() -> list[tuple[str, str, str]]:
    """(dimension, problem, measures) of the bundled report, as the parser reads them."""
    from dudao.parser import parse_text, report_to_dict

    report = report_to_dict(parse_text(sample_text()))
    rows = []
    for section in report["sections"]:  # type: ignore[attr-defined]
        dimension = str(section["title"]).removesuffix("方面")
        for p in section["problems"]:
            rows.append((dimension, str(p["problem"]), str(p["measures"])))
    return rows


def ensure_user(account: DemoAccount, password: str) -> User:
    region = Region.objects.get(code=account.region_code)
    user, _ = user_add(
        username=account.username,
        region=region,
        role=account.role,
        display_name=account.display_name,
        password=password,
    )
    if not user.check_password(password):  # DUDAO_DEMO_PASSWORD changed since last time
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_demo(password: str) -> bool:
    """Create the demo; returns False when it was already there (nothing changed)."""
    regions_load_bundled()
    users = {a.username: ensure_user(a, password) for a in ACCOUNTS}
    province = Region.objects.get(code="230000")
    city = Region.objects.get(code="230400")
    if Round.objects.filter(
        year=2023, evaluating_region=province, evaluated_region=city, title=ROUND_TITLE
    ).exists():
        return False
    rnd = services.round_create(
        acting_user=users["province"],
        year=2023,
        evaluating_region=province,
        evaluated_region=city,
        title=ROUND_TITLE,
    )
    rows = sample_problems()
    problems = [
        services.problem_add(
            acting_user=users["province"],
            rnd=rnd,
            dimension=dimension,
            statement=statement,
            source=Source.IMPORTED,
        )
        for dimension, statement, _ in rows
    ]
    city_items = []
    for problem, (dimension, _, _) in zip(problems, rows, strict=True):
        lead, co = LEAD_UNITS.get(dimension, ("县教育局", ""))
        (city_item,) = services.items_assign(
            acting_user=users["province"],
            rnd=rnd,
            problems=[problem],
            regions=[city],
            deadline=CITY_DEADLINE,
            lead_unit=_local(lead, city),
            co_units=_local(co, city),
        )
        city_items.append(city_item)
    counties = list(city.children.order_by("code"))
    rng = random.Random(2024)
    for region in counties:
        for city_item, problem, (dimension, _, measures) in zip(
            city_items, problems, rows, strict=True
        ):
            lead, co = LEAD_UNITS.get(dimension, ("县教育局", ""))
            deadline = rng.choice(
                [datetime.date(2024, 6, 30)] * 3
                + [datetime.date(2024, 12, 31), datetime.date(2027, 6, 30)]
            )
            (item,) = services.item_dispatch(
                acting_user=users["hegang"],
                item=city_item,
                regions=[region],
                deadline=deadline,
                lead_unit=_local(lead, region),
                co_units=_local(co, region),
            )
            if region.code == SUIBIN:
                _play_suibin(item, measures, users, problem.order)
            else:
                _play_other(item, region, users, rng, measures)
    return True


def _local(units: str, region: Region) -> str:
    """ "县教育局、县财政局" -> "绥滨县教育局、绥滨县财政局" (or 向阳区…)."""
    return "、".join(region.name + u.removeprefix("县") for u in units.split("、") if u)


def _officer_for(region: Region, users: dict[str, User]) -> User:
    return {"230422": users["suibin"], "230421": users["luobei"]}.get(region.code, users["hegang"])


def _play_suibin(item: Item, outcome: str, users: dict[str, User], order: int) -> None:
    """绥滨县 reported every problem in 绥政函〔2024〕17号: outcomes from the letter."""
    officer = users["suibin"]
    services.item_update(
        acting_user=officer,
        item=item,
        expected_version=item.version,
        measures=_measures(outcome),
        outcome=outcome,
        responsible_person="张干事",
    )
    services.progress_add(
        acting_user=officer,
        item=item,
        text=PROGRESS[order % len(PROGRESS)],
        day=datetime.date(2024, 3, 1 + order),
    )
    if order in (6, 13):  # long-term problems: balance and teacher structure
        services.item_mark_ongoing(
            acting_user=officer, item=item, expected_version=item.version, note=ONGOING_REASON
        )
        return
    if order in (3, 14):  # still in progress: leave them for the demo to request sign-off
        return
    services.item_request_signoff(
        acting_user=officer, item=item, expected_version=item.version, note="见绥政函〔2024〕17号"
    )
    if order in (2, 4, 15):
        services.item_sign_off(
            acting_user=users["hegang"], item=item, expected_version=item.version
        )
    elif order == 12:
        services.item_send_back(
            acting_user=users["hegang"],
            item=item,
            expected_version=item.version,
            reason="请补充民办幼儿园缴纳五险一金的抽查结果和佐证材料。",
        )


# What clerks write as progress, in the words of the 绥滨县 letter's kind.
PROGRESS = (
    "已按《整改工作提示》要求制定整改方案，明确责任单位和时限。",
    "已召开专题会议研究部署，细化整改措施，落实到责任单位。",
    "已完成现场核查，问题清单逐项对账销号推进中。",
    "资金已列入年度预算，项目正在招标。",
    "已印发相关制度文件，正在组织学校落实。",
    "已完成阶段性整改，正在收集佐证材料。",
)


def _measures(outcome: str) -> str:
    """The 整改措施: the first sentence of what the letter says was done."""
    first = outcome.strip().split("。")[0].strip()
    return f"{first}。" if first else ""


def _play_other(
    item: Item, region: Region, users: dict[str, User], rng: random.Random, measures: str
) -> None:
    officer = _officer_for(region, users)
    step = rng.choices([0, 1, 2, 3, 4], weights=[2, 4, 3, 3, 1])[0]
    if step == 0:
        return  # 未开始
    services.progress_add(
        acting_user=officer,
        item=item,
        text=rng.choice(PROGRESS),
        day=datetime.date(2024, 4, rng.randint(1, 28)),
    )
    if step == 4:
        services.item_mark_ongoing(
            acting_user=officer, item=item, expected_version=item.version, note=ONGOING_REASON
        )
        return
    if step >= 2:
        services.item_update(
            acting_user=officer,
            item=item,
            expected_version=item.version,
            measures=_measures(measures).replace("我县", region.name),
            outcome=f"{region.name}已按整改方案完成主要整改任务，相关制度已建立。",
        )
        services.item_request_signoff(acting_user=officer, item=item, expected_version=item.version)
    if step == 3:
        services.item_sign_off(
            acting_user=users["hegang"], item=item, expected_version=item.version
        )
