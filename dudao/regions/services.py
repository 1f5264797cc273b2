"""Writes to the region tree: loading GB/T 2260 division codes."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from dudao.regions.models import Level, Region

_CODE = re.compile(r"^\d{6}$")


class RegionImportError(Exception):
    """A division-code file that cannot be loaded; the message says which line and why."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def level_for(code: str) -> str:
    if code.endswith("0000"):
        return Level.PROVINCE
    if code.endswith("00"):
        return Level.CITY
    return Level.COUNTY


def _rows(text: str) -> list[tuple[str, str, str]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows: list[tuple[str, str, str]] = []
    for lineno, raw in enumerate(reader, start=1):
        if not raw or not "".join(raw).strip():
            continue
        if lineno == 1 and not _CODE.match(raw[0].strip()):
            continue  # header row
        if len(raw) < 2:
            raise RegionImportError(f"第{lineno}行：至少需要“代码,名称”两列")
        code, name = raw[0].strip(), raw[1].strip()
        parent = raw[2].strip() if len(raw) > 2 else ""
        if not _CODE.match(code):
            raise RegionImportError(f"第{lineno}行：区划代码“{code}”不是6位数字")
        if parent and not _CODE.match(parent):
            raise RegionImportError(f"第{lineno}行：上级代码“{parent}”不是6位数字")
        if not name:
            raise RegionImportError(f"第{lineno}行：名称为空")
        rows.append((code, name, parent))
    return rows


def _parents_first(by_code: dict[str, tuple[str, str]]) -> list[str]:
    order: list[str] = []
    placed: set[str] = set()

    def place(code: str, trail: tuple[str, ...]) -> None:
        if code in placed:
            return
        if code in trail:
            raise RegionImportError(f"区划“{code}”的上级关系成环")
        parent = by_code[code][1]
        if parent in by_code:
            place(parent, (*trail, code))
        placed.add(code)
        order.append(code)

    for code in sorted(by_code):
        place(code, ())
    return order


@transaction.atomic
def regions_import_csv(*, text: str) -> ImportResult:
    """Create or update regions from "code,name,parent_code" rows; running twice changes nothing.

    Rows may come in any order; every parent must be in the file or already in the database.
    """
    rows = _rows(text)
    existing = {r.code: r for r in Region.objects.all()}
    by_code = {code: (name, parent) for code, name, parent in rows}
    for code, (_, parent_code) in by_code.items():
        if parent_code and parent_code not in by_code and parent_code not in existing:
            raise RegionImportError(f"区划“{code}”的上级代码“{parent_code}”不存在")
        if parent_code == code:
            raise RegionImportError(f"区划“{code}”不能是自己的上级")
    created = updated = unchanged = 0
    for code in _parents_first(by_code):
        name, parent_code = by_code[code]
        parent: Region | None = existing.get(parent_code) if parent_code else None
        path = f"{parent.path if parent else ''}{code}/"
        level = level_for(code)
        region: Region | None = existing.get(code)
        if region is None:
            region = Region.objects.create(
                code=code, name=name, parent=parent, level=level, path=path
            )
            existing[code] = region
            created += 1
        elif (region.name, region.parent_id, region.path, region.level) != (
            name,
            parent.pk if parent else None,
            path,
            level,
        ):
            region.name, region.parent, region.path, region.level = name, parent, path, level
            region.save(update_fields=["name", "parent", "path", "level"])
            updated += 1
        else:
            unchanged += 1
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def regions_load_bundled() -> ImportResult:
    """Load the division codes shipped with the package (黑龙江省 > 鹤岗市 > its counties)."""
    text = resources.files("dudao.regions").joinpath("data/regions.csv").read_text("utf-8")
    return regions_import_csv(text=text)
