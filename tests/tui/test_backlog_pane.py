"""The backlog pane (F4) in the real app: real backlog files, the real MCP server and CLI.

The pane reads through ``mcp_server.backlog`` (the rules the assistant's tools use); these tests
check what a user sees in it, that it follows a write by another process, and that it refreshes
when the assistant's own backlog call finishes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.backlog_db import FEATURES, make_backlog
from tests.helpers.pilot import SIZE, asked, send, until
from tests.helpers.screen import in_sight, pane_text
from tui.demo.model_server import ToolCall, Turn
from tui.screens.feature_details import FeatureDetails
from tui.widgets.backlog_pane import BacklogPane
from tui.widgets.prompt_input import PromptInput
from tui.widgets.tool_log import ToolLog


async def test_progress_ready_blocked_and_details(app_factory: Any, project: Path) -> None:
    make_backlog(project / "features.db", FEATURES)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "passing" in pane_text(app), "the backlog was read")
        shown = pane_text(app)
        assert "1/5 passing · 1 in progress · 20.0%" in shown
        assert not in_sight(app, app.screen.query_one(ToolLog))  # the pane took its place
        # Ready in the tools' order (priority, then id); blocked with what each waits on.
        ready_at, reset_at = shown.index("#3 Logout button"), shown.index("#5 Password reset")
        assert "Ready (2)" in shown and ready_at < reset_at
        assert "Blocked (1)" in shown and "#4 Remember me" in shown
        assert "waits on #2, #3" in shown
        # The counts wrap between sections, never inside one ("Waiting for you" / "0").
        lines = [line.lstrip("│ ") for line in shown.splitlines()]
        assert "Ready 2 · In progress 1" in lines, lines
        assert "Waiting for you 0 · Blocked 1 · Passing 1" in lines, lines
        await pilot.press("enter")  # the ready list has focus: details of its first feature
        await until(pilot, lambda: isinstance(app.screen, FeatureDetails), "details opened")
        details = app.screen
        await until(
            pilot,
            lambda: "Steps" in str(details.query_one("#feature-text").render()),
            "the feature was read",
        )
        text = str(details.query_one("#feature-text").render())
        assert "#3 Logout button" in text and "depends on #1" in text
        assert "\nReady · Core" in text  # the status as the pane names it, not "ready"
        assert "1. click logout" in text and "2. see login" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, FeatureDetails)
        await pilot.press("f4")
        await pilot.pause()
        assert not in_sight(app, app.screen.query_one(BacklogPane))
        assert in_sight(app, app.screen.query_one(ToolLog))


async def test_tab_and_the_tool_log_key_never_reach_the_pane_out_of_sight(
    app_factory: Any, project: Path
) -> None:
    """The pane hidden is only moved out of sight (tui.widgets.kept_switcher): it must not keep
    or take the focus, or keys would go to a list nobody sees."""
    make_backlog(project / "features.db", FEATURES)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "passing" in pane_text(app), "the backlog was read")
        pane = app.screen.query_one(BacklogPane)
        assert pane.has_focus_within
        await pilot.press("ctrl+t")  # the tool log in the backlog's place
        await pilot.pause()
        assert not in_sight(app, pane) and not pane.has_focus_within
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one(PromptInput).text == "x"  # typed where the user sees it
        for _ in range(8):  # round the focus chain: never into the pane out of sight
            await pilot.press("tab")
            await pilot.pause()
            assert not pane.has_focus_within


async def test_pane_follows_a_write_by_another_process(app_factory: Any, project: Path) -> None:
    path = make_backlog(project / "features.db", FEATURES)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "1/5 passing" in pane_text(app), "the backlog was read")
        other = sqlite3.connect(path)  # an agent in another program marks two features passing
        other.execute("UPDATE features SET passes = 1, in_progress = 0 WHERE id IN (2, 3)")
        other.commit()
        other.close()
        await until(pilot, lambda: "3/5 passing" in pane_text(app), "the write was seen")
        shown = pane_text(app)
        assert "#4 Remember me" in shown and "Blocked (0)" in shown  # its dependencies pass now


async def test_pane_refreshes_when_a_backlog_call_finishes(
    app_factory: Any, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the file watch slowed to an hour, only the finished tool call can refresh the pane."""
    monkeypatch.setattr("tui.widgets.backlog_pane.POLL_S", 3600.0)
    monkeypatch.setattr("tui.screens.approval_dialog.ARMED_AFTER_S", 0.0)
    make_backlog(project / "features.db", FEATURES)
    created = {
        "category": "Core",
        "name": "Dark mode",
        "description": "A dark theme.",
        "steps": ["open settings", "pick dark"],
    }
    turns = [
        Turn(match="add dark mode", tools=[ToolCall("mcp__features__feature_create", created)]),
        Turn(match="", text="Added feature 6."),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "Ready (2)" in pane_text(app), "the backlog was read")
        await send(pilot, "add dark mode")
        await asked(pilot)  # a backlog write is the user's decision
        await pilot.press("o")
        await until(pilot, lambda: "Ready (3)" in pane_text(app), "the pane refreshed")
        assert "#6 Dark mode" in pane_text(app)


async def test_a_project_without_backlog_says_so(app_factory: Any) -> None:
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "No backlog yet" in pane_text(app), "the empty pane")
        assert "Ready (0)" in pane_text(app)


async def test_a_symlinked_backlog_is_refused_on_screen(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    """The pane follows the boundary: another project's backlog behind a link is not shown."""
    other = make_backlog(tmp_path / "elsewhere" / "features.db", [{"name": "Their secret plan"}])
    (project / "features.db").symlink_to(other)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "cannot be used" in pane_text(app), "the refusal was shown")
        shown = " ".join(pane_text(app).split())
        assert "symbolic link" in shown and "Their secret plan" not in shown
