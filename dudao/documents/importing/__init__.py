"""Import of rectification reports and feedback letters into the ledger.

report_import_preview reads a file with the pure parser (dudao.parser) and works out what
it would change: which of the round's problems each parsed problem is, which of the
region's items it fills and how (before → after). report_import_apply carries that out
through the rectification services only (so every change is audited) and keeps the file as
an OfficialDocument with its SHA-256.
"""

from __future__ import annotations

from dudao.documents.importing.apply import report_import_apply
from dudao.documents.importing.plan import (
    CLOSE,
    EXACT,
    MISSING,
    NEW,
    FieldChange,
    Header,
    ImportPlan,
    ImportResult,
    ProblemPlan,
)
from dudao.documents.importing.preview import (
    check_import_allowed,
    report_import_preview,
)

__all__ = [
    "CLOSE",
    "EXACT",
    "MISSING",
    "NEW",
    "FieldChange",
    "Header",
    "ImportPlan",
    "ImportResult",
    "ProblemPlan",
    "check_import_allowed",
    "report_import_apply",
    "report_import_preview",
]
