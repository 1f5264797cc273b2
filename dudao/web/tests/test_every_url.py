"""Every URL of the URL configuration × every persona × GET and POST.

The URLs are read from the resolver, so a new page is covered without anyone remembering
it: each URL name needs an entry in URLS below (which fixture object fills each of its
arguments, and whose object it is), and a URL without one fails the test.

What must hold, for every request: no 5xx; an anonymous visitor and a deactivated user are
sent to the login page (except on the few pages meant for them); the neighbouring county's
officer (`luobei`) gets 404/403 on every 绥滨县 object (405 for a GET of a POST-only
address, whatever the id), and no page it gets names 绥滨县; a viewer and the neighbour
write nothing (no audit row, no row anywhere, no stored file).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dudao.audit.models import AuditEvent
from dudao.evaluation.tests.helpers import run, upload_demo_year

pytestmark = pytest.mark.django_db

# URL name -> (argument -> fixture object key or "=literal", whose object).
# "suibin": an object of 绥滨县 that the neighbour must not reach; "shared": seen by every
# logged-in persona that works on the round (lists, forms, the round); "public": no login.
URLS: dict[str, tuple[dict[str, str], str]] = {
    "home": ({}, "shared"),
    "login": ({}, "public"),
    "logout": ({}, "public"),
    "minimal": ({}, "public"),
    "password-change": ({}, "shared"),
    "users": ({}, "shared"),
    "user": ({"user_id": "suibin_user"}, "suibin"),
    "user-active": ({"user_id": "suibin_user"}, "suibin"),
    "user-reset": ({"user_id": "suibin_user"}, "suibin"),
    "user-unlock": ({"user_id": "suibin_user"}, "suibin"),
    "user-email": ({"user_id": "suibin_user"}, "suibin"),
    "membership-role": (
        {"user_id": "suibin_user", "membership_id": "suibin_membership"},
        "suibin",
    ),
    "ledger": ({}, "shared"),
    "item": ({"item_id": "suibin_item"}, "suibin"),
    "item-edit": ({"item_id": "suibin_item"}, "suibin"),
    "item-progress": ({"item_id": "suibin_item"}, "suibin"),
    "item-evidence": ({"item_id": "suibin_item"}, "suibin"),
    "item-archive": ({"item_id": "suibin_item"}, "suibin"),
    "item-panels": ({"item_id": "suibin_item"}, "suibin"),
    "item-transition": ({"item_id": "suibin_item", "action": "=start"}, "suibin"),
    "evidence": ({"evidence_id": "suibin_evidence"}, "suibin"),
    "rounds": ({}, "shared"),
    "round-new": ({}, "shared"),
    "round": ({"round_id": "round"}, "shared"),
    "documents": ({}, "shared"),
    "document-new": ({}, "shared"),
    "document-download": ({"document_id": "suibin_document", "fmt": "=docx"}, "suibin"),
    "ledger-xlsx": ({}, "shared"),
    "ledger-xlsx-import": ({}, "shared"),
    "import-upload": ({}, "shared"),
    "import-preview": ({"token": "token"}, "suibin"),
    "import-done": ({"token": "token"}, "suibin"),
    "import-sheet": ({}, "shared"),
    "import-sheet-map": ({"token": "token"}, "suibin"),
    "import-sheet-done": ({"token": "token"}, "suibin"),
    "import-receive": ({"token": "token"}, "suibin"),
    "evaluation": ({}, "shared"),
    "evaluation-template": ({"kind": "=schools", "fmt": "=csv"}, "shared"),
    "evaluation-upload": ({}, "shared"),
    "evaluation-dataset": ({"dataset_id": "city_dataset"}, "suibin"),
    "evaluation-run-new": ({}, "shared"),
    "evaluation-run": ({"run_id": "run"}, "shared"),
    "evaluation-to-problems": ({"run_id": "run"}, "suibin"),
    "evaluation-county": ({"run_id": "run", "code": "suibin_code"}, "suibin"),
    "evaluation-thresholds": ({}, "shared"),
    "import-page": ({"token": "token", "number": "=1"}, "suibin"),
    "item-children": ({"item_id": "suibin_item"}, "suibin"),
    "item-review": ({"item_id": "suibin_item"}, "suibin"),
    "round-dispatch": ({"round_id": "round"}, "shared"),
    "round-reconciliation": ({"round_id": "round"}, "shared"),
    "supervision-overview": ({}, "shared"),
    "supervision-settings": ({}, "shared"),
    "inbox": ({}, "shared"),
    "inbox-read": ({}, "shared"),
    "notification-preferences": ({}, "shared"),
    "supervision-urge": ({}, "shared"),
    "supervision-duban": ({}, "shared"),
    "supervision-tongbao": ({}, "shared"),
    "supervision-interview": ({}, "shared"),
    "supervision-document": ({"document_id": "suibin_supervision_document"}, "suibin"),
    "supervision-document-pdf": ({"document_id": "suibin_supervision_document"}, "suibin"),
    "extension-request": ({"item_id": "suibin_item"}, "suibin"),
    "extension-decide": ({"extension_id": "suibin_extension"}, "suibin"),
    "ongoing-plan": ({"item_id": "suibin_item"}, "suibin"),
}

# Requests in this order: those who may write come last, so that what they change (a
# password reset, a deactivation) does not change what the others are tested with.
PERSONAS = [
    "anonymous",
    "deactivated",
    "viewer",
    "luobei",
    "nobody",
    "suibin",
    "hegang",
    "province",
]
READ_ONLY = {"anonymous", "deactivated", "viewer", "luobei", "nobody"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    args: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            converters = getattr(p.pattern, "converters", {})
            yield Route(p.name or "", prefix + str(p.pattern), tuple(converters))


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def test_every_url_has_an_entry_in_the_table() -> None:
    found = {r.name: r for r in routes()}
    assert "" not in found, "every URL pattern needs a name"
    missing = sorted(set(found) - set(URLS))
    assert missing == [], f"add these URL names to URLS in {Path(__file__).name}: {missing}"
    for name, (kwargs, _) in URLS.items():
        assert name in found, f"{name} is no longer a URL: remove it from URLS"
        assert set(kwargs) == set(found[name].args), name


@pytest.fixture
def objects(ledger: Any, personas: dict[str, Any], client_for: Any) -> dict[str, Any]:
    from dudao.documents.generation import document_defaults, document_generate, document_target
    from dudao.evaluation.models import Dataset
    from dudao.rectification.models import Evidence
    from dudao.rectification.services import today
    from dudao.regions.models import Region
    from dudao.supervision import services as supervision

    item = ledger.suibin_items[0]
    suibin = client_for("suibin")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    suibin.post(
        reverse("item-evidence", args=[item.pk]),
        {"file": SimpleUploadedFile("会议纪要.pdf", pdf), "description": "会议纪要"},
    )
    hegang = client_for("hegang")
    upload_demo_year(hegang, 2023)
    evaluation_run = run(hegang, 2023)
    target = document_target(personas["suibin"], ledger.round, item.region, "rectification")
    inputs = document_defaults(target, today=datetime.date(2024, 5, 28))
    document = document_generate(acting_user=personas["suibin"], target=target, inputs=inputs)
    item.refresh_from_db()
    extension = supervision.extension_request(
        acting_user=personas["suibin"],
        item=item,
        new_deadline=max(item.deadline or today(), today()) + datetime.timedelta(days=30),
        reason="需要补充佐证材料",
    )
    (duban,) = supervision.duban_issue(
        acting_user=personas["hegang"], items=[item], day=datetime.date(2025, 7, 1)
    )
    return {
        "suibin_extension": extension.pk,
        "suibin_supervision_document": duban.pk,
        "suibin_user": personas["suibin"].pk,
        "suibin_membership": personas["suibin"].memberships.get().pk,
        "suibin_item": item.pk,
        "suibin_evidence": Evidence.objects.get(item=item).pk,
        "suibin_document": document.pk,
        "suibin_code": Region.objects.get(code="230422").code,
        "round": ledger.round.pk,
        "token": uuid.uuid4().hex,
        "city_dataset": Dataset.objects.filter(region__code="230400").latest("id").pk,
        "run": evaluation_run.pk,
    }


def _text(response: Any) -> str:
    """The page's text; a download (a file, not a page) counts as none."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/"):
        return ""
    return str(response.content.decode(errors="replace"))


