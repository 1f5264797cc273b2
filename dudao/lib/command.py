"""Base class for Dudao's management commands: errors print as one Chinese line. And the
lookups their arguments share (a user, a region code, a round id), each refusing an
unknown value with that line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

if TYPE_CHECKING:
    from dudao.accounts.models import User
    from dudao.rectification.models import Round
    from dudao.regions.models import Region


class DudaoCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False):
                raise
            # One line, no class name, no traceback: a clerk or a script reads it.
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode or 2)


def acting_user(username: str | None) -> User | None:
    """The active user `--user` names; None when the option was not given."""
    from dudao.accounts.models import User

    if not username:
        return None
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist as exc:
        raise CommandError(f"用户“{username}”不存在") from exc


def region_by_code(code: str) -> Region:
    """The region a GB/T 2260 code names (with its parent, for its full name)."""
    from dudao.regions.models import Region

    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise CommandError(f"地区代码“{code}”不存在")
    return region


def round_by_id(round_id: int) -> Round:
    from dudao.rectification.models import Round

    rnd = (
        Round.objects.select_related("evaluating_region", "evaluated_region")
        .filter(pk=round_id)
        .first()
    )
    if rnd is None:
        raise CommandError(f"评价编号 {round_id} 不存在")
    return rnd
