"""A snapshot of the slash-command picker above the prompt (pytest-textual-snapshot)."""

from __future__ import annotations

from typing import Any

from tests.helpers.snapshots import ask_the_parser_question, settle_still


def test_slash_picker_over_a_conversation(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await ask_the_parser_question(pilot)
        await pilot.press("slash", "e", "down")
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)
