"""A blank 函 laid out per GB/T 9704-2012 (信函格式): page, grid, styles, letterhead, footers.

Where the pieces live, and why:
- The red issuer mark and the upper red double line are the first-page *header*.
  The header starts 30 mm from the top (the 信函格式 position of the mark) while the text
  block of every page starts at 37 mm; the tall first-page header pushes page 1's body down
  in Word, WPS and LibreOffice alike, and pages 2+ keep the standard 37 mm.
- The lower red double line is the first-page *footer*, 20 mm from the bottom: page 1 of a
  letter carries no page number, so its footer is free.
- Each double line is an empty paragraph of exact 1 pt height with a thick top border and a
  thin bottom one (or the reverse), indented −7 mm on both sides so that it spans 170 mm
  centred on the 156 mm text block. Plain single borders render the same everywhere, unlike
  drawn shapes or the compound border styles.
- Page numbers are PAGE fields in the odd (right, one character in) and even (left, one
  character in) footers, "— 2 —" in 4号宋体, about 7 mm below the text block.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from dudao.lib.zh import format_cn_date
from dudao.writers import layout
from dudao.writers.content import LetterHead
from dudao.writers.markup import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    align,
    borders,
    child,
    color,
    element,
    exact_spacing,
    field_runs,
    flag,
    fonts,
    indent,
    put,
    size,
    text_run,
)
from dudao.writers.title import title_lines, width

# Style ids (ASCII, as Word writes them) and the Chinese names a clerk sees in the style pane.
STYLES = {
    "GwTitle": "公文标题",
    "GwRecipient": "主送机关",
    "GwBody": "公文正文",
    "GwHeading1": "一级标题",
    "GwHeading2": "二级标题",
    "GwSignature": "署名日期",
    "GwMark": "发文机关标志",
    "GwDocNumber": "发文字号",
    "GwPageNumber": "页码",
    "GwTable": "表格文字",
    "GwTableHead": "表格标题行",
    "GwCaption": "表格题注",
    "GwCopyTo": "抄送",
}

# Space above the 文号 (twips) so its glyphs start 7/8 × 16 pt below the double line,
# measured on LibreOffice's rendering; the first line's own leading makes up the rest.
DOC_NUMBER_GAP = 180
# The dash on each side of the page number is 一字线 (U+2014).
PAGE_DASH = "—"


def new_letter(head: LetterHead) -> Any:
    """A python-docx Document holding page setup, styles, letterhead, title and recipient."""
    document = docx.Document()
    _setup_defaults(document)
    _setup_styles(document)
    _setup_fonts(document)
    _setup_section(document)
    _letterhead(document, head)
    _page_numbers(document)
    if head.doc_number.strip():
        # The first body paragraph, right under the header's double line, so that text
        # extraction (and the report parser) finds it; 7/8 of a 3号 character below the line.
        number = paragraph(document, head.doc_number.strip(), "GwDocNumber")
        put(
            number._p.get_or_add_pPr(),
            element("w:spacing", before=DOC_NUMBER_GAP, after=0, line=240, lineRule="auto"),
            PPR_ORDER,
        )
    # GB/T 9704: the title stands two lines below the element above it.
    for _ in range(2):
        blank(document)
    capacity = layout.TEXT_WIDTH / 20 / layout.SIZE_2
    for line in title_lines(head.title, capacity):
        paragraph(document, line, "GwTitle")
    blank(document)  # the recipient stands one line below the title
    recipient = head.recipient.strip()
    if not recipient.endswith("："):
        recipient = recipient.rstrip(":：") + "："
    paragraph(document, recipient, "GwRecipient")
    _properties(document, head)
    return document


def _properties(document: Any, head: LetterHead) -> None:
    """Title, author (the issuing organ), now, zh-CN; none of python-docx's template
    metadata (created 2013 by "Microsoft Macintosh Word", theme language ja-JP, a
    thumbnail of an empty page)."""
    core = document.core_properties
    core.title = head.title.replace("\n", "")
    core.author = head.issuer
    core.last_modified_by = head.issuer
    core.language = "zh-CN"
    core.comments = ""
    core.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    core.created = now
    core.modified = now
    package = document.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties"><Application>Dudao</Application>'
                f"<Company>{escape(head.issuer)}</Company></Properties>"
            ).encode()
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]
    lang = document.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph(document: Any, text: str, style_id: str) -> Any:
    """Append a paragraph of one run in the given style."""
    para = document.add_paragraph()
    set_style(para, style_id)
    if text:
        para._p.append(text_run(text, None))
    return para


def paragraphs(document: Any, text: str) -> None:
    """One GwBody paragraph per non-blank line of `text`."""
    for line in text.split("\n"):
        if line.strip():
            paragraph(document, line.strip(), "GwBody")


def set_style(para: Any, style_id: str) -> None:
    """Give a paragraph one of our styles by its id. Not `para.style = …`: python-docx then
    looks the style up by name and scans every style of the document for the default, per
    paragraph, which was half the time of writing a report."""
    para._p.style = style_id


def blank(document: Any) -> Any:
    return paragraph(document, "", "GwBody")


def finish_letter(document: Any, head: LetterHead, closing: str = "") -> bytes:
    """Add the closing line, the signature over the date, the 附注 and the 抄送, and return
    the .docx bytes.

    With a seal (the usual case for a 函), the date stands four characters in from the right
    and the issuer name is centred over it; two blank lines leave room for the seal, whose
    top must be within one line of the body.

    GB/T 9704 7.3.5: the signature and date never stand alone on a page. The closing line
    (or the last body paragraph), the seal's blank lines, the signature and the date are
    chained with keep-with-next, and the last paragraph's final two lines at least go along
    (widow control on it alone), or the last two rows of a table that ends the body, so a
    page break carries body lines over with them.
    """
    line = head.closing if head.closing is not None else closing
    last = document.element.body[-2] if len(document.element.body) > 1 else None
    if line.strip():
        paragraph(document, line.strip(), "GwBody")
        # The paragraph before a closing line comes along too (its last lines at least),
        # unless it is a table.
        if last is not None and last.tag == qn("w:p") and "".join(last.itertext()).strip():
            _keep_with_next(last)
    if last is not None and last.tag == qn("w:tbl"):
        # A table ends the body (the summary): its last two rows come along, as rows
        # whose paragraphs keep with the next (Word and LibreOffice alike).
        for row in last.findall(qn("w:tr"))[-2:]:
            for p in row.iter(qn("w:p")):
                flag(p.get_or_add_pPr(), "w:keepNext", True, PPR_ORDER)
    last = document.element.body[-2]
    if last.tag == qn("w:p"):
        _keep_with_next(last)
    for _ in range(2):
        _keep_next(blank(document))
    date_text = format_cn_date(head.date)
    signature = (head.signature or head.issuer).strip()
    shift = 4 + (width(date_text) - width(signature)) / 2
    sig = paragraph(document, signature, "GwSignature")
    indent(sig._p.get_or_add_pPr(), right=layout.chars(max(shift, 0)))
    _keep_next(sig)
    date = paragraph(document, date_text, "GwSignature")
    indent(date._p.get_or_add_pPr(), right=layout.chars(4))
    contact = head.contact.strip().strip("（）()")
    if contact:
        # 附注: one line below the date, two characters in, in parentheses.
        _keep_next(date)
        _keep_next(blank(document))
        note = paragraph(document, f"（{contact}）", "GwBody")
    copy_to = head.copy_to.strip().rstrip("。")
    if copy_to:
        # The 抄送 ends the same page too.
        _keep_next(note if contact else date)
        _keep_next(blank(document))
        cc = paragraph(document, f"抄送：{copy_to}。", "GwCopyTo")
        borders(cc._p.get_or_add_pPr(), top=layout.THIN_LINE, bottom=layout.THIN_LINE, rgb="000000")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _keep_with_next(p: BaseOxmlElement) -> None:
    """Keep-with-next, and widow control so that at least two of its lines go along."""
    ppr = p.get_or_add_pPr()
    flag(ppr, "w:keepNext", True, PPR_ORDER)
    flag(ppr, "w:widowControl", True, PPR_ORDER)


def _keep_next(para: Any) -> None:
    flag(para._p.get_or_add_pPr(), "w:keepNext", True, PPR_ORDER)


def _setup_defaults(document: Any) -> None:
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts(rpr, layout.FANGSONG)
    size(rpr, layout.BODY_PT)
    put(rpr, element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), RPR_ORDER)
    # Normal carries its own font and size: LibreOffice derives the grid's character width
    # from the Normal style, not from the document defaults.
    normal = document.styles["Normal"].element
    normal_rpr = normal.get_or_add_rPr()
    fonts(normal_rpr, layout.FANGSONG)
    size(normal_rpr, layout.BODY_PT)
    # Off the grid, on plain metrics: see layout.CHAR_TRACKING. The section still declares
    # the 22 × 28 grid, which is what Word's and WPS's page-setup dialogs show a clerk.
    put(normal_rpr, element("w:spacing", val=layout.CHAR_TRACKING), RPR_ORDER)
    flag(normal_rpr, "w:snapToGrid", False, RPR_ORDER)
    normal_ppr = normal.get_or_add_pPr()
    flag(normal_ppr, "w:snapToGrid", False, PPR_ORDER)
    # No automatic gap between Chinese and Latin or digits ("2024年", not "2024 年"):
    # official documents are set solid, and the gap would push characters off the grid.
    flag(normal_ppr, "w:autoSpaceDE", False, PPR_ORDER)
    flag(normal_ppr, "w:autoSpaceDN", False, PPR_ORDER)
    # No punctuation hanging into the right margin: the text block is the limit.
    flag(normal_ppr, "w:overflowPunct", False, PPR_ORDER)
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    # Widow control off: a 公文 page is a full 22-line grid, never short by one line.
    flag(ppr, "w:widowControl", False, PPR_ORDER)
    # Set solid and inside the block here too: LibreOffice reads these from the defaults.
    flag(ppr, "w:overflowPunct", False, PPR_ORDER)
    flag(ppr, "w:autoSpaceDE", False, PPR_ORDER)
    flag(ppr, "w:autoSpaceDN", False, PPR_ORDER)
    exact_spacing(ppr, layout.LINE_PITCH)
    align(ppr, "both")
    document.settings.odd_and_even_pages_header_footer = True


def _setup_styles(document: Any) -> None:
    _style(document, "GwBody", first_line=2)
    _style(document, "GwRecipient")
    _style(document, "GwTitle", font=layout.XIAOBIAOSONG, points=layout.SIZE_2, jc="center")
    _style(document, "GwHeading1", font=layout.HEITI, first_line=2, outline=0)
    _style(document, "GwHeading2", font=layout.KAITI, first_line=2, outline=1)
    _style(document, "GwSignature", jc="right")
    _style(document, "GwDocNumber", jc="right")
    _style(document, "GwMark", font=layout.XIAOBIAOSONG, points=layout.MARK_MAX_PT, jc="center")
    _style(document, "GwPageNumber", font=layout.SONGTI, points=layout.SIZE_4)
    _style(document, "GwTable", points=layout.SIZE_SMALL_4, jc="center", pitch=False)
    _style(
        document,
        "GwTableHead",
        font=layout.HEITI,
        points=layout.SIZE_SMALL_4,
        jc="center",
        pitch=False,
    )
    _style(document, "GwCaption", font=layout.HEITI, points=layout.SIZE_4, jc="center")
    # 版记: 4号仿宋, one character in on both sides, between thin rules.
    _style(document, "GwCopyTo", points=layout.SIZE_4)
    indent(
        document.styles[STYLES["GwCopyTo"]].element.get_or_add_pPr(),
        left=layout.SIZE_4 * 20,
        right=layout.SIZE_4 * 20,
    )
    for style_id in ("GwHeading1", "GwHeading2", "GwTableHead", "GwCaption"):
        ppr = document.styles[STYLES[style_id]].element.get_or_add_pPr()
        flag(ppr, "w:keepNext", True, PPR_ORDER)


def _style(
    document: Any,
    style_id: str,
    *,
    font: str = layout.FANGSONG,
    points: float = layout.BODY_PT,
    jc: str = "both",
    first_line: float = 0,
    outline: int | None = None,
    pitch: bool = True,
) -> None:
    style = document.styles.add_style(STYLES[style_id], WD_STYLE_TYPE.PARAGRAPH)
    el = style.element
    el.set(qn("w:styleId"), style_id)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    ppr = el.get_or_add_pPr()
    rpr = el.get_or_add_rPr()
    fonts(rpr, font)
    size(rpr, points)
    if pitch:
        exact_spacing(ppr, layout.LINE_PITCH)
    else:
        put(ppr, element("w:spacing", before=0, after=0, line=240, lineRule="auto"), PPR_ORDER)
    indent(ppr, first_line_chars=first_line)
    align(ppr, jc)
    if outline is not None:
        put(ppr, element("w:outlineLvl", val=outline), PPR_ORDER)


def _setup_fonts(document: Any) -> None:
    """Declare each face with its Windows fallback (w:altName) in the font table."""
    table = document.part.package.main_document_part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    xml = table.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, (alt, family) in layout.FALLBACKS.items()
    )
    table._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _setup_section(document: Any) -> None:
    section = document.sections[0]
    section.page_width = layout.PAGE_WIDTH * 635  # twips → EMU
    section.page_height = layout.PAGE_HEIGHT * 635
    section.top_margin = layout.MARGIN_TOP * 635
    section.bottom_margin = layout.MARGIN_BOTTOM * 635
    section.left_margin = layout.MARGIN_LEFT * 635
    section.right_margin = layout.MARGIN_RIGHT * 635
    section.header_distance = layout.HEADER_DISTANCE * 635
    section.footer_distance = layout.FOOTER_DISTANCE * 635
    section.gutter = 0
    section.different_first_page_header_footer = True
    sect = section._sectPr
    put(
        sect,
        element(
            "w:docGrid",
            type="lines",
            linePitch=layout.LINE_PITCH,
            charSpace=layout.CHAR_SPACE,
        ),
        SECTPR_ORDER,
    )


def _letterhead(document: Any, head: LetterHead) -> None:
    section = document.sections[0]
    header = section.first_page_header
    mark = header.paragraphs[0]
    set_style(mark, "GwMark")
    mark_rpr = element("w:rPr")
    # A long issuer name shrinks to stay on one line of the 156 mm text block.
    points = min(layout.MARK_MAX_PT, int(layout.TEXT_WIDTH / 20 / max(width(head.issuer), 1)))
    size(mark_rpr, points)
    color(mark_rpr, layout.RED)
    # Exact height of one em, so the line box hugs the glyphs: its top is the mark's top.
    exact_spacing(mark._p.get_or_add_pPr(), points * 20)
    mark._p.append(text_run(head.issuer.strip(), mark_rpr))
    # The upper double line, thick over thin, 4 mm below the mark.
    upper = header.add_paragraph()
    _double_line(upper._p.get_or_add_pPr(), thick_on_top=True, before=layout.mm(2.5))
    footer = section.first_page_footer
    lower = footer.paragraphs[0]
    _double_line(lower._p.get_or_add_pPr(), thick_on_top=False, before=0)


def _double_line(ppr: BaseOxmlElement, *, thick_on_top: bool, before: int) -> None:
    outset = -(layout.DOUBLE_LINE_LENGTH - layout.TEXT_WIDTH) // 2
    top, bottom = (
        (layout.THICK_LINE, layout.THIN_LINE)
        if thick_on_top
        else (layout.THIN_LINE, layout.THICK_LINE)
    )
    borders(ppr, top=top, bottom=bottom, rgb=layout.RED)
    exact_spacing(ppr, 20, before=before)
    flag(ppr, "w:snapToGrid", False, PPR_ORDER)
    indent(ppr, left=outset, right=outset)
    rpr = child(ppr, "w:rPr", PPR_ORDER)
    size(rpr, 1)


def _page_numbers(document: Any) -> None:
    section = document.sections[0]
    for footer, jc, side in (
        (section.footer, "right", "right"),
        (section.even_page_footer, "left", "left"),
    ):
        para = footer.paragraphs[0]
        set_style(para, "GwPageNumber")
        ppr = para._p.get_or_add_pPr()
        align(ppr, jc)
        one_char = layout.SIZE_4 * 20
        put(ppr, element("w:ind", **{side: one_char}), PPR_ORDER)
        # The footer ends 20 mm from the bottom (the first page's double line); lifting the
        # number 2.5 mm puts its top about 7 mm below the 35 mm text-block edge.
        put(
            ppr,
            element("w:spacing", before=0, after=layout.mm(2.5), line=240, lineRule="auto"),
            PPR_ORDER,
        )
        p = para._p
        p.append(text_run(f"{PAGE_DASH} ", None))
        for run in field_runs("PAGE", "2", None):
            p.append(run)
        p.append(text_run(f" {PAGE_DASH}", None))
