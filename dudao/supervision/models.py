"""督查督办: working-day calendar, warning policy per supervising region, the state the daily
`dudao remind` run keeps per item, notifications, 催办/督办/通报/约谈 steps and 延期 requests.

The ledger's models are not changed: everything here points at an Item."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dudao.rectification.models import Item
from dudao.regions.models import Region


class HolidayDay(models.Model):
    """One day of a year's holiday table (the State Council's 放假安排): a statutory holiday
    (is_workday False) or a 调休 make-up working day on a weekend (is_workday True). A year
    with any row is read from this table alone; other years from chinese-calendar."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False)
    name = models.CharField("名称", max_length=32, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "节假日"

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class WarningPolicy(models.Model):
    """Warning and escalation rules of a supervising region (its subtree's items). Rules
    differ by place (DOMAIN.md §3), so each number is configurable; the defaults are
    DEFAULT_POLICY."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="+")
    blue_days = models.PositiveSmallIntegerField("临期提醒（工作日）", default=5)
    idle_days = models.PositiveSmallIntegerField("无进展预警（工作日）", default=10)
    auto_urge = models.BooleanField("自动催办", default=True)
    urge_before_days = models.PositiveSmallIntegerField("到期前催办（工作日）", default=3)
    urge_interval_days = models.PositiveSmallIntegerField("超期后每隔（工作日）", default=5)
    urge_max = models.PositiveSmallIntegerField("超期后最多催办次数", default=3)
    duban_after_days = models.PositiveSmallIntegerField("超期发督办（工作日）", default=10)
    tongbao_after_days = models.PositiveSmallIntegerField("超期通报（工作日）", default=20)
    yuetan_after_days = models.PositiveSmallIntegerField("超期约谈（工作日）", default=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "预警规则"

    def __str__(self) -> str:
        return f"{self.region.name}预警规则"


class RoundSchedule(models.Model):
    """The automatic 催办 of one round, over its supervising region's policy: switched off,
    or another schedule (before the deadline, on it, every K working days after)."""

    round = models.OneToOneField(
        "rectification.Round", on_delete=models.PROTECT, related_name="urge_schedule"
    )
    auto_urge = models.BooleanField("自动催办", default=True)
    urge_before_days = models.PositiveSmallIntegerField("到期前催办（工作日）", default=3)
    urge_interval_days = models.PositiveSmallIntegerField("超期后每隔（工作日）", default=5)
    urge_max = models.PositiveSmallIntegerField("超期后最多催办次数", default=3)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "自动催办安排"

    def __str__(self) -> str:
        return f"{self.round_id} 自动催办"


class Colour(models.TextChoices):
    NONE = "", "正常"
    BLUE = "blue", "蓝色预警"
    YELLOW = "yellow", "黄色预警"
    RED = "red", "红色预警"


class Step(models.TextChoices):
    """The escalation ladder, in order (DOMAIN.md §3: 催办 → 督办 → 通报 → 约谈)."""

    URGE = "urge", "催办"
    DUBAN = "duban", "督办通知"
    TONGBAO = "tongbao", "通报"
    YUETAN = "yuetan", "约谈"


STEP_ORDER = [Step.URGE, Step.DUBAN, Step.TONGBAO, Step.YUETAN]


class ItemWatch(models.Model):
    """What the last `dudao remind` run found for an item: its colour (to tell a change),
    the automatic 催办 sent and the highest escalation step reached; and its original
    deadline once a 延期 was approved."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="watch")
    colour = models.CharField(max_length=8, choices=Colour.choices, blank=True, default="")
    colour_on = models.DateField(null=True, blank=True)
    auto_urges = models.PositiveSmallIntegerField(default=0)
    last_urge_on = models.DateField(null=True, blank=True)
    step = models.CharField(max_length=8, choices=Step.choices, blank=True, default="")
    step_on = models.DateField(null=True, blank=True)
    # The deadline before the first approved 延期 (as on Extension.original_deadline), here
    # too so that the overview counts against it without a sub-query per item.
    original_deadline = models.DateField("原定整改时限", null=True, blank=True)

    class Meta:
        verbose_name = "预警状态"

    def __str__(self) -> str:
        return f"{self.item_id} {self.colour}"


class SupervisionDocument(models.Model):
    """A generated 督办通知 or 通报 (.docx per GB/T 9704, with the 文号 of its office)."""

    step = models.CharField(max_length=8, choices=Step.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=64, blank=True, default="")
    # The same document as a version of an official document (文号, PDF, /documents/).
    official = models.ForeignKey(
        "documents.OfficialDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_by = models.DateField("回复期限", null=True, blank=True)
    stored_name = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "督办文书"

    def __str__(self) -> str:
        return self.title


class Interview(models.Model):
    """A 约谈 record: who was interviewed, what was said, what they committed to."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("约谈日期")
    attendees = models.TextField("参加人员")
    minutes = models.TextField("约谈纪要")
    commitments = models.TextField("整改承诺", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = "约谈记录"

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.region.name}"


class FollowUp(models.Model):
    """A 约谈 commitment made a rectification item of its own: a new problem of the round
    (“约谈承诺：…”) assigned to the interviewed region with its own deadline, signed off by
    the level above like any item of the round. `origins` are the items the 约谈 was
    about."""

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="follow_ups")
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="follow_up")
    commitment = models.TextField("整改承诺")
    origins = models.ManyToManyField(Item, related_name="follow_ups", verbose_name="约谈涉及的任务")

    class Meta:
        ordering = ["interview", "id"]
        verbose_name = "约谈后续任务"

    def __str__(self) -> str:
        return self.commitment[:40]


class Action(models.Model):
    """One step taken on an item: a 催办 (manual or automatic), a 督办通知, a 通报, a 约谈.
    Both sides see it on the item page."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="supervision_actions")
    step = models.CharField("类型", max_length=8, choices=Step.choices)
    automatic = models.BooleanField(default=False)
    day = models.DateField("日期")
    note = models.TextField("内容", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        SupervisionDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "step"])]
        verbose_name = "督办记录"

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.item_id}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "不同意"


