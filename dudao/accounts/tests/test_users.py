"""A supervisor manages the users of its subtree in the browser; everyone changes their own
password; every change is audited; the neighbouring county sees nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dudao.accounts.models import Membership, Role, User
from dudao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _password_on(page: str) -> str:
    return page.split("<code>")[1].split("</code>")[0]


def test_the_city_supervisor_lists_only_the_users_of_its_subtree(
    personas: dict[str, Any], client_for: Any
) -> None:
    page = client_for("hegang").get("/accounts/users/").content.decode()
    for name in ("suibin", "luobei", "suibin_sup", "viewer"):
        assert f">{name}</a>" in page
    table = page.split('id="users"')[1]
    assert ">province</a>" not in table and ">hegang</a>" not in table  # above, and itself
    assert ">nobody</a>" not in table  # no membership: nobody's region


def test_a_county_supervisor_sees_only_its_county(
    personas: dict[str, Any], client_for: Any
) -> None:
    page = client_for("suibin_supervisor").get("/accounts/users/").content.decode()
    assert ">suibin</a>" in page
    assert ">luobei</a>" not in page and ">viewer</a>" not in page


@pytest.mark.parametrize("name", ["suibin", "luobei", "viewer"])
def test_officers_and_viewers_may_not_manage_users(name: str, client_for: Any) -> None:
    response = client_for(name).get("/accounts/users/")
    assert response.status_code == 403
    assert "只有督导人员才能管理用户" in response.content.decode()


def test_the_supervisor_adds_a_county_officer_who_can_log_in(
    personas: dict[str, Any], client_for: Any, regions: Any
) -> None:
    hegang = client_for("hegang")
    response = hegang.post(
        "/accounts/users/",
        {
            "username": "zhang",
            "display_name": "绥滨县教育局 张干事",
            "region": regions["230422"].pk,
            "role": Role.OFFICER,
        },
    )
    page = response.content.decode()
    assert "已添加用户：zhang" in page and "只显示这一次" in page
    assert Client().login(username="zhang", password=_password_on(page))
    zhang = User.objects.get(username="zhang")
    assert zhang.memberships.get().region.code == "230422"
    assert set(
        AuditEvent.objects.filter(target_id=zhang.pk, actor=personas["hegang"]).values_list(
            "action", flat=True
        )
    ) == {"user_add", "membership_add"}


def test_a_supervisor_cannot_add_a_user_outside_its_subtree(
    personas: dict[str, Any], client_for: Any, regions: Any
) -> None:
    response = client_for("suibin_supervisor").post(
        "/accounts/users/",
        {"username": "spy", "region": regions["230421"].pk, "role": Role.OFFICER},
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="spy").exists()


def test_a_taken_username_is_refused_in_chinese(client_for: Any, regions: Any) -> None:
    response = client_for("hegang").post(
        "/accounts/users/",
        {"username": "luobei", "region": regions["230422"].pk, "role": Role.OFFICER},
    )
    assert "该用户名已被使用" in response.content.decode()
    assert not Membership.objects.filter(user__username="luobei", region=regions["230422"])


def test_a_deactivated_user_cannot_log_in_and_its_session_ends(
    personas: dict[str, Any], client_for: Any
) -> None:
    suibin = personas["suibin"]
    session = Client()
    assert session.login(username="suibin", password="pw-suibin")
    assert session.get("/ledger/").status_code == 200
    hegang = client_for("hegang")
    response = hegang.post(f"/accounts/users/{suibin.pk}/active/", {"active": "0"}, follow=True)
    assert "已停用此用户" in response.content.decode()
    assert session.get("/ledger/").status_code == 302  # to the login page
    refused = Client().post("/accounts/login/", {"username": "suibin", "password": "pw-suibin"})
    assert refused.status_code == 200 and "用户名或密码不正确" in refused.content.decode()
    assert "已停用" in hegang.get("/accounts/users/").content.decode()

    hegang.post(f"/accounts/users/{suibin.pk}/active/", {"active": "1"})
    assert Client().login(username="suibin", password="pw-suibin")
    actions = list(
        AuditEvent.objects.filter(target_type="user", target_id=suibin.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["user_deactivate", "user_reactivate"]
    # The user's page shows the audit rows in words, not field names and True/False.
    page = hegang.get(f"/accounts/users/{suibin.pk}/").content.decode()
    audit = page.split("审计记录", 1)[1]
    assert "启用：是 → 否" in audit and "启用：否 → 是" in audit
    assert "is_active" not in audit and "True" not in audit


def test_a_password_reset_gives_a_new_password_once_and_ends_the_old_one(
    personas: dict[str, Any], client_for: Any
) -> None:
    suibin = personas["suibin"]
    session = Client()
    session.login(username="suibin", password="pw-suibin")
    page = client_for("hegang").post(f"/accounts/users/{suibin.pk}/reset-password/")
    new = _password_on(page.content.decode())
    assert session.get("/ledger/").status_code == 302  # the old session ended
    assert not Client().login(username="suibin", password="pw-suibin")
    assert Client().login(username="suibin", password=new)
    event = AuditEvent.objects.get(action="user_reset_password")
    assert event.actor == personas["hegang"] and new not in str(event.changes) + event.note


def test_the_supervisor_changes_a_role(personas: dict[str, Any], client_for: Any) -> None:
    viewer = personas["viewer"]
    membership = viewer.memberships.get()
    client_for("hegang").post(
        f"/accounts/users/{viewer.pk}/memberships/{membership.pk}/role/",
        {"role": Role.SUPERVISOR},
    )
    membership.refresh_from_db()
    assert membership.role == Role.SUPERVISOR
    event = AuditEvent.objects.get(action="membership_role")
    assert event.changes == {"role": ["只读", "督导"]}


USER_POSTS = [
    ("active/", {"active": "0"}),
    ("reset-password/", {}),
    ("unlock/", {}),
]


@pytest.mark.parametrize("name", ["luobei", "viewer", "suibin", "nobody"])
def test_no_one_outside_manages_suibin_s_colleague(
    name: str, personas: dict[str, Any], client_for: Any
) -> None:
    target = personas["suibin_supervisor"] if name == "suibin" else personas["suibin"]
    client = client_for(name)
    assert client.get(f"/accounts/users/{target.pk}/").status_code == 404
    for suffix, data in USER_POSTS:
        assert client.post(f"/accounts/users/{target.pk}/{suffix}", data).status_code == 404
    membership = target.memberships.get()
    url = f"/accounts/users/{target.pk}/memberships/{membership.pk}/role/"
    assert client.post(url, {"role": Role.SUPERVISOR}).status_code == 404
    target.refresh_from_db()
    assert target.is_active and target.check_password(f"pw-{target.username}")
    assert not AuditEvent.objects.filter(target_type="user").exists()


def test_a_county_supervisor_cannot_manage_the_city_s_users(
    personas: dict[str, Any], client_for: Any
) -> None:
    viewer = personas["viewer"]
    client = client_for("suibin_supervisor")
    assert client.get(f"/accounts/users/{viewer.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{viewer.pk}/active/", {"active": "0"}).status_code == 404
    viewer.refresh_from_db()
    assert viewer.is_active


def test_every_user_changes_its_own_password(personas: dict[str, Any]) -> None:
    client = Client()
    client.login(username="viewer", password="pw-viewer")
    other_session = Client()
    other_session.login(username="viewer", password="pw-viewer")
    weak = client.post(
        "/accounts/password/",
        {"old_password": "pw-viewer", "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "密码长度太短" in weak and "这个密码太常见了" in weak and "密码只包含数字" in weak
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "长城-Great-Wall-7", "new_password2": "x"},
    ).content.decode()
    assert "你的旧密码不正确" in wrong
    done = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-viewer",
            "new_password1": "长城-Great-Wall-7",
            "new_password2": "长城-Great-Wall-7",
        },
        follow=True,
    )
    assert "密码已修改" in done.content.decode()
    assert client.get("/ledger/").status_code == 200  # this session stays
    assert other_session.get("/ledger/").status_code == 302  # the others end
    assert Client().login(username="viewer", password="长城-Great-Wall-7")
    assert AuditEvent.objects.get(action="password_change").actor == personas["viewer"]
