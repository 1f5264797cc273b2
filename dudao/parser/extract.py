"""Text out of file bytes. The type is read from the content (magic bytes, zip members),
because clerks rename files and portals serve .doc files named .docx."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from charset_normalizer import from_bytes

from dudao.lib import chars, sandbox
from dudao.lib.bounds import LimitError, ZipLimits, check_zip
from dudao.parser.errors import ParseError

# What one report may be: a 500-page PDF or a Word file of a million characters is already
# several times the longest 整改情况报告 seen; beyond that a file is refused, not truncated.
MAX_CHARS = 1_000_000
# A .docx is a zip of XML; python-docx parses all of it into memory (about ten times its
# size), so the XML it may unpack to is capped well below what a worker can hold.
DOCX_LIMITS = ZipLimits(members=2000, total=120 * 1024 * 1024, ratio=100, ratio_floor=5 << 20)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EMPTY = "文件为空（0 字节或只有空白），请确认上传的是正确的文件。"
_UNKNOWN = "无法识别的文件（{0}），请提供 Word（.docx）、PDF 或文本（.txt）格式的报告。"
_LEGACY_WORD = "这是旧版 Word/WPS 文件（.doc/.wps），请在 Word 或 WPS 中“另存为” .docx 后再导入。"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "title",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "td",
        "th",
    }
)


def extract_text(data: bytes, filename: str) -> str:
    """The text of a .txt, .docx, .pdf (with a text layer) or saved web page, read in a
    child process with memory and time limits (`dudao.lib.sandbox`).

    Raises ParseError, with a message saying what to do, for anything it cannot read,
    including a file beyond the limits (the message names the limit).
    """
    try:
        return sandbox.run(read_text, data, filename)
    except sandbox.LimitExceeded as exc:
        raise ParseError(exc.message) from exc


def read_text(data: bytes, filename: str) -> str:
    """extract_text in this process: the checks on the file's own structure (zip sizes,
    pages, characters) but no memory or time limit. For tests and the child process."""
    text = _read(data, filename)
    if len(text) > MAX_CHARS:
        raise ParseError(too_long())
    return chars.clean(text)


def too_long() -> str:
    return (
        f"文件的文字超过系统一次导入的上限（{MAX_CHARS}字）。"
        "请只导入整改情况报告或反馈意见的正文，或拆分后分批导入。"
    )


def _read(data: bytes, filename: str) -> str:
    if not data.strip():
        raise ParseError(_EMPTY)
    name = filename.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        from dudao.parser.pdf import pdf_text

        return _nonempty(pdf_text(data, MAX_CHARS))
    if data.startswith(_OLE2):
        if name.endswith((".xls", ".et")):
            raise ParseError(
                "这是旧版 Excel 文件（.xls），本功能只导入报告正文，请提供 Word 或 PDF 版。"
            )
        raise ParseError(_LEGACY_WORD)
    if data.startswith(b"PK\x03\x04"):
        return _nonempty(_zip_text(data))
    if data.startswith(b"{\\rtf"):
        raise ParseError("这是 RTF 文件，请在 Word 或 WPS 中“另存为” .docx 后再导入。")
    if data.startswith(_IMAGES):
        raise ParseError("这是图片文件，无法读取文字。请提供 Word 版或可复制文字的 PDF。")
    text = decode(data)
    if re.match(r"\s*(?:<!doctype html|<html|<\?xml[^>]*>\s*<html)", text[:500], re.IGNORECASE):
        text = html_text(text)
    return _nonempty(text)


def _nonempty(text: str) -> str:
    if not text.strip():
        raise ParseError(_EMPTY)
    return text


def _zip_text(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ParseError("文件已损坏，无法打开。请在 Word 中打开并重新保存后再导入。") from exc
    try:
        check_zip(data, DOCX_LIMITS)
    except LimitError as exc:
        raise ParseError(exc.message) from exc
    if "word/document.xml" in names:
        from dudao.parser.word import docx_text

        return docx_text(data, MAX_CHARS)
    if any(n.startswith("xl/") for n in names):
        raise ParseError("这是 Excel 文件，本功能只导入报告正文，请提供 Word 或 PDF 版。")
    if "content.xml" in names:
        raise ParseError("这是 OpenDocument/WPS 文件，请另存为 .docx 后再导入。")
    raise ParseError(_UNKNOWN.format("压缩包"))


def decode(data: bytes) -> str:
    """Text bytes in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ParseError(_UNKNOWN.format("二进制文件"))
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        text = data.decode(best.encoding, errors="replace")
        if _mostly_text(text):
            return text
    raise ParseError(_UNKNOWN.format("不是文本文件"))


def _mostly_text(text: str) -> bool:
    sample = text[:20_000]
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad <= len(sample) * 0.01


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def html_text(html: str) -> str:
    """The visible text of a saved web page, one block element per line."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