def _value(objects: dict[str, Any], key: str) -> Any:
    return key[1:] if key.startswith("=") else objects[key]


def _client(name: str, personas: dict[str, Any]) -> Client:
    client = Client(raise_request_exception=False)
    if name != "anonymous":
        client.force_login(personas[name])
    return client


def _fingerprint(media: Path) -> tuple[int, int, int]:
    rows = sum(
        m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "axes"}
        # one's own notification settings are not the ledger's data
        and m._meta.label != "supervision.Preference"
    )
    # A PDF converted on download is kept as a cache of the stored .docx, not as data.
    files = (
        sum(1 for p in media.rglob("*") if p.is_file() and p.parent.name != "pdf")
        if media.exists()
        else 0
    )
    # ... nor is the audit row that records a change of them
    own = AuditEvent.objects.filter(action="notification_preferences_set").count()
    return AuditEvent.objects.count() - own, rows - own, files


def test_every_url_for_every_persona(
    objects: dict[str, Any], personas: dict[str, Any], media: Path
) -> None:
    results: list[tuple[str, str, str, int]] = []
    failures: list[str] = []
    urls = {
        name: reverse(name, kwargs={k: _value(objects, v) for k, v in kwargs.items()})
        for name, (kwargs, _) in URLS.items()
    }
    for persona in PERSONAS:
        before = _fingerprint(media)
        client = _client(persona, personas)
        for name, (_, whose) in URLS.items():
            for method in ("get", "post"):
                if name == "logout" and persona != "anonymous":
                    continue  # tested on its own: it would end this persona's session
                response = getattr(client, method)(urls[name])
                status = response.status_code
                results.append((persona, name, method, status))
                where = f"{persona} {method.upper()} {urls[name]} -> {status}"
                if status >= 500:
                    failures.append(f"5xx: {where}")
                if persona in {"anonymous", "deactivated"} and whose != "public":
                    location = response.get("Location", "")
                    if status != 302 or not location.startswith("/accounts/login/"):
                        failures.append(f"not sent to login: {where}")
                # 405: a GET of a POST-only address, answered alike for any id
                refused = status in {403, 404, 405}
                if persona == "luobei" and whose == "suibin" and not refused:
                    failures.append(f"neighbour reached 绥滨县: {where}")
                if persona == "luobei" and "绥滨" in _text(response):
                    failures.append(f"neighbour's answer names 绥滨县: {where}")
        if persona in READ_ONLY and _fingerprint(media) != before:
            failures.append(f"{persona} changed data: {before} -> {_fingerprint(media)}")
    assert failures == [], "\n".join(failures)
    # every URL × 8 personas × GET and POST, less logout for the 7 logged-in personas
    assert len(results) == len(PERSONAS) * len(URLS) * 2 - (len(PERSONAS) - 1) * 2


def test_the_own_county_opens_its_own_objects(objects: dict[str, Any], client_for: Any) -> None:
    suibin = client_for("suibin")
    for name in ("item", "item-panels", "evidence", "document-download", "evaluation-county"):
        kwargs = {k: _value(objects, v) for k, v in URLS[name][0].items()}
        assert suibin.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_logout_ends_the_session(personas: dict[str, Any]) -> None:
    client = _client("suibin", personas)
    assert client.get(reverse("ledger")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("ledger")).status_code == 302
