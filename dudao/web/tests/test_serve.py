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
