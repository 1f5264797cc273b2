"""Uploads waiting between the steps of an import (upload → check → confirm): the file
under default_storage `imports/pending/<uuid>`, what the next steps need in the session,
under a token that names it in the step's URL. Files left behind are forgotten after a
while (`forget_stale`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest

from dudao.lib.files import forget_stale, store_file

PENDING_DIR = "imports/pending"
GONE = "此导入已完成或已过期，请重新上传文件"


class PendingUploads:
    """The pending uploads of one kind of import, kept in the session under `key`."""

    def __init__(self, key: str) -> None:
        self.key = key

    def keep(self, request: HttpRequest, data: bytes, **entry: Any) -> str:
        """Store `data` and `entry` (JSON-able); returns the token that names them."""
        forget_stale(PENDING_DIR)
        token = uuid.uuid4().hex
        pending = request.session.get(self.key, {})
        pending[token] = {"stored": store_file(PENDING_DIR, data, "").name, **entry}
        request.session[self.key] = pending
        return token

    def get(self, request: HttpRequest, token: str) -> dict[str, Any]:
        found: dict[str, Any] | None = request.session.get(self.key, {}).get(token)
        if found is None:
            raise Http404(GONE)
        return found

    def read(self, entry: dict[str, Any]) -> bytes:
        """The stored file of `entry` (404 when it was taken away meanwhile)."""
        try:
            with default_storage.open(entry["stored"], "rb") as handle:
                data: bytes = handle.read()
        except FileNotFoundError as exc:
            raise Http404(GONE) from exc
        return data

    def drop(self, request: HttpRequest, token: str) -> None:
        pending = request.session.get(self.key, {})
        entry = pending.pop(token, None)
        request.session[self.key] = pending
        if entry is not None:
            default_storage.delete(entry["stored"])
