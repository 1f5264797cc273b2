"""A letter the importer received: which of its rounds it belongs to, and how each of its
problems stands against the items the importer holds (the `--json` of import-report)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from dudao.accounts import access
from dudao.accounts.models import Role, User
from dudao.documents.importing.apply import store_document
from dudao.documents.importing.matching import Candidate, match_statements
from dudao.documents.importing.plan import ImportPlan, ImportResult
from dudao.documents.importing.preview import dimension_of, report_import_preview
from dudao.parser import FEEDBACK_LETTER, ParseError, Report, parse_file
from dudao.parser.header import parse_date
from dudao.rectification import services
from dudao.rectification.errors import LedgerError
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


def read_letter(data: bytes, filename: str) -> Report:
    """The parsed file (a scan through OCR, an office's own sheet); LedgerError on field
    "file" with the parser's message when it cannot be read."""
    try:
        return parse_file(data, filename)
    except ParseError as exc:
        raise LedgerError(exc.message, field="file") from exc


def letter_round(user: User, region: Region, data: bytes, filename: str) -> Round | None:
    """The round the file belongs to (guess_round), or None for a letter from outside Dudao,
    from which a received round may be created (check_receivable, letter_receive)."""
    return guess_round(user, region, read_letter(data, filename))


def check_receivable(report: Report) -> None:
    """Only a feedback letter or notice with problems can become a received round."""
    if report.kind != FEEDBACK_LETTER or not report.problems:
        raise LedgerError(
            "只能从反馈意见或整改通知建立收文评价：此文件未读到问题清单", field="file"
        )


def missing_items(plan: ImportPlan) -> list[Item]:
    """The items the importer holds in the round that the letter does not mention."""
    mentioned = {e.item.pk for e in plan.entries if e.item is not None}
    return list(
        Item.objects.active()
        .filter(pk__in=list(plan.item_versions))
        .exclude(pk__in=mentioned)
        .select_related("problem")
        .order_by("problem__order", "problem_id")
    )


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
    held = [i for i in missing_items(plan) if i.pk not in mentioned]
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


@transaction.atomic
def letter_receive(
    *, acting_user: User, region: Region, data: bytes, filename: str
) -> ImportResult:
    """A feedback letter or notice from a sender outside Dudao: create the region's
    received round from it (issuer, 文号, date, title; the problems with their dimensions,
    lead units and deadlines as the region's items) and keep the letter as its document."""
    report = read_letter(data, filename)
    check_receivable(report)
    rows = [
        services.ReceivedProblem(
            dimension=dimension_of(section.title),
            statement=p.problem,
            lead_unit=p.lead_unit,
            co_units=p.co_units,
            deadline=_deadline(p.deadline),
        )
        for section in report.sections
        for p in section.problems
    ]
    rnd, items = services.round_receive(
        acting_user=acting_user,
        region=region,
        issuer=report.issuer,
        doc_number=report.doc_number,
        title=report.title,
        date=report.date,
        problems=rows,
    )
    plan = report_import_preview(
        acting_user=acting_user, data=data, filename=filename, rnd=rnd, region=region
    )
    document = store_document(acting_user, plan, [])
    return ImportResult(
        plan=plan,
        document=document,
        problems_created=tuple(i.problem for i in items),
        items_created=tuple(items),
        items_updated=(),
        items_by_number={e.number: e.item for e in plan.entries if e.item is not None},
    )


def received_json(result: ImportResult) -> dict[str, Any]:
    """plan_json of a received round just created: every problem is new to the ledger."""
    data = plan_json(result.plan, result)
    for row in data["problems"]:
        row["match"] = "new"
    return data


def dry_run_json(report: Report, region: Region) -> dict[str, Any]:
    """What a received round would be made of, without creating it."""
    return {
        "kind": "notice" if any(p.lead_unit or p.deadline for p in report.problems) else "feedback",
        "header": {
            "doc_number": report.doc_number,
            "issuer": report.issuer,
            "recipient": report.recipient,
            "title": report.title,
            "date": report.date.isoformat() if report.date else None,
        },
        "round": None,
        "problems": [
            {
                "statement": p.problem,
                "dimension": dimension_of(s.title),
                "match": "new",
                "item": None,
            }
            for s in report.sections
            for p in s.problems
        ],
    }


def _deadline(text: str) -> datetime.date | None:
    """A problem's deadline as the parser read it: ISO from a notice, or as written in an
    office's own sheet ("2024年6月30日")."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return parse_date(text)
