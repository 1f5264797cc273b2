"""`dudao demo [--port N] [--no-serve]`: set up the demo database and serve it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import connection

from dudao.lib.command import DudaoCommand
from dudao.rectification.demo import ACCOUNTS, seed_demo
from dudao.web.management.commands.serve import serve


class Command(DudaoCommand):
    help = "Create the demo data (idempotent) and serve it on http://127.0.0.1:8000"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="set up only")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        password: str = settings.DUDAO_DEMO_PASSWORD
        created = seed_demo(password)
        db = connection.settings_dict["NAME"]
        self.stdout.write(
            ("已创建演示数据" if created else "演示数据已存在，未重复创建") + f"（数据库：{db}）"
        )
        self.stdout.write(f"演示账号（密码均为 {password}）：")
        for a in ACCOUNTS:
            self.stdout.write(f"  {a.username:<10} {a.display_name}")
        for hook in demo_hooks():
            hook(self.stdout.write)
        if not options["no_serve"]:
            serve("127.0.0.1", options["port"], 8, self.stdout.write)


def demo_hooks() -> list[Any]:
    """Other apps' demo steps (evaluation data, documents), run after the ledger demo."""
    from dudao.web.demo_hooks import HOOKS

    return list(HOOKS)
