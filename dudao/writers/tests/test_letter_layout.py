"""Page layout of the generated 函, read back from the .docx XML (GB/T 9704-2012 values)."""

from __future__ import annotations

import datetime

import pytest

from dudao.lib.zh import cn_numeral
from dudao.writers import (
    LetterHead,
    ReportProblem,
    ReportSection,
    render_feedback_letter,
    render_rectification_report,
)
from dudao.writers.tests import sample
from dudao.writers.tests.documents import NS, Docx, text_of, w

MM = 1440 / 25.4


@pytest.fixture(scope="module")
def report() -> Docx:
    return Docx(
        render_rectification_report(
            sample.head(), sample.preamble(), sample.sections(), sample.CLOSING
        )
    )


def twips(mm: float) -> int:
    return round(mm * MM)


def test_it_sets_a4_with_the_standard_margins(report: Docx) -> None:
    size = report.sect.find("w:pgSz", NS)
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (twips(210), twips(297))
    margins = report.sect.find("w:pgMar", NS)
    got = {k: int(margins.get(w(k))) for k in ("top", "bottom", "left", "right")}
    assert got == {"top": twips(37), "bottom": twips(35), "left": twips(28), "right": twips(26)}
    # 信函格式: the mark starts 30 mm from the top, the lower double line 20 mm from the bottom.
    assert int(margins.get(w("header"))) == twips(30)
    assert int(margins.get(w("footer"))) == twips(20)


def test_it_declares_a_grid_of_22_lines_of_28_characters(report: Docx) -> None:
    grid = report.sect.find("w:docGrid", NS)
    # "lines": with "linesAndChars" LibreOffice sets 27 characters a line, not 28; the
    # 28 come from the Normal style's character spacing (15.75 pt a character).
    assert grid.get(w("type")) == "lines"
    line_pitch, char_space = int(grid.get(w("linePitch"))), int(grid.get(w("charSpace")))
    assert line_pitch == 579
    text_height = twips(297) - twips(37) - twips(35)
    assert text_height // line_pitch == 22
    text_width_pt = (twips(210) - twips(28) - twips(26)) / 20
    assert int(text_width_pt / (16 + char_space / 4096)) == 28
    # The largest such value: one more and Word fits only 27 characters.
    assert int(text_width_pt / (16 + (char_space + 1) / 4096)) == 27


def test_body_text_is_laid_out_on_that_grid_in_every_word_processor(report: Docx) -> None:
    normal = report.style("Normal")
    assert normal.find("w:pPr/w:snapToGrid", NS).get(w("val")) == "0"
    tracking = int(normal.find("w:rPr/w:spacing", NS).get(w("val")))
    assert 28 * (16 + tracking / 20) <= (twips(210) - twips(28) - twips(26)) / 20
    assert 29 * (16 + tracking / 20) > (twips(210) - twips(28) - twips(26)) / 20
    body = report.style("GwBody").find("w:pPr/w:spacing", NS)
    assert (body.get(w("line")), body.get(w("lineRule"))) == ("579", "exact")


