"""Writing the 整改台账 as .xlsx: one sheet per county (or province), an optional summary."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Sequence

from dudao.lib.labels import FIELD_LABELS
from dudao.writers import spreadsheet as sml
from dudao.writers.errors import WriterError
from dudao.writers.ledger import (
    HIDDEN_COLUMNS,
    LEDGER_COLUMNS,
    NO,
    REGION_COLUMN,
    STATUS_LABELS,
    SUMMARY_COLUMNS,
    SUMMARY_TOTAL,
    YES,
    LedgerItem,
    LedgerSheet,
    SummarySheet,
)

Progress = Callable[[int, int], None]

# Column kinds: how a value is written and styled.
TEXT, CENTER, NUMBER, DATE = "text", "center", "number", "date"
_KINDS = {
    "序号": NUMBER,
    "整改时限": DATE,
    "销号时间": DATE,
    "状态": CENTER,
    "是否超期": CENTER,
    "系统编号": NUMBER,
    "版本": NUMBER,
}
# Width limits in Excel units (about one digit; a Chinese character is two). Long texts
# wrap at the upper limit instead of stretching the sheet.
_LIMITS = {"序号": (6, 6), "问题": (24, 50), "整改措施": (24, 50), "整改进展": (24, 50)}
_LIMITS |= {
    FIELD_LABELS["outcome"]: (24, 50),
    "备注": (10, 30),
    "整改时限": (16, 16),
    "销号时间": (16, 16),
}
_DEFAULT_LIMITS = (10, 24)


def write_ledger_xlsx(
    title: str,
    sheets: Sequence[LedgerSheet],
    summary: SummarySheet | None,
    progress: Progress | None = None,
) -> bytes:
    """The ledger as .xlsx bytes: a merged title row, a bold header row frozen with the
    first columns, auto-filter, widths that fit Chinese text, wrapped cells, real dates,
    a drop-down for 状态, overdue rows filled. 系统编号 and 版本 are hidden at the end.

    A region column (县（市、区）) follows 序号 when items carry a region, i.e. when one
    sheet holds several counties.
    """
    columns = list(LEDGER_COLUMNS)
    if any(item.region for sheet in sheets for item in sheet.items):
        columns.insert(1, REGION_COLUMN)
    wanted = ([summary.name] if summary else []) + [sheet.name for sheet in sheets]
    names = sml.sheet_names(wanted)
    strings: dict[str, int] = {}
    total = sum(len(sheet.items) for sheet in sheets)
    done = 0
    out = io.BytesIO()
    defined: list[str] = []
    # Level 1: the XML compresses to a few percent anyway, and level 6 costs seconds.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        index = 0
        if summary is not None:
            xml = _summary_xml(title, summary, strings)
            package.writestr("xl/worksheets/sheet1.xml", xml)
            index = 1
        for sheet in sheets:
            name = names[index]
            xml, last_row = _ledger_xml(title, sheet.name, sheet.items, columns, strings)
            index += 1
            package.writestr(f"xl/worksheets/sheet{index}.xml", xml)
            last_col = sml.column_letter(len(columns) - 1)
            ref = f"{sml.quoted_sheet(name)}!$A$2:${last_col}${last_row}"
            defined.append(sml.defined_name("_xlnm._FilterDatabase", index - 1, ref, hidden=True))
            # Printed: from the header row down (the title is the page header instead, on
            # every page), the hidden columns left out; wider than one page, each page
            # repeats the header row and 序号 (and 县), so a row can be found on every page.
            sheet_ref = sml.quoted_sheet(name)
            key = sml.column_letter(columns.index("问题") - 2)
            titles = f"{sheet_ref}!$A:${key},{sheet_ref}!$2:$2"
            defined.append(sml.defined_name("_xlnm.Print_Titles", index - 1, titles))
            last_visible = sml.column_letter(len(columns) - len(HIDDEN_COLUMNS) - 1)
            area = f"{sheet_ref}!$A$2:${last_visible}${max(last_row, 3)}"
            defined.append(sml.defined_name("_xlnm.Print_Area", index - 1, area))
            done += len(sheet.items)
            if progress is not None:
                progress(done, total)
        count = len(names)
        package.writestr("xl/workbook.xml", sml.workbook_xml(names, defined))
        package.writestr("xl/_rels/workbook.xml.rels", sml.workbook_rels(count))
        package.writestr("xl/styles.xml", sml.STYLES)
        package.writestr("xl/sharedStrings.xml", sml.shared_strings(strings))
        package.writestr("[Content_Types].xml", sml.content_types(count))
        package.writestr("_rels/.rels", sml.ROOT_RELS)
        package.writestr("docProps/core.xml", sml.core_xml(title))
        package.writestr("docProps/app.xml", sml.APP)
    if progress is not None and total == 0:
        progress(0, 0)
    return out.getvalue()


def _units(text: str) -> int:
    """Twice the width in Excel units: UTF-8 length counts a Chinese character 3 and ASCII 1,
    so bytes + chars is 4 per Chinese character (2 units) and 2 per ASCII one (1 unit)."""
    return len(text.encode()) + len(text)


def _string(strings: dict[str, int], text: str) -> int:
    index = strings.get(text)
    if index is None:
        index = strings[text] = len(strings)
    return index


def _values(seq: int, item: LedgerItem, with_region: bool) -> list[object]:
    values: list[object] = [
        seq,
        item.dimension,
        item.problem,
        item.measures,
        item.lead_unit,
        item.co_units,
        item.responsible_person,
        item.deadline,
        item.progress_text,
        item.outcome,
        item.status_label,
        YES if item.overdue else NO,
        item.signed_off_on,
        item.remark,
        item.item_id,
        item.version,
    ]
    if with_region:
        values.insert(1, item.region)
    return values


def _ledger_xml(
    title: str,
    sheet: str,
    items: Sequence[LedgerItem],
    columns: list[str],
    strings: dict[str, int],
) -> tuple[str, int]:
    letters = [sml.column_letter(i) for i in range(len(columns))]
    kinds = [_KINDS.get(c, TEXT) for c in columns]
    plain = {TEXT: sml.TEXT, CENTER: sml.CENTER, NUMBER: sml.CENTER, DATE: sml.DATE}
    styles = [
        (sml.HIDDEN, sml.HIDDEN)
        if c in HIDDEN_COLUMNS
        else (plain[k], plain[k] + sml.OVERDUE_SHIFT)
        for c, k in zip(columns, kinds, strict=True)
    ]
    widths = [_units(c) for c in columns]
    with_region = columns[1] == REGION_COLUMN
    rows: list[tuple[int, str, list[tuple[int, str]]]] = []
    for seq, item in enumerate(items, start=1):
        r = seq + 2
        overdue = 1 if item.overdue else 0
        cells: list[str] = []
        texts: list[tuple[int, str]] = []
        for col, value in enumerate(_values(seq, item, with_region)):
            ref = f"{letters[col]}{r}"
            s = styles[col][overdue]
            if value is None or value == "":
                cells.append(f'<c r="{ref}" s="{s}"/>')
            elif isinstance(value, str):
                try:
                    text = sml.clean(value)
                except WriterError as error:
                    raise WriterError(
                        f"工作表“{sheet}”第{r}行（系统编号 {item.item_id}）的“{columns[col]}”"
                        f"{error.message}请在系统中精简该项后再导出。"
                    ) from error
                size = _units(text)
                if size > widths[col]:
                    widths[col] = size
                texts.append((col, text))
                cells.append(f'<c r="{ref}" s="{s}" t="s"><v>{_string(strings, text)}</v></c>')
            elif isinstance(value, datetime.date):
                cells.append(f'<c r="{ref}" s="{s}"><v>{sml.excel_serial(value)}</v></c>')
            elif s == sml.HIDDEN:
                cells.append(f'<c r="{ref}" s="{s}" t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}" s="{s}"><v>{value}</v></c>')
        rows.append((r, "".join(cells), texts))
    last_row = len(items) + 2
    cols = []
    final: list[int] = []
    for i, column in enumerate(columns):
        low, high = _LIMITS.get(column, _DEFAULT_LIMITS)
        width = min(max(widths[i] // 2 + 2, low), high)
        final.append(width)
        hidden = ' hidden="1"' if column in HIDDEN_COLUMNS else ""
        cols.append(f'<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"{hidden}/>')
    # Stored heights, from the wrapped text: LibreOffice (and Excel on opening) would
    # otherwise show and print one line of each long cell.
    body = "".join(
        f'<row r="{r}" ht="{row_height(texts, final)}" customHeight="1">{cells}</row>'
        for r, cells, texts in rows
    )
    visible_width = sum(
        w for w, column in zip(final, columns, strict=True) if column not in HIDDEN_COLUMNS
    )
    visible = len(columns) - len(HIDDEN_COLUMNS)
    last_visible = letters[visible - 1]
    frozen = columns.index("问题") + 1  # 序号, (县), 维度, 问题 stay in view
    head = "".join(
        f'<c r="{letters[i]}2" s="{sml.HEADER}" t="s"><v>{_string(strings, c)}</v></c>'
        for i, c in enumerate(columns)
    )
    status = letters[columns.index("状态")]
    labels = ",".join(STATUS_LABELS)
    xml = (
        sml.XML_HEAD + f'<worksheet xmlns="{sml.MAIN_NS}" xmlns:r="{sml.REL_NS}">'
        f'<dimension ref="A1:{letters[-1]}{last_row}"/>'
        + _frozen_view(frozen, 2)
        + '<sheetFormatPr defaultRowHeight="14.25"/>'
        f"<cols>{''.join(cols)}</cols><sheetData>"
        f'<row r="1" ht="36" customHeight="1"><c r="A1" s="{sml.TITLE}" t="s">'
        f"<v>{_string(strings, sml.clean(title))}</v></c></row>"
        f'<row r="2" ht="30" customHeight="1">{head}</row>' + body + "</sheetData>"
        f'<autoFilter ref="A2:{letters[-1]}{last_row}"/>'
        f'<mergeCells count="1"><mergeCell ref="A1:{last_visible}1"/></mergeCells>'
        '<dataValidations count="1"><dataValidation type="list" allowBlank="1" '
        'showInputMessage="1" showErrorMessage="1" errorTitle="状态" '
        f'error="请从下拉列表中选择：{labels}" sqref="{status}3:{status}{max(last_row, 3)}">'
        f'<formula1>"{labels}"</formula1></dataValidation></dataValidations>'
        + _print_setup(visible_width, _page_title(title, sheet))
        + "</worksheet>"
    )
    return xml, last_row


def _page_title(title: str, sheet: str) -> str:
    """The printed page header: the ledger's title, and the sheet's county when the title
    does not name it (a city's workbook has one sheet per county)."""
    text = sml.clean(title).replace("\n", " ")
    if sheet and sheet not in text:
        text += f"（{sheet}）"
    return text[:120]


# Text is 11 pt 宋体. In Excel and WPS (SimSun) a line is 14.25 pt high and a column of
# width w holds (7w − 1) px of text, a Chinese character being 14.67 px; LibreOffice with
# a free Song face (Noto Serif CJK) fits more characters to a line but needs 15.75 pt for
# it. Rows take the larger of both: Excel's line count at LibreOffice's line height, so
# that no program cuts the last line off (measured on LibreOffice's PDF in
# test_ledger_print.py).
_LINE_PT = 15.75
_CHAR_PX = 11 * 96 / 72
_MAX_ROW_PT = 409  # Excel's limit
# A4 landscape between 0.4-inch margins, in width units (one is about 7 px of 96 dpi, plus
# 5 px of cell padding per column, so 1.9 mm is a fair average).
_PRINT_WIDTH_UNITS = (297 - 2 * 10.16) / 1.9
# The print scale never goes below this: 11 pt × 82% ≥ 9 pt. Wider sheets print across
# several pages (columns up to 问题 repeated), rather than shrinking to unreadable text.
MIN_SCALE = 82


def row_height(texts: Sequence[tuple[int, str]], widths: Sequence[int]) -> float:
    """Points for a row whose cells (column, text) wrap in columns of these widths."""
    lines = 1
    for col, text in texts:
        per_line = max(int((7 * widths[col] - 1) / _CHAR_PX), 1)  # Chinese characters
        room = per_line * 4  # in _units, as measured on the text (4 a Chinese character)
        wrapped = sum(max(1, -(-_units(part) // room)) for part in text.split("\n"))
        lines = max(lines, wrapped)
    return min(round(lines * _LINE_PT + 3, 2), _MAX_ROW_PT)


def print_scale(visible_width: int) -> int:
    """Percent: fit the visible columns to the page's width, but not below MIN_SCALE."""
    fit = int(100 * _PRINT_WIDTH_UNITS / max(visible_width, 1))
    return max(MIN_SCALE, min(100, fit))


def _print_setup(visible_width: int, page_title: str = "") -> str:
    """A4 landscape at print_scale, page numbers in the footer; `page_title` (if any) in
    the header of every page, 14 pt bold (the size code first: a title starting with a
    digit would otherwise run into it)."""
    scale = print_scale(visible_width)
    header = ""
    if page_title:
        escaped = sml.xml_text(page_title.replace("&", "&&"))
        header = f"<oddHeader>&amp;C&amp;14&amp;B{escaped}</oddHeader>"
    return (
        '<pageMargins left="0.4" right="0.4" top="0.7" bottom="0.6" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" scale="{scale}" pageOrder="overThenDown" '
        'orientation="landscape"/>'
        f"<headerFooter>{header}"
        "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"
    )


def _frozen_view(columns: int, rows: int) -> str:
    cell = f"{sml.column_letter(columns)}{rows + 1}"
    pane = "bottomRight" if columns else "bottomLeft"
    x_split = f' xSplit="{columns}"' if columns else ""
    return (
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane{x_split} ySplit="{rows}" topLeftCell="{cell}" activePane="{pane}" state="frozen"/>'
        f'<selection pane="{pane}" activeCell="{cell}" sqref="{cell}"/>'
        "</sheetView></sheetViews>"
    )


def _summary_xml(title: str, summary: SummarySheet, strings: dict[str, int]) -> str:
    columns = list(SUMMARY_COLUMNS)
    letters = [sml.column_letter(i) for i in range(len(columns))]
    rows: list[str] = []
    totals = [0] * (len(columns) - 1)
    body = [(row.region, [row.total, *row.by_status, row.overdue]) for row in summary.rows]
    for _, numbers in body:
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
    for offset, (region, numbers) in enumerate([*body, (SUMMARY_TOTAL, totals)]):
        r = offset + 3
        cells = [f'<c r="A{r}" s="{sml.TEXT}" t="s"><v>{_string(strings, region)}</v></c>']
        cells += [
            f'<c r="{letters[i + 1]}{r}" s="{sml.CENTER}"><v>{n}</v></c>'
            for i, n in enumerate(numbers)
        ]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    head = "".join(
        f'<c r="{letters[i]}2" s="{sml.HEADER}" t="s"><v>{_string(strings, c)}</v></c>'
        for i, c in enumerate(columns)
    )
    widest = max([_units(r.region) for r in summary.rows] + [12])
    cols = f'<col min="1" max="1" width="{min(widest // 2 + 2, 40)}" customWidth="1"/>'
    cols += f'<col min="2" max="{len(columns)}" width="11" customWidth="1"/>'
    return (
        sml.XML_HEAD + f'<worksheet xmlns="{sml.MAIN_NS}" xmlns:r="{sml.REL_NS}">'
        f'<dimension ref="A1:{letters[-1]}{len(rows) + 2}"/>'
        + _frozen_view(1, 2)
        + f"<cols>{cols}</cols><sheetData>"
        f'<row r="1" ht="36" customHeight="1"><c r="A1" s="{sml.TITLE}" t="s">'
        f"<v>{_string(strings, sml.clean(title) + '（汇总）')}</v></c></row>"
        f'<row r="2" ht="30" customHeight="1">{head}</row>' + "".join(rows) + "</sheetData>"
        f'<mergeCells count="1"><mergeCell ref="A1:{letters[-1]}1"/></mergeCells>'
        + _print_setup(min(widest // 2 + 2, 40) + 11 * (len(columns) - 1))
        + "</worksheet>"
    )
