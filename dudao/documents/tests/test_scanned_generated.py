"""Scans of the letters Dudao generates: the city's 整改通知 and the county's 整改情况报告,
rendered to PDF by LibreOffice, printed to page images (grey, 150 dpi, a red seal ring),
rebuilt as image-only PDFs, and imported through the browser: the preview says the text
was read by OCR, shows each page image beside it, and every problem matches the ledger."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ImageDraw

from dudao.cli import main
from dudao.documents import generation
from dudao.parser import ocr
from dudao.rectification import services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not generation.pdf_available(), reason="no LibreOffice"),
    pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-chi-sim is not installed"),
]


def scanned(pdf: bytes) -> bytes:
    """Each page of `pdf` as a grey 150 dpi image, a red seal ring on the last one, no text
    layer: what a scanner makes of the printed letter."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(pdf)
    pages = []
    for n, page in enumerate(document):
        image = page.render(scale=150 / 72).to_pil().convert("RGB")
        if n == len(document) - 1:
            x, y = int(image.width * 0.62), int(image.height * 0.55)
            ImageDraw.Draw(image).ellipse((x, y, x + 240, y + 240), outline=(214, 40, 40), width=6)
        pages.append(image.convert("L"))
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return out.getvalue()


def generated(chain: Any, tmp_path: Path, kind: str, user: str, capsys: Any) -> bytes:
    out = tmp_path / f"{kind}.pdf"
    main(["report", "--round", str(chain.round.pk), "--region", "230422", "--kind", kind,
          "--user", user, "--date", "2024-03-01", "-o", str(out)])  # fmt: skip
    capsys.readouterr()
    return out.read_bytes()


def preview_of(client: Any, chain: Any, name: str, data: bytes) -> tuple[Any, str]:
    uploaded = client.post(
        reverse("import-upload"),
        {"file": SimpleUploadedFile(name, data), "round": chain.round.pk, "region": "230422"},
    )
    assert uploaded.status_code == 302, uploaded.content.decode()[:2000]
    token = uploaded["Location"].rstrip("/").rsplit("/", 1)[-1]
    return client.get(uploaded["Location"]), token


def assert_read_by_ocr(client: Any, preview: Any, token: str, chain: Any) -> None:
    html = preview.content.decode()
    plan = preview.context["plan"]
    assert plan.ocr_pages >= 1
    assert 'id="ocr-notice"' in html and f"由 OCR 从 {plan.ocr_pages} 页扫描图像中识别" in html
    for number in range(1, plan.ocr_pages + 1):
        page = reverse("import-page", args=[token, number])
        assert f'src="{page}"' in html
        image = client.get(page)
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # every problem of the letter is one of the county's items
    assert [e.problem.pk if e.problem else None for e in plan.entries] == [
        p.pk for p in chain.problems
    ]
    assert all(e.match in ("exact", "close") for e in plan.entries)
    assert not any(e.create_problem or e.create_item for e in plan.entries)


def test_the_scanned_notice_the_city_generated_imports_for_the_county(
    chain: Any, client_for: Any, tmp_path: Path, capsys: Any, media: Path
) -> None:
    scan = scanned(generated(chain, tmp_path, "notice", "hegang", capsys))
    client = client_for("suibin")
    preview, token = preview_of(client, chain, "整改通知扫描件.pdf", scan)
    assert preview.status_code == 200
    assert preview.context["plan"].kind == "feedback_letter"
    assert_read_by_ocr(client, preview, token, chain)


def test_the_scanned_report_the_county_generated_imports_for_the_city(
    chain: Any, client_for: Any, personas: Any, tmp_path: Path, capsys: Any, media: Path
) -> None:
    outcomes = [
        "已完成全县教育专网升级改造，新增千兆接入学校12所，专网覆盖率达到100%。",
        "组织安防人员专题培训3期，培训186人次，全部考核合格。",
    ]
    for item, outcome in zip(chain.suibin_items, outcomes, strict=True):
        item.refresh_from_db()
        services.item_update(
            acting_user=personas["suibin"],
            item=item,
            expected_version=item.version,
            outcome=outcome,
        )
    scan = scanned(generated(chain, tmp_path, "rectification", "suibin", capsys))
    client = client_for("hegang")
    preview, token = preview_of(client, chain, "绥滨县整改报告扫描件.pdf", scan)
    assert preview.status_code == 200
    assert preview.context["plan"].kind == "rectification_report"
    assert_read_by_ocr(client, preview, token, chain)
    # the outcomes read from the scan are the county's, a slip or two at most
    import difflib

    for entry, outcome in zip(preview.context["plan"].entries, outcomes, strict=True):
        ratio = difflib.SequenceMatcher(None, "".join(entry.measures.split()), outcome).ratio()
        assert ratio >= 0.8, entry.measures
