"""Regions keyed by GB/T 2260 codes (省 > 市 > 县). Names are never identifiers."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


def ancestor_paths(path: str) -> list[str]:
    """The paths of a region and its ancestors, top first.

    >>> ancestor_paths("230000/230400/230422/")
    ['230000/', '230000/230400/', '230000/230400/230422/']
    """
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class Region(models.Model):
    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=64)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    # Materialised path of codes ("230000/230400/230422/") so a subtree is one indexed
    # prefix query, whatever the depth.
    path = models.CharField(max_length=128, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """Name with its parent, to tell apart the two 向阳区 (鹤岗市 and 佳木斯市)."""
        if self.level == Level.COUNTY and self.parent is not None:  # parent read only then
            return f"{self.parent.name}{self.name}"
        return self.name

    def is_strict_ancestor_of(self, other: Region) -> bool:
        return other.path.startswith(self.path) and other.path != self.path
