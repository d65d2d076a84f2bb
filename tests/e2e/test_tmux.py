"""The installed `assistant-tui` in a real terminal (tmux): type a question, read the answer."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.conftest import children_of
from tui.demo.model_server import ModelServer, ToolCall, Turn


def tmux(socket: str, *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)
    return done.stdout


async def screen_shows(socket: str, text: str, deadline: float = 60) -> str:
    """Read the screen until ``text`` is on it (a separate process can only be observed)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        screen = tmux(socket, "capture-pane", "-p", "-t", "app")
        if text in screen:
            return screen
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


async def test_installed_app_answers_in_a_terminal(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    turns = [
        Turn(match="main return", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text="It returns **forty-two**."),
    ]
    socket = f"atui-{os.getpid()}"
    command = Path(sys.executable).parent / "assistant-tui"
    async with ModelServer(turns) as server:
        env = {
            "ANTHROPIC_BASE_URL": server.url,
            "ASSISTANT_TUI_DB": str(tmp_path / "h.db"),
            "TERM": "xterm-256color",
        }
        exports = " ".join(
            f"{k}={shlex.quote(v)}" for k, v in {**os.environ, **env}.items() if k.isidentifier()
        )
        # pytest's environment carries COLUMNS=80, which would pin the app's width.
        target = shlex.quote(str(project))
        line = f"env -u COLUMNS -u LINES {exports} {command} {target} --model scripted"
        tmux(
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            "140",
            "-y",
            "40",
            line,
        )
        tmux(socket, "resize-window", "-t", "app", "-x", "140", "-y", "40")
        try:
            await screen_shows(socket, "ready")
            tmux(socket, "send-keys", "-t", "app", "-l", "What does main return?")
            tmux(socket, "send-keys", "-t", "app", "Enter")
            screen = await screen_shows(socket, "It returns forty-two.")
            assert "Reading file: app.py" in screen
            tmux(socket, "send-keys", "-t", "app", "C-q")
            end = time.monotonic() + 30
            while tmux(socket, "list-sessions") and time.monotonic() < end:
                await asyncio.sleep(0.1)
        finally:
            tmux(socket, "kill-server")
    assert children_of(os.getpid()) == set()