class Extension(models.Model):
    """A 延期 request. `original_deadline` is the item's deadline before its first
    extension, kept for statistics that count against it."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="extensions")
    original_deadline = models.DateField("原定时限", null=True, blank=True)
    old_deadline = models.DateField("申请时的时限", null=True, blank=True)
    new_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    evidence = models.ForeignKey(
        "rectification.Evidence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = "延期申请"

    def __str__(self) -> str:
        return f"{self.item_id} → {self.new_deadline}"


class OngoingPlan(models.Model):
    """长期坚持: the stage goal and the next review date, which has its own reminder."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="ongoing_plan")
    stage_goals = models.TextField("阶段目标")
    next_review = models.DateField("下次复查日期")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "持续整改计划"

    def __str__(self) -> str:
        return f"{self.item_id} {self.next_review}"


class Kind(models.TextChoices):
    """What a notification is about; each person chooses which kinds they receive."""

    ASSIGNED = "assigned", "新分配任务"
    SIGNOFF_REQUESTED = "signoff_requested", "申请销号"
    SENT_BACK = "sent_back", "被退回"
    SIGNED_OFF = "signed_off", "已销号"
    COLOUR = "colour", "预警变化"
    URGE = "urge", "收到催办"
    EXTENSION = "extension", "延期审批"
    DUBAN = "duban", "收到督办"
    REVIEW = "review", "持续整改复查"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    text = models.CharField("内容", max_length=500)
    # Makes a run repeated on the same day create nothing new: one row per (user, key).
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # False when the person turned the inbox off for this kind (the e-mail may still go).
    in_app = models.BooleanField(default=True)
    # Set when the notification went out in a daily digest (or was not to be e-mailed).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_user_key")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]
        verbose_name = "通知"

    def __str__(self) -> str:
        return self.text[:40]


class Preference(models.Model):
    """A person's choice for one kind of notification; no row means both on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    in_app = models.BooleanField("站内", default=True)
    email = models.BooleanField("邮件", default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")]
        verbose_name = "通知设置"

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class Digest(models.Model):
    """One e-mail digest per person per day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_user_day")]
        verbose_name = "邮件摘要"

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
