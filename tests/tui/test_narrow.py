"""Issue 15 D9, narrow terminals: what an 80x24 or 60x20 terminal paints, read from the screen.

The header kept its path and lost the session state; both side panels at 80 columns left the chat
6 columns wide; the help dialog was cut at the sides at 60 columns. A key pressed while the app
was starting (F4) had its focus taken back by the prompt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.message import Message

from tests.helpers.pilot import ask, settle
from tests.helpers.screen import screen_rows
from tui.demo.model_server import Turn
from tui.screens.keys import help_groups
from tui.screens.main import MainScreen
from tui.widgets.chat_pane import ChatPane
from tui.widgets.prompt_input import PromptInput

NAME = "narrow-terminals"  # long enough that at 60 columns the header drops the path
HINT = "↑ ↓ PgUp PgDn scroll · Esc closes · Ctrl+P: command palette"
CHAT_AT_LEAST = 80 - 44  # at 80 columns beside one panel, the widest (the backlog): never two


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The sample project under a longer name (app_factory builds the app on this fixture)."""
    path = tmp_path / NAME
    path.mkdir()
    (path / "app.py").write_text("def main():\n    return 42\n")
    return path


def header(app: Any) -> str:
    return screen_rows(app)[0].strip()


@pytest.mark.parametrize(
    ("size", "wanted"),
    [
        ((80, 24), f"assistant-tui · {NAME} — …/{NAME} · scripted · ready"),
        ((60, 20), f"assistant-tui · {NAME} — scripted · ready"),
    ],
)
async def test_narrow_header_shortens_the_path_never_the_state(
    app_factory: Any, size: tuple[int, int], wanted: str
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=size) as pilot:
        await ask(pilot, "hello")
        assert header(app) == wanted


async def test_narrow_header_cuts_the_title_last(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(40, 16)) as pilot:
        await ask(pilot, "hello")
        top = header(app)
        assert top.startswith("assistant-tui · narr") and "…" in top
        assert top.endswith(" — scripted · ready") and len(top) <= 40


def painted(app: Any) -> str:
    return "\n".join(screen_rows(app))


def chat_width(app: Any) -> int:
    return int(app.screen.query_one(ChatPane).region.width)


async def test_narrow_one_side_panel_at_a_time(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "Conversations" in painted(app) and "Tool calls" not in painted(app)
        await pilot.press("ctrl+t")  # the tool log takes the sidebar's room
        await settle(pilot)
        assert "Tool calls" in painted(app) and "Conversations" not in painted(app)
        assert chat_width(app) >= CHAT_AT_LEAST
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "Conversations" in painted(app) and "Tool calls" not in painted(app)
        await pilot.press("f4")  # the backlog, in the tool log's place, makes room the same way
        await settle(pilot)
        assert "Backlog" in painted(app) and "Conversations" not in painted(app)
        assert chat_width(app) >= CHAT_AT_LEAST


async def test_narrow_rule_leaves_wide_terminals_alone(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert "Conversations" in painted(app) and "Tool calls" in painted(app)
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+t", "ctrl+t")
        await settle(pilot)
        assert "Conversations" in painted(app) and "Tool calls" in painted(app)


async def test_narrow_help_fits_and_scrolls_at_60x20(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        rows = screen_rows(app)
        assert any(re.fullmatch(r" *█▀+█ *", row) for row in rows), rows  # both top corners
        assert any(re.fullmatch(r" *█▄+█ *", row) for row in rows), rows  # both bottom corners
        words = " ".join(" ".join(row.strip(" █").split()) for row in rows)
        assert HINT in words  # the hint, whole (wrapped: the dialog is narrower than it)
        await pilot.press("end")
        await settle(pilot)
        last = list(help_groups().values())[-1][-1].description  # of the last group
        words = " ".join(" ".join(row.strip(" █").split()) for row in screen_rows(app))
        assert last in words  # wrapped in its column, whole


async def test_f4_during_launch_keeps_the_backlog_focused(app_factory: Any) -> None:
    """In a terminal a key can arrive before the main screen mounted: its focus must stand."""

    async with app_factory([Turn(text="ok")]) as (app, _):
        sent: list[Message] = []

        def press_f4_while_composing(message: Message) -> None:
            composing = isinstance(message, events.Compose)
            if composing and isinstance(message._sender, MainScreen) and not sent:
                sent.append(message)  # once: the key a user pressed while the app started
                app.post_message(events.Key("f4", None))

        async with app.run_test(size=(80, 24), message_hook=press_f4_while_composing) as pilot:
            await settle(pilot)
            assert sent and "Backlog" in painted(app)
            await pilot.press("x")
            await settle(pilot)
            prompt = app.screen.query_one(PromptInput)
            row = screen_rows(app)[prompt.content_region.y]
            assert "x" not in row[prompt.content_region.x : prompt.content_region.right]
            assert app.focused is not None and app.focused.id == "backlog-list"
