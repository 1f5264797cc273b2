"""Login lockout (django-axes): per account and per address, a Chinese page, an audited
unlock by a supervisor of the user's region."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dudao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(
    personas: dict[str, Any], settings: Any
) -> None:
    client = Client()
    answers = [_login(client, "suibin", f"wrong-{i}").status_code for i in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    right = _login(client, "suibin", "pw-suibin", address="10.0.0.2")
    assert right.status_code == 429
    page = right.content.decode()
    assert "登录已暂时锁定" in page and "密码连续输错 5 次" in page and "1 小时后再试" in page
    assert "_auth_user_id" not in client.session
    # another account from another address is not affected
    assert _login(Client(), "luobei", "pw-luobei", address="10.0.0.3").status_code == 302


def test_wrong_passwords_from_one_address_lock_that_address(personas: dict[str, Any]) -> None:
    client = Client()
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(client, name, "guess", address="10.9.9.9")
    assert _login(client, "luobei", "pw-luobei", address="10.9.9.9").status_code == 429
    assert _login(client, "luobei", "pw-luobei", address="10.9.9.10").status_code == 302


def test_a_right_password_before_the_limit_resets_the_count(personas: dict[str, Any]) -> None:
    client = Client()
    for i in range(4):
        _login(client, "suibin", f"wrong-{i}")
    assert _login(client, "suibin", "pw-suibin").status_code == 302
    other = Client()
    for i in range(4):
        assert _login(other, "suibin", f"wrong-again-{i}").status_code == 200


def test_the_login_page_says_what_went_wrong_in_chinese(personas: dict[str, Any]) -> None:
    page = _login(Client(), "suibin", "wrong").content.decode()
    assert "用户名或密码不正确" in page


def test_the_city_supervisor_unlocks_a_county_officer_and_it_is_audited(
    personas: dict[str, Any], client_for: Any
) -> None:
    for i in range(5):
        _login(Client(), "suibin", f"wrong-{i}", address=f"10.1.0.{i}")
    hegang = client_for("hegang")
    suibin = personas["suibin"]
    page = hegang.get(f"/accounts/users/{suibin.pk}/").content.decode()
    assert "登录已锁定" in page and "解除登录锁定" in page
    assert "已锁定" in hegang.get("/accounts/users/").content.decode()
    response = hegang.post(f"/accounts/users/{suibin.pk}/unlock/", follow=True)
    assert "已解除此用户的登录锁定" in response.content.decode()
    assert _login(Client(), "suibin", "pw-suibin", address="10.1.0.9").status_code == 302
    event = AuditEvent.objects.get(action="user_unlock")
    assert event.actor == personas["hegang"] and event.target_id == suibin.pk


def test_the_neighbour_cannot_unlock_suibin(personas: dict[str, Any], client_for: Any) -> None:
    suibin = personas["suibin"]
    for name in ("luobei", "viewer", "nobody"):
        assert client_for(name).post(f"/accounts/users/{suibin.pk}/unlock/").status_code == 404
    assert not AuditEvent.objects.filter(action="user_unlock").exists()
