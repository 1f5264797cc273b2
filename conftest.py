"""Named personas and a small ledger shared by the Django tests.

- province: 黑龙江省 supervisor       - hegang: 鹤岗市 supervisor (signs off county items)
- suibin:   绥滨县 officer
- luobei:   萝北县 officer, a neighbour who must see nothing of 绥滨县
- suibin_supervisor: 绥滨县's own 督导室 (same level: may not sign off its own items)
- viewer:   鹤岗市 read-only          - nobody: logged in, no membership
- deactivated: a 绥滨县 officer whose account a supervisor deactivated (cannot log in)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can rerun them on PostgreSQL."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DB_FIXTURES:
            item.add_marker(pytest.mark.db)


def _django_settings(request: pytest.FixtureRequest) -> Any | None:
    """pytest-django's `settings`, or None when the pure cores are tested without Django
    (`pytest dudao/parser -p no:django`)."""
    if not request.config.pluginmanager.hasplugin("django"):
        return None
    return request.getfixturevalue("settings")


@pytest.fixture(autouse=True)
def _fast_passwords(request: pytest.FixtureRequest) -> None:
    """PBKDF2 at production strength costs seconds per persona on a 2-core machine."""
    settings = _django_settings(request)
    if settings is not None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploaded and generated files go to a private folder per test, never to ./var."""
    location = tmp_path / "media"
    settings = _django_settings(request)
    if settings is not None:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(location)},
            },
        }
    return location


@pytest.fixture(autouse=True)
def _keep_test_connections(request: pytest.FixtureRequest) -> None:
    """Management commands run through `dudao.cli.main` close every connection when they end
    (BaseCommand.run_from_argv); on PostgreSQL that would kill the test transaction."""
    if _django_settings(request) is None:
        return
    from django.db import connections

    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (dudao/web/tests/browsing.py), shared by
    the browser tests of a module, whichever app they belong to."""
    from dudao.web.tests.browsing import chromium

    with chromium() as b:
        yield b


@dataclass
class Ledger:
    round: Any
    problems: list[Any]
    suibin_items: list[Any]
    luobei_items: list[Any]


@pytest.fixture
def regions(db: Any) -> dict[str, Any]:
    from dudao.regions.models import Region
    from dudao.regions.services import regions_load_bundled

    regions_load_bundled()
    return {r.code: r for r in Region.objects.all()}


def _make_user(username: str, region: Any | None, role: str | None, *, active: bool = True) -> Any:
    from dudao.accounts.models import Membership, User

    user = User.objects.create_user(username=username, password="pw-" + username, is_active=active)
    if region is not None and role is not None:
        Membership.objects.create(user=user, region=region, role=role)
    return user


@pytest.fixture
def personas(regions: dict[str, Any]) -> dict[str, Any]:
    from dudao.accounts.models import Role

    return {
        "province": _make_user("province", regions["230000"], Role.SUPERVISOR),
        "hegang": _make_user("hegang", regions["230400"], Role.SUPERVISOR),
        "suibin": _make_user("suibin", regions["230422"], Role.OFFICER),
        "luobei": _make_user("luobei", regions["230421"], Role.OFFICER),
        "suibin_supervisor": _make_user("suibin_sup", regions["230422"], Role.SUPERVISOR),
        "viewer": _make_user("viewer", regions["230400"], Role.VIEWER),
        "nobody": _make_user("nobody", None, None),
        "deactivated": _make_user("retired", regions["230422"], Role.OFFICER, active=False),
    }


@pytest.fixture
def ledger(personas: dict[str, Any], regions: dict[str, Any]) -> Ledger:
    from dudao.rectification import services

    province = personas["province"]
    rnd = services.round_create(
        acting_user=province,
        year=2023,
        evaluating_region=regions["230000"],
        evaluated_region=regions["230400"],
        title="省对鹤岗市人民政府履行教育职责评价",
    )
    problems = [
        services.problem_add(acting_user=province, rnd=rnd, dimension=d, statement=s)
        for d, s in [
            ("教育优先发展", "教育专网建设进度缓慢"),
            ("校园安全", "安防人员专业知识与风险防控能力不足"),
        ]
    ]
    deadline = datetime.date(2024, 6, 30)
    suibin = services.items_assign(
        acting_user=province,
        rnd=rnd,
        problems=problems,
        regions=[regions["230422"]],
        deadline=deadline,
        lead_unit="绥滨县教育局",
    )
    luobei = services.items_assign(
        acting_user=province,
        rnd=rnd,
        problems=problems,
        regions=[regions["230421"]],
        deadline=datetime.date(2030, 12, 31),
        lead_unit="萝北县教育局",
    )
    return Ledger(round=rnd, problems=problems, suibin_items=suibin, luobei_items=luobei)


@dataclass
class Chain:
    """The chain of hand-offs: the province's round on 鹤岗市, whose items (one per problem)
    鹤岗市 dispatched to 绥滨县 and 萝北县."""

    round: Any
    problems: list[Any]
    city_items: list[Any]
    suibin_items: list[Any]
    luobei_items: list[Any]


@pytest.fixture
def chain(personas: dict[str, Any], regions: dict[str, Any]) -> Chain:
    from dudao.rectification import services

    province, hegang = personas["province"], personas["hegang"]
    rnd = services.round_create(
        acting_user=province,
        year=2023,
        evaluating_region=regions["230000"],
        evaluated_region=regions["230400"],
        title="省对鹤岗市人民政府履行教育职责评价",
    )
    problems = [
        services.problem_add(acting_user=province, rnd=rnd, dimension=d, statement=s)
        for d, s in [
            ("教育优先发展", "教育专网建设进度缓慢"),
            ("校园安全", "安防人员专业知识与风险防控能力不足"),
        ]
    ]
    city_items = services.items_assign(
        acting_user=province,
        rnd=rnd,
        problems=problems,
        regions=[regions["230400"]],
        deadline=datetime.date(2024, 12, 31),
        lead_unit="鹤岗市教育局",
    )
    suibin, luobei = [], []
    for item in city_items:
        suibin += services.item_dispatch(
            acting_user=hegang,
            item=item,
            regions=[regions["230422"]],
            deadline=datetime.date(2024, 6, 30),
            lead_unit="绥滨县教育局",
        )
        luobei += services.item_dispatch(
            acting_user=hegang, item=item, regions=[regions["230421"]], lead_unit="萝北县教育局"
        )
    return Chain(
        round=rnd,
        problems=problems,
        city_items=city_items,
        suibin_items=suibin,
        luobei_items=luobei,
    )


@pytest.fixture
def client_for(client: Any, personas: dict[str, Any]) -> Any:
    """client_for("suibin") -> a test client logged in as that persona."""
    from django.test import Client

    def make(name: str) -> Client:
        c = Client()
        c.force_login(personas[name])
        return c

    return make
