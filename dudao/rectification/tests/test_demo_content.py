"""The demo's ledger reads like a real one: measures filled in, progress in different words."""

from __future__ import annotations

import pytest

from dudao.rectification.demo import seed_demo
from dudao.rectification.models import Item, Progress

pytestmark = pytest.mark.django_db


def test_the_demo_items_carry_measures_and_varied_progress() -> None:
    seed_demo("pw")
    suibin = Item.objects.filter(region__code="230422")
    assert suibin.count() == 15
    assert all(item.measures.strip() for item in suibin)
    assert len({item.measures for item in suibin}) == 15
    texts = Progress.objects.filter(item__region__code="230422").values_list("text", flat=True)
    assert len(set(texts)) >= 5
    other = Item.objects.exclude(region__code="230422").exclude(measures="")
    assert other.exists() and all("我县" not in item.measures for item in other)
