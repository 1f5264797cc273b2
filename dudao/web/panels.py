"""Extension point: other apps add panels (HTML) to the item page without the ledger
importing them. An app registers a callable in its AppConfig.ready(). The item page loads
the panels after itself (htmx), from the ledger's `item-panels` URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from dudao.rectification.models import Item

Panel = Callable[[HttpRequest, "Item"], str]
_PANELS: list[Panel] = []


def register_item_panel(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def has_item_panels() -> bool:
    return bool(_PANELS)


def panels_for_item(request: HttpRequest, item: Item) -> list[str]:
    return [html for panel in _PANELS if (html := panel(request, item))]
