"""`dudao evaluation-import --kind schools FILE --year Y --user NAME [--region CODE]`:
validate and store an indicator data file, as the upload page does, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.engine.sheet import too_large
from dudao.evaluation import services
from dudao.evaluation.models import Kind
from dudao.lib.command import DudaoCommand, acting_user
from dudao.regions.models import Region


class Command(DudaoCommand):
    help = "Import a school or county indicator data file (validated row by row)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=Kind.values, required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--user", required=True, help="acting user (username)")
        parser.add_argument("--region", help="region code of the data (default: the user's)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = acting_user(options["user"])
        assert user is not None  # --user is required
        region = self._region(user, options["region"])
        try:
            if message := too_large(path.stat().st_size):
                raise CommandError(message)
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror}") from exc
        bar = tqdm(total=1, desc="校验", unit="步", disable=None, file=sys.stderr)
        last = 0

        def progress(done: int, total: int) -> None:
            nonlocal last
            bar.total = total
            bar.update(done - last)
            last = done

        try:
            dataset = services.dataset_upload(
                acting_user=user,
                kind=options["kind"],
                year=options["year"],
                region=region,
                data=data,
                filename=path.name,
                progress=progress,
            )
        except services.EvaluationError as exc:
            bar.close()
            # one line, as every command's error: the message names the first bad cells
            # and the total; the upload page lists them all
            raise CommandError(exc.message) from exc
        bar.close()
        self.stdout.write(
            f"已导入{dataset.year}年度{dataset.get_kind_display()}：{dataset.rows}行，"
            f"{len(dataset.counties)}个区县（数据范围：{region.name}）"
        )

    def _region(self, user: User, code: str | None) -> Region:
        regions = access.regions_user_can_upload_for(user)
        if code:
            try:
                return regions.get(code=code)
            except Region.DoesNotExist as exc:
                raise CommandError(f"用户“{user.username}”不能上传地区“{code}”的数据") from exc
        region = sorted(regions, key=lambda r: (len(r.path), r.code))
        if not region:
            raise CommandError(f"用户“{user.username}”没有上传指标数据的权限")
        return region[0]
