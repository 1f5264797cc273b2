"""Evidence uploads: types checked by content, size limit, safe names, access to downloads."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from dudao.rectification import services
from dudao.rectification.errors import LedgerError
from dudao.rectification.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def upload(client: Any, item: Any, name: str, data: bytes) -> Any:
    return client.post(
        reverse("item-evidence", args=[item.pk]),
        {"file": SimpleUploadedFile(name, data), "description": "会议纪要"},
    )


@pytest.mark.parametrize(
    ("name", "data"), [("纪要.pdf", PDF), ("现场.png", PNG), ("方案.docx", None)]
)
def test_allowed_files_are_stored_under_a_generated_name_with_their_hash(
    ledger: Any, client_for: Any, media: Any, name: str, data: bytes | None
) -> None:
    content = data if data is not None else docx_bytes()
    item = ledger.suibin_items[0]
    assert upload(client_for("suibin"), item, name, content).status_code == 302
    evidence = Evidence.objects.get(item=item)
    assert evidence.original_name == name
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert name not in evidence.stored_name
    assert (media / evidence.stored_name).read_bytes() == content
    download = client_for("hegang").get(reverse("evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    # The neighbouring county cannot fetch it.
    assert client_for("luobei").get(reverse("evidence", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100, "文件内容与扩展名“.pdf”不符"),
        ("假的.docx", PDF, "文件内容与扩展名“.docx”不符"),
        ("程序.exe", b"MZ\x90\x00", "不支持的文件类型“.exe”"),
        ("空.pdf", b"", "文件是空的"),
        ("图.png", PDF, "文件内容与扩展名“.png”不符"),
    ],
)
def test_disguised_and_bad_files_are_refused(
    ledger: Any, client_for: Any, name: str, data: bytes, message: str
) -> None:
    item = ledger.suibin_items[0]
    response = upload(client_for("suibin"), item, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


@override_settings(DUDAO_EVIDENCE_MAX_BYTES=1024)
def test_oversize_files_are_refused(ledger: Any, client_for: Any) -> None:
    response = upload(client_for("suibin"), ledger.suibin_items[0], "大.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "a/b.pdf"])
def test_names_with_paths_are_refused_by_the_service(ledger: Any, personas: Any, name: str) -> None:
    f = SimpleUploadedFile("x.pdf", PDF)
    f._name = name  # type: ignore[attr-defined]  # bypass basename() to reach the service check
    with pytest.raises(LedgerError, match="文件名不能包含路径"):
        services.evidence_add(acting_user=personas["suibin"], item=ledger.suibin_items[0], upload=f)
    assert not Evidence.objects.exists()


def test_a_path_in_an_uploaded_name_never_escapes_storage(
    ledger: Any, client_for: Any, media: Any
) -> None:
    item = ledger.suibin_items[0]
    assert upload(client_for("suibin"), item, "../../evil.pdf", PDF).status_code == 302
    evidence = Evidence.objects.get()
    assert ".." not in evidence.stored_name and ".." not in evidence.original_name
    assert (media / evidence.stored_name).is_file()


def test_viewers_and_neighbours_cannot_upload(ledger: Any, client_for: Any) -> None:
    item = ledger.suibin_items[0]
    assert upload(client_for("viewer"), item, "a.pdf", PDF).status_code == 403
    assert upload(client_for("luobei"), item, "a.pdf", PDF).status_code == 404
    assert not Evidence.objects.exists()
