"""A letter the importer received: which of its rounds it belongs to, and how each of its
problems stands against the items the importer holds (the `--json` of import-report)."""

from __future__ import annotations

from typing import Any

from dudao.accounts import access
from dudao.accounts.models import Role, User
from dudao.documents.importing.matching import Candidate, match_statements
from dudao.documents.importing.plan import ImportPlan, ImportResult
from dudao.parser import FEEDBACK_LETTER, Report
from dudao.rectification.models import Item, Round
from dudao.regions.models import Region


def importing_region(user: User) -> Region | None:
    """The organ a user imports for: its one region where it may change items."""
    own = {g.region_id for g in access.grants(user) if g.role in (Role.SUPERVISOR, Role.OFFICER)}
    if len(own) != 1:
        return None
    return Region.objects.select_related("parent").get(pk=next(iter(own)))


def guess_round(user: User, region: Region, report: Report) -> Round | None:
    """The round, among those the user sees where `region` holds items, whose problems the
    letter names most; None when it names none of them (a letter from outside Dudao)."""
    parsed = [
        (s.title.removesuffix("方面"), p.problem) for s in report.sections for p in s.problems
    ]
    if not parsed:
        return None
    rows = (
        Item.objects.active()
        .filter(region=region, unit="", problem__round__in=access.rounds_visible_to(user))
        .values_list("problem__round_id", "problem_id", "problem__dimension", "problem__statement")
    )
    by_round: dict[int, list[Candidate]] = {}
    for round_id, pk, dimension, statement in rows:
        by_round.setdefault(round_id, []).append(Candidate(pk, dimension, statement))
    best, best_count = None, 0
    for round_id, candidates in sorted(by_round.items(), reverse=True):
        count = sum(m is not None for m in match_statements(parsed, candidates))
        if count > best_count:
            best, best_count = round_id, count
    if best is None:
        return None
    return Round.objects.select_related("evaluating_region", "evaluated_region").get(pk=best)


def letter_kind(plan: ImportPlan) -> str:
    """feedback | notice | rectification | summary, as the issue's JSON names them."""
    if plan.kind == FEEDBACK_LETTER:
        assigned = any(
            p.get("lead_unit") or p.get("deadline")
            for s in plan.report.get("sections", [])
            for p in s.get("problems", [])
        )
        return "notice" if assigned else "feedback"
    return "summary" if "汇总" in plan.header.title else "rectification"


def plan_json(plan: ImportPlan, result: ImportResult | None = None) -> dict[str, Any]:
    """One object: the kind, the header, the round, and each problem with how it matched
    the importer's items; `missing` rows for items the letter does not mention."""
    h = plan.header
    applied = dict(result.items_by_number) if result is not None else {}
    problems: list[dict[str, Any]] = []
    mentioned: set[int] = set()
    for e in plan.entries:
        item = applied.get(e.number) or e.item
        if item is not None:
            mentioned.add(item.pk)
        problems.append(
            {
                "statement": e.statement,
                "dimension": e.dimension,
                "match": "matched" if e.item is not None else "new",
                "item": item.pk if item is not None else None,
            }
        )
    held = (
        Item.objects.active()
        .filter(pk__in=list(plan.item_versions))
        .exclude(pk__in=mentioned)
        .select_related("problem")
        .order_by("problem__order", "problem_id")
    )
    for item in held:
        problems.append(
            {
                "statement": item.problem.statement,
                "dimension": item.problem.dimension,
                "match": "missing",
                "item": item.pk,
            }
        )
    return {
        "kind": letter_kind(plan),
        "header": {
            "doc_number": h.doc_number,
            "issuer": h.issuer,
            "recipient": h.recipient,
            "title": h.title,
            "date": h.date.isoformat() if h.date else None,
        },
        "round": plan.rnd.pk,
        "problems": problems,
    }
