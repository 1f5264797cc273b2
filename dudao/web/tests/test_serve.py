"""`dudao serve`: a busy port is a one-line error, not a traceback."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_serve_on_a_busy_port_says_so_in_one_line(capsys: Any) -> None:
    import socket

    from dudao.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit) as exc:
            main(["serve", "--port", str(port)])
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：无法在 127.0.0.1:") and "端口可能已被占用" in err


def test_serve_refuses_a_request_past_the_largest_upload_before_receiving_it(
    tmp_path: Any,
) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings

    from dudao.engine.sheet import MAX_BYTES

    assert settings.DUDAO_MAX_REQUEST_BYTES > MAX_BYTES  # the indicator data and its form
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DUDAO_VAR_DIR": str(tmp_path), "PYTHONPATH": str(root)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "dudao", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.3)
        with connection:
            # 1 GB announced, nothing sent: the answer comes at once
            connection.sendall(
                b"POST /evaluation/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\n"
                b"Content-Length: 1000000000\r\n\r\n"
            )
            connection.settimeout(10)
            answer = connection.recv(200)
        assert answer.startswith(b"HTTP/1.1 413")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_sandbox_is_warmed_before_the_server_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The readers' forkserver starts before serving, so the first upload or item panel
    after a start does not wait a second or more for it."""
    from dudao.lib import sandbox
    from dudao.web.management.commands.serve import serve

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
    from dudao.lib import sandbox

    sandbox.warm()
    assert sandbox.run(len, b"abc") == 3
