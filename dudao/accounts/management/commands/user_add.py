"""`dudao user-add USERNAME --region CODE --role supervisor|officer|viewer [--name 姓名]`."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.accounts.models import Role
from dudao.accounts.services import AccountError, user_add
from dudao.lib.command import DudaoCommand, region_by_code


class Command(DudaoCommand):
    help = (
        "Add a user with a membership (region, role); an existing user gets the membership. "
        "The password comes from DUDAO_NEW_PASSWORD or is generated and printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="GB/T 2260 code")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help="display name, e.g. 绥滨县教育局 张干事")

    def handle(self, *args: Any, **options: Any) -> None:
        region = region_by_code(options["region"])
        try:
            user, generated = user_add(
                username=options["username"],
                region=region,
                role=options["role"],
                display_name=options["name"],
                password=os.environ.get("DUDAO_NEW_PASSWORD") or None,
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"用户 {user.username}：{region.name}（{region.code}）{Role(options['role']).label}"
        )
        if generated:
            self.stdout.write(f"初始密码：{generated}（只显示这一次，请转告本人）")
