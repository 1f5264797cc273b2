"""The writers' one public exception."""

from __future__ import annotations


class WriterError(Exception):
    """A document cannot be written or a ledger file cannot be read as a whole.

    `message` is Simplified Chinese and tells the clerk what to do.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
