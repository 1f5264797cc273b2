"""Writes to people and memberships; each is audited."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from dudao.accounts import access
from dudao.accounts.models import Membership, Role, User
from dudao.audit.services import audit_record
from dudao.regions.models import Region


class AccountError(Exception):
    """A refused change to accounts; the message is Chinese."""


@transaction.atomic
def user_add(
    *,
    username: str,
    region: Region,
    role: str,
    display_name: str = "",
    password: str | None = None,
    acting_user: User | None = None,
) -> tuple[User, str | None]:
    """Create a user (or reuse one) and give it a membership. Returns the user and the
    password that was generated for a new user when none was given."""
    username = username.strip()
    if not username or len(username) > 150 or any(c.isspace() for c in username):
        raise AccountError("用户名不能为空，也不能含空格")
    if role not in Role.values:
        raise AccountError(f"角色“{role}”无效，可选：{'、'.join(Role.values)}")
    generated = None
    user = User.objects.filter(username=username).first()
    if user is None:
        if password is None:
            password = generated = secrets.token_urlsafe(9)
        user = User.objects.create_user(
            username=username, password=password, display_name=display_name.strip()
        )
        audit_record(
            actor=acting_user,
            action="user_add",
            target_type="user",
            target_id=user.pk,
            region=region,
            changes={"username": ("", username)},
        )
    _, created = Membership.objects.get_or_create(user=user, region=region, role=role)
    if created:
        audit_record(
            actor=acting_user,
            action="membership_add",
            target_type="user",
            target_id=user.pk,
            region=region,
            changes={"membership": ("", f"{region.code} {region.name} {Role(role).label}")},
        )
    return user, generated


# --- managing people (a supervisor, for the users of its subtree) -------------------------


def _check_manages(acting_user: User, target: User) -> None:
    if not access.users_manageable_by(acting_user).filter(pk=target.pk).exists():
        raise AccountError("您不能管理此用户")


def _home_region(user: User) -> Region | None:
    membership = user.memberships.select_related("region").order_by("region__path").first()
    return membership.region if membership else None


def _new_password() -> str:
    # 12 characters from 72 bits: passes every password validator, readable over the phone.
    return secrets.token_urlsafe(9)


@transaction.atomic
def user_create(
    *, acting_user: User, username: str, region: Region, role: str, display_name: str = ""
) -> tuple[User, str]:
    """A new account in the supervisor's subtree; returns it and its initial password."""
    if not access.can_manage_users_in(acting_user, region):
        raise AccountError("您只能在本辖区内添加用户")
    if User.objects.filter(username=username.strip()).exists():
        raise AccountError("该用户名已被使用，请换一个")
    password = _new_password()
    user, _ = user_add(
        username=username,
        region=region,
        role=role,
        display_name=display_name,
        password=password,
        acting_user=acting_user,
    )
    return user, password


@transaction.atomic
def user_set_active(*, acting_user: User, target: User, active: bool) -> None:
    """Deactivate (the user can no longer log in; open sessions end at their next request,
    as Django's backend refuses inactive users) or reactivate an account."""
    _check_manages(acting_user, target)
    if target.is_active == active:
        return
    target.is_active = active
    target.save(update_fields=["is_active"])
    audit_record(
        actor=acting_user,
        action="user_reactivate" if active else "user_deactivate",
        target_type="user",
        target_id=target.pk,
        region=_home_region(target),
        changes={"is_active": (not active, active)},
    )


@transaction.atomic
def user_reset_password(*, acting_user: User, target: User) -> str:
    """A new password for the user (shown once to the supervisor); its sessions end, its
    login lockout is lifted."""
    _check_manages(acting_user, target)
    password = _new_password()
    target.set_password(password)
    target.save(update_fields=["password"])
    lockout_reset(username=target.username)
    audit_record(
        actor=acting_user,
        action="user_reset_password",
        target_type="user",
        target_id=target.pk,
        region=_home_region(target),
    )
    return password


@transaction.atomic
def membership_set_role(*, acting_user: User, membership: Membership, role: str) -> None:
    _check_manages(acting_user, membership.user)
    if role not in Role.values:
        raise AccountError("角色无效")
    if membership.role == role:
        return
    twin = Membership.objects.filter(user=membership.user, region=membership.region, role=role)
    if twin.exists():
        raise AccountError("该用户在此地区已有这个角色")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=acting_user,
        action="membership_role",
        target_type="user",
        target_id=membership.user_id,
        region=membership.region,
        changes={"role": (Role(before).label, Role(role).label)},
    )


@transaction.atomic
def user_unlock(*, acting_user: User, target: User) -> int:
    """Lift the login lockout of the account (not of an address: that ends by itself after
    DUDAO_LOCKOUT_HOURS). Returns how many failure records were cleared."""
    _check_manages(acting_user, target)
    cleared = lockout_reset(username=target.username)
    audit_record(
        actor=acting_user,
        action="user_unlock",
        target_type="user",
        target_id=target.pk,
        region=_home_region(target),
        note=f"清除登录失败记录 {cleared} 条",
    )
    return cleared


def clean_email(raw: str) -> str:
    """An e-mail address as typed, checked; "" clears it (no e-mail digests).

    >>> clean_email("  Zhang.San@Example.GOV.cn ")
    'Zhang.San@example.gov.cn'
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    value = raw.strip()
    if not value:
        return ""
    if len(value) > 254:
        raise AccountError("电子邮箱地址太长（最多 254 个字符）")
    try:
        validate_email(value)
    except ValidationError as exc:
        raise AccountError(
            f"“{value[:60]}”不是有效的电子邮箱地址，应写成 zhang@example.gov.cn"
        ) from exc
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def user_set_email(*, acting_user: User, target: User, email: str) -> bool:
    """Set a user's e-mail address (where the daily digest goes): one's own, or a user's
    of a supervisor's subtree. Returns False when nothing changed."""
    if acting_user.pk != target.pk:
        _check_manages(acting_user, target)
    value = clean_email(email)
    if value == target.email:
        return False
    before = target.email
    target.email = value
    target.save(update_fields=["email"])
    audit_record(
        actor=acting_user,
        action="user_set_email",
        target_type="user",
        target_id=target.pk,
        region=_home_region(target),
        changes={"email": (before, value)},
    )
    return True


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """The user's own new password, already checked by the validators (the form does)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action="password_change",
        target_type="user",
        target_id=user.pk,
        region=_home_region(user),
    )


def lockout_reset(*, username: str) -> int:
    from axes.utils import reset

    return int(reset(username=username))


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of the accounts are locked out now: django-axes keeps one failure record per
    (account, address), and locks the account when their failures add up to the limit."""
    from axes.models import AccessAttempt

    qs = AccessAttempt.objects.filter(username__in=usernames)
    hours = settings.AXES_COOLOFF_TIME
    if hours:
        qs = qs.filter(attempt_time__gte=timezone.now() - datetime.timedelta(hours=hours))
    totals = qs.values("username").annotate(failures=Sum("failures_since_start"))
    return {row["username"] for row in totals if row["failures"] >= settings.AXES_FAILURE_LIMIT}
