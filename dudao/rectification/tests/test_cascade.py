"""Items that cascade: the city passes the province's problems on to its counties and its
own departments, signs the counties off one level at a time, and asks the province for
sign-off only when every child is done."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from dudao.audit.models import AuditEvent
from dudao.rectification import services
from dudao.rectification.errors import LedgerError, NotAllowed
from dudao.rectification.models import Item, Status

pytestmark = pytest.mark.django_db


def fresh(item: Item) -> Item:
    item.refresh_from_db()
    return item


def finish(item: Item, officer: Any, outcome: str = "已完成整改。") -> Item:
    services.item_update(
        acting_user=officer, item=fresh(item), expected_version=item.version, outcome=outcome
    )
    services.item_start(acting_user=officer, item=fresh(item), expected_version=item.version)
    return services.item_request_signoff(
        acting_user=officer, item=fresh(item), expected_version=item.version
    )


def test_a_dispatched_child_is_a_full_item_of_the_same_problem(chain: Any) -> None:
    child = chain.suibin_items[0]
    parent = chain.city_items[0]
    assert child.parent_id == parent.pk
    assert child.problem_id == parent.problem_id
    assert child.region.code == "230422"
    assert child.deadline == datetime.date(2024, 6, 30)
    assert chain.luobei_items[0].deadline == parent.deadline  # defaults to the parent's
    assert fresh(parent).status == Status.IN_PROGRESS  # dispatching starts the parent
    events = AuditEvent.objects.filter(item=child).values_list("action", flat=True)
    assert list(events) == ["item_dispatch"]
    assert AuditEvent.objects.filter(item=parent, action="item_dispatch").count() == 2


def test_it_refuses_a_child_deadline_after_the_parents(
    chain: Any, personas: Any, regions: Any
) -> None:
    with pytest.raises(LedgerError, match="不能晚于本任务的时限"):
        services.item_dispatch(
            acting_user=personas["hegang"],
            item=chain.city_items[0],
            regions=[regions["230402"]],
            deadline=datetime.date(2025, 1, 1),
        )
    child = chain.suibin_items[0]
    with pytest.raises(LedgerError, match="不能晚于上级任务的时限"):
        services.item_update(
            acting_user=personas["suibin"],
            item=child,
            expected_version=child.version,
            deadline=datetime.date(2025, 1, 1),
        )
    parent = fresh(chain.city_items[0])
    with pytest.raises(LedgerError, match="不能早于已下发任务的最晚时限"):
        services.item_update(
            acting_user=personas["hegang"],
            item=parent,
            expected_version=parent.version,
            deadline=datetime.date(2024, 3, 1),
        )
    assert not Item.objects.filter(region__code="230402").exists()


def test_only_the_holder_dispatches_and_only_one_level_down(
    chain: Any, personas: Any, regions: Any
) -> None:
    parent = chain.city_items[0]
    with pytest.raises(NotAllowed):  # the province does not hold the city's item
        services.item_dispatch(
            acting_user=personas["province"], item=parent, regions=[regions["230402"]]
        )
    with pytest.raises(NotAllowed, match="直属下级地区"):  # the province is not below
        services.item_dispatch(
            acting_user=personas["hegang"], item=parent, regions=[regions["230000"]]
        )
    with pytest.raises(NotAllowed):  # a county cannot take another county's item
        services.item_dispatch(
            acting_user=personas["luobei"], item=chain.suibin_items[0], units=["萝北县教育局"]
        )


def test_the_city_dispatches_to_its_own_departments(chain: Any, personas: Any) -> None:
    parent = chain.city_items[1]
    created = services.item_dispatch(
        acting_user=personas["hegang"], item=parent, units=["市教育局、市人社局", "市教育局"]
    )
    assert [(c.region.code, c.unit, c.lead_unit) for c in created] == [
        ("230400", "市教育局", "市教育局"),
        ("230400", "市人社局", "市人社局"),
    ]
    again = services.item_dispatch(acting_user=personas["hegang"], item=parent, units=["市教育局"])
    assert again == []
    with pytest.raises(NotAllowed):  # a department's item is not split further
        services.item_dispatch(acting_user=personas["hegang"], item=created[0], units=["科室"])


def test_the_dispatching_level_signs_off_its_children_and_no_one_else(
    chain: Any, personas: Any
) -> None:
    child = finish(chain.suibin_items[0], personas["suibin"])
    with pytest.raises(NotAllowed):  # the province is two levels up
        services.item_sign_off(
            acting_user=personas["province"], item=fresh(child), expected_version=child.version
        )
    with pytest.raises(NotAllowed):  # the county's own office
        services.item_sign_off(
            acting_user=personas["suibin_supervisor"],
            item=fresh(child),
            expected_version=child.version,
        )
    services.item_send_back(
        acting_user=personas["hegang"],
        item=fresh(child),
        expected_version=child.version,
        reason="请补充佐证材料。",
    )
    assert fresh(child).status == Status.IN_PROGRESS


def test_a_parent_asks_for_sign_off_only_when_every_child_is_done(
    chain: Any, personas: Any
) -> None:
    hegang, province = personas["hegang"], personas["province"]
    parent = chain.city_items[0]
    services.item_update(
        acting_user=hegang,
        item=fresh(parent),
        expected_version=parent.version,
        outcome="全市完成。",
    )
    with pytest.raises(LedgerError, match="萝北县（未开始）、绥滨县（未开始）"):
        services.item_request_signoff(
            acting_user=hegang, item=fresh(parent), expected_version=parent.version
        )
    suibin = finish(chain.suibin_items[0], personas["suibin"])
    services.item_sign_off(acting_user=hegang, item=suibin, expected_version=suibin.version)
    luobei = chain.luobei_items[0]
    services.item_mark_ongoing(
        acting_user=personas["luobei"], item=fresh(luobei), expected_version=luobei.version
    )
    with pytest.raises(LedgerError, match="萝北县（长期坚持）"):  # ongoing, but no reason
        services.item_request_signoff(
            acting_user=hegang, item=fresh(parent), expected_version=parent.version
        )
    services.item_resume(
        acting_user=personas["luobei"], item=fresh(luobei), expected_version=luobei.version
    )
    services.item_mark_ongoing(
        acting_user=personas["luobei"],
        item=fresh(luobei),
        expected_version=luobei.version,
        note="城乡学校布局调整需三年完成。",
    )
    services.item_request_signoff(
        acting_user=hegang, item=fresh(parent), expected_version=parent.version
    )
    with pytest.raises(NotAllowed):  # the city does not sign off its own item
        services.item_sign_off(
            acting_user=hegang, item=fresh(parent), expected_version=parent.version
        )
    services.item_sign_off(
        acting_user=province, item=fresh(parent), expected_version=parent.version
    )
    assert fresh(parent).status == Status.SIGNED_OFF


def test_the_children_page_shows_their_progress_and_dispatches(
    chain: Any, client_for: Any, regions: Any
) -> None:
    hegang = client_for("hegang")
    parent = chain.city_items[0]
    page = hegang.get(reverse("item-children", args=[parent.pk])).content.decode()
    assert "下发的整改任务（2 项）" in page
    assert "绥滨县" in page and "萝北县" in page
    response = hegang.post(
        reverse("item-children", args=[parent.pk]),
        {"items": [str(parent.pk)], "regions": ["230402"], "units": "", "deadline": ""},
    )
    assert response.status_code == 302
    assert Item.objects.filter(parent=parent, region__code="230402").exists()
    bad = hegang.post(
        reverse("item-children", args=[parent.pk]),
        {"items": [str(parent.pk)], "deadline": "2030-01-01"},
    )
    assert bad.status_code == 400
    assert "请至少选择一个下级地区或填写一个部门" in bad.content.decode()


def test_a_county_sees_its_child_but_not_the_neighbours(chain: Any, client_for: Any) -> None:
    suibin = client_for("suibin")
    own = chain.suibin_items[0]
    assert suibin.get(reverse("item-children", args=[own.pk])).status_code == 200
    assert suibin.get(reverse("item-children", args=[chain.luobei_items[0].pk])).status_code == 404
    assert suibin.get(reverse("item-children", args=[chain.city_items[0].pk])).status_code == 404
    luobei = client_for("luobei")
    assert luobei.get(reverse("item-children", args=[own.pk])).status_code == 404
    # the county may pass its own item on to its departments, not the neighbour's
    response = suibin.post(
        reverse("item-children", args=[own.pk]), {"items": [str(own.pk)], "units": "县教育局"}
    )
    assert response.status_code == 302
    response = luobei.post(
        reverse("item-children", args=[own.pk]), {"items": [str(own.pk)], "units": "县教育局"}
    )
    assert response.status_code == 404


def test_the_round_page_dispatches_many_items_at_once(
    chain: Any, client_for: Any, regions: Any
) -> None:
    hegang = client_for("hegang")
    url = reverse("round-dispatch", args=[chain.round.pk])
    assert "分解下发" in hegang.get(reverse("round", args=[chain.round.pk])).content.decode()
    response = hegang.post(
        url,
        {
            "items": [str(i.pk) for i in chain.city_items],
            "regions": ["230402", "230403"],
            "deadline": "2024-09-30",
            "lead_unit": "区教育局",
        },
    )
    assert response.status_code == 302
    made = Item.objects.filter(parent__in=chain.city_items, region__code__in=["230402", "230403"])
    assert made.count() == 4
    assert {i.deadline for i in made} == {datetime.date(2024, 9, 30)}
    assert client_for("viewer").get(url).status_code == 403  # holds nothing


def test_the_item_page_links_the_chain_and_takes_the_ongoing_reason(
    chain: Any, client_for: Any
) -> None:
    parent, child = chain.city_items[0], chain.suibin_items[0]
    city_page = client_for("hegang").get(reverse("item", args=[parent.pk])).content.decode()
    assert "已下发 2 项，已销号 0 项" in city_page
    county = client_for("suibin")
    page = county.get(reverse("item", args=[child.pk])).content.decode()
    assert "上级任务" not in page  # the county does not see the city's item
    county.post(
        reverse("item-transition", args=[child.pk, "start"]), {"version": fresh(child).version}
    )
    response = county.post(
        reverse("item-transition", args=[child.pk, "mark_ongoing"]),
        {"version": fresh(child).version, "note": "需三年完成。"},
    )
    assert response.status_code == 302
    assert (
        "长期坚持理由（上级任务申请销号时需要）"
        not in county.get(reverse("item", args=[child.pk])).content.decode()
    )  # ongoing now: the button is gone
    assert fresh(child).ongoing_reason == "需三年完成。"
    hegang_page = client_for("hegang").get(reverse("item", args=[child.pk])).content.decode()
    assert "上级任务（鹤岗市）" in hegang_page and "长期坚持理由：需三年完成。" in hegang_page


def test_a_parent_draws_its_outcome_from_its_children_when_asking_for_sign_off(
    chain: Any, personas: Any
) -> None:
    """The city need not retype what its counties reported; with nothing to draw on, it
    must still write an outcome of its own."""
    hegang, province = personas["hegang"], personas["province"]
    parent = chain.city_items[0]  # 整改中 since it was dispatched
    for child, officer in ((chain.suibin_items[0], "suibin"), (chain.luobei_items[0], "luobei")):
        services.item_mark_ongoing(
            acting_user=personas[officer], item=fresh(child), expected_version=child.version,
            note="需长期坚持。",
        )  # fmt: skip
    with pytest.raises(LedgerError, match="申请销号前请先填写整改情况"):
        services.item_request_signoff(
            acting_user=hegang, item=fresh(parent), expected_version=parent.version
        )
    suibin = chain.suibin_items[0]
    services.item_resume(
        acting_user=personas["suibin"], item=fresh(suibin), expected_version=suibin.version
    )
    suibin = services.item_request_signoff(
        acting_user=personas["suibin"],
        item=finish_outcome(suibin, personas["suibin"]),
        expected_version=suibin.version,
    )
    services.item_sign_off(acting_user=hegang, item=suibin, expected_version=suibin.version)
    services.item_request_signoff(
        acting_user=hegang, item=fresh(parent), expected_version=parent.version
    )
    services.item_sign_off(
        acting_user=province, item=fresh(parent), expected_version=parent.version
    )
    assert fresh(parent).status == Status.SIGNED_OFF and fresh(parent).outcome == ""


def finish_outcome(item: Item, officer: Any) -> Item:
    services.item_update(
        acting_user=officer, item=fresh(item), expected_version=item.version,
        outcome="全县学校接入教育专网。",
    )  # fmt: skip
    return fresh(item)
