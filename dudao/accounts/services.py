"""Writes to people and memberships; each is audited."""

from __future__ import annotations

import secrets

from django.db import transaction

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
