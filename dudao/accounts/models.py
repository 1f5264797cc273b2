"""People and what they may do where: a membership is (region, role)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from dudao.regions.models import Region


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    # 督导: sees and acts on the region's whole subtree; signs off items of lower levels.
    SUPERVISOR = "supervisor", "督导"
    # The region's own staff: edits the region's own items.
    OFFICER = "officer", "经办人"
    # Read-only over the region's subtree.
    VIEWER = "viewer", "只读"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique")
        ]
        verbose_name = "成员"

    def __str__(self) -> str:
        return f"{self.user} · {self.region.name} · {self.get_role_display()}"
