"""The `dudao` console command.

Pure commands (`parse`, `synth`, `evaluate`) run without Django so they start fast; every
other command is a Django management command run against the configured database
(`DATABASE_URL`, or the embedded SQLite file by default).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

# command name -> "module:function" taking argv (without the command) and returning an exit code
PURE_COMMANDS: dict[str, str] = {
    "parse": "dudao.parser.cli:main",
    "synth": "dudao.engine.cli:synth_main",
    "evaluate": "dudao.engine.cli:evaluate_main",
}


def _load(target: str) -> Callable[[Sequence[str]], int]:
    module_name, _, func_name = target.partition(":")
    func: Callable[[Sequence[str]], int] = getattr(importlib.import_module(module_name), func_name)
    return func


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # The reader went away (`dudao parse … | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(args: list[str]) -> int:
    if args and args[0] in PURE_COMMANDS:
        return _load(PURE_COMMANDS[args[0]])(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dudao.settings")
    from django.core.management import execute_from_command_line

    if args:
        # `dudao import-report` -> management command `import_report`
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["dudao", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
