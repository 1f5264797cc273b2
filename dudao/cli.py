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
from pathlib import Path

# command name -> "module:function" taking argv (without the command) and returning an exit code
PURE_COMMANDS: dict[str, str] = {
    "parse": "dudao.parser.cli:main",
    "synth": "dudao.engine.cli:synth_main",
    "evaluate": "dudao.engine.cli:evaluate_main",
}


# Django's commands that destroy or overwrite data, refused unless `--allow-destructive`
# comes first (`dudao --allow-destructive flush`). `dudao restore` is the safe way back from
# a backup (it refuses a database that holds data); `migrate` with a target migration can
# unapply migrations and drop tables.
DESTRUCTIVE: dict[str, str] = {
    "flush": "会删除数据库中的全部数据",
    "sqlflush": "输出删除全部数据的 SQL",
    "loaddata": "会覆盖数据库中编号相同的记录；请用 dudao restore 恢复备份",
    "reset_db": "会删除整个数据库",
    "testserver": "会在测试数据库上运行",
}
ALLOW_FLAG = "--allow-destructive"
ALLOCATOR = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:100,muzzy_decay_ms:0")
# What polars puts in the environment when it is imported, so that a child process started
# from a Python that uses polars inherits it: not a setting of the operator's.
POLARS_ALLOCATOR = "dirty_decay_ms:500,muzzy_decay_ms:1000"
LARGE_INPUT = 100 << 20  # bytes: five times the national school file


def _refusal(args: list[str]) -> str | None:
    name = args[0].replace("-", "_")
    if name in DESTRUCTIVE:
        return f"dudao {args[0]} {DESTRUCTIVE[name]}，已拒绝执行"
    if name == "migrate" and len(_positionals(args[1:])) > 1:
        return "dudao migrate 指定目标迁移可能回退迁移、删除数据表，已拒绝执行"
    return None


def _positionals(args: list[str]) -> list[str]:
    """`migrate`'s positional arguments (app label, migration), skipping option values."""
    found, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in {"--database", "--settings", "--pythonpath", "--verbosity", "-v"}:
            skip = True
        elif not arg.startswith("-"):
            found.append(arg)
    return found


def _large_input(args: list[str]) -> bool:
    """Whether a file named among `args` is over LARGE_INPUT bytes. polars' allocator
    (jemalloc) keeps freed pages for seconds, so a command reading such a file a batch at a
    time would still hold batches long checked; told to return them within 0.1 s
    (`_return_freed_memory`), `dudao evaluate` at ten times national scale peaks ~0.3 GB
    lower (1.27 GB, not 1.52 GB). The system calls that costs are not worth it for
    smaller files (at once, with 0 ms: 1.21 GB, but 7 s more of system time at ten times
    national scale, ~1 s at national scale)."""
    for arg in args:
        try:
            if Path(arg).stat().st_size > LARGE_INPUT:
                return True
        except (OSError, ValueError):
            continue
    return False


def _return_freed_memory() -> None:
    """Set `ALLOCATOR` for polars to read when it loads (it appends the environment's
    setting to its own, and the last one wins), unless the operator has set another."""
    name, setting = ALLOCATOR
    current = os.environ.get(name, "")
    if not current or current.startswith(POLARS_ALLOCATOR):
        os.environ[name] = f"{current},{setting}" if current else setting


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
    allow = bool(args) and args[0] == ALLOW_FLAG
    if allow:
        args = args[1:]
    refusal = None if allow or not args else _refusal(args)
    if refusal is not None:
        print(
            f"错误：{refusal}（确需执行时：dudao {ALLOW_FLAG} {' '.join(args)}）", file=sys.stderr
        )
        return 2
    if args and args[0] in PURE_COMMANDS:
        if "polars" not in sys.modules and _large_input(args[1:]):
            _return_freed_memory()
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
