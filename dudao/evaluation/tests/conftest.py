from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Iterator[Path]:
    """Uploaded data files go to a temporary folder; the parsed-table cache is emptied so
    one test's files never serve another's."""
    from dudao.evaluation import tables

    tables._CACHE.clear()
    with override_settings(
        # personas and the demo hash passwords; the fast hasher keeps setup short
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path)},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield tmp_path


@pytest.fixture
def stored_files(media: Path) -> Any:
    def files() -> list[Path]:
        return [p for p in media.rglob("*") if p.is_file()]

    return files
