"""Storing a user's file: under a generated name (never the name the user gave it), with
its SHA-256, in the configured Django storage."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

# Files left by a preview that was never confirmed are removed after this long.
PENDING_MAX_AGE = datetime.timedelta(days=2)


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


def forget_stale(folder: str, max_age: datetime.timedelta = PENDING_MAX_AGE) -> None:
    """Delete the files in `folder` older than `max_age`: uploads kept for a preview that
    was never confirmed (temporary copies, not records; those are never deleted)."""
    cutoff = timezone.now() - max_age
    try:
        _, names = default_storage.listdir(folder)
        for name in names:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        pass  # nothing kept yet, or a storage that cannot list: the files just stay
