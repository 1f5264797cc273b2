"""`dudao serve [--port N]`: the app on the configured database, with waitress."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Dudao on the configured database (migrates first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        serve(options["host"], options["port"], options["threads"], self.stdout.write)


def serve(host: str, port: int, threads: int, say: Any) -> None:
    from waitress import serve as waitress_serve

    from dudao.wsgi import application

    say(f"督导整改台账已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
    waitress_serve(application, host=host, port=port, threads=threads, ident="dudao")