@pytest.mark.parametrize(
    ("style_id", "font", "half_points"),
    [
        ("GwBody", "仿宋_GB2312", 32),
        ("GwTitle", "方正小标宋简体", 44),
        ("GwHeading1", "黑体", 32),
        ("GwHeading2", "楷体_GB2312", 32),
        ("GwRecipient", "仿宋_GB2312", 32),
        ("GwSignature", "仿宋_GB2312", 32),
        ("GwPageNumber", "宋体", 28),
    ],
)
def test_each_style_names_its_chinese_font_and_size(
    report: Docx, style_id: str, font: str, half_points: int
) -> None:
    rpr = report.style(style_id).find("w:rPr", NS)
    fonts = rpr.find("w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == font
    assert fonts.get(w("ascii")) == font
    assert int(rpr.find("w:sz", NS).get(w("val"))) == half_points


def test_the_font_table_gives_windows_fallbacks(report: Docx) -> None:
    table = report.part("word/fontTable.xml")
    alt = {
        f.get(w("name")): f.find("w:altName", NS).get(w("val"))
        for f in table.findall("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert alt["仿宋_GB2312"] == "仿宋"
    assert alt["楷体_GB2312"] == "楷体"


def test_body_paragraphs_and_headings_are_indented_two_characters(report: Docx) -> None:
    for style_id in ("GwBody", "GwHeading1", "GwHeading2"):
        ind = report.style(style_id).find("w:pPr/w:ind", NS)
        assert ind.get(w("firstLineChars")) == "200"
        assert int(ind.get(w("firstLine"))) == round(2 * (twips(210) - twips(28) - twips(26)) / 28)
    recipient = report.style("GwRecipient").find("w:pPr/w:ind", NS)
    assert recipient.get(w("firstLine")) is None


def test_page_one_has_no_number_and_carries_the_letterhead(report: Docx) -> None:
    assert report.sect.find("w:titlePg", NS) is not None
    first_footer = report.reference("footer", "first")
    assert "PAGE" not in "".join(t.text or "" for t in first_footer.iter(w("instrText")))
    header = report.reference("header", "first")
    assert text_of(header) == "绥滨县人民政府"
    mark = next(header.iter(w("r")))
    assert mark.find("w:rPr/w:color", NS).get(w("val")) == "FF0000"


@pytest.mark.parametrize(("part", "thick_on_top"), [("header", True), ("footer", False)])
def test_red_double_lines_are_170_mm_long(report: Docx, part: str, thick_on_top: bool) -> None:
    root = report.reference(part, "first")
    line = next(p for p in root.iter(w("p")) if p.find("w:pPr/w:pBdr", NS) is not None)
    ind = line.find("w:pPr/w:ind", NS)
    text_width = twips(210) - twips(28) - twips(26)
    length = text_width - int(ind.get(w("left"))) - int(ind.get(w("right")))
    assert abs(length - twips(170)) <= 2
    top, bottom = (line.find(f"w:pPr/w:pBdr/w:{side}", NS) for side in ("top", "bottom"))
    assert top.get(w("color")) == bottom.get(w("color")) == "FF0000"
    assert (int(top.get(w("sz"))) > int(bottom.get(w("sz")))) is thick_on_top


def test_odd_and_even_pages_have_different_footers(report: Docx) -> None:
    flag = report.settings.find("w:evenAndOddHeaders", NS)
    assert flag is not None
    assert flag.get(w("val")) in (None, "1", "true")


@pytest.mark.parametrize(("which", "side"), [("default", "right"), ("even", "left")])
def test_page_numbers_are_page_fields_between_dashes(report: Docx, which: str, side: str) -> None:
    footer = report.reference("footer", which)
    para = footer.find("w:p", NS)
    assert para.find("w:pPr/w:jc", NS).get(w("val")) == side
    assert int(para.find("w:pPr/w:ind", NS).get(w(side))) == 280  # one 4号 character in
    instructions = "".join(t.text or "" for t in para.iter(w("instrText")))
    assert instructions.strip() == "PAGE"
    texts = [t.text for t in para.iter(w("t"))]
    assert texts[0] == "— " and texts[-1] == " —"
    assert [f.get(w("fldCharType")) for f in para.iter(w("fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]


def test_it_numbers_problems_continuously_across_dimensions(report: Docx) -> None:
    headings = [text for style, text in report.paragraphs() if style == "GwHeading2"]
    numerals = [cn_numeral(n) for n in range(1, 16)]
    assert [h[: h.index("）") + 1] for h in headings] == [f"（{n}）" for n in numerals]
    assert headings[0] == (
        "（一）存在“普通高中理科实验室设施设备更新缓慢，未能适应新教材、新课程、新高考改革的需求”的问题"
    )
    assert headings[1].startswith("（二）存在“部分学校人防投入不足，导致安防建设‘四个百分百’")


def test_dimensions_are_black_headings_and_the_closing_is_the_next_one(report: Docx) -> None:
    headings = [text for style, text in report.paragraphs() if style == "GwHeading1"]
    assert headings == [
        "一、教育优先发展方面",
        "二、重点任务落实方面",
        "三、教师队伍建设方面",
        "四、校园安全方面",
        "五、下一步打算",
    ]


def test_each_problem_is_followed_by_its_outcome(report: Docx) -> None:
    paragraphs = report.paragraphs()
    first = next(i for i, (s, _) in enumerate(paragraphs) if s == "GwHeading2")
    style, text = paragraphs[first + 1]
    assert style == "GwBody"
    assert text.startswith("整改情况：我县第一中学已申报2024年国家改造提升项目")


def test_the_front_matter_is_in_order(report: Docx) -> None:
    paragraphs = [(s, t) for s, t in report.paragraphs() if t]
    assert paragraphs[0] == ("GwDocNumber", "绥政函〔2024〕17号")
    titles = [t for s, t in paragraphs if s == "GwTitle"]
    assert "".join(titles) == "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函"
    assert len(titles) > 1
    assert paragraphs[len(titles) + 1] == ("GwRecipient", "鹤岗市人民政府教育督导委员会：")


def test_signature_is_centred_over_the_date_four_characters_from_the_right(report: Docx) -> None:
    body = report.document.find("w:body", NS)
    signature, date = body.findall("w:p", NS)[-2:]
    assert text_of(date) == "2024年5月28日"
    assert text_of(signature) == "绥滨县人民政府"
    char = (twips(210) - twips(28) - twips(26)) / 28
    date_indent = int(date.find("w:pPr/w:ind", NS).get(w("right")))
    sig_indent = int(signature.find("w:pPr/w:ind", NS).get(w("right")))
    assert date_indent == round(4 * char)
    # Date 6.5 characters wide (2024, 5, 28 are half-width), signature 7: centred means the
    # signature sits a quarter character further right than the date's right edge.
    assert sig_indent == round(3.75 * char)


def test_the_feedback_letter_gives_each_problem_a_lead_unit_and_deadline() -> None:
    head = LetterHead(
        issuer="鹤岗市人民政府教育督导委员会办公室",
        doc_number="鹤政教督办函〔2024〕3号",
        title="关于2023年履行教育职责评价反馈问题整改的通知",
        recipient="绥滨县人民政府",
        date=datetime.date(2024, 3, 15),
    )
    sections = (
        ReportSection(
            "教育优先发展方面",
            (
                ReportProblem("教育专网建设进度缓慢", "", datetime.date(2024, 6, 30), "县教育局"),
                ReportProblem("未及时落实特殊教育政策", "", None, ""),
            ),
        ),
        ReportSection("校园安全方面", (ReportProblem("安防人员能力不足", lead_unit="县公安局"),)),
    )
    doc = Docx(render_feedback_letter(head, "现将问题反馈如下：", sections))
    texts = [t for _, t in doc.paragraphs() if t]
    start = texts.index("一、教育优先发展方面")
    assert texts[start : start + 7] == [
        "一、教育优先发展方面",
        "（一）教育专网建设进度缓慢",
        "牵头单位：县教育局",
        "整改时限：2024年6月30日",
        "（二）未及时落实特殊教育政策",
        "二、校园安全方面",
        "（三）安防人员能力不足",
    ]
    assert texts[-2:] == ["鹤岗市人民政府教育督导委员会办公室", "2024年3月15日"]
    assert texts[0] == "鹤政教督办函〔2024〕3号"


def test_a_recipient_without_colon_gets_a_full_width_one() -> None:
    head = LetterHead(
        "甲县人民政府", "", "关于整改情况的函", "乙市教育局:", datetime.date(2024, 1, 2)
    )
    doc = Docx(render_rectification_report(head, "正文。", ()))
    texts = [t for s, t in doc.paragraphs() if s == "GwRecipient"]
    assert texts == ["乙市教育局："]
    assert not [t for s, t in doc.paragraphs() if s == "GwDocNumber"]


def test_the_document_properties_are_the_letters_own(report: Docx) -> None:
    core = report.part("docProps/core.xml")
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
    }
    assert core.findtext("dc:title", namespaces=ns) == sample.head().title
    assert core.findtext("dc:creator", namespaces=ns) == "绥滨县人民政府"
    assert core.findtext("dc:language", namespaces=ns) == "zh-CN"
    created = datetime.datetime.fromisoformat(core.findtext("dcterms:created", namespaces=ns))
    assert abs(datetime.datetime.now(datetime.UTC) - created) < datetime.timedelta(hours=1)
    app = report.zip.read("docProps/app.xml").decode()
    assert "Microsoft" not in app and "<Application>Dudao</Application>" in app
    assert "docProps/thumbnail.jpeg" not in report.zip.namelist()
    lang = report.settings.find("w:themeFontLang", NS)
    assert lang.get(w("eastAsia")) == "zh-CN"
