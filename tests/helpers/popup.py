"""The completion popup above the prompt (the @ file picker's) as painted, and typing into it."""

from __future__ import annotations

from typing import Any

from tests.helpers.pilot import until
from tests.helpers.screen import screen_rows
from tui.widgets.completions import Completions


def popup_rows(app: Any) -> list[str]:
    """The popup's rows as painted on the screen (empty when it is not shown)."""
    popup = app.screen.query_one(Completions)
    if not popup.display:
        return []
    region = popup.region
    rows = screen_rows(app)[region.y : region.bottom]
    inside = [row[region.x : region.right].strip(" │╭╮╰╯─▔▁▎▊▕▏") for row in rows]
    return [row for row in inside if row]


async def typed(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space", "@": "at", "/": "slash", ".": "full_stop"}.get(char, char))


async def listed(pilot: Any, wanted: str) -> list[str]:
    """Wait until the popup paints a row holding ``wanted``; its rows."""
    await until(pilot, lambda: any(wanted in r for r in popup_rows(pilot.app)), f"{wanted} listed")
    return popup_rows(pilot.app)
