"""`dudao ledger export|import` — the ledger on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.lib.command import DudaoCommand
from dudao.rectification import services
from dudao.rectification.export import export_rows
from dudao.rectification.models import Item, ItemQuerySet, Round
from dudao.regions.models import Region


def acting_user(username: str | None) -> User | None:
    if not username:
        return None
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist as exc:
        raise CommandError(f"用户“{username}”不存在") from exc


def scoped_items(
    user: User | None, region_code: str, round_id: int | None
) -> tuple[Region, ItemQuerySet]:
    """Items of a region's subtree (and round); with a user, only what that user may see."""
    try:
        region = Region.objects.get(code=region_code)
    except Region.DoesNotExist as exc:
        raise CommandError(f"地区代码“{region_code}”不存在") from exc
    if user is not None and not access.can_see_region(user, region):
        raise CommandError(f"用户“{user.username}”无权查看地区“{region.name}”")
    items = access.items_visible_to(user) if user is not None else Item.objects.active()
    items = items.filter(region__path__startswith=region.path)
    if round_id is not None:
        if not Round.objects.filter(pk=round_id).exists():
            raise CommandError(f"评价编号 {round_id} 不存在")
        items = items.filter(problem__round_id=round_id)
    return region, items


class Command(DudaoCommand):
    help = "Export or import the rectification ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="export items of a region's subtree")
        exp.add_argument("--region", required=True, help="GB/T 2260 code; includes the subtree")
        exp.add_argument("--round", type=int, help="evaluation round id")
        exp.add_argument("--format", choices=self.export_formats(), default="json")
        exp.add_argument("-o", "--output", help="file to write (default: standard output)")
        exp.add_argument("--user", help="export only what this user may see")
        self.add_import_arguments(sub)

    def export_formats(self) -> list[str]:
        return ["json"]

    def add_import_arguments(self, sub: Any) -> None:
        """Excel import is added by dudao.documents (issue 4)."""

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self.export(options)
        else:
            self.import_(options)

    def export(self, options: dict[str, Any]) -> None:
        user = acting_user(options.get("user"))
        _, items = scoped_items(user, options["region"], options.get("round"))
        rows = export_rows(items, today=services.today())
        text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        if options.get("output"):
            path = Path(options["output"])
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"无法写入文件：{path}") from exc
            self.stderr.write(f"已导出 {len(rows)} 项到 {path}")
        else:
            sys.stdout.write(text)

    def import_(self, options: dict[str, Any]) -> None:
        raise CommandError("暂不支持此操作")
