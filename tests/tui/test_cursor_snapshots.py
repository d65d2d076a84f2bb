"""Snapshots of the block cursor on a code block and of a branch listed under its parent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.helpers.snapshots import ask_the_parser_question, settle_still


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A branch shows its copied messages with their times: pin the time they show."""
    monkeypatch.setattr("tui.widgets.chat_pane.local", lambda when: datetime(2025, 1, 1, 9, 30))


def test_block_cursor_on_a_code_block(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await ask_the_parser_question(pilot)
        await pilot.press("ctrl+o")  # the lowest block on screen: the answer's code block
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=run_before)


def test_sidebar_with_a_branch(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await ask_the_parser_question(pilot)
        await pilot.press("ctrl+o", "up", "b")  # branch from the answer
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)
