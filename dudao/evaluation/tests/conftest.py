from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _empty_table_cache() -> None:
    """The parsed-table cache is emptied so one test's files never serve another's."""
    from dudao.evaluation import panel, tables

    tables._CACHE.clear()
    panel._EVALUATIONS.clear()
    panel._COUNTS.clear()


@pytest.fixture
def stored_files(media: Path) -> Any:
    def files() -> list[Path]:
        return [p for p in media.rglob("*") if p.is_file()]

    return files
