"""Official documents (公文): letters generated from the ledger, and reports or feedback
letters imported into it. Files are kept as the document of record, with their SHA-256."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from dudao.rectification.models import Round
    from dudao.regions.models import Region


class Kind(models.TextChoices):
    RECTIFICATION_REPORT = "rectification", "整改情况报告"
    FEEDBACK_LETTER = "feedback", "反馈意见/整改通知"
    SUMMARY_REPORT = "summary", "汇总报告"
    LEDGER = "ledger", "整改台账"
    DUBAN = "duban", "督办通知"
    TONGBAO = "tongbao", "通报"
    OTHER = "other", "其他"


class Origin(models.TextChoices):
    GENERATED = "generated", "系统生成"
    IMPORTED = "imported", "导入"


class OfficialDocument(models.Model):
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    origin = models.CharField("来源", max_length=12, choices=Origin.choices)
    round = models.ForeignKey(
        "rectification.Round",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # The region the document is about (the county that reports, the county notified).
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=64, blank=True, db_index=True)
    title = models.CharField("标题", max_length=300, blank=True)
    recipient = models.CharField("主送机关", max_length=200, blank=True)
    date = models.DateField("成文日期", null=True, blank=True)
    # Versions count per (kind, round, region): 1, 2, 3…
    version = models.PositiveIntegerField("版本", default=1)
    stored_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    # What the parser read (imports) or the inputs the writer used (generated documents).
    data = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "公文"

    def __str__(self) -> str:
        return self.title or self.original_name


class OfficeDefaults(models.Model):
    """What an issuing office last put around its letters (附注 contact and phone, closing,
    主送, 抄送), offered again on its next letter. One row per (issuing region, issuer)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    issuer = models.CharField("发文机关", max_length=100)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    closing = models.TextField("下一步打算", blank=True)
    recipient = models.CharField("主送机关", max_length=200, blank=True)
    copy_to = models.CharField("抄送", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "issuer"], name="office_defaults_unique")
        ]

    def __str__(self) -> str:
        return self.issuer


def next_version(kind: str, rnd: Round | None, region: Region | None) -> int:
    """The version number the next document of this kind, round and region gets."""
    last = (
        OfficialDocument.objects.filter(kind=kind, round=rnd, region=region)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return (last or 0) + 1


class ColumnMapping(models.Model):
    """How an office's own Excel 台账 maps to Dudao's fields, remembered per office (the
    importing region) and header row, and proposed again for a workbook with that header."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # SHA-256 of the header cells (spaces removed, joined by tabs): one mapping per header
    headers_key = models.CharField(max_length=64)
    headers = models.JSONField("表头", default=list)
    # the field of each header column ("" = not imported), in column order
    fields = models.JSONField("对应字段", default=list)
    sheet = models.CharField("工作表", max_length=100, blank=True, default="")
    header_row = models.PositiveIntegerField("表头行", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "headers_key"], name="column_mapping_unique")
        ]
        verbose_name = "台账列对应"

    def __str__(self) -> str:
        return " / ".join(self.headers)[:80]
