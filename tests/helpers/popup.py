"""The completion popup above the prompt (files after @, commands after /) as painted, and typing
into it."""

from __future__ import annotations

from typing import Any

from tests.helpers.pilot import until
from tests.helpers.screen import screen_rows
from tui.widgets.completions import Completions


def painted_rows(app: Any, kind: type[Any]) -> list[str]:
    """The screen rows inside the region of the screen's ``kind`` widget, as painted (none
    when it is not shown)."""
    widget = app.screen.query_one(kind)
    if not widget.display:
        return []
    region = widget.region
    return [row[region.x : region.right] for row in screen_rows(app)[region.y : region.bottom]]


def popup_rows(app: Any) -> list[str]:
    """The completion popup's rows as painted on the screen (the @ file picker's or the slash
    commands'), its border (with the title in it) and blank rows left out."""
    inside = [row.strip(" │▎▊▕▏") for row in painted_rows(app, Completions)[1:-1]]
    return [row for row in inside if row]


def popup_title(app: Any) -> str:
    """The words in the popup's top border ("" when it is not shown)."""
    rows = painted_rows(app, Completions)
    return rows[0].strip(" ╭╮─") if rows else ""


async def typed(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space", "@": "at", "/": "slash", ".": "full_stop"}.get(char, char))


async def listed(pilot: Any, wanted: str) -> list[str]:
    """Wait until the popup paints a row holding ``wanted``; its rows."""
    await until(pilot, lambda: any(wanted in r for r in popup_rows(pilot.app)), f"{wanted} listed")
    return popup_rows(pilot.app)
