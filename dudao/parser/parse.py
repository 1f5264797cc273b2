"""parse_text and parse_file: from text (or file bytes) to a Report."""

from __future__ import annotations

from dudao.parser.clean import clean_lines, join_lines
from dudao.parser.header import (
    Header,
    doc_number_in,
    parse_date,
    parse_header,
    split_trailing,
    strip_sign_off,
)
from dudao.parser.heading import match_heading
from dudao.parser.kind import decide_kind, layout_reason
from dudao.parser.model import RECTIFICATION_REPORT, Report
from dudao.parser.notice import read_notice
from dudao.parser.structure import Structure, read_structure
from dudao.parser.table import flat_table_rows, read_table, read_tables
from dudao.parser.text import Repaired, fold, squeeze

# A summary report (整改情况汇总报告) lists the regions' problems in tables, not headings.
_SUMMARY = "汇总"


def parse_file(data: bytes, filename: str) -> Report:
    """Read a .txt, .docx or .pdf file (a scanned PDF through OCR) or an office's own ledger
    workbook (.xlsx, .xls, .csv). Raises ParseError when it cannot be read."""
    from dudao.parser.ledger import is_workbook, read_workbook
    from dudao.parser.ocr import extract_with_ocr

    if is_workbook(data, filename):
        return read_workbook(data, filename)
    return parse_text(extract_with_ocr(data, filename).text)


def parse_text(text: str) -> Report:
    """Read a report or feedback letter from its text. Never raises on odd input: what could
    not be read is reported in `warnings`."""
    cleaned = clean_lines(text)
    lines = cleaned.lines
    header = parse_header(lines)
    body_start = next(
        (i for i in range(header.end, len(lines)) if match_heading(fold(lines[i]), fold(lines[i]))),
        len(lines),
    )
    main_end, trailing = split_trailing(lines, body_start)
    body, date, signers = strip_sign_off(lines[header.end : main_end])
    preamble_count = body_start - header.end
    preamble = join_lines(body[:preamble_count])
    paragraphs = join_lines(body[preamble_count:])
    header = _with_hints(header, cleaned.hints, signers)
    decision = decide_kind(header.title, [*preamble, *paragraphs])
    notice = read_notice(paragraphs)
    summary = read_tables(text) if _SUMMARY in header.title else ()
    if notice is not None:  # problems handed down with lead units and deadlines
        structure = Structure(notice.kind, notice.sections, ())
    elif summary:  # a 汇总报告: one ledger table per region below, one problem per row
        structure = Structure(RECTIFICATION_REPORT, summary, ())
    else:
        structure = read_structure(paragraphs, header.title, decision.kind)
    if not structure.sections:
        # A ledger table (整改台账) rather than headings: a .docx table, tab-separated text,
        # or a table flattened onto one line from a web page.
        table = read_table(text) or read_table("\n".join(_flat_rows(lines)))
        if table is not None:
            structure = Structure(decision.kind or table[0], table[1], ())
    reason = decision.reason if decision.kind else layout_reason(structure.kind)

    warnings: list[str] = []
    if not header.title:
        warnings.append("未读到文件标题，请在预览中补填。")
    if not structure.sections:
        warnings.append("未读到任何问题：请确认这是整改情况报告或反馈意见，或在预览中手工补录。")
    warnings.extend(structure.warnings)
    for doc in trailing:
        name = doc.doc_number or doc.title or doc.issuer
        warnings.append(f"文末附有另一份文件（{name}），已单独列出，未并入正文。")
    if date is None and "成文日期" in cleaned.hints:
        date = parse_date(cleaned.hints["成文日期"])
    return Report(
        kind=structure.kind,
        kind_reason=reason,
        title=header.title,
        issuer=header.issuer,
        doc_number=header.doc_number,
        recipient=header.recipient,
        date=date,
        preamble=Repaired("\n".join(preamble)).text,
        sections=structure.sections,
        trailing_documents=tuple(trailing),
        warnings=tuple(warnings),
    )


def _with_hints(header: Header, hints: dict[str, str], signers: list[str]) -> Header:
    """Fill what the letter itself lacks from its signature block (the issuer of a copy
    without letterhead) and a portal's metadata table (发文字号, 标题, 发布机构 …)."""
    doc_number = header.doc_number
    if not doc_number:
        found = doc_number_in(hints.get("发文字号", hints.get("文号", "")))
        doc_number = found[0] if found else ""
    return Header(
        issuer=header.issuer
        or squeeze("、".join(signers))
        or squeeze(hints.get("发文机关", hints.get("发布机构", ""))),
        doc_number=doc_number,
        title=header.title or squeeze(hints.get("标题", "")),
        recipient=header.recipient,
        end=header.end,
    )


def _flat_rows(lines: list[str]) -> list[str]:
    """A ledger table flattened onto one line ("序号 问题 整改措施 … 1 … 2 …"), as
    tab-separated rows, or nothing."""
    for line in lines:
        rows = flat_table_rows(line)
        if rows:
            return rows
    return []
