"""Text in is text out: every form cleans what it is sent and limits long texts, and text
saved before that (or written around the forms) can no longer stop a document or an
Excel export from being written."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from docx import Document

import dudao
from dudao.documents.models import OfficialDocument
from dudao.documents.tests.test_generate import _download, _post, sample
from dudao.lib.chars import MAX_LONG_TEXT
from dudao.lib.forms import CleanForm
from dudao.rectification.models import Item

__all__ = ["sample"]  # the fixture, shared with test_generate

CONTROLS = "\x00\x01\x08\x1f\ufffe"  # \f and \v become a space (see dudao.lib.chars)


def _project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for info in pkgutil.walk_packages(dudao.__path__, "dudao."):
        if not info.name.rsplit(".", 1)[-1].startswith("forms"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_form_in_the_project_cleans_its_text() -> None:
    found = _project_forms()
    assert len(found) > 15  # the search itself works
    assert [f.__qualname__ for f in found if not issubclass(f, CleanForm)] == []


@pytest.mark.django_db
def test_control_characters_typed_into_an_item_are_not_saved(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    response = client_for("suibin").post(
        reverse("item-edit", args=[item.pk]),
        {
            "version": item.version,
            "outcome": f"已完成{CONTROLS}整改\r\n第二段",
            "lead_unit": f"绥滨县{CONTROLS}教育局",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "已完成整改\r\n第二段" and item.lead_unit == "绥滨县教育局"


@pytest.mark.django_db
def test_an_outcome_longer_than_every_output_holds_is_refused(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    response = client_for("suibin").post(
        reverse("item-edit", args=[item.pk]),
        {"version": item.version, "outcome": "长" * (MAX_LONG_TEXT + 1)},
    )
    assert response.status_code == 400
    assert f"不超过 {MAX_LONG_TEXT} 字符" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == ""


@pytest.mark.django_db
def test_documents_are_written_from_rows_saved_with_control_characters(
    sample: Any, client_for: Any
) -> None:
    # rows as they could be saved before inputs were cleaned
    Item.objects.filter(region__code="230422").update(
        outcome="已完成\x01整改", lead_unit="绥滨县\x02教育局"
    )
    hegang = client_for("hegang")
    for region, kind in (
        ("230422", "rectification"),
        ("230422", "feedback"),
        ("230400", "summary"),
    ):
        assert _post(hegang, sample, region, kind).status_code == 302, kind
    for document in OfficialDocument.objects.all():
        body = Document(io.BytesIO(_download(hegang, document)))
        text = "\n".join(p.text for p in body.paragraphs)
        text += "".join(c.text for t in body.tables for r in t.rows for c in r.cells)
        assert "\x01" not in text and "\x02" not in text
        assert "已完成整改" in text or "绥滨县教育局" in text


@pytest.mark.django_db
def test_the_city_export_names_the_item_whose_outcome_overflows_a_cell(
    sample: Any, client_for: Any
) -> None:
    item = Item.objects.filter(region__code="230422").order_by("pk").first()
    assert item is not None
    Item.objects.filter(pk=item.pk).update(outcome="长" * 40_000)  # saved around the form
    response = client_for("hegang").get(reverse("ledger-xlsx"))
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"系统编号 {item.pk}" in m and "“整改情况”" in m for m in shown), shown


def test_a_nul_refused_by_a_django_field_says_what_is_wrong() -> None:
    # forms that are not CleanForms (Django's own login form, say) refuse a NUL with
    # Django's message, whose Chinese read "empty strings are not allowed"
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as caught:
        forms.CharField().clean("suibin\x00")
    assert "不能含有空字符" in caught.value.messages[0]
    assert "空字符串" not in caught.value.messages[0]
