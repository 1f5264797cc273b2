"""The console log handler writes to the stderr of the moment (pytest swaps and closes it
around each test; a handler that kept the first one failed with "I/O operation on closed
file" on every later warning)."""

from __future__ import annotations

import logging

import pytest


@pytest.mark.parametrize("attempt", [1, 2])
def test_a_warning_reaches_the_current_stderr(
    capsys: pytest.CaptureFixture[str], attempt: int
) -> None:
    logging.getLogger("dudao.test").warning("告警第%d次", attempt)
    err = capsys.readouterr().err
    assert f"告警第{attempt}次" in err
    assert "Logging error" not in err
