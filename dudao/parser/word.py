"""Text of a .docx: paragraphs and tables in document order, with the labels Word draws
itself for auto-numbered paragraphs ("一、", "（二）", "1.") written out, since the parser
reads numbering from the text."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml.ns import qn

from dudao.lib.zh import DIGITS, cn_numeral
from dudao.parser.errors import ParseError

_MAX_LABEL = 64
_MAX_NUMBER = 100_000


def _format(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return cn_numeral(n) if 0 < n < 100000 else str(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(DIGITS[int(d)] for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x245F + n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26:
        letter = chr(ord("A") + n - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Counters of Word's list numbering (w:numPr → w:num → w:abstractNum levels)."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int, int]]] = {}
        self.num_to_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int, int]] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                restart = lvl.find(qn("w:lvlRestart"))
                levels[_int(lvl.get(qn("w:ilvl")), 0, 8)] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    # Word's own labels are a few characters; a hostile one would be
                    # copied onto every numbered paragraph
                    (text.get(qn("w:val"), "") if text is not None else "")[:_MAX_LABEL],
                    _int(start.get(qn("w:val")) if start is not None else None, 1, _MAX_NUMBER),
                    _int(restart.get(qn("w:val")) if restart is not None else None, -1, 9),
                )
            self.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"), "")
            ref = num.find(qn("w:abstractNumId"))
            self.num_to_abstract[num_id] = ref.get(qn("w:val"), "") if ref is not None else ""
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    level = _int(override.get(qn("w:ilvl")), 0, 8)
                    value = _int(start.get(qn("w:val")), 1, _MAX_NUMBER)
                    self.overrides.setdefault(num_id, {})[level] = value

    def label(self, num_id: str, ilvl: int) -> str:
        abstract = self.num_to_abstract.get(num_id)
        levels = self.levels.get(abstract or "")
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(abstract or "", [0] * 9)
        if num_id not in self.started and num_id in self.overrides:
            for level, start in self.overrides[num_id].items():
                counters[level] = start - 1
        self.started.add(num_id)
        starts = {lvl: spec[2] for lvl, spec in levels.items()}
        counters[ilvl] = max(counters[ilvl] + 1, starts.get(ilvl, 1))
        for deeper in range(ilvl + 1, 9):
            # w:lvlRestart 0 = never restart; n = restart after level n (1-based) only
            restart = levels[deeper][3] if deeper in levels else -1
            if restart == -1 or 0 < restart <= ilvl + 1:
                counters[deeper] = starts.get(deeper, 1) - 1
        fmt, text, _, _ = levels[ilvl]

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            spec = levels.get(level)
            return (
                _format(counters[level], spec[0] if spec else "decimal") if 0 <= level < 9 else ""
            )

        return re.sub(r"%(\d)", render, text) if fmt != "bullet" else ""


def _num_pr(paragraph: Any, styles: dict[str, Any]) -> tuple[str, int] | None:
    ppr = paragraph.find(qn("w:pPr"))
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    style_id = None
    if ppr is not None and (pstyle := ppr.find(qn("w:pStyle"))) is not None:
        style_id = pstyle.get(qn("w:val"))
    seen = 0
    while num_pr is None and style_id and seen < 10:
        style = styles.get(style_id)
        if style is None:
            break
        sppr = style.find(qn("w:pPr"))
        num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
        seen += 1
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    if num_id is None:
        return None
    level = _int(ilvl.get(qn("w:val")) if ilvl is not None else None, 0, 8)
    return num_id.get(qn("w:val"), "0"), level


def _paragraph_text(element: Any) -> str:
    parts: list[str] = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _int(value: str | None, default: int, high: int) -> int:
    """A numbering attribute as Word reads it, or `default`; clamped to [-1, high]."""
    if value is None or not re.fullmatch(r"\s*-?[0-9]{1,9}\s*", value):
        return default
    return max(-1, min(int(value), high))


def docx_text(data: bytes, max_chars: int | None = None) -> str:
    """The text, refused (ParseError) once it passes `max_chars` characters."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise ParseError("Word 文件已损坏，无法打开。请在 Word 中打开并重新保存后再导入。") from exc
    numbering = _Numbering(document)
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.findall(qn("w:style"))}
    lines: list[str] = []
    count = 0
    for block in document.element.body.iterchildren():
        if max_chars is not None and count > max_chars:
            from dudao.parser.extract import too_long

            raise ParseError(too_long())
        if block.tag == qn("w:p"):
            text = _paragraph_text(block)
            found = _num_pr(block, styles)
            if found and text.strip():
                text = numbering.label(*found) + text
            lines.append(text)
            count += len(text)
        elif block.tag == qn("w:tbl"):
            # direct rows only: a nested table's text is part of its cell's text, read once
            for row in block.findall(qn("w:tr")):
                cells = [
                    " ".join(_paragraph_text(p) for p in cell.iter(qn("w:p"))).strip()
                    for cell in row.findall(qn("w:tc"))
                ]
                lines.append("\t".join(c for c in cells if c))
                count += len(lines[-1])
    return "\n".join(lines)
