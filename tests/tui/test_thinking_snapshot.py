"""A snapshot of an answer with its thinking folded above it, the block cursor on the thinking."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.snapshots import settle_still
from tui.text import thinking_summary


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The thinking's time depends on the machine: the picture pins it."""
    monkeypatch.setattr(
        "tui.widgets.thinking_view.thinking_summary",
        lambda length, seconds: thinking_summary(length, 2.5),
    )


def test_folded_thinking_above_the_answer(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle_still(pilot)
        for char in "Think it over":
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")
        await settle_still(pilot)
        await pilot.press("ctrl+o", "up")  # the block cursor on the folded thinking
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 30), run_before=run_before)
