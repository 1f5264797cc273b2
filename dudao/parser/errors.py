"""The parser's one public exception."""

from __future__ import annotations


class ParseError(Exception):
    """The file cannot be read. `message` is Simplified Chinese and tells the clerk what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoTextLayer(ParseError):
    """A PDF without a text layer (a scan): ocr.extract_with_ocr reads it through OCR."""
