"""The installed `assistant-tui` in a real terminal (tmux): an answer's file reference opens in
the code viewer at the cited lines, and Esc brings the chat back."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from tests.helpers.processes import children_of
from tests.helpers.tmux import quit_app, screen_shows, start, tmux
from tui.demo.model_server import ModelServer, Turn


async def cursor_on_reference(socket: str, deadline: float = 30) -> None:
    """Ctrl+O, then End: the last stop, which is the reference once its look-up (a thread) is
    done; End again until the marker shows on its line (Ctrl+O alone would keep the cursor on
    the answer if it had landed there first)."""
    tmux(socket, "send-keys", "-t", "app", "C-o")
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        tmux(socket, "send-keys", "-t", "app", "End")
        await asyncio.sleep(0.2)
        screen = tmux(socket, "capture-pane", "-p", "-t", "app")
        if "▌ain is in app.py:1-2" in screen:  # the marker over the line's first cell, not the
            return  # answer's outline (▌ beside "main is in ...")
    raise AssertionError(f"the cursor never reached the reference; the screen was:\n{screen}")


async def test_a_reference_opens_in_the_viewer_in_a_terminal(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    turns = [Turn(text="`main` is in `app.py:1-2` and returns 42.")]
    socket = f"atui-view-{os.getpid()}"
    async with ModelServer(turns) as server:
        env = {
            "ANTHROPIC_BASE_URL": server.url,
            "ASSISTANT_TUI_DB": str(tmp_path / "h.db"),
            "TERM": "xterm-256color",
        }
        start(socket, project, env)
        try:
            await screen_shows(socket, "ready")
            tmux(socket, "send-keys", "-t", "app", "-l", "Where is main?")
            tmux(socket, "send-keys", "-t", "app", "Enter")
            await screen_shows(socket, "and returns 42.")
            await cursor_on_reference(socket)
            tmux(socket, "send-keys", "-t", "app", "Enter")
            screen = await screen_shows(socket, "app.py · lines 1-2 · 2 lines · read-only")
            assert "1▌ def main():" in screen and "2▌     return 42" in screen
            tmux(socket, "send-keys", "-t", "app", "Escape")
            screen = await screen_shows(socket, "Where is main?")
            assert "read-only" not in screen
            await quit_app(socket)
        finally:
            tmux(socket, "kill-server")
    assert children_of(os.getpid()) == set()
