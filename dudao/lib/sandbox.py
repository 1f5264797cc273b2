"""Run a file reader in a child process with an address-space, CPU and wall-clock limit.

Every uploaded or imported file (report, ledger, indicator data) is read here: a hostile
file that slips past the readers' own checks can then only exhaust the child, which the
kernel stops (RLIMIT_AS makes allocations fail, RLIMIT_CPU sends SIGXCPU) or the parent
kills after the wall-clock limit; the server process never grows, and whatever memory a
large legitimate file took is returned to the system when the child exits.

Children are forked from a forkserver (started once per process, with the readers
imported) rather than from the caller: the caller is a multi-threaded web server, and a
fork of a threaded process can inherit locks held by other threads. Forking from the
single-threaded server costs a few milliseconds, against the half-second an interpreter
takes to start and import pdfminer, python-docx and calamine.

Pure Python, no Django. See docs/architecture.md, "Reading hostile files".
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing import forkserver, popen_forkserver, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import reduction, set_spawning_popen  # type: ignore[attr-defined]
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")
Progress = Callable[[int, int], None]

# Defaults sized for the largest legitimate file: a national ledger of 200,000 rows or
# school data of 300,000 schools reads in under 1.5 GB and well under a minute.
MEMORY_MB = int(os.environ.get("DUDAO_READ_MEMORY_MB", "2048"))
SECONDS = int(os.environ.get("DUDAO_READ_SECONDS", "60"))
# What the forkserver imports once, so that each child starts with them loaded.
PRELOAD = ["dudao.parser.pdf", "dudao.parser.word", "dudao.writers.reader", "dudao.engine.sheet"]


class _Popen(popen_forkserver.Popen):
    """The forkserver's Popen, minus one step: the child does not import the caller's
    __main__ (the web server, pytest, a script on stdin) before running the reader. The
    body is the standard library's (Python 3.11-3.13) with those two keys dropped."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        _parent_w = os.dup(w)
        close = util.close_fds  # type: ignore[attr-defined]
        self.finalizer = util.Finalize(self, close, (_parent_w, self.sentinel))
        with os.fdopen(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(BaseProcess):
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:
        return _Popen(process_obj)


_started = False


class LimitExceeded(Exception):
    """The child ran out of memory or time. `message` is Chinese and names the limit."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind  # "memory" or "time"


def memory_message(mb: int) -> str:
    return (
        f"文件过大或结构异常，读取时超出系统的内存上限（{mb} MB），已停止读取。"
        "请检查文件来源，或拆分后分批上传。"
    )


def time_message(seconds: int) -> str:
    return (
        f"文件过大或结构异常，读取超过系统的时间上限（{seconds} 秒），已停止读取。"
        "请检查文件来源，或拆分后分批上传。"
    )


def _preload() -> None:
    global _started
    if not _started:
        forkserver.set_forkserver_preload(PRELOAD)
        _started = True


def warm() -> None:
    """Start the forkserver and its preloaded readers now (a second or more on a busy host),
    so that the first upload or item panel after a server starts does not wait for it."""
    run(len, b"", seconds=max(SECONDS, 60))


def run(
    func: Callable[..., T],
    *args: Any,
    progress: Progress | None = None,
    memory_mb: int | None = None,
    seconds: int | None = None,
) -> T:
    """`func(*args)` computed in a limited child process; its result (or the exception it
    raised, re-raised here) comes back pickled. When `progress` is given, `func` receives
    a progress callback as its last argument whose calls are forwarded to `progress`.

    Raises LimitExceeded when the child runs out of memory or time.
    """
    mb = memory_mb or MEMORY_MB
    memory = mb << 20
    limit = seconds or SECONDS
    _preload()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = _Process(
        target=_child, args=(sender, func, args, progress is not None, memory, limit), daemon=True
    )
    child.start()
    sender.close()
    deadline = time.monotonic() + limit
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not receiver.poll(left):
                raise LimitExceeded(time_message(limit), kind="time")
            try:
                kind, *payload = receiver.recv()
            except (EOFError, OSError):
                break  # the child died without a word: killed by a limit
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
                continue
            if kind == "result":
                return payload[0]  # type: ignore[no-any-return]
            if kind == "memory":
                raise LimitExceeded(memory_message(mb), kind="memory")
            raise payload[0]
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if child.exitcode == -signal.SIGXCPU:
        raise LimitExceeded(time_message(limit), kind="time")
    # SIGABRT (Rust's "memory allocation failed"), SIGKILL, SIGSEGV …: out of memory
    raise LimitExceeded(memory_message(mb), kind="memory")


def _child(
    conn: Connection,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    with_progress: bool,
    memory: int,
    seconds: int,
) -> None:
    os.environ["POLARS_MAX_THREADS"] = "1"  # each thread reserves address space
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    if with_progress:
        args = (*args, lambda done, total: conn.send(("progress", done, total)))
    try:
        result = func(*args)
    except MemoryError:
        conn.send(("memory",))
        return
    except Exception as error:  # re-raised in the parent, whatever the core's type
        try:
            conn.send(("error", error))
        except Exception:  # an exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        return
    try:
        conn.send(("result", result))
    except MemoryError:
        conn.send(("memory",))
