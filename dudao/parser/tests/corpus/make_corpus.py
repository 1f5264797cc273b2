"""Regenerate the parser's test corpus: `python -m dudao.parser.tests.corpus.make_corpus`
(`--layouts` rewrites only the documents of layouts.py, `--scans` only the image-only PDFs
of scans/, `--ledgers` only the workbooks of ledgers/, all without LibreOffice).

Variants of the real sample (reflowed, flattened, page footers and running headers, website
chrome, GBK, UTF-8 with BOM, .docx, .pdf), invented reports of other kinds (documents.py),
and files the parser must refuse. PDFs are made with LibreOffice (`soffice`), once: the
tests read the committed files and never call soffice. `manifest.json` maps every file to
its expected reading.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw

from dudao.parser.tests.corpus.documents import AUDIT, DOCUMENTS, FEEDBACK, Doc
from dudao.parser.tests.corpus.layouts import LAYOUTS

HERE = Path(__file__).parent
SAMPLE = "suibin-2024-17"
GOLD = f"{SAMPLE}.gold.json"
TITLE = "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函"


def sample_lines() -> list[str]:
    text = (HERE / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def wrap(lines: list[str], width: int = 28) -> list[str]:
    """Fixed-width lines, as text copied out of a PDF page."""
    return [line[i : i + width] for line in lines for i in range(0, len(line), width)]


def paginate(lines: list[str], header: str, per_page: int = 22) -> list[str]:
    """Insert a running header and a page footer in one of the usual spellings per page."""
    out: list[str] = []
    footers = ("— {} —", "-{}-", "第{}页", "- {} -")
    for page, start in enumerate(range(0, len(lines), per_page), start=1):
        if page > 1:
            out.append(header)
        out.extend(lines[start : start + per_page])
        out.append(footers[page % len(footers)].format(page))
    return out


def web_page(lines: list[str]) -> list[str]:
    return [
        "当前位置：首页 > 信息公开 > 政策文件",
        TITLE,
        "发布日期：2024-05-30 10:21　来源：绥滨县人民政府办公室　浏览次数：1024",
        "字号：[ 大 中 小 ]　【打印本页】",
        *lines,
        "【打印本页】【关闭窗口】",
        "上一篇：绥滨县2024年第一季度政务公开工作情况",
        "主办单位：绥滨县人民政府　网站标识码：2304220001",
    ]


def write_text(name: str, lines: list[str], encoding: str = "utf-8", sep: str = "\n") -> None:
    (HERE / name).write_bytes(sep.join(lines).encode(encoding))


def _numbering(document: docx.document.Document) -> None:
    """Add Word list numbering "一、" (level 0) and "（一）" (level 1) as numId 90."""
    root = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, text in ((0, "%1、"), (1, "（%2）")):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        specs = [("w:start", "1"), ("w:numFmt", "chineseCounting")]
        # level 1 runs on across sections, as the feedback letter numbers its problems
        specs += [("w:lvlRestart", "0")] if ilvl else []
        for tag, value in (*specs, ("w:lvlText", text)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            lvl.append(element)
        abstract.append(lvl)
    root.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    root.append(num)


def _numbered(paragraph: Paragraph, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", str(ilvl)), ("w:numId", "90")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        num_pr.append(element)
    ppr.append(num_pr)


def write_docx(name: str, lines: list[str], table: list[list[str]] | None = None) -> None:
    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table and i == 4:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    document.save(str(HERE / name))


def write_numbered_docx(doc: Doc, name: str) -> None:
    """The feedback letter with Word's automatic numbering instead of typed labels."""
    document = docx.Document()
    document.add_paragraph("List Number", style="List Number")  # creates the numbering part
    body = document.element.body
    body.remove(body[0])
    _numbering(document)
    for line in [*doc.head, *doc.title, doc.recipient, *doc.preamble]:
        document.add_paragraph(line)
    for part in doc.parts:
        _numbered(document.add_paragraph(part.title), 0)
        for item in part.items:
            _numbered(document.add_paragraph(item.text), 1)
    for line in doc.closing:
        document.add_paragraph(line)
    document.save(str(HERE / name))


