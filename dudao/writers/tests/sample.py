"""The 绥滨县 letter (samples/suibin-2024-17.txt) as writer input: 15 problems, 4 dimensions."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from dudao.writers.content import LetterHead, ReportProblem, ReportSection

_DATA: dict[str, Any] = json.loads(
    (Path(__file__).with_name("suibin_2024_17.json")).read_text(encoding="utf-8")
)


def _date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def head() -> LetterHead:
    raw = _DATA["head"]
    date = _date(raw["date"])
    assert date is not None
    return LetterHead(
        issuer=raw["issuer"],
        doc_number=raw["doc_number"],
        title=raw["title"],
        recipient=raw["recipient"],
        date=date,
        signature=raw["signature"],
    )


def preamble() -> str:
    text: str = _DATA["preamble"]
    return text


def sections() -> tuple[ReportSection, ...]:
    return tuple(
        ReportSection(
            title=section["title"],
            problems=tuple(
                ReportProblem(
                    statement=p["statement"],
                    outcome=p["outcome"],
                    deadline=_date(p["deadline"]),
                    lead_unit=p["lead_unit"],
                )
                for p in section["problems"]
            ),
        )
        for section in _DATA["sections"]
    )


CLOSING = (
    "我县将继续坚持问题导向，对已完成整改的问题适时开展“回头看”，巩固整改成果；"
    "对需要长期坚持的问题，明确时间表和路线图，持续推进，确保整改到位。"
)
