"""Extension point: apps append callables `hook(say)` that add their demo data idempotently."""

from __future__ import annotations

from collections.abc import Callable

HOOKS: list[Callable[[Callable[[str], object]], None]] = []
