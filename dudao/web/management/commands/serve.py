"""`dudao serve [--port N]`: the app on the configured database, with waitress."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from dudao.lib.command import DudaoCommand


class Command(DudaoCommand):
    help = "Serve Dudao on the configured database (migrates first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        serve(options["host"], options["port"], options["threads"], self.stdout.write)


def serve(host: str, port: int, threads: int, say: Any) -> None:
    from django.conf import settings
    from waitress.server import create_server

    from dudao.wsgi import application

    try:
        server = create_server(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="dudao",
            max_request_body_size=settings.DUDAO_MAX_REQUEST_BYTES,
        )
    except OSError as exc:
        raise CommandError(
            f"无法在 {host}:{port} 启动（{exc.strerror}）："
            "端口可能已被占用，请用 --port 指定其他端口"
        ) from exc
    from dudao.lib import sandbox

    sandbox.warm()  # from this single-threaded process, before waitress starts its threads
    say(f"督导整改台账已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
    try:
        server.run()
    except KeyboardInterrupt:
        say("已停止")
