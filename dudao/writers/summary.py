"""The city's consolidated report (汇总报告) across the counties of a round, as a 函."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn

from dudao.lib.labels import FIELD_LABELS
from dudao.lib.zh import cn_numeral, format_cn_date
from dudao.writers import layout
from dudao.writers.content import LetterHead, SummaryCounty, SummaryData, SummaryItem
from dudao.writers.ledger import STATUS_LABELS, SUMMARY_COLUMNS
from dudao.writers.markup import element, put, schema_sequence
from dudao.writers.page import finish_letter, new_letter, paragraph, paragraphs, set_style

TBLPR_ORDER = schema_sequence(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
)
_COUNT_HEADS = SUMMARY_COLUMNS[1:]  # 问题数, each status, 超期: as the Excel summary


def render_summary_report(head: LetterHead, preamble: str, summary: SummaryData) -> bytes:
    """Overall counts, counts by county and by dimension (tables), the overdue items, and one
    table of items per county."""
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
        paragraph(document, f"截至目前，共有{len(overdue)}个问题超过整改时限仍未完成：", "GwBody")
        paragraph(document, "表3　超期未完成事项", "GwCaption")
        rows = [
            (str(n), county, item.problem, item.lead_unit, _deadline(item), item.status_label)
            for n, (county, item) in enumerate(overdue, start=1)
        ]
        fields = ("lead_unit", "deadline", "status")
        heads = ("序号", "县（市、区）", "问题", *(FIELD_LABELS[f] for f in fields))
        _table(document, heads, (11, 21, 43, 24, 37, 20), rows)
    else:
        paragraph(document, "目前没有超过整改时限仍未完成的问题。", "GwBody")

    paragraph(document, "三、各县（市、区）整改情况", "GwHeading1")
    for number, county in enumerate(summary.counties, start=1):
        paragraph(document, f"（{cn_numeral(number)}）{county.name}", "GwHeading2")
        _county(document, county, table_number=3 + number - (0 if overdue else 1))
    return finish_letter(document, head)


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
    paragraph(
        document,
        f"共{len(county.items)}个问题，已销号{done}个，超期{counts[-1]}个。",
        "GwBody",
    )
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
    _table(document, heads, (11, 21, 43, 24, 37, 20), rows)


def _counts(items: Sequence[SummaryItem]) -> list[int]:
    """[total, one count per status label, overdue]."""
    by_status = [sum(1 for i in items if i.status_label == s) for s in STATUS_LABELS]
    return [len(items), *by_status, sum(1 for i in items if i.overdue)]


def _deadline(item: SummaryItem) -> str:
    return format_cn_date(item.deadline) if item.deadline else "—"


def _count_table(document: Any, first: str, rows: list[tuple[str, list[int]]]) -> None:
    widths = (30, *([18] * len(_COUNT_HEADS)))
    _table(
        document,
        (first, *_COUNT_HEADS),
        widths,
        [(name, *(str(n) for n in counts)) for name, counts in rows],
    )


def _table(
    document: Any,
    heads: Sequence[str],
    widths_mm: Sequence[float],
    rows: Sequence[Sequence[str]],
) -> None:
    """A bordered table filling the text block, its header row repeated on every page."""
    scale = layout.TEXT_WIDTH / sum(layout.mm(w) for w in widths_mm)
    widths = [round(layout.mm(w) * scale) for w in widths_mm]
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
    for values in rows:
        row = table.add_row()
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
        # Long texts (the problem) read better flush left than centred.
        if len(value) > 12:
            para.alignment = 0
        para.add_run(value)
