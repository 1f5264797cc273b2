"""`dudao restore FILE.tar.gz`: a backup into an empty database and file storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.lib.command import DudaoCommand
from dudao.web.backup import BackupError, restore_read
from dudao.web.management.commands.backup import METHODS


class Command(DudaoCommand):
    help = (
        "Restore a `dudao backup` archive into an empty database and an empty file storage; "
        "every hash is checked before anything is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_read(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复：数据库（{METHODS[summary.method]}）和 {summary.files} 个文件，校验值全部一致"
        )
