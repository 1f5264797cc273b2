"""Who sees what: every page with the named personas."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dudao.accounts import access
from dudao.rectification.models import Status

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(ledger: Any) -> None:
    client = Client()
    item = ledger.suibin_items[0]
    for url in [
        reverse("home"),
        reverse("ledger"),
        reverse("item", args=[item.pk]),
        reverse("rounds"),
        reverse("round", args=[ledger.round.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_login_with_a_wrong_password_says_so_in_chinese(personas: Any) -> None:
    response = Client().post(reverse("login"), {"username": "suibin", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    ok = Client().post(reverse("login"), {"username": "suibin", "password": "pw-suibin"})
    assert ok.status_code == 302


def test_the_neighbouring_county_sees_nothing_of_suibin(ledger: Any, client_for: Any) -> None:
    luobei = client_for("luobei")
    ledger_page = luobei.get(reverse("ledger")).content.decode()
    assert "萝北县" in ledger_page
    assert "绥滨县" not in ledger_page
    for item in ledger.suibin_items:
        assert luobei.get(reverse("item", args=[item.pk])).status_code == 404
        response = luobei.post(reverse("item-progress", args=[item.pk]), {"text": "冒充进展"})
        assert response.status_code == 404
    # Filtering by the neighbour's region code is refused as an invalid choice, not obeyed.
    filtered = luobei.get(reverse("ledger") + "?region=230422").content.decode()
    assert "绥滨县" not in filtered
    home = luobei.get(reverse("home")).content.decode()
    assert "绥滨县" not in home


def test_a_county_officer_sees_only_its_own_items(ledger: Any, client_for: Any) -> None:
    page = client_for("suibin").get(reverse("ledger")).content.decode()
    assert page.count("绥滨县教育局") == 2
    assert "萝北县教育局" not in page


def test_the_city_supervisor_sees_every_county(ledger: Any, client_for: Any) -> None:
    page = client_for("hegang").get(reverse("ledger")).content.decode()
    assert "绥滨县" in page and "萝北县" in page


def test_a_viewer_sees_but_cannot_change(ledger: Any, client_for: Any) -> None:
    viewer = client_for("viewer")
    item = ledger.suibin_items[0]
    page = viewer.get(reverse("item", args=[item.pk]))
    assert page.status_code == 200
    assert f'action="/ledger/items/{item.pk}/edit/"' not in page.content.decode()
    response = viewer.post(
        reverse("item-edit", args=[item.pk]), {"version": 1, "outcome": "只读用户的修改"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.outcome == ""


def test_a_user_without_membership_sees_an_empty_ledger(ledger: Any, client_for: Any) -> None:
    nobody = client_for("nobody")
    page = nobody.get(reverse("home")).content.decode()
    assert "您还没有被分配到任何地区" in page
    assert nobody.get(reverse("item", args=[ledger.suibin_items[0].pk])).status_code == 404
    assert nobody.get(reverse("round", args=[ledger.round.pk])).status_code == 404


def test_county_officers_cannot_manage_the_round(ledger: Any, client_for: Any) -> None:
    suibin = client_for("suibin")
    assert suibin.get(reverse("round", args=[ledger.round.pk])).status_code == 200
    response = suibin.post(
        reverse("round", args=[ledger.round.pk]), {"dimension": "校园安全", "statement": "新问题"}
    )
    assert response.status_code == 403
    assert ledger.round.problems.count() == 2
    assert suibin.get(reverse("round-new")).status_code == 403


def test_access_rules_at_the_function_level(ledger: Any, personas: Any) -> None:
    item = ledger.suibin_items[0]
    item.status = Status.SIGNOFF_REQUESTED
    expected = {
        # persona: (can edit, can sign off)
        "province": (True, True),
        "hegang": (True, True),
        "suibin": (True, False),
        "suibin_supervisor": (True, False),
        "luobei": (False, False),
        "viewer": (False, False),
        "nobody": (False, False),
    }
    for name, (edit, sign) in expected.items():
        user = personas[name]
        assert access.can_edit_item(user, item) is edit, name
        assert access.can_sign_off(user, item) is sign, name


def test_evaluation_access_rules(regions: Any, personas: Any) -> None:
    suibin, city, province = regions["230422"], regions["230400"], regions["230000"]
    expected = {
        # persona: (upload for 绥滨县, run for 鹤岗市, thresholds for 鹤岗市, for the province)
        "province": (True, True, True, True),
        "hegang": (True, True, True, False),
        "suibin": (True, False, False, False),
        "suibin_supervisor": (True, False, False, False),
        "luobei": (False, False, False, False),
        "viewer": (False, False, False, False),
        "nobody": (False, False, False, False),
    }
    for name, (upload, run, city_thresholds, province_thresholds) in expected.items():
        user = personas[name]
        assert access.can_upload_data_for(user, suibin) is upload, name
        assert access.can_run_evaluation_for(user, city) is run, name
        assert access.can_set_thresholds(user, city) is city_thresholds, name
        assert access.can_set_thresholds(user, province) is province_thresholds, name
    # Thresholds are set for a province or a city, never for a county.
    assert access.can_set_thresholds(personas["province"], suibin) is False
    codes = set(
        access.regions_user_can_upload_for(personas["suibin"]).values_list("code", flat=True)
    )
    assert codes == {"230422"}


def test_waiting_for_my_sign_off_follows_the_sign_off_rule(
    ledger: Any, personas: Any, client_for: Any
) -> None:
    from dudao.rectification.models import Item

    item = ledger.suibin_items[0]
    Item.objects.filter(pk=item.pk).update(status=Status.SIGNOFF_REQUESTED)
    item.refresh_from_db()
    for name, user in personas.items():
        listed = set(access.items_user_can_sign_off(user).values_list("pk", flat=True))
        assert (item.pk in listed) is access.can_sign_off(user, item), name
    assert "待我销号" in client_for("hegang").get(reverse("home")).content.decode()
    assert "待我销号" not in client_for("suibin_supervisor").get(reverse("home")).content.decode()
