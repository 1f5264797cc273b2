"""Storing a user's file: under a generated name (never the name the user gave it), with
its SHA-256, in the configured Django storage."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int


def store_file(folder: str, data: bytes, extension: str) -> StoredFile:
    """Save `data` as `folder/<random>.<extension>` and say where and what it is."""
    suffix = f".{extension.lstrip('.')}" if extension else ""
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(data))
    return StoredFile(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
