"""Text of a scanned PDF (no text layer) through OCR: Tesseract with its Simplified Chinese
model (Debian packages tesseract-ocr and tesseract-ocr-chi-sim; nothing is downloaded at run
time). Why Tesseract: docs/architecture.md, "Scanned letters: OCR".

Each page is rendered with pdfium (pypdfium2) at 150 dpi in grey and read by one
`tesseract` process with a time limit, so a hostile scan costs bounded time and memory and
never the server process. Tesseract writes spaces between Chinese characters; they are
removed the way stray spaces are everywhere else (text.Repaired).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from dudao.parser.errors import NoTextLayer, ParseError
from dudao.parser.extract import extract_text
from dudao.parser.text import Repaired

DPI = 150
MAX_PAGES = 30
MAX_SIDE = 2600  # pixels: an oversized page is rendered smaller, not larger than A4 at 220 dpi
PAGE_TIMEOUT = 90  # seconds for one page
LANGUAGE = "chi_sim"

_NO_ENGINE = (
    "PDF 没有文字层（可能是扫描件或图片），本机未安装文字识别引擎（tesseract-ocr-chi-sim），"
    "请提供 Word 版或可复制文字的 PDF。"
)
_NOTHING = (
    "PDF 没有文字层（可能是扫描件或图片），文字识别也未读出文字。"
    "请提供更清晰的扫描件、Word 版或可复制文字的 PDF。"
)
_TOO_LONG = "扫描件超过 {0} 页，无法逐页识别。请拆分后导入，或提供 Word 版。"
_FAILED = "PDF 没有文字层，文字识别失败（第 {0} 页）。请提供更清晰的扫描件或 Word 版。"


@dataclass(frozen=True)
class OcrText:
    text: str
    pages: int  # pages read through OCR; 0 when the file had text of its own


def extract_with_ocr(data: bytes, filename: str) -> OcrText:
    """extract_text, and OCR for a PDF without a text layer."""
    try:
        return OcrText(extract_text(data, filename), 0)
    except NoTextLayer:
        return ocr_pdf(data)


def available() -> bool:
    """Whether the engine and its Chinese model are installed."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    listed = subprocess.run(
        [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    return LANGUAGE in listed.stdout.split()


def page_count(data: bytes) -> int:
    try:
        return len(pdfium.PdfDocument(data))
    except pdfium.PdfiumError as exc:
        raise ParseError("PDF 文件已损坏，无法打开。请重新导出 PDF 或提供 Word 版。") from exc


def page_image(data: bytes, number: int) -> bytes:
    """Page `number` (from 1) of a PDF as a grey PNG at DPI, as OCR sees it."""
    document = pdfium.PdfDocument(data)
    if not 1 <= number <= min(len(document), MAX_PAGES):
        raise ParseError(f"没有第 {number} 页。")
    page = document[number - 1]
    width, height = page.get_size()
    scale = min(DPI / 72, MAX_SIDE / max(width, height, 1))
    image = page.render(scale=scale, grayscale=True).to_pil()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


# the import preview reads a file again on every correction: remember the last few scans
_CACHE: OrderedDict[str, OcrText] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()


def ocr_pdf(data: bytes) -> OcrText:
    """The text of every page, pages joined by line breaks. Raises ParseError with advice
    when there is no engine, too many pages, or nothing readable."""
    key = hashlib.sha256(data).hexdigest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    result = _ocr(data)
    with _LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def _ocr(data: bytes) -> OcrText:
    if not available():
        raise ParseError(_NO_ENGINE)
    pages = page_count(data)
    if pages > MAX_PAGES:
        raise ParseError(_TOO_LONG.format(MAX_PAGES))
    texts = [_read_page(page_image(data, n), n) for n in range(1, pages + 1)]
    text = "\n".join(texts)
    if sum(1 for ch in text if not ch.isspace()) < 20:
        raise ParseError(_NOTHING)
    return OcrText(text, pages)


def _read_page(png: bytes, number: int) -> str:
    tesseract = shutil.which("tesseract") or "tesseract"
    try:
        done = subprocess.run(
            [tesseract, "stdin", "stdout", "-l", LANGUAGE, "--psm", "6"],
            input=png,
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            check=False,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
    except (subprocess.TimeoutExpired, OSError) as exc:
        raise ParseError(_FAILED.format(number)) from exc
    if done.returncode != 0:
        raise ParseError(_FAILED.format(number))
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    return "\n".join(Repaired(" ".join(line.split())).text for line in lines)
