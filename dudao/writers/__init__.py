"""Official documents (GB/T 9704 函 as .docx, PDF) and Excel 整改台账 out of the ledger.

A pure package: frozen dataclasses in, bytes out (or a LedgerFile back), no Django.
WriterError is its one exception; its message is Chinese and tells the clerk what to do.
"""

from dudao.writers.content import (
    LetterHead,
    ReportProblem,
    ReportSection,
    SummaryCounty,
    SummaryData,
    SummaryItem,
)
from dudao.writers.errors import WriterError
from dudao.writers.ledger import (
    LEDGER_COLUMNS,
    REGION_COLUMN,
    STATUS_LABELS,
    CellError,
    LedgerFile,
    LedgerItem,
    LedgerRow,
    LedgerSheet,
    SummaryCount,
    SummarySheet,
    summary_of,
)
from dudao.writers.pdf import docx_to_pdf, docx_to_pdfs, libreoffice_path
from dudao.writers.reader import read_ledger_xlsx
from dudao.writers.report import render_feedback_letter, render_rectification_report
from dudao.writers.summary import render_summary_report
from dudao.writers.workbook import write_ledger_xlsx

__all__ = [
    "LEDGER_COLUMNS",
    "REGION_COLUMN",
    "STATUS_LABELS",
    "CellError",
    "LedgerFile",
    "LedgerItem",
    "LedgerRow",
    "LedgerSheet",
    "LetterHead",
    "ReportProblem",
    "ReportSection",
    "SummaryCount",
    "SummaryCounty",
    "SummaryData",
    "SummaryItem",
    "SummarySheet",
    "WriterError",
    "docx_to_pdf",
    "docx_to_pdfs",
    "libreoffice_path",
    "read_ledger_xlsx",
    "render_feedback_letter",
    "render_rectification_report",
    "render_summary_report",
    "summary_of",
    "write_ledger_xlsx",
]
