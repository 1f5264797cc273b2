"""`dudao user-add`: people and memberships from the command line, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dudao.accounts.models import Membership, User
from dudao.audit.models import AuditEvent
from dudao.cli import main

pytestmark = pytest.mark.django_db


def test_it_adds_a_user_who_can_log_in_and_sees_only_its_county(regions: Any, capsys: Any) -> None:
    main(["user-add", "zhang", "--region", "230422", "--role", "officer", "--name", "张干事"])
    out = capsys.readouterr().out
    assert "用户 zhang：绥滨县（230422）经办人" in out
    password = out.split("初始密码：")[1].split("（")[0]
    client = Client()
    assert client.login(username="zhang", password=password)
    assert User.objects.get(username="zhang").display_name == "张干事"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"user_add", "membership_add"} <= actions


def test_a_second_membership_is_added_once(regions: Any, capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("DUDAO_NEW_PASSWORD", "given-password")
    main(["user-add", "li", "--region", "230400", "--role", "viewer"])
    assert "初始密码" not in capsys.readouterr().out
    main(["user-add", "li", "--region", "230400", "--role", "supervisor"])
    main(["user-add", "li", "--region", "230400", "--role", "supervisor"])
    assert Membership.objects.filter(user__username="li").count() == 2
    assert Client().login(username="li", password="given-password")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--region", "999999", "--role", "officer"], "地区代码“999999”不存在"),
        (["a b", "--region", "230422", "--role", "officer"], "用户名不能为空，也不能含空格"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    regions: Any, capsys: Any, args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["user-add", *args])
    assert exc.value.code != 0
    assert capsys.readouterr().err.strip() == f"错误：{message}"
    assert not User.objects.exists()
