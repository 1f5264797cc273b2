"""`dudao serve` starts the file readers' forkserver before it serves, so the first upload or
item panel after a start does not wait a second or more for it."""

from __future__ import annotations

import pytest

from dudao.lib import sandbox
from dudao.web.management.commands.serve import serve


def test_the_sandbox_is_warmed_before_the_server_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []

    class Server:
        def run(self) -> None:
            steps.append("run")

    monkeypatch.setattr(sandbox, "warm", lambda: steps.append("warm"))
    monkeypatch.setattr("waitress.server.create_server", lambda *a, **kw: Server())
    said: list[str] = []
    serve("127.0.0.1", 8765, 2, said.append)
    assert steps == ["warm", "run"]
    assert said == ["督导整改台账已启动：http://127.0.0.1:8765/  （按 Ctrl+C 停止）"]


def test_a_warm_sandbox_reads_at_once() -> None:
    sandbox.warm()
    assert sandbox.run(len, b"abc") == 3
