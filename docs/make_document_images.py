"""Render page 1 and the last page of each kind of letter (15 items) as 80 dpi PNGs in
docs/, through LibreOffice and poppler's pdftoppm, as the layout check sees them.

.venv/bin/python docs/make_document_images.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber

from dudao.writers import docx_to_pdfs
from dudao.writers.tests.layout_check import build

HERE = Path(__file__).resolve().parent
NAMES = {
    "report": "rectification-report",
    "notice": "feedback-letter",
    "summary": "summary-report",
}
ITEMS = 15


def main() -> None:
    kinds = list(NAMES)
    pdfs = docx_to_pdfs([build(kind, ITEMS) for kind in kinds])
    with tempfile.TemporaryDirectory() as tmp:
        for kind, pdf in zip(kinds, pdfs, strict=True):
            source = Path(tmp) / f"{kind}.pdf"
            source.write_bytes(pdf)
            with pdfplumber.open(source) as document:
                last = len(document.pages)
            for page, suffix in ((1, "p1"), (last, "last")):
                target = HERE / f"{NAMES[kind]}-{suffix}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "80",
                        "-png",
                        "-singlefile",
                        "-f",
                        str(page),
                        "-l",
                        str(page),
                        str(source),
                        str(target),
                    ],
                    check=True,
                )
                sys.stdout.write(f"{target.name}.png: page {page} of {last}\n")


if __name__ == "__main__":
    main()
