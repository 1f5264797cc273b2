"""The console log handler."""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A StreamHandler writing to whatever sys.stderr is when a record is emitted, not the
    stream it was at start-up (as logging's own last-resort handler does). pytest replaces
    and closes sys.stderr around each test; a handler holding the first one printed
    "ValueError: I/O operation on closed file" for every warning a later test logged."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """The stream is always the current sys.stderr."""
