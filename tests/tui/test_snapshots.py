"""Snapshots of the screen states a user sees (pytest-textual-snapshot; SVGs under __snapshots__).

The project lives at a fixed path and the model is scripted inside the app, so every run draws
the same screen.
"""

from __future__ import annotations

from typing import Any

from tests.helpers.backlog_db import FEATURES, make_backlog, waiting_backlog
from tests.helpers.snapshots import PROJECT, ask_the_parser_question, settle_still


def test_empty_first_launch(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=settle_still)


def test_conversation_with_code_table_and_tool_rows(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=ask_the_parser_question)


def test_filter_in_use(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await ask_the_parser_question(pilot)
        await pilot.press("ctrl+f", "p", "a", "r")
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)


def test_delete_confirmation(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await ask_the_parser_question(pilot)
        await pilot.press("f8")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)


def test_help_screen(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle_still(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 48), run_before=run_before)


def test_narrow_terminal(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ask_the_parser_question)


async def open_pane(pilot: Any) -> None:
    await settle_still(pilot)
    await pilot.press("f4")
    await settle_still(pilot)


def test_feature_form(snap_compare: Any, make_app: Any) -> None:
    """The new-feature form half filled in, a dependency chosen from the list."""
    make_backlog(PROJECT / "features.db", FEATURES)

    async def run_before(pilot: Any) -> None:
        await open_pane(pilot)
        await pilot.press("n")
        await settle_still(pilot)
        for key in ("U", "I", "tab", *"Dark mode", "tab", *"A dark theme."):
            await pilot.press({" ": "space"}.get(key, key))
        await pilot.press("tab", "tab", *"Logout", "tab", "down", "space")
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=run_before)


def test_human_input_form(snap_compare: Any, make_app: Any) -> None:
    """A request waiting for the user, as its form (select, text, textarea, boolean)."""
    waiting_backlog(PROJECT)

    async def run_before(pilot: Any) -> None:
        await open_pane(pilot)
        await pilot.press("end")  # past Passing to the last row; up to #5, waiting
        listing = pilot.app.screen.query_one("#backlog-list")
        while listing.get_option_at_index(listing.highlighted).id != "5":
            await pilot.press("up")
        await pilot.press("enter")
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=run_before)


def test_backlog_pane(snap_compare: Any, make_app: Any) -> None:
    make_backlog(PROJECT / "features.db", FEATURES)

    async def run_before(pilot: Any) -> None:
        await settle_still(pilot)
        await pilot.press("f4")
        await settle_still(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)
