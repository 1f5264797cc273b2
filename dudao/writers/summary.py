"""The city's consolidated report (汇总报告) across the counties of a round, as a 函."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn

from dudao.lib.labels import FIELD_LABELS
from dudao.lib.zh import cn_numeral, format_cn_date
from dudao.writers import layout
from dudao.writers.content import LetterHead, SummaryCounty, SummaryData, SummaryItem, cleaned
from dudao.writers.ledger import STATUS_LABELS, SUMMARY_COLUMNS
from dudao.writers.markup import PPR_ORDER, element, flag, put, schema_sequence
from dudao.writers.page import finish_letter, new_letter, paragraph, paragraphs, set_style
from dudao.writers.title import width

TBLPR_ORDER = schema_sequence(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
)
SUMMARY_CLOSING = "特此报告。"
_COUNT_HEADS = SUMMARY_COLUMNS[1:]  # 问题数, each status, 超期: as the Excel summary


def render_summary_report(head: LetterHead, preamble: str, summary: SummaryData) -> bytes:
    """Overall counts, counts by county and by dimension (tables), the overdue items, and one
    table of items per county."""
    head, preamble, summary = cleaned((head, preamble, summary))
    document = new_letter(head)
    paragraphs(document, preamble)
    items = [item for county in summary.counties for item in county.items]
    overdue = [(c.name, i) for c in summary.counties for i in c.items if i.overdue]

    paragraph(document, "一、总体情况", "GwHeading1")
    paragraph(document, _overview(summary, items, len(overdue)), "GwBody")
    paragraph(document, "表1　各县（市、区）整改进展", "GwCaption")
    by_county = [(c.name, _counts(c.items)) for c in summary.counties]
    _count_table(document, "县（市、区）", [*by_county, ("合计", _counts(items))])
    paragraph(document, "表2　各方面问题整改进展", "GwCaption")
    dimensions = list(dict.fromkeys(i.dimension for i in items))
    by_dimension = [(d, _counts([i for i in items if i.dimension == d])) for d in dimensions]
    _count_table(document, "问题方面", [*by_dimension, ("合计", _counts(items))])

    paragraph(document, "二、超期未完成事项", "GwHeading1")
    if overdue:
        lead = paragraph(
            document, f"截至目前，共有{len(overdue)}个问题超过整改时限仍未完成：", "GwBody"
        )
        # The line that announces the table stays with its caption and first rows.
        flag(lead._p.get_or_add_pPr(), "w:keepNext", True, PPR_ORDER)
        paragraph(document, "表3　超期未完成事项", "GwCaption")
        rows = [
            (str(n), county, item.problem, item.lead_unit, _deadline(item), item.status_label)
            for n, (county, item) in enumerate(overdue, start=1)
        ]
        fields = ("lead_unit", "deadline", "status")
        heads = ("序号", "县（市、区）", "问题", *(FIELD_LABELS[f] for f in fields))
        _table(document, heads, rows)
    else:
        paragraph(document, "目前没有超过整改时限仍未完成的问题。", "GwBody")

    paragraph(document, "三、各县（市、区）整改情况", "GwHeading1")
    for number, county in enumerate(summary.counties, start=1):
        paragraph(document, f"（{cn_numeral(number)}）{county.name}", "GwHeading2")
        _county(document, county, table_number=3 + number - (0 if overdue else 1))
    return finish_letter(document, head, SUMMARY_CLOSING)


def _overview(summary: SummaryData, items: list[SummaryItem], overdue: int) -> str:
    counts = _counts(items)
    parts = "，".join(
        f"{label}{count}个" for label, count in zip(STATUS_LABELS, counts[1:-1], strict=True)
    )
    return (
        f"本轮共涉及{len(summary.counties)}个县（市、区），反馈问题{len(items)}个。"
        f"其中{parts}；超过整改时限仍未完成{overdue}个。"
    )


def _county(document: Any, county: SummaryCounty, table_number: int) -> None:
    counts = _counts(county.items)
    done = counts[1 + STATUS_LABELS.index("已销号")]
    count = paragraph(
        document,
        f"共{len(county.items)}个问题，已销号{done}个，超期{counts[-1]}个。",
        "GwBody",
    )
    # The county's heading, this line and the caption stay with the table's first rows.
    flag(count._p.get_or_add_pPr(), "w:keepNext", True, PPR_ORDER)
    if not county.items:
        return
    paragraph(document, f"表{table_number}　{county.name}整改台账", "GwCaption")
    rows = [
        (
            str(n),
            item.dimension,
            item.problem,
            item.lead_unit,
            _deadline(item),
            item.status_label + ("（超期）" if item.overdue else ""),
        )
        for n, item in enumerate(county.items, start=1)
    ]
    heads = ("序号", "方面", "问题", "牵头单位", "整改时限", "状态")
    _table(document, heads, rows)


def _counts(items: Sequence[SummaryItem]) -> list[int]:
    """[total, one count per status label, overdue]."""
    by_status = [sum(1 for i in items if i.status_label == s) for s in STATUS_LABELS]
    return [len(items), *by_status, sum(1 for i in items if i.overdue)]


def _deadline(item: SummaryItem) -> str:
    return format_cn_date(item.deadline) if item.deadline else "—"


def _count_table(document: Any, first: str, rows: list[tuple[str, list[int]]]) -> None:
    _table(
        document,
        (first, *_COUNT_HEADS),
        [(name, *(str(n) for n in counts)) for name, counts in rows],
    )


# A cell that must not wrap: a date as format_cn_date writes it, a number, or a dash.
_ATOMIC = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日|\d+|—)$")
# Table text is 小四 (12 pt = 240 twips a character) between 1 mm cell margins.
_CELL_CHAR = layout.SIZE_SMALL_4 * 20
_CELL_PADDING = 2 * layout.mm(1) + 40


def column_widths(heads: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Column widths (twips) filling the text block, from the content.

    Every header fits on one line ("申请销号", never "申请销/号"), and so does every cell of
    a column of dates or numbers ("2024年12月31日", never "2024年12月31/日"). The column
    with the longest text (问题) keeps at least 30% of the block; the others share the rest by
    water-filling: a column whose longest cell fits its fair share gets exactly that (dates,
    units, statuses on one line), and the rest share what is left equally. Whatever is
    left over goes to the long-text column.
    """
    floor = [width(h) * _CELL_CHAR + _CELL_PADDING for h in heads]
    wanted = [
        max([f, *(width(row[i]) * _CELL_CHAR + _CELL_PADDING for row in rows)])
        for i, f in enumerate(floor)
    ]
    floor = [
        wanted[i] if rows and all(_ATOMIC.match(row[i]) for row in rows) else f
        for i, f in enumerate(floor)
    ]
    total = layout.TEXT_WIDTH
    if sum(floor) >= total:
        return [round(f * total / sum(floor)) for f in floor]
    main = max(range(len(heads)), key=lambda i: wanted[i])
    reserve = min(wanted[main], max(floor[main], total * 0.3))
    others = [i for i in range(len(heads)) if i != main]
    if sum(floor[i] for i in others) + reserve > total:
        reserve = total - sum(floor[i] for i in others)
    widths = list(floor)
    widths[main] = reserve
    open_columns = set(others)
    spare = total - sum(widths)
    while open_columns and spare > 1:
        share = spare / len(open_columns)
        done = {i for i in open_columns if wanted[i] - widths[i] <= share}
        if not done:
            for i in open_columns:
                widths[i] += share
            spare = 0
            break
        for i in done:
            spare -= wanted[i] - widths[i]
            widths[i] = wanted[i]
        open_columns -= done
    # A column that must wrap wraps into balanced lines ("教育优先/发展方面", not
    # "教育优先发展方/面"), one line fewer when that costs at most a character's width
    # (taken from the long-text column, which keeps at least a quarter of the block);
    # what balancing frees goes to the long-text column.
    widths[main] += spare
    for i in sorted(others, key=lambda i: wanted[i]):  # the cheapest first
        if widths[i] >= wanted[i] - 1:
            continue
        chars = (wanted[i] - _CELL_PADDING) / _CELL_CHAR
        lines = math.ceil(chars / max(int((widths[i] - _CELL_PADDING) / _CELL_CHAR), 1))
        fewer = _balanced(chars, lines - 1) if lines > 1 else wanted[i]
        cost = fewer - widths[i]
        if cost <= _CELL_CHAR and widths[main] - cost >= max(floor[main], total / 4):
            lines -= 1
        balanced = max(_balanced(chars, lines), floor[i])
        widths[main] += widths[i] - balanced
        widths[i] = balanced
    out = [round(w) for w in widths]
    out[main] += total - sum(out)
    return out


