"""Text layer of a PDF. Scanned and encrypted PDFs are refused with advice.

pdfminer.six (the engine pdfplumber is built on) is driven directly, without layout
analysis, and characters are put into lines here the way pdfplumber's extract_text does
(cluster by baseline within 3 pt, order by x): the same text, about twice as fast, which
keeps a 20-page report under a second.

A table drawn with ruling lines (a Word table's borders) comes out as one line per row with
its cells separated by tabs, as word.py gives a .docx table, so that the table reader sees
the same rows in both: a cell's text wrapped over several lines stays in its cell.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFSyntaxError

from dudao.parser.errors import NoTextLayer, ParseError
from dudao.parser.extract import MAX_CHARS

_ENCRYPTED = "PDF 已加密（设置了打开密码），无法读取。请提供未加密的 PDF 或 Word 版。"
_SCANNED = "PDF 没有文字层（可能是扫描件或图片），请提供 Word 版或可复制文字的 PDF。"
_BROKEN = "PDF 文件已损坏，无法打开。请重新导出 PDF 或提供 Word 版。"
_Y_TOLERANCE = 3.0
# Ruling lines looked at per page: a page full of table cells draws a few hundred; the
# grouping is quadratic in them, so a page drawing more is read as plain text.
_MAX_RULES = 2000
# A report runs to dozens of pages; a 5,000-page PDF is refused at page 501, not read.
MAX_PAGES = 500

# pdfminer logs a warning for every odd font; the clerk cannot act on them
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def pdf_text(data: bytes, max_chars: int = MAX_CHARS) -> str:
    """The text layer, page by page; refused past MAX_PAGES pages or `max_chars` characters."""
    pages: list[str] = []
    count = 0
    try:
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data)), start=1):
            if number > MAX_PAGES:
                raise ParseError(
                    f"PDF 超过{MAX_PAGES}页，超出系统一次导入的上限。"
                    "请只导入整改情况报告或反馈意见的正文页。"
                )
            interpreter.process_page(page)
            pages.append(_page_text(device.get_result()))
            count += len(pages[-1])
            if count > max_chars:
                raise ParseError(
                    f"PDF 的文字超过系统一次导入的上限（{max_chars}字）。"
                    "请只导入整改情况报告或反馈意见的正文页。"
                )
    except ParseError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ParseError(_ENCRYPTED) from exc
    except PDFSyntaxError as exc:
        raise ParseError(_BROKEN) from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        if b"/Encrypt" in data:
            raise ParseError(_ENCRYPTED) from exc
        raise ParseError(_BROKEN) from exc
    text = "\n".join(pages)
    if sum(1 for ch in text if not ch.isspace()) < 20:
        raise NoTextLayer(_SCANNED)
    return text


def _chars(item: Any) -> Iterator[LTChar]:
    for child in item:
        if isinstance(child, LTChar):
            yield child
        elif isinstance(child, LTContainer):
            yield from _chars(child)


@dataclass(frozen=True)
class _Grid:
    """A ruled table: column edges left to right, row edges top to bottom (PDF points)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def cell(self, char: LTChar) -> tuple[int, int] | None:
        x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
        if not (self.xs[0] < x < self.xs[-1] and self.ys[-1] < y < self.ys[0]):
            return None
        col = next(i for i in range(len(self.xs) - 1) if x < self.xs[i + 1])
        row = next(i for i in range(len(self.ys) - 1) if y > self.ys[i + 1])
        return row, col


def _grids(layout: Any) -> list[_Grid]:
    """Ruled tables: vertical rules grouped by overlapping height, with the horizontal
    rules across them; at least two columns and one row."""
    rules = [o for o in layout if isinstance(o, LTLine)]
    if len(rules) > _MAX_RULES:  # no table this size; read the page as plain text
        return []
    verticals = sorted(
        ((o.x0, o.y0, o.y1) for o in rules if abs(o.x0 - o.x1) < 0.5 and o.y1 - o.y0 > 5),
        key=lambda v: -v[2],
    )
    groups: list[list[tuple[float, float, float]]] = []
    for v in verticals:
        if groups and v[2] >= min(g[1] for g in groups[-1]) - 1:
            groups[-1].append(v)
        else:
            groups.append([v])
    grids = []
    for group in groups:
        xs = sorted({round(v[0], 1) for v in group})
        bottom, top = min(v[1] for v in group), max(v[2] for v in group)
        ys = sorted(
            {
                round(o.y0, 1)
                for o in rules
                if abs(o.y0 - o.y1) < 0.5
                and bottom - 1 <= o.y0 <= top + 1
                and o.x0 <= xs[0] + 1
                and o.x1 >= xs[-1] - 1
            },
            reverse=True,
        )
        if len(xs) >= 3 and len(ys) >= 2:
            grids.append(_Grid(tuple(xs), tuple(ys)))
    return grids


def _page_text(layout: Any) -> str:
    grids = _grids(layout)
    if not grids:
        return "\n".join(_line_text(line) for line in _lines(list(_chars(layout))))
    free: list[LTChar] = []
    cells: dict[tuple[int, int, int], list[LTChar]] = {}
    for char in _chars(layout):
        found = next(
            ((g, c) for g, grid in enumerate(grids) if (c := grid.cell(char)) is not None), None
        )
        if found is None:
            free.append(char)
        else:
            cells.setdefault((found[0], *found[1]), []).append(char)
    rows: list[tuple[float, str]] = [(line[0].y1, _line_text(line)) for line in _lines(free)]
    for g, grid in enumerate(grids):
        for row in range(len(grid.ys) - 1):
            texts = [
                "".join(_line_text(line) for line in _lines(cells.get((g, row, col), [])))
                for col in range(len(grid.xs) - 1)
            ]
            if any(texts):
                rows.append((grid.ys[row], "\t".join(texts)))
    rows.sort(key=lambda r: -r[0])
    return "\n".join(text for _, text in rows)


def _lines(chars_in: list[LTChar]) -> list[list[LTChar]]:
    chars = sorted(chars_in, key=lambda c: (-c.y1, c.x0))
    lines: list[list[LTChar]] = []
    top = None
    for char in chars:
        if top is None or top - char.y1 > _Y_TOLERANCE:
            lines.append([])
            top = char.y1
        lines[-1].append(char)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _line_text(line: list[LTChar]) -> str:
    parts: list[str] = []
    previous: LTChar | None = None
    for char in line:
        text = char.get_text()
        # a gap wider than a third of a character is a space the PDF did not draw
        if (
            previous is not None
            and char.x0 - previous.x1 > 0.33 * max(char.size, 1.0)
            and parts[-1] != " "
            and text != " "
        ):
            parts.append(" ")
        parts.append(text)
        previous = char
    return "".join(parts).strip()
