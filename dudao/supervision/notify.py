"""Notifications: the in-app inbox and one e-mail digest per person per day."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from dudao.accounts.models import User
from dudao.lib.zh import format_cn_date
from dudao.rectification.models import Item
from dudao.supervision.models import Digest, Kind, Notification, Preference

DIGEST_MAX_LINES = 50


def _preferences(users: Iterable[User], kind: str) -> dict[int, tuple[bool, bool]]:
    ids = [u.pk for u in users]
    rows = Preference.objects.filter(user_id__in=ids, kind=kind)
    return {p.user_id: (p.in_app, p.email) for p in rows}


def notify(
    *, users: Iterable[User], kind: str, text: str, key: str, item: Item | None = None
) -> int:
    """Tell each user (once per `key`); returns how many notifications were new."""
    users = list({u.pk: u for u in users}.values())
    prefs = _preferences(users, kind)
    made = 0
    now = timezone.now()
    for user in users:
        in_app, email = prefs.get(user.pk, (True, True))
        if not (in_app or email):
            continue
        if Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user,
                    kind=kind,
                    item=item,
                    text=text[:500],
                    key=key[:120],
                    in_app=in_app,
                    emailed_at=None if email else now,
                )
        except IntegrityError:  # a concurrent run made it first
            continue
        made += 1
    return made


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()


@transaction.atomic
def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


@dataclass(frozen=True)
class DigestResult:
    user: User
    count: int


def send_digests(*, today: datetime.date, dry_run: bool = False) -> list[DigestResult]:
    """One e-mail per person with an address and notifications not yet e-mailed, unless
    that person already had today's digest."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user", "item__region")
        .order_by("user_id", "created_at", "id")
    )
    done_today = set(Digest.objects.filter(day=today).values_list("user_id", flat=True))
    by_user: dict[int, list[Notification]] = {}
    for n in pending:
        if n.user_id not in done_today:
            by_user.setdefault(n.user_id, []).append(n)
    results = []
    labels = dict(Kind.choices)
    for rows in by_user.values():
        user = rows[0].user
        results.append(DigestResult(user=user, count=len(rows)))
        if dry_run:
            continue
        lines = [f"【{labels.get(n.kind, n.kind)}】{n.text}" for n in rows[:DIGEST_MAX_LINES]]
        if len(rows) > DIGEST_MAX_LINES:
            lines.append(f"……另有 {len(rows) - DIGEST_MAX_LINES} 条，请登录系统查看。")
        body = (
            f"{user}：\n\n您有 {len(rows)} 条督导整改通知（{format_cn_date(today)}）：\n\n"
            + "\n".join(lines)
            + "\n\n请登录督导整改台账查看和办理。\n"
        )
        with transaction.atomic():
            Digest.objects.create(user=user, day=today, count=len(rows))
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
                emailed_at=timezone.now()
            )
            # Sent inside the transaction: a failed send leaves them for the next run.
            send_mail(
                subject=f"督导整改通知（{len(rows)} 条）",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
    return results
