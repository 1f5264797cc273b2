"""An append-only record of every change of state: who, when, what, before → after."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField("操作", max_length=48)
    target_type = models.CharField(max_length=32)
    target_id = models.BigIntegerField()
    # Set for events about an item or its children, so the item page reads them in one query.
    item = models.ForeignKey(
        "rectification.Item",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {"field": [before, after], ...}
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = "审计记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
