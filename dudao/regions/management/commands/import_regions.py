from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.lib.command import DudaoCommand
from dudao.regions.services import RegionImportError, regions_import_csv, regions_load_bundled


class Command(DudaoCommand):
    help = "Import a GB/T 2260 division-code CSV (code,name,parent_code); idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", nargs="?", help="CSV file; omit to load the bundled codes")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["csv"]:
                path = Path(options["csv"])
                try:
                    text = path.read_bytes().decode("utf-8-sig")
                except OSError as exc:
                    raise CommandError(f"无法读取文件：{path}") from exc
                except UnicodeDecodeError as exc:
                    raise CommandError(
                        "文件不是 UTF-8 编码的 CSV，请另存为 UTF-8 后再导入"
                    ) from exc
                result = regions_import_csv(text=text)
            else:
                result = regions_load_bundled()
        except RegionImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
