"""GB/T 9704-2012 page geometry, fonts and sizes, in the units Word stores (twips, half-points).

Numbers come from /work/shared/STANDARDS.md §3. A twip is 1/20 pt = 1/1440 inch.
"""

from __future__ import annotations

import math


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * 1440 / 25.4)


# A4, 天头 37 mm, 订口 28 mm; the 156 × 225 mm text block leaves 26 mm right, 35 mm bottom.
PAGE_WIDTH = mm(210)
PAGE_HEIGHT = mm(297)
MARGIN_TOP = mm(37)
MARGIN_BOTTOM = mm(35)
MARGIN_LEFT = mm(28)
MARGIN_RIGHT = mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

# 信函格式: the issuer mark's top edge sits 30 mm from the top of page 1. It lives in the
# first-page header, so the header starts there; other pages have empty headers.
HEADER_DISTANCE = mm(30)
# 信函格式: the lower red double line sits 20 mm from the bottom of page 1. It lives in the
# first-page footer (page 1 carries no number), so footers end there.
FOOTER_DISTANCE = mm(20)

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_PT = 16  # 3号: body, headings, 文号, signature

# Floor, not round: 22 × 580 twips would overflow the text block and give 21 lines.
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE
CHAR_PITCH = TEXT_WIDTH / CHARS_PER_LINE  # twips; one 字 of the grid
# w:charSpace is the pitch minus the default font size, in 1/4096 pt. Floor again: a pitch
# a hair too wide makes Word fit 27 characters instead of 28.
CHAR_SPACE = math.floor((CHAR_PITCH / 20 - BODY_PT) * 4096)
# The same pitch as plain character spacing (w:spacing, twips): 16 pt − 0.25 pt = 15.75 pt,
# 28 of which fit the 156 mm line. The text itself is laid out with this and exact line
# heights rather than by snapping to the grid, because LibreOffice puts a 16 pt character
# that is wider than a 15.79 pt grid cell into two cells (14 characters a line).
CHAR_TRACKING = math.floor(CHAR_PITCH) - BODY_PT * 20


def chars(count: float) -> int:
    """A width of `count` grid characters (字), in twips."""
    return round(count * CHAR_PITCH)


# Font names as Chinese offices have them installed. `FALLBACKS` are what Windows ships
# without the GB2312 packs; they go into the font table as w:altName so Word and WPS
# substitute sensibly, and LibreOffice falls back to any CJK font of the same family class.
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
FALLBACKS: dict[str, tuple[str, str]] = {
    # name: (w:altName, w:family)
    FANGSONG: ("仿宋", "roman"),
    KAITI: ("楷体", "roman"),
    HEITI: ("SimHei", "swiss"),
    XIAOBIAOSONG: ("宋体", "roman"),
    SONGTI: ("SimSun", "roman"),
}

SIZE_2 = 22  # 2号: title
SIZE_4 = 14  # 4号: page numbers
SIZE_SMALL_4 = 12  # 小四: table text
MARK_MAX_PT = 36  # 小初: the issuer mark, shrunk for long issuer names

RED = "FF0000"
THICK_LINE = 18  # eighths of a point: 2.25 pt
THIN_LINE = 6  # 0.75 pt
DOUBLE_LINE_LENGTH = mm(170)