def _balanced(chars: float, lines: int) -> float:
    """Twips for `chars` characters in `lines` lines of equal length, with half a character
    to spare: LibreOffice fits a character less into a cell exactly as wide as the text and
    its margins."""
    return (math.ceil(chars / max(lines, 1)) + 0.5) * _CELL_CHAR + _CELL_PADDING


def _table(document: Any, heads: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A bordered table filling the text block, its header row repeated on every page."""
    widths = column_widths(heads, rows)
    table = document.add_table(rows=1, cols=len(heads))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    put(tblpr, element("w:tblW", w=layout.TEXT_WIDTH, type="dxa"), TBLPR_ORDER)
    margins = element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(element(f"w:{side}", w=layout.mm(1), type="dxa"))
    put(tblpr, margins, TBLPR_ORDER)
    header = table.rows[0]
    # Rows never break across pages; the header row repeats on each page.
    header._tr.get_or_add_trPr().extend([element("w:cantSplit"), element("w:tblHeader")])
    _fill(document, header.cells, heads, widths, "GwTableHead")
    for n, values in enumerate(rows):
        row = table.add_row()
        # LibreOffice (7.4) loses the rest of a table when its first row may not split and
        # does not fit under the heading, caption and header row kept with it: the row
        # overflows the page bottom and the rows after it are not printed. So the first
        # row may split (in that rare case); no other row does.
        if n:
            row._tr.get_or_add_trPr().append(element("w:cantSplit"))
        _fill(document, row.cells, values, widths, "GwTable")
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(w))


def _fill(
    document: Any, cells: Sequence[Any], values: Sequence[str], widths: list[int], style: str
) -> None:
    for cell, value, w in zip(cells, values, widths, strict=True):
        cell.width = w * 635
        para = cell.paragraphs[0]
        set_style(para, style)
        # Text that wraps (the problem) reads better flush left than centred.
        if width(value) * _CELL_CHAR > w - _CELL_PADDING:
            para.alignment = 0
        para.add_run(value)
