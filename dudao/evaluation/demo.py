"""Demo data: 鹤岗市's indicator data (the engine's `hegang_demo`, whose 绥滨县 numbers
reproduce the sample letter), uploaded as 鹤岗市's supervisor, and the 2022 and 2023
evaluations of 鹤岗市. Written through the services, so it is validated and audited like
real work. Running it twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from dudao.accounts.models import User
from dudao.engine import hegang_demo
from dudao.evaluation import services
from dudao.evaluation.models import Dataset, EvaluationRun, Kind
from dudao.regions.models import Region

CITY = "230400"
SCHOOL_YEARS = (2022, 2023, 2024)
# 2021's county data is the baseline of 2022's myopia decline
COUNTY_YEARS = (2021, 2022, 2023, 2024)
RUN_YEARS = (2022, 2023)
UPLOADER = "hegang"


@transaction.atomic
def seed_evaluation(uploader: User) -> bool:
    """Upload the files and run the evaluations; False when they are already there."""
    city = Region.objects.get(code=CITY)
    if EvaluationRun.objects.filter(region=city, year__in=RUN_YEARS).exists():
        return False
    files = hegang_demo(years=COUNTY_YEARS)
    for kind, years in ((Kind.SCHOOLS, SCHOOL_YEARS), (Kind.COUNTIES, COUNTY_YEARS)):
        for year in years:
            name = f"{kind}_{year}.csv"
            if Dataset.objects.filter(region=city, kind=kind, year=year).exists():
                continue
            services.dataset_upload(
                acting_user=uploader,
                kind=kind,
                year=year,
                region=city,
                data=files[name],
                filename=name,
            )
    for year in RUN_YEARS:
        services.evaluation_run(acting_user=uploader, region=city, year=year)
    return True


def seed_evaluation_demo(say: Callable[[str], object]) -> None:
    uploader = User.objects.filter(username=UPLOADER).first()
    if uploader is None or not Region.objects.filter(code=CITY).exists():
        say("未找到鹤岗市督导账号，跳过督导评估演示数据")
        return
    if seed_evaluation(uploader):
        say("已导入鹤岗市2022—2024年度指标数据，并完成2022、2023年度督导评估")
    else:
        say("督导评估演示数据已存在，未重复创建")
