"""The letters as LibreOffice renders them, checked on the PDF: every kind at 1, 15 and 40
items (the full 1–40 sweep is benchmarks/layout_sweep.py), and the PDF against the .docx's
own metrics and fonts. Skipped where LibreOffice is not installed."""

from __future__ import annotations

import io
import itertools
import subprocess
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest

from dudao.writers import docx_to_pdfs, layout, libreoffice_path
from dudao.writers.tests.layout_check import (
    KINDS,
    LEFT,
    PT_PER_MM,
    TOP,
    Figures,
    _lines,
    _text,
    build,
    sweep,
)

pytestmark = pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")
LENGTHS = (1, 15, 40)


@pytest.fixture(scope="module")
def checked() -> dict[tuple[str, int], Figures]:
    results = sweep([(k, n) for k in KINDS for n in LENGTHS], docx_to_pdfs)
    return {(r.kind, r.count): r for r in results}


@pytest.mark.parametrize("count", LENGTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_the_rendered_letter_passes_the_layout_check(
    checked: dict[tuple[str, int], Figures], kind: str, count: int
) -> None:
    figures = checked[(kind, count)]
    assert figures.failures == []
    # Signature and date share the last page with body text; titles have 2 or 3 lines.
    assert figures.body_lines_with_signature >= 1
    assert 2 <= len(figures.title_lines) <= 3
    if kind == "report":
        assert figures.full_lines > 5 * count // 2 and figures.full_line_chars == {28.0}


def test_the_last_page_never_holds_only_the_signature_and_date(
    checked: dict[tuple[str, int], Figures],
) -> None:
    # Before keep-together the 15-item report put 署名 and date alone on page 8.
    assert all(f.body_lines_with_signature >= 1 for f in checked.values())
    assert checked[("report", 15)].pages == 8


@pytest.fixture(scope="module")
def report_pdf() -> Iterator[Any]:
    (pdf,) = docx_to_pdfs([build("report", 15)])
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        yield document


def test_the_pdf_keeps_the_docx_grid_and_margins(report_pdf: Any) -> None:
    page = report_pdf.pages[1]
    lines = [line for line in _lines(page.chars) if abs(line[0]["size"] - 16) < 0.5]
    # Line pitch: the docGrid's linePitch (twips) to within a tenth of a point.
    tops = [line[0]["top"] for line in lines]
    pitches = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
    assert pitches <= {round(layout.LINE_PITCH / 20, 1), round(layout.LINE_PITCH / 20, 1) + 0.1}
    # The first line of page 2 stands at the 37 mm top margin (its glyphs within the line).
    assert TOP - 1 < tops[0] < TOP + layout.LINE_PITCH / 20
    # Character pitch on a line set solid: 16 pt + the tracking = 15.75 pt.
    solid = [line for line in lines if len(line) == 28]
    assert solid
    x = [c["x0"] for c in solid[0]]
    assert all(abs(b - a - 15.75) < 0.1 for a, b in itertools.pairwise(x))
    assert abs(solid[0][0]["x0"] - LEFT) < 0.5
    # No digit stands apart from the Chinese around it ("17号", not "17 号"): LibreOffice's
    # automatic gap is a quarter of a character (4 pt); what remains is the justification
    # of the line's last point or two, which LibreOffice puts at script boundaries (2.0 pt
    # with FandolFang's digits, against 0.8 pt between two Chinese characters).
    boundaries = 0
    for line in lines:
        for a, b in itertools.pairwise(line):
            if a["text"].isdigit() != b["text"].isdigit() and not (
                a["text"].isascii() and b["text"].isascii()
            ):
                boundaries += 1
                assert b["x0"] - a["x1"] < 2.5, _text(line)
    assert boundaries


def _installed(family: str) -> bool:
    found = subprocess.run(["fc-list", family], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def test_each_office_font_gets_a_face_of_its_kind(report_pdf: Any) -> None:
    first = report_pdf.pages[0]
    by_text: dict[str, Counter[str]] = {}
    for line in _lines(first.chars):
        by_text[_text(line)] = Counter(c["fontname"].split("+")[-1] for c in line)

    def face(prefix: str) -> str:
        text = next(t for t in by_text if t.startswith(prefix))
        return by_text[text].most_common(1)[0][0]

    assert "Serif" in face("绥滨县人民政府关于") and "Bold" in face("绥滨县人民政府关于")  # 小标宋
    assert "Sans" in face("一、")  # 黑体
    assert "UKai" in face("（一）")  # 楷体
    # 仿宋: FandolFang where .ci/run could install it, else a light Ming
    assert ("FandolFang" if _installed("FandolFang") else "UMing") in face("按照")
    assert round(first.width / PT_PER_MM) == 210


# The summary shifted so that a county heading falls at a page end: at +8 lines the last
# county's heading, caption and first row end page 3 (LibreOffice lost the rest of that
# table while its first row could not split); at +19 "二、超期未完成事项" and the line
# announcing table 3 ended page 2 apart from the table.
@pytest.mark.parametrize("shift", [8, 19])
def test_headings_and_captions_stay_with_their_tables(shift: int) -> None:
    (figures,) = sweep([("summary", 15, shift)], docx_to_pdfs)
    assert figures.failures == []
    assert figures.headings >= 12  # 一、二、三、, 3 counties, 6 table captions
