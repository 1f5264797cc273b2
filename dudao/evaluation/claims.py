"""Facts in an item's outcome text, in the shape `dudao.engine.check_claims` takes.

The parser's fact extractor reads the quantities; each fact gets the sentence around it as
its `context`, which is how the claim check tells a 近视率 from a 达标优良率.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dudao.engine import ClaimCheck, check_claims
from dudao.engine.claims import SchoolCounts, SchoolValues, arabic_percentages, ratio_facts
from dudao.parser.facts import find_facts
from dudao.parser.model import fact_to_dict
from dudao.parser.text import Repaired, normalise

SENTENCE_ENDS = "。；;！!？?\n"
# "较2022年度的17.3%提高3.9个百分点": a year-on-year comparison, so its result is 2023's
_BASELINE = re.compile(r"[较比]\s?(\d{4})\s?年")


def _sentence(text: str, start: int, end: int) -> str:
    left = max((text.rfind(ch, 0, start) for ch in SENTENCE_ENDS), default=-1)
    rights = [i for ch in SENTENCE_ENDS if (i := text.find(ch, end)) >= 0]
    right = min(rights) if rights else len(text)
    return text[left + 1 : right]


def outcome_facts(outcome: str) -> list[dict[str, object]]:
    """Each fact of the text with its sentence. Line breaks inside a sentence (text pasted
    from a PDF) are joined first, so "儿童青\\n少年近视率" still names the rate."""
    source = arabic_percentages(" ".join(normalise(outcome).split()))
    repaired = Repaired(source)
    text = repaired.text
    out = []
    for fact in find_facts(source, repaired, "outcome"):
        entry = fact_to_dict(fact)
        entry["context"] = _sentence(text, fact.start, fact.end)
        out.append(entry)
    # "生师比15:1": ratios, which the fact reader has no kind for, in the order of the text
    for ratio in ratio_facts(text):
        start, end = int(str(ratio["start"])), int(str(ratio["end"]))
        out.append({**ratio, "field": "outcome", "context": _sentence(text, start, end)})
    return sorted(out, key=lambda f: int(str(f["start"])))


def check_outcome(
    outcome: str,
    rows: Mapping[int, Mapping[str, object]],
    code: str,
    year: int,
    school_values: SchoolValues | None = None,
    counts: SchoolCounts | None = None,
) -> list[ClaimCheck]:
    """Check the rates an outcome text states against the county's rows {year: row}.

    Which year a number describes: a comparison with year B ("较2022年度…") states year
    B + 1; a plain "目前…达到100%" states the latest year there are data for (the account
    is written after the year evaluated); otherwise the round's `year`."""
    if not rows and not school_values and not counts:
        return []
    known = [*rows, *(school_values or {}), *(counts or {})]
    latest = max([y for y in known if y >= year], default=year)
    by_year: dict[int, list[dict[str, object]]] = {}
    for fact in outcome_facts(outcome):
        base = _BASELINE.search(str(fact["context"]))
        fact_year = int(base.group(1)) + 1 if base else latest
        by_year.setdefault(fact_year, []).append(fact)
    out: list[ClaimCheck] = []
    for fact_year, facts in sorted(by_year.items()):
        out += check_claims(facts, rows, code, fact_year, school_values, counts)
    return out
