"""Demo step: give the demo accounts e-mail addresses (the demo prints mail on the console)
and colour the items as today's `dudao remind` would, without sending the digests."""

from __future__ import annotations

from collections.abc import Callable

from dudao.accounts.models import User
from dudao.rectification.demo import ACCOUNTS
from dudao.rectification.services import today
from dudao.supervision.remind import run


def seed_supervision_demo(say: Callable[[str], object]) -> None:
    for account in ACCOUNTS:
        User.objects.filter(username=account.username, email="").update(
            email=f"{account.username}@example.gov.cn"
        )
    lines: list[str] = []
    run(today=today(), say=lines.append, mail=False)
    say(f"督查督办：{lines[0]}。运行 dudao remind 发送提醒（演示中邮件打印在控制台）。")
