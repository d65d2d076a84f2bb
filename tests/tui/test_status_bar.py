"""The status bar as painted: the last turn's usage says only what was counted."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.helpers.screen import screen_rows
from tui.models import TurnUsage
from tui.widgets.status_bar import StatusBar


class BarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar("starting")


async def painted(usage: TurnUsage | None) -> str:
    app = BarApp()
    async with app.run_test(size=(80, 3)) as pilot:
        app.query_one(StatusBar).show("interrupted", usage, 0.05)
        await pilot.pause()
        return screen_rows(app)[0].strip()


async def test_a_cancelled_turn_shows_its_cost_without_a_zero_token_count() -> None:
    """Issue 15: after Esc the bar read 'last turn: 0 tokens, $0.0207'."""
    shown = await painted(TurnUsage(cost_usd=0.0207))
    assert shown == "interrupted  ·  last turn: $0.0207  ·  conversation: $0.0500"


async def test_nothing_counted_shows_no_last_turn() -> None:
    assert await painted(TurnUsage()) == "interrupted  ·  conversation: $0.0500"


async def test_a_finished_turn_shows_tokens_and_cost() -> None:
    shown = await painted(TurnUsage(input_tokens=1200, output_tokens=34, cost_usd=0.01))
    assert "last turn: 1,234 tokens, $0.0100" in shown
