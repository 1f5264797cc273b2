"""The demo's chain with the sample's 15 problems, for the tests of the hand-offs: the
province's round on 鹤岗市 (each problem held by the city), dispatched to its counties, and
the city's notice to a county generated as a file."""

from __future__ import annotations

import datetime
from typing import Any

from dudao.documents import generation
from dudao.rectification import demo, services
from dudao.rectification.models import Item, Round, Source
from dudao.regions.models import Region

NOTICE_DATE = datetime.date(2024, 3, 1)
COUNTY_DEADLINE = datetime.date(2024, 6, 30)


def units(dimension: str, region: Region) -> tuple[str, str]:
    """The demo's lead and co-operating units of a problem's dimension, as `region`'s."""
    lead, co = demo.LEAD_UNITS.get(dimension, ("县教育局", ""))
    local = [
        "、".join(region.name + u.removeprefix("县") for u in s.split("、") if u)
        for s in (lead, co)
    ]
    return local[0], local[1]


def province_round(province: Any) -> tuple[Round, list[Item]]:
    """The province evaluates 鹤岗市: the sample's 15 problems, each an item of the city."""
    city = Region.objects.get(code="230400")
    rnd = services.round_create(
        acting_user=province,
        year=2023,
        evaluating_region=Region.objects.get(code="230000"),
        evaluated_region=city,
        title=demo.ROUND_TITLE,
    )
    items = []
    for dimension, statement, _ in demo.sample_problems():
        problem = services.problem_add(
            acting_user=province, rnd=rnd, dimension=dimension, statement=statement,
            source=Source.IMPORTED,
        )  # fmt: skip
        lead, co = units(dimension, city)
        items += services.items_assign(
            acting_user=province, rnd=rnd, problems=[problem], regions=[city],
            deadline=demo.CITY_DEADLINE, lead_unit=lead, co_units=co,
        )  # fmt: skip
    return rnd, items


def dispatch(hegang: Any, city_items: list[Item], code: str) -> list[Item]:
    """The city passes every item on to the county `code` with the county's own units."""
    region = Region.objects.get(code=code)
    children = []
    for item in city_items:
        lead, co = units(item.problem.dimension, region)
        children += services.item_dispatch(
            acting_user=hegang, item=item, regions=[region], deadline=COUNTY_DEADLINE,
            lead_unit=lead, co_units=co,
        )  # fmt: skip
    return children


def notice_file(hegang: Any, rnd: Round, code: str, fmt: str) -> tuple[Any, bytes]:
    """The city's notice to county `code`, generated as in the browser: (document, bytes)."""
    region = Region.objects.get(code=code)
    target = generation.document_target(hegang, rnd, region, "feedback")
    inputs = generation.document_defaults(target, today=NOTICE_DATE)
    document = generation.document_generate(acting_user=hegang, target=target, inputs=inputs)
    data = (
        generation.document_pdf(document) if fmt == "pdf" else generation.document_bytes(document)
    )
    return document, data
