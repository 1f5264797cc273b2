"""Characters a .docx or .xlsx cannot hold, and the longest text every output can hold.

XML 1.0 allows tab, line feed and carriage return among the C0 controls and nothing else;
lxml refuses the rest (and NUL), and a lone surrogate cannot even be encoded as UTF-8.
Such characters arrive invisibly, pasted from PDFs and web pages or typed into Excel, so
they are removed wherever text comes in (forms, Excel cells, parsed reports) and again
wherever a document is written. Pure Python, no Django.
"""

from __future__ import annotations

import re

# C0 controls except \t \n \r, DEL-free (DEL is legal XML), lone surrogates, U+FFFE/FFFF
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel refuses a cell of more than 32,767 characters; the long text fields (measures,
# outcome, progress, remark, problem statement) stay well inside it, and inside what a
# letter can sensibly print for one problem.
MAX_LONG_TEXT = 10_000


def clean(text: str) -> str:
    """`text` without the characters XML cannot hold (\\f and \\v become a space, since
    PDF extraction uses them as separators).

    >>> clean("整改\\x01完成\\x0c情况\\x00")
    '整改完成 情况'
    """
    if not INVALID.search(text):
        return text
    return INVALID.sub("", text.replace("\f", " ").replace("\v", " "))
