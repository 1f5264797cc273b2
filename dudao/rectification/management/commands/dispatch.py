"""`dudao dispatch --user NAME --round ID [--problem N …] [--region CODE …] [--unit NAME …]
[--deadline YYYY-MM-DD] [--lead-unit TEXT] [--co-units TEXT] [--json]`: pass the items the
user holds in a round on (分解下发) to regions directly below and to departments."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.accounts import access
from dudao.lib.command import DudaoCommand, acting_user, region_by_code, round_by_id
from dudao.rectification import selectors, services
from dudao.rectification.errors import LedgerError


class Command(DudaoCommand):
    help = "Pass the items a user holds in a round on to regions below or to departments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="username of the holder (required)")
        parser.add_argument("--round", type=int, required=True, help="evaluation round id")
        parser.add_argument(
            "--problem", type=int, action="append", default=[], help="problem number; repeat"
        )
        parser.add_argument(
            "--region", action="append", default=[], help="GB/T 2260 code below; repeat"
        )
        parser.add_argument(
            "--unit", action="append", default=[], help="a department, e.g. 市教育局; repeat"
        )
        parser.add_argument("--deadline", help="YYYY-MM-DD; default: each item's own")
        parser.add_argument("--lead-unit", default="", help="lead unit of the regions' items")
        parser.add_argument("--co-units", default="", help="co-units of the children")
        parser.add_argument("--json", action="store_true", help="print the children as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options.get("user"))
        if user is None:
            raise CommandError("请用 --user 指定下发人的用户名")
        rnd = round_by_id(options["round"])
        if not access.rounds_visible_to(user).filter(pk=rnd.pk).exists():
            raise CommandError(f"评价编号 {rnd.pk} 不存在")
        held = selectors.items_user_can_dispatch(user, rnd.pk)
        wanted = set(options["problem"])
        items = [i for i in held if not wanted or i.problem.order in wanted]
        missing = wanted - {i.problem.order for i in items}
        if missing:
            numbers = "、".join(str(n) for n in sorted(missing))
            raise CommandError(f"您在此评价中没有可下发的第 {numbers} 号问题的整改任务")
        if not items:
            raise CommandError("您在此评价中没有可分解下发的整改任务")
        regions = [region_by_code(code) for code in options["region"]]
        try:
            created = services.items_dispatch(
                acting_user=user,
                items=items,
                regions=regions,
                units=options["unit"],
                deadline=_date(options.get("deadline")),
                lead_unit=options["lead_unit"],
                co_units=options["co_units"],
            )
        except LedgerError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            rows = [
                {
                    "item": c.pk,
                    "parent": c.parent_id,
                    "problem": c.problem.order,
                    "region": c.region.code,
                    "unit": c.unit,
                    "deadline": c.deadline.isoformat() if c.deadline else None,
                }
                for c in created
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for c in created:
            deadline = f"{c.deadline:%Y-%m-%d}" if c.deadline else "未定"
            self.stdout.write(
                f"{c.problem.order}. {c.problem.statement[:30]} → {c.holder}（时限 {deadline}）"
            )
        self.stdout.write(f"已下发 {len(created)} 项整改任务")


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期“{text}”格式应为 2024-06-30") from exc
