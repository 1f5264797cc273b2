"""Ledger rows for export (JSON here; Excel in dudao.documents)."""

from __future__ import annotations

import datetime
from typing import Any

from dudao.rectification.models import Item, ItemQuerySet


def item_row(item: Item, *, today: datetime.date) -> dict[str, Any]:
    return {
        "id": item.pk,
        "round": item.problem.round_id,
        "round_title": item.problem.round.title,
        "year": item.problem.round.year,
        "dimension": item.problem.dimension,
        "problem": item.problem.statement,
        "region_code": item.region.code,
        "region_name": item.region.name,
        "lead_unit": item.lead_unit,
        "co_units": item.co_units,
        "responsible_person": item.responsible_person,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "status": item.status,
        "status_label": item.get_status_display(),
        "overdue": item.is_overdue(today),
        "measures": item.measures,
        "outcome": item.outcome,
        "remark": item.remark,
        "signed_off_at": item.signed_off_at.isoformat() if item.signed_off_at else None,
        "version": item.version,
        "updated_at": item.updated_at.isoformat(),
    }


def export_rows(items: ItemQuerySet, *, today: datetime.date) -> list[dict[str, Any]]:
    qs = items.select_related("problem__round", "region").order_by(
        "problem__round_id", "region__code", "problem__order", "id"
    )
    return [item_row(i, today=today) for i in qs.iterator(chunk_size=2000)]