def to_pdf(docx_name: str, pdf_name: str, options: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = f"pdf:writer_pdf_Export:{options}" if options else "pdf"
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                tmp,
                str(HERE / docx_name),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(str(Path(tmp) / (Path(docx_name).stem + ".pdf")), HERE / pdf_name)


def scanned_pdf(name: str) -> None:
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for y in range(200, 1500, 60):
        draw.rectangle((150, y, 1090, y + 24), fill=(40, 40, 40))
    image.save(HERE / name, "PDF", resolution=150)


def write_layouts(manifest: dict[str, dict[str, str]]) -> None:
    """The documents of layouts.py, under layouts/, each with its expected reading."""
    folder = HERE / "layouts"
    folder.mkdir(exist_ok=True)
    for layout in LAYOUTS:
        path = folder / layout.name
        if layout.name.endswith(".docx"):
            document = docx.Document()
            for line in layout.lines:
                document.add_paragraph(line)
            grid = document.add_table(rows=len(layout.table), cols=len(layout.table[0]))
            for r, row in enumerate(layout.table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
            document.save(str(path))
        else:
            path.write_text(layout.text() + "\n", encoding="utf-8")
        expected = f"{path.stem}.expected.json"
        (folder / expected).write_text(
            json.dumps(layout.expectation(), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        manifest[f"layouts/{layout.name}"] = {"expect": f"layouts/{expected}"}


def image_only_pdf(source: str, target: str) -> None:
    """A scan of a printed letter: each page of `source` as a grey 150 dpi image, a red seal
    ring over the signature of the last page, no text layer (for the OCR tests)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(HERE / source)
    pages = []
    for n, page in enumerate(document):
        image = page.render(scale=150 / 72).to_pil().convert("RGB")
        if n == len(document) - 1:
            draw = ImageDraw.Draw(image)
            x, y = int(image.width * 0.62), int(image.height * 0.55)
            draw.ellipse((x, y, x + 240, y + 240), outline=(214, 40, 40), width=6)
        pages.append(image.convert("L"))
    folder = HERE / "scans"
    folder.mkdir(exist_ok=True)
    pages[0].save(folder / target, "PDF", resolution=150, save_all=True, append_images=pages[1:])


def write_ledgers() -> None:
    """The ledgers of ledgers.py: an .xlsx with title rows, merged cells and two sheets,
    and a .csv in another order."""
    import csv

    import openpyxl

    from dudao.parser.tests.corpus import ledgers

    folder = HERE / "ledgers"
    folder.mkdir(exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for name, rows in ledgers.COUNTY_SHEETS.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
        if name == "教育保障":
            for cells in ledgers.COUNTY_MERGED:
                sheet.merge_cells(cells)
        else:
            sheet.merge_cells("A1:H1")
    book.save(folder / "county-ledger.xlsx")
    with (folder / "bureau-ledger.csv").open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(ledgers.BUREAU_ROWS)


def write_xls() -> None:
    """ledgers/county-ledger.xls: the county workbook saved by LibreOffice as legacy Excel
    (BIFF8), as offices still send it. Needs soffice; run once, the file is committed."""
    folder = HERE / "ledgers"
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                tmp,
                str(folder / "county-ledger.xlsx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copy(Path(tmp, "county-ledger.xls"), folder / "county-ledger.xls")


def layouts_only() -> None:
    """Rewrite only the layouts/ documents and their manifest entries (no soffice)."""
    path = HERE / "manifest.json"
    manifest: dict[str, dict[str, str]] = json.loads(path.read_text("utf-8"))
    manifest = {k: v for k, v in manifest.items() if not k.startswith("layouts/")}
    write_layouts(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    manifest: dict[str, dict[str, str]] = {}
    lines = sample_lines()
    variants = {
        f"{SAMPLE}.txt": None,
        "suibin-reflowed.txt": wrap(lines),
        "suibin-footers.txt": paginate(wrap(lines), TITLE),
        "suibin-web.txt": web_page(lines),
        "suibin-flat.txt": [" ".join(lines)],
        "suibin-flat-nospace.txt": ["".join(lines)],
        "suibin-crlf.txt": lines,
    }
    for name, content in variants.items():
        if content is not None:
            write_text(name, content, sep="\r\n" if "crlf" in name else "\n")
        manifest[name] = {"expect": GOLD}
    write_text("suibin-gbk.txt", lines, encoding="gb18030")
    (HERE / "suibin-bom.txt").write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    write_docx("suibin.docx", lines)
    to_pdf("suibin.docx", "suibin.pdf")
    for name in ("suibin-gbk.txt", "suibin-bom.txt", "suibin.docx", "suibin.pdf"):
        manifest[name] = {"expect": GOLD}

    for doc in DOCUMENTS:
        expected = f"{doc.name}.expected.json"
        (HERE / expected).write_text(
            json.dumps(doc.expectation(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        write_text(f"{doc.name}.txt", doc.lines())
        manifest[f"{doc.name}.txt"] = {"expect": expected}
    audit = AUDIT.lines()
    write_text("audit-rectification-footers.txt", paginate(wrap(audit, 30), "萝北县教育局", 15))
    manifest["audit-rectification-footers.txt"] = {"expect": "audit-rectification.expected.json"}
    table = [
        ["序号", "问题", "整改状态"],
        ["1", "项目资金未及时拨付", "已完成"],
        ["2", "采购程序不规范", "已完成"],
    ]
    write_docx("audit-rectification.docx", audit, table)
    to_pdf("audit-rectification.docx", "audit-rectification.pdf")
    manifest["audit-rectification.docx"] = {"expect": "audit-rectification.expected.json"}
    manifest["audit-rectification.pdf"] = {"expect": "audit-rectification.expected.json"}
    write_numbered_docx(FEEDBACK, "feedback-letter-numbered.docx")
    manifest["feedback-letter-numbered.docx"] = {"expect": "feedback-letter.expected.json"}

    # about 20 pages for the benchmark: the sample's body seven times over
    body = lines[lines.index("一、教育优先发展方面") : lines.index("绥滨县人民政府办公室文件")]
    write_docx("long-20-pages.docx", lines[:6] + body * 7)
    to_pdf("long-20-pages.docx", "long-20-pages.pdf")
    (HERE / "long-20-pages.docx").unlink()

    # files to refuse, with a word the message must contain
    (HERE / "legacy.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"WPS" * 50
    )
    (HERE / "empty.txt").write_bytes(b"")
    (HERE / "random.bin").write_bytes(random.Random(3).randbytes(4096))
    scanned_pdf("scanned.pdf")
    password = '{"EncryptFile":{"type":"boolean","value":"true"},' + (
        '"DocumentOpenPassword":{"type":"string","value":"dudao"}}'
    )
    to_pdf("audit-rectification.docx", "encrypted.pdf", password)
    refusals = {
        "legacy.doc": ".docx",
        "empty.txt": "为空",
        "random.bin": "无法识别",
        "scanned.pdf": "没有文字层",
        "encrypted.pdf": "加密",
    }
    for name, word in refusals.items():
        manifest[name] = {"error": word}
    write_layouts(manifest)
    image_only_pdf("suibin.pdf", "suibin-scan.pdf")
    image_only_pdf("audit-rectification.pdf", "audit-rectification-scan.pdf")
    write_ledgers()
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    if "--layouts" in sys.argv[1:]:
        layouts_only()
    elif "--ledgers" in sys.argv[1:]:
        write_ledgers()
    elif "--xls" in sys.argv[1:]:
        write_xls()
    elif "--scans" in sys.argv[1:]:
        image_only_pdf("suibin.pdf", "suibin-scan.pdf")
        image_only_pdf("audit-rectification.pdf", "audit-rectification-scan.pdf")
    else:
        main()
