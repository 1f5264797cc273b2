"""The rendered-layout checker itself, on made-up lines: it flags a heading or caption
left at a page end apart from what it introduces."""

from __future__ import annotations

from typing import Any

from dudao.writers.tests.layout_check import Figures, _kept_with_what_follows


def _line(text: str, size: float, face: str, top: float) -> list[dict[str, Any]]:
    return [
        {"text": ch, "size": size, "fontname": face, "top": top, "bottom": top + size}
        for ch in text
    ]


BODY, HEI, KAI = "AR PL UMing CN", "NotoSansCJKjp-Regular", "AR PL UKai CN"


def _figures(flow: list[tuple[int, list[dict[str, Any]]]]) -> Figures:
    figures = Figures("summary", 15)
    _kept_with_what_follows(figures, flow)
    return figures


def test_a_county_heading_kept_with_its_table_passes() -> None:
    flow = [
        (1, _line("（一）绥滨县", 16, KAI, 600)),
        (1, _line("共5个问题，已销号1个，超期1个。", 16, BODY, 630)),
        (1, _line("表4绥滨县整改台账", 14, HEI, 660)),
        (1, _line("序号方面问题", 12, HEI, 680)),
        (1, _line("1教育优先", 12, BODY, 700)),
        (2, _line("序号方面问题", 12, HEI, 110)),
    ]
    figures = _figures(flow)
    assert figures.failures == [] and figures.headings == 2


def test_a_county_heading_at_a_page_end_fails() -> None:
    flow = [
        (1, _line("（一）绥滨县", 16, KAI, 690)),
        (1, _line("共5个问题，已销号1个，超期1个。", 16, BODY, 720)),
        (2, _line("表4绥滨县整改台账", 14, HEI, 110)),
        (2, _line("序号方面问题", 12, HEI, 130)),
        (2, _line("1教育优先", 12, BODY, 150)),
    ]
    assert _figures(flow).failures == ["第1页标题“（一）绥滨县”与其表格分开"]


def test_a_caption_without_its_first_row_and_a_lone_heading_fail() -> None:
    flow = [
        (1, _line("一、总体情况", 16, HEI, 700)),
        (2, _line("本轮共涉及3个县（市、区）。", 16, BODY, 110)),
        (2, _line("表1各县（市、区）整改进展", 14, HEI, 700)),
        (2, _line("县（市、区）问题数", 12, HEI, 720)),
        (3, _line("绥滨县5", 12, BODY, 110)),
    ]
    assert _figures(flow).failures == [
        "第1页标题“一、总体情况”在页末，与下文分开",
        "第2页表题“表1各县（市、区）整改进展”与表格首行分开",
    ]
