"""The one way to write an audit row; called inside the service that changes state."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dudao.audit.models import AuditEvent

if TYPE_CHECKING:
    from dudao.accounts.models import User
    from dudao.rectification.models import Item
    from dudao.regions.models import Region


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def audit_record(
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int,
    region: Region | None = None,
    item: Item | None = None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        region=region,
        item=item,
        changes={k: [_jsonable(b), _jsonable(a)] for k, (b, a) in (changes or {}).items()},
        note=note,
    )


def diff_fields(obj: object, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of `obj` that `values` would change, as {field: (before, after)}."""
    return {
        name: (getattr(obj, name), value)
        for name, value in values.items()
        if getattr(obj, name) != value
    }
