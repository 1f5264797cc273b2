"""对账: per region of a round, the notice sent, the report received and the items signed
off; per dispatched item, what the region reported for it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.importing.matching import statement_key
from dudao.documents.models import Kind, OfficialDocument, Origin
from dudao.rectification.models import Item, Round, Status
from dudao.regions.models import Region


@dataclass(frozen=True)
class RegionRow:
    region: Region
    total: int
    signed_off: int
    notice: OfficialDocument | None
    report: OfficialDocument | None
    # The date the report was due: the notice's report-back date when it records one, else
    # the latest deadline of the region's items in the round.
    due: datetime.date | None

    @property
    def on_time(self) -> bool | None:
        if self.report is None or self.report.date is None or self.due is None:
            return None
        return self.report.date <= self.due


def round_reconciliation(user: User, rnd: Round) -> list[RegionRow]:
    """One row per region holding items of the round that the user sees (a region's own
    items, not its departments'), in code order. Three queries."""
    counts = (
        access.items_visible_to(user)
        .filter(problem__round=rnd, unit="")
        .order_by()
        .values("region_id")
        .annotate(
            total=Count("id"),
            signed_off=Count("id", filter=Q(status=Status.SIGNED_OFF)),
            latest=Max("deadline"),
        )
    )
    by_region = {c["region_id"]: c for c in counts}
    regions = Region.objects.filter(pk__in=list(by_region)).select_related("parent")
    latest: dict[tuple[str, int], OfficialDocument] = {}
    documents = OfficialDocument.objects.filter(
        round=rnd,
        region_id__in=list(by_region),
        kind__in=[Kind.FEEDBACK_LETTER, Kind.RECTIFICATION_REPORT],
        archived_at__isnull=True,
    ).order_by("date", "version", "id")
    for doc in documents:
        if doc.region_id is not None:
            latest[(doc.kind, doc.region_id)] = doc  # the last one wins
    rows = []
    for region in sorted(regions, key=lambda r: r.code):
        c = by_region[region.pk]
        notice = latest.get((Kind.FEEDBACK_LETTER, region.pk))
        due = _report_by(notice) or c["latest"]
        rows.append(
            RegionRow(
                region=region,
                total=c["total"],
                signed_off=c["signed_off"],
                notice=notice,
                report=latest.get((Kind.RECTIFICATION_REPORT, region.pk)),
                due=due,
            )
        )
    return rows


def _report_by(notice: OfficialDocument | None) -> datetime.date | None:
    value = notice.data.get("report_by") if notice is not None else None
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Reported:
    """What the region's latest report said about an item's problem."""

    document: OfficialDocument
    text: str


def reported_for(item: Item) -> Reported | None:
    """The text of the latest report of the item's region in its round about its problem:
    what an imported report said under it, or the outcome a generated one printed (the
    item's outcome then, read back from the audit trail)."""
    doc = (
        OfficialDocument.objects.filter(
            round_id=item.problem.round_id,
            region_id=item.region_id,
            kind=Kind.RECTIFICATION_REPORT,
            archived_at__isnull=True,
        )
        .order_by("-date", "-version", "-id")
        .first()
    )
    if doc is None:
        return None
    if doc.origin == Origin.IMPORTED:
        key = statement_key(item.problem.statement)
        for section in doc.data.get("sections", []):
            for problem in section.get("problems", []):
                if statement_key(str(problem.get("problem", ""))) == key:
                    return Reported(doc, str(problem.get("measures", "")))
        return None
    covered = {pk for pk, _ in doc.data.get("items", [])}
    if item.pk not in covered:
        return None
    return Reported(doc, _outcome_at(item, doc))


def _outcome_at(item: Item, doc: OfficialDocument) -> str:
    """The item's outcome when the document was generated: the last audited value of it
    before then (the current one if it has not changed since)."""
    from dudao.audit.models import AuditEvent

    later = (
        AuditEvent.objects.filter(item=item, action="item_update", at__gt=doc.created_at)
        .order_by("at", "id")
        .values_list("changes", flat=True)
    )
    for changes in later:
        if isinstance(changes, dict) and "outcome" in changes:
            before = changes["outcome"]
            return str(before[0] if isinstance(before, list | tuple) else before or "")
    return item.outcome
