"""WordprocessingML pieces python-docx has no API for, inserted in schema order.

Word rejects a file whose pPr/rPr children are out of the order the schema lists, so every
insertion goes through `put`, which knows the sequences.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from dudao.writers import layout


def schema_sequence(names: str) -> tuple[str, ...]:
    """Element names in the order the schema's xsd:sequence lists them."""
    return tuple(names.split())


PPR_ORDER = schema_sequence(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
    "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
    "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
RPR_ORDER = schema_sequence(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
    "specVanish oMath"
)
SECTPR_ORDER = schema_sequence(
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
    "bidi rtlGutter docGrid printerSettings sectPrChange"
)


def element(tag: str, **attrs: str | int) -> BaseOxmlElement:
    """`element("w:ind", left=0)` → <w:ind w:left="0"/>."""
    el: BaseOxmlElement = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def put(parent: BaseOxmlElement, child: BaseOxmlElement, order: Sequence[str]) -> None:
    """Replace parent's child of the same tag, or insert `child` where `order` says."""
    name = child.tag.rsplit("}", 1)[1]
    existing = parent.find(qn(f"w:{name}"))
    if existing is not None:
        parent.replace(existing, child)
        return
    successors = order[order.index(name) + 1 :]
    for sibling in parent:
        if sibling.tag.rsplit("}", 1)[-1] in successors:
            sibling.addprevious(child)
            return
    parent.append(child)


def child(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
    """The existing child `tag` of parent, or a new one inserted in schema order."""
    found: BaseOxmlElement | None = parent.find(qn(tag))
    if found is None:
        found = element(tag)
        put(parent, found, order)
    return found


def fonts(rpr: BaseOxmlElement, name: str) -> None:
    """One font for every script: Latin digits in a 公文 body are set in the body face too.

    w:hint="eastAsia" makes Word treat ambiguous characters (“”、—) as Chinese, so they take
    the full-width Chinese glyphs rather than the Latin ones.
    """
    put(
        rpr,
        element("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia"),
        RPR_ORDER,
    )


def size(rpr: BaseOxmlElement, points: float) -> None:
    half_points = round(points * 2)
    put(rpr, element("w:sz", val=half_points), RPR_ORDER)
    put(rpr, element("w:szCs", val=half_points), RPR_ORDER)


def color(rpr: BaseOxmlElement, rgb: str) -> None:
    put(rpr, element("w:color", val=rgb), RPR_ORDER)


def flag(parent: BaseOxmlElement, tag: str, on: bool, order: Sequence[str]) -> None:
    """A toggle such as <w:b/> or <w:snapToGrid w:val="0"/>."""
    put(parent, element(tag) if on else element(tag, val=0), order)


def exact_spacing(ppr: BaseOxmlElement, line: int, before: int = 0, after: int = 0) -> None:
    """Exact line height: the one spacing Word, WPS and LibreOffice all lay out alike."""
    put(
        ppr,
        element("w:spacing", before=before, after=after, line=line, lineRule="exact"),
        PPR_ORDER,
    )


def indent(
    ppr: BaseOxmlElement, *, left: int = 0, right: int = 0, first_line_chars: float = 0
) -> None:
    """Indents in twips; a first-line indent in grid characters (Word honours *Chars,
    LibreOffice reads the twips)."""
    attrs: dict[str, str | int] = {"left": left, "right": right}
    if first_line_chars:
        attrs["firstLine"] = layout.chars(first_line_chars)
        attrs["firstLineChars"] = round(first_line_chars * 100)
    put(ppr, element("w:ind", **attrs), PPR_ORDER)


def align(ppr: BaseOxmlElement, value: str) -> None:
    put(ppr, element("w:jc", val=value), PPR_ORDER)


def borders(ppr: BaseOxmlElement, *, top: int, bottom: int, rgb: str) -> None:
    """Single top and bottom borders of the given widths (eighths of a point)."""
    pbdr = element("w:pBdr")
    pbdr.append(element("w:top", val="single", sz=top, space=0, color=rgb))
    pbdr.append(element("w:bottom", val="single", sz=bottom, space=0, color=rgb))
    put(ppr, pbdr, PPR_ORDER)


def field_runs(instruction: str, cached: str, rpr: BaseOxmlElement | None) -> list[BaseOxmlElement]:
    """A complex field (begin / instrText / separate / result / end), the form every word
    processor updates; `cached` is shown until it does."""
    runs: list[BaseOxmlElement] = []
    parts: list[BaseOxmlElement] = [
        element("w:fldChar", fldCharType="begin"),
        element("w:instrText"),
        element("w:fldChar", fldCharType="separate"),
        element("w:t"),
        element("w:fldChar", fldCharType="end"),
    ]
    parts[1].set(qn("xml:space"), "preserve")
    parts[1].text = f" {instruction} "
    parts[3].text = cached
    for part in parts:
        run = element("w:r")
        if rpr is not None:
            run.append(_copy(rpr))
        run.append(part)
        runs.append(run)
    return runs


def text_run(text: str, rpr: BaseOxmlElement | None) -> BaseOxmlElement:
    run = element("w:r")
    if rpr is not None:
        run.append(_copy(rpr))
    t = element("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _copy(el: BaseOxmlElement) -> BaseOxmlElement:
    duplicate: BaseOxmlElement = copy.deepcopy(el)
    return duplicate
