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


# The home page's panels: other apps add a section (HTML) to each user's home page.
HomePanel = Callable[[HttpRequest], str]
_HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in _HOME_PANELS:
        _HOME_PANELS.append(panel)


def panels_for_home(request: HttpRequest) -> list[str]:
    return [html for panel in _HOME_PANELS if (html := panel(request))]
