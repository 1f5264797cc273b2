"""The ledger: evaluation rounds, their problems and one rectification item per problem
per responsible region, with progress updates and evidence files."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from dudao.regions.models import Region

# The dimensions Heilongjiang's 履行教育职责评价 feeds back under; free text is allowed.
DIMENSIONS = ("教育优先发展", "重点任务落实", "教师队伍建设", "校园安全")


class Round(models.Model):
    """An evaluation (评价): one level evaluating another in a year."""

    year = models.PositiveSmallIntegerField("评价年度")
    evaluating_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="rounds_evaluating", verbose_name="评价方"
    )
    evaluated_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="rounds_evaluated", verbose_name="被评价方"
    )
    title = models.CharField("名称", max_length=200)
    source_doc_number = models.CharField("反馈文号", max_length=64, blank=True)
    # A round received from a sender outside Dudao (its letter imported by the region it
    # was sent to): who sent it, its title and date, as the letter reads.
    source_issuer = models.CharField("来文机关", max_length=100, blank=True, default="")
    source_title = models.CharField("来文标题", max_length=300, blank=True, default="")
    source_date = models.DateField("来文日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "评价"

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


class Source(models.TextChoices):
    MANUAL = "manual", "手工录入"
    IMPORTED = "imported", "文件导入"
    ENGINE = "engine", "指标评估"


class Problem(models.Model):
    """A problem fed back (反馈问题)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="problems")
    dimension = models.CharField("维度", max_length=64)
    statement = models.TextField("问题")
    order = models.PositiveIntegerField("序号", default=0)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "order", "id"]
        verbose_name = "反馈问题"

    def __str__(self) -> str:
        return self.statement[:40]


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "整改中"
    SIGNOFF_REQUESTED = "signoff_requested", "申请销号"
    SIGNED_OFF = "signed_off", "已销号"
    ONGOING = "ongoing", "长期坚持"


class ItemQuerySet(models.QuerySet["Item"]):
    def active(self) -> ItemQuerySet:
        return self.filter(archived_at__isnull=True)

    def overdue(self, today: datetime.date) -> ItemQuerySet:
        return self.filter(overdue_q(today))


# Statuses an item is never overdue in: waiting for its reviewer (the days are the
# reviewer's, issue 13), signed off, or 长期坚持 (ongoing, with no end).
NEVER_OVERDUE = (Status.SIGNOFF_REQUESTED, Status.SIGNED_OFF, Status.ONGOING)


def overdue_q(today: datetime.date) -> Q:
    """Past its deadline (in Asia/Shanghai) and in the county's hands (not started or in
    progress): see NEVER_OVERDUE."""
    return Q(deadline__lt=today) & ~Q(status__in=NEVER_OVERDUE)


class Item(models.Model):
    """A rectification item (整改任务): one problem for one responsible region, or for one
    department (`unit`) of it.

    Items cascade: whoever holds an item may pass it on (分解下发) to the regions directly
    below its region, or to its region's own departments; each child is a full item of the
    same problem with its own deadline (not after its parent's), measures, progress,
    evidence and status, signed off by the level that dispatched it."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="items")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="items", verbose_name="责任地区"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级任务",
    )
    # "" for the region's own item; a department of the region (市教育局) for an item the
    # region dispatched to one of its units.
    unit = models.CharField("责任单位", max_length=200, blank=True, default="")
    lead_unit = models.CharField("牵头单位", max_length=200, blank=True)
    co_units = models.CharField("配合单位", max_length=400, blank=True)
    responsible_person = models.CharField("责任人", max_length=64, blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    measures = models.TextField("整改措施", blank=True)
    outcome = models.TextField("整改情况", blank=True)
    remark = models.TextField("备注", blank=True)
    # Why the item is 长期坚持: a parent may ask for sign-off over an ongoing child only
    # when the child says why it stays open.
    ongoing_reason = models.TextField("长期坚持理由", blank=True, default="")
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    # Optimistic lock: every write bumps it; a save carrying an older number is refused.
    version = models.PositiveIntegerField(default=1)
    signed_off_at = models.DateTimeField("销号时间", null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "region", "unit"], name="item_problem_region_unit"
            )
        ]
        indexes = [
            models.Index(fields=["region", "deadline"]),
            # Covers the per-status counts of a region's items (the ledger list's header).
            models.Index(
                fields=["region", "archived_at", "status", "deadline"], name="item_region_counts"
            ),
        ]
        verbose_name = "整改任务"

    def __str__(self) -> str:
        return f"{self.holder}：{self.problem.statement[:30]}"

    @property
    def holder(self) -> str:
        """Who holds the item: the region, or its department."""
        return self.unit or self.region.name

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.deadline is not None and self.deadline < today and self.status not in NEVER_OVERDUE
        )


class Progress(models.Model):
    """A progress update (进展). Append-only: never edited, never deleted."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="progress_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    text = models.TextField("进展")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "整改进展"

    def __str__(self) -> str:
        return self.text[:40]


class Evidence(models.Model):
    """An evidence file (佐证材料), stored under a generated name with its SHA-256."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="evidence_files")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    description = models.CharField("说明", max_length=200, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "佐证材料"

    def __str__(self) -> str:
        return self.original_name
