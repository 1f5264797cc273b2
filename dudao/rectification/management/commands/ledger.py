"""`dudao ledger export|import` — the ledger on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.lib.command import DudaoCommand, acting_user, region_by_code, round_by_id
from dudao.rectification import services
from dudao.rectification.export import export_rows
from dudao.rectification.models import Item, ItemQuerySet, Round
from dudao.regions.models import Region


def scoped_items(
    user: User | None, region_code: str, round_id: int | None
) -> tuple[Region, ItemQuerySet]:
    """Items of a region's subtree (and round); with a user, only what that user may see."""
    region = region_by_code(region_code)
    if user is not None and not access.can_see_region(user, region):
        raise CommandError(f"用户“{user.username}”无权查看地区“{region.name}”")
    items = access.items_visible_to(user) if user is not None else Item.objects.active()
    items = items.filter(region__path__startswith=region.path)
    if round_id is not None:
        items = items.filter(problem__round=round_by_id(round_id))
    return region, items


class Command(DudaoCommand):
    help = "Export or import the rectification ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="export items of a region's subtree")
        exp.add_argument("--region", required=True, help="GB/T 2260 code; includes the subtree")
        exp.add_argument("--round", type=int, help="evaluation round id")
        exp.add_argument("--format", choices=["json", "xlsx"], default="json")
        exp.add_argument("-o", "--output", help="file to write (default: standard output)")
        exp.add_argument("--user", help="export only what this user may see")
        imp = sub.add_parser("import", help="import a filled-in Excel ledger (.xlsx)")
        imp.add_argument("file", help="the .xlsx exported by Dudao, filled in")
        imp.add_argument("--user", required=True, help="the user making the changes")
        imp.add_argument("--dry-run", action="store_true", help="show the changes only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self.export(options)
        else:
            self.import_(options)

    def export(self, options: dict[str, Any]) -> None:
        user = acting_user(options.get("user"))
        region, items = scoped_items(user, options["region"], options.get("round"))
        if options["format"] == "xlsx":
            self.export_xlsx(options, region, items)
            return
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

    def export_xlsx(self, options: dict[str, Any], region: Region, items: ItemQuerySet) -> None:
        from dudao.documents.excel import ledger_export
        from dudao.documents.generation import DocumentError

        if not options.get("output"):
            raise CommandError("导出 Excel 时请用 -o 指定文件，如 -o 台账.xlsx")
        path = Path(options["output"])
        rnd = Round.objects.filter(pk=options["round"]).first() if options.get("round") else None
        with Bars() as bars:
            try:
                data = ledger_export(
                    items, scope=region, rnd=rnd, today=services.today(), progress=bars
                )
            except DocumentError as exc:
                raise CommandError(exc.message) from exc
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{path}") from exc
        self.stderr.write(f"已导出 {items.count()} 项到 {path}")

    def import_(self, options: dict[str, Any]) -> None:
        from dudao.documents.excel import ledger_import
        from dudao.documents.generation import DocumentError

        user = acting_user(options["user"])
        assert user is not None
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{path}") from exc
        apply = not options["dry_run"]
        with Bars() as bars:
            try:
                result = ledger_import(acting_user=user, data=data, apply=apply, progress=bars)
            except DocumentError as exc:
                raise CommandError(f"{path.name}：{exc.message}") from exc
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(result.summary)
        self.stdout.write(result.summary)
        for change in result.changes:
            self.stdout.write(f"  {change}")
        if result.changes and not apply:
            self.stdout.write("（试运行，未写入任何内容；去掉 --dry-run 即可导入）")


class Bars:
    """tqdm progress bars on stderr, one per phase (导出 / 读取 / 校验); silent when stderr
    is not a terminal, so scripts and logs get only the result lines."""

    def __init__(self) -> None:
        self.phase = ""
        self.bar: Any = None

    def __enter__(self) -> Bars:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, phase: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if phase != self.phase:
            if self.bar is not None:
                self.bar.close()
            self.phase = phase
            self.bar = tqdm(total=total, desc=phase, unit="行", file=sys.stderr, disable=None)
        self.bar.total = total
        self.bar.update(done - self.bar.n)
