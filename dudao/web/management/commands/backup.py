"""`dudao backup -o FILE.tar.gz`: the database and every stored file, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.lib.command import DudaoCommand
from dudao.web.backup import BackupError, backup_write

METHODS = {
    "sqlite-online-backup": "SQLite 在线备份",
    "django-dumpdata": "Django 逻辑导出（JSON）",
}


class Command(DudaoCommand):
    help = (
        "Write one archive (.tar.gz) with a consistent copy of the database, every stored "
        "file and a manifest of SHA-256 hashes; safe while the app runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="archive to write")
        parser.add_argument(
            "--logical",
            action="store_true",
            help="a Django-level dump (JSON) on SQLite too: restorable into PostgreSQL",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        if out.is_dir():
            raise CommandError(f"“{out}”是一个目录，请给出备份文件名，如 {out}/dudao.tar.gz")
        try:
            summary = backup_write(out, logical=options["logical"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份到 {out}：数据库（{METHODS[summary.method]}）和 {summary.files} 个文件，"
            f"共 {summary.size / 1024 / 1024:.1f} MB"
        )
