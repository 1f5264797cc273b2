"""`dudao remind [--today YYYY-MM-DD] [--dry-run]`: the daily 督查督办 run (cron it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.lib.command import DudaoCommand
from dudao.rectification.services import today as local_today
from dudao.supervision.remind import run


class Command(DudaoCommand):
    help = "Colour the open items, send due reminders and automatic 催办, escalate, e-mail digests"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as on this day (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="say what would be done")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["today"]
        if raw:
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError as exc:
                raise CommandError(f"日期“{raw}”应写成 2025-09-30") from exc
        else:
            day = local_today()
        run(today=day, dry_run=options["dry_run"], say=self.stdout.write)
