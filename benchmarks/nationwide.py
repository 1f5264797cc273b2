"""Shared by the benchmarks that need Django: a fresh SQLite database in a temporary folder,
and a national-scale ledger in it (31 provinces × 10 cities, about 2,850 counties, one
round per province, 15 problems, one item per problem and county), bulk-inserted to keep
set-up short — the code under measurement is the pages and services, not this."""

from __future__ import annotations

import datetime
import os
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dudao.accounts.models import User
    from dudao.rectification.models import Item
    from dudao.regions.models import Region

PROVINCES = 31
CITIES_PER_PROVINCE = 10
DIMENSIONS = ["教育优先发展", "重点任务落实", "教师队伍建设", "校园安全"]


def setup_django(var_dir: str) -> None:
    os.environ["DUDAO_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dudao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@dataclass
class Nation:
    root: Region
    provinces: list[Region]
    cities: list[Region]
    counties: list[Region]
    items: list[Item]
    progress: int
    clerk: User


def member(username: str, region: Region, role: str) -> User:
    from dudao.accounts.models import Membership, User

    user = User.objects.create_user(username, password="x")
    Membership.objects.create(user=user, region=region, role=role)
    return user


def build_nation(
    *,
    counties: int = 2850,
    problems: int = 15,
    progress_per_item: int = 1,
    random_statuses: bool = False,
    seed: int = 1,
) -> Nation:
    from django.db import transaction

    from dudao.accounts.models import Role
    from dudao.rectification.models import Item, Problem, Progress, Round, Status
    from dudao.regions.models import Region

    rng = random.Random(seed)
    statuses = [s.value for s in Status]
    with transaction.atomic():
        root = Region.objects.create(code="100000", name="全国", level="province", path="100000/")
        clerk = member("clerk", root, Role.SUPERVISOR)
        provinces: list[Region] = []
        cities: list[Region] = []
        rounds: dict[int, Round] = {}
        for p in range(PROVINCES):
            pcode = f"{11 + p:02d}0000"
            prov = Region.objects.create(
                code=pcode, name=f"省{p}", level="province", parent=root, path=f"100000/{pcode}/"
            )
            provinces.append(prov)
            rounds[prov.pk] = Round.objects.create(
                year=2023, evaluating_region=root, evaluated_region=prov, title=f"对省{p}评价"
            )
            for c in range(CITIES_PER_PROVINCE):
                ccode = f"{11 + p:02d}{c + 1:02d}00"
                cities.append(
                    Region.objects.create(
                        code=ccode,
                        name=f"市{p}-{c}",
                        level="city",
                        parent=prov,
                        path=f"{prov.path}{ccode}/",
                    )
                )
        rows = []
        for i in range(counties):
            city = cities[i % len(cities)]
            code = f"{city.code[:4]}{i // len(cities) + 1:02d}"
            rows.append(
                Region(
                    code=code,
                    name=f"县{code}",
                    level="county",
                    parent=city,
                    path=f"{city.path}{code}/",
                )
            )
        county_regions = Region.objects.bulk_create(rows, batch_size=1000)
        by_round = {
            prov_id: Problem.objects.bulk_create(
                Problem(
                    round=rnd,
                    dimension=DIMENSIONS[k % len(DIMENSIONS)],
                    statement=f"问题{k + 1}：生均体育运动场馆面积不足，未达到国家标准",
                    order=k + 1,
                )
                for k in range(problems)
            )
            for prov_id, rnd in rounds.items()
        }
        province_of = {c.pk: c.parent_id or 0 for c in cities}
        items = Item.objects.bulk_create(
            (
                Item(
                    problem=problem,
                    region=county,
                    lead_unit=f"{county.name}教育局",
                    deadline=datetime.date(2024, rng.randint(1, 12), 28),
                    status=rng.choice(statuses) if random_statuses else Status.NOT_STARTED,
                    measures="制定整改方案，明确责任单位和完成时限。" * 3,
                    outcome="已完成主要整改任务，相关制度已建立。" * 6,
                )
                for county in county_regions
                for problem in by_round[province_of[county.parent_id or 0]]
            ),
            batch_size=5000,
        )
        Progress.objects.bulk_create(
            (
                Progress(
                    item=item,
                    author=clerk,
                    day=datetime.date(2024, 3, k + 1),
                    text=f"第{k + 1}次进展：已召开专题会议研究整改。",
                )
                for item in items
                for k in range(progress_per_item)
            ),
            batch_size=5000,
        )
    return Nation(
        root=root,
        provinces=provinces,
        cities=cities,
        counties=county_regions,
        items=items,
        progress=len(items) * progress_per_item,
        clerk=clerk,
    )
