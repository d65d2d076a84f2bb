"""The installed `assistant-tui` in a real terminal (tmux): type a question, read the answer."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
import time
from pathlib import Path

from tests.helpers.processes import children_of
from tests.helpers.tmux import quit_app, screen_shows, start, tmux
from tui.demo.model_server import ModelServer, ToolCall, Turn


async def test_installed_app_answers_in_a_terminal(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    turns = [
        Turn(match="main return", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text="It returns **forty-two**."),
    ]
    socket = f"atui-{os.getpid()}"
    async with ModelServer(turns) as server:
        env = {
            "ANTHROPIC_BASE_URL": server.url,
            "ASSISTANT_TUI_DB": str(tmp_path / "h.db"),
            "TERM": "xterm-256color",
        }
        start(socket, project, env)  # pytest's COLUMNS=80 would pin the width: start unsets it
        try:
            await screen_shows(socket, "ready")
            tmux(socket, "send-keys", "-t", "app", "-l", "What does main return?")
            tmux(socket, "send-keys", "-t", "app", "Enter")
            screen = await screen_shows(socket, "It returns forty-two.")
            assert "Reading file: app.py" in screen
            await quit_app(socket)
        finally:
            tmux(socket, "kill-server")
    assert children_of(os.getpid()) == set()


async def test_the_demo_asks_and_takes_a_pick_in_a_terminal(isolated: Path) -> None:
    """The installed command with --demo: asking about division by zero makes the scripted
    assistant ask (ask_user); the number key answers it and the answer goes on."""
    socket = f"atui-ask-{os.getpid()}"
    command = Path(sys.executable).parent / "assistant-tui"
    exports = " ".join(
        f"{k}={shlex.quote(v)}"
        for k, v in {**os.environ, "TERM": "xterm-256color"}.items()
        if k.isidentifier()
    )
    line = f"env -u COLUMNS -u LINES {exports} {command} --demo"
    tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "140", "-y", "40", line)
    try:
        await screen_shows(socket, "ready")
        tmux(socket, "send-keys", "-t", "app", "-l", "what about division by zero?")
        tmux(socket, "send-keys", "-t", "app", "Enter")
        screen = await screen_shows(socket, "The assistant asks · Zero")
        assert "2  Return None — callers check the result" in screen
        # A user's pause, not a wait for work: the question takes a key only after half a
        # second without one (keys typed before it came are swallowed; its own Pilot test).
        await asyncio.sleep(0.6)
        tmux(socket, "send-keys", "-t", "app", "2")
        screen = await screen_shows(socket, "with that choice, the change is small")
        words = " ".join(row.rsplit("│", 1)[-1].strip() for row in screen.splitlines())
        assert "answered by you: Return None" in " ".join(words.split())  # the tool log
        tmux(socket, "send-keys", "-t", "app", "C-q")
        end = time.monotonic() + 30
        while tmux(socket, "list-sessions") and time.monotonic() < end:
            await asyncio.sleep(0.1)
    finally:
        tmux(socket, "kill-server")
    assert children_of(os.getpid()) == set()
