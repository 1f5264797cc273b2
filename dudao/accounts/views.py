"""Account pages: one's own password; a supervisor's users of its subtree.

Every user page starts from `access.managed_user_for` (anyone outside the subtree is not
found) and every change is one service call, audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dudao.accounts import access, services
from dudao.accounts.forms import EmailForm, RoleForm, UserCreateForm
from dudao.accounts.models import Membership, User
from dudao.audit.models import AuditEvent

ACTION_LABELS = {
    "user_add": "添加用户",
    "membership_add": "授予角色",
    "membership_role": "修改角色",
    "user_deactivate": "停用",
    "user_reactivate": "恢复",
    "user_reset_password": "重置密码",
    "user_unlock": "解除登录锁定",
    "password_change": "本人修改密码",
    "user_set_email": "修改电子邮箱",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # this session stays; the others end
        messages.success(request, "密码已修改")
        return redirect("home")
    return render(request, "accounts/password.html", {"form": form})


def _require_manager(request: HttpRequest) -> User:
    user = _user(request)
    if not access.can_manage_users(user):
        raise access.AccessDenied("只有督导人员才能管理用户")
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    manager = _require_manager(request)
    regions = access.regions_user_can_manage_users_in(manager)
    form = UserCreateForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            created, password = services.user_create(
                acting_user=manager,
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
                region=form.cleaned_data["region"],
                role=form.cleaned_data["role"],
            )
        except services.AccountError as exc:
            form.add_error("username", str(exc))
        else:
            return render(
                request,
                "accounts/password_issued.html",
                {"target": created, "password": password, "what": "已添加用户"},
            )
    users = list(
        access.users_manageable_by(manager)
        .prefetch_related("memberships__region")
        .order_by("username")
    )
    locked = services.locked_usernames([u.username for u in users])
    return render(
        request,
        "accounts/users.html",
        {"users": users, "locked": locked, "form": form},
    )


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    manager = _user(request)
    target = access.managed_user_for(manager, user_id)
    memberships = list(target.memberships.select_related("region").order_by("region__path"))
    events = (
        AuditEvent.objects.filter(target_type="user", target_id=target.pk)
        .select_related("actor")
        .order_by("-at", "-id")[:50]
    )
    return render(
        request,
        "accounts/user.html",
        {
            "target": target,
            "memberships": [(m, RoleForm(initial={"role": m.role})) for m in memberships],
            "locked": bool(services.locked_usernames([target.username])),
            "events": [(e, ACTION_LABELS.get(e.action, e.action)) for e in events],
            "email_form": EmailForm(initial={"email": target.email}),
        },
    )


@login_required
@require_POST
def user_email(request: HttpRequest, user_id: int) -> HttpResponse:
    """A supervisor sets the e-mail address of a user of its subtree."""
    manager = _user(request)
    target = access.managed_user_for(manager, user_id)
    form = EmailForm(request.POST)
    try:
        if not form.is_valid():
            raise services.AccountError("请填写有效的电子邮箱地址")
        changed = services.user_set_email(
            acting_user=manager, target=target, email=form.cleaned_data["email"]
        )
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "电子邮箱已保存" if changed else "电子邮箱未改变")
    return redirect("user", target.pk)


@login_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    manager = _user(request)
    target = access.managed_user_for(manager, user_id)
    active = request.POST.get("active") == "1"
    services.user_set_active(acting_user=manager, target=target, active=active)
    messages.success(request, "已恢复此用户" if active else "已停用此用户，其登录已失效")
    return redirect("user", target.pk)


@login_required
@require_POST
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    manager = _user(request)
    target = access.managed_user_for(manager, user_id)
    password = services.user_reset_password(acting_user=manager, target=target)
    return render(
        request,
        "accounts/password_issued.html",
        {"target": target, "password": password, "what": "已重置密码"},
    )


@login_required
@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    manager = _user(request)
    target = access.managed_user_for(manager, user_id)
    services.user_unlock(acting_user=manager, target=target)
    messages.success(request, "已解除此用户的登录锁定")
    return redirect("user", target.pk)


@login_required
@require_POST
def membership_role(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    manager = _user(request)
    target = access.managed_user_for(manager, user_id)
    membership = get_object_or_404(Membership, pk=membership_id, user=target)
    form = RoleForm(request.POST)
    if not form.is_valid():
        raise Http404("角色无效")
    try:
        services.membership_set_role(
            acting_user=manager, membership=membership, role=form.cleaned_data["role"]
        )
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "角色已修改")
    return redirect("user", target.pk)
