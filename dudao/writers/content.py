"""What goes into the official documents: plain frozen dataclasses, no layout."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from dudao.lib import chars

T = TypeVar("T")


@dataclass(frozen=True)
class LetterHead:
    """The parts of a 函 around its body.

    `signature` is the issuer name printed over the date; None prints `issuer`.
    `doc_number` is the finished 发文字号 (e.g. from `dudao.lib.zh.format_doc_number`);
    an empty string leaves it out. A `title` containing "\\n" is broken there; otherwise
    a long title is broken automatically into a diamond or trapezoid shape.
    `closing` is the closing line (特此函告。); None uses the document kind's own, "" none.
    `contact` is the 附注 under the date (联系人：王建国，电话：0468-1234567), printed in
    parentheses; `copy_to` the 抄送 organs at the end. Empty strings leave them out.
    """

    issuer: str
    doc_number: str
    title: str
    recipient: str
    date: datetime.date
    signature: str | None = None
    closing: str | None = None
    contact: str = ""
    copy_to: str = ""


@dataclass(frozen=True)
class ReportProblem:
    """One ledger item as a document shows it."""

    statement: str
    outcome: str = ""
    deadline: datetime.date | None = None
    lead_unit: str = ""


@dataclass(frozen=True)
class ReportSection:
    """A dimension (e.g. "教育优先发展方面") and its problems, in ledger order."""

    title: str
    problems: tuple[ReportProblem, ...]


@dataclass(frozen=True)
class SummaryItem:
    """One item of one county in the city's consolidated report."""

    dimension: str
    problem: str
    status_label: str
    deadline: datetime.date | None = None
    overdue: bool = False
    lead_unit: str = ""


@dataclass(frozen=True)
class SummaryCounty:
    name: str
    items: tuple[SummaryItem, ...]


@dataclass(frozen=True)
class SummaryData:
    """Every county of a round, in the order the report lists them."""

    counties: tuple[SummaryCounty, ...]


def cleaned(value: T) -> T:
    """`value` (a string, a content dataclass, or a tuple or list of them) with every string
    rid of the characters XML cannot hold: lxml refuses them, so a stray \x01 saved before
    inputs were cleaned would otherwise stop the document from being written."""
    result: Any = value
    if isinstance(value, str):
        result = chars.clean(value)
    elif isinstance(value, tuple | list):
        result = type(value)(cleaned(v) for v in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value)}
        result = dataclasses.replace(value, **changes)
    return result  # type: ignore[no-any-return]
