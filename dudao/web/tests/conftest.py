from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dudao.web.tests.browsing import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b
