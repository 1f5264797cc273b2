"""Report parser: reads rectification reports and feedback letters (.txt, .docx, .pdf) into
structured problems, measures and facts. Pure Python, no Django.

>>> report = parse_text(open("suibin-2024-17.txt").read())  # doctest: +SKIP
>>> report.problem_count  # doctest: +SKIP
15
"""

from __future__ import annotations

from dudao.parser.errors import ParseError
from dudao.parser.extract import extract_text
from dudao.parser.model import (
    FEEDBACK_LETTER,
    RECTIFICATION_REPORT,
    Fact,
    Problem,
    Report,
    Section,
    TrailingDocument,
    report_to_dict,
)
from dudao.parser.parse import parse_file, parse_text

__all__ = [
    "FEEDBACK_LETTER",
    "RECTIFICATION_REPORT",
    "Fact",
    "ParseError",
    "Problem",
    "Report",
    "Section",
    "TrailingDocument",
    "extract_text",
    "parse_file",
    "parse_text",
    "report_to_dict",
]
