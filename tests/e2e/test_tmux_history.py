"""The installed `assistant-tui` in tmux: Up, the history search and a draft across a restart."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
import time
from pathlib import Path

from tests.helpers.processes import children_of
from tests.helpers.tmux import screen_shows, tmux
from tui.demo.model_server import ModelServer, Turn

PROMPT = "▊ "  # the prompt's left border, then its text: tells the prompt from the chat


def start(socket: str, project: Path, env: dict[str, str]) -> None:
    """The installed command in a new tmux session of 140x40."""
    command = Path(sys.executable).parent / "assistant-tui"
    exports = " ".join(
        f"{k}={shlex.quote(v)}" for k, v in {**os.environ, **env}.items() if k.isidentifier()
    )
    target = shlex.quote(str(project))
    line = f"env -u COLUMNS -u LINES {exports} {command} {target} --model scripted"
    tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "140", "-y", "40", line)
    tmux(socket, "resize-window", "-t", "app", "-x", "140", "-y", "40")


async def quit_app(socket: str) -> None:
    """Ctrl+Q, then wait for the session to end with the app."""
    tmux(socket, "send-keys", "-t", "app", "C-q")
    end = time.monotonic() + 30
    while tmux(socket, "list-sessions") and time.monotonic() < end:
        await asyncio.sleep(0.1)


async def answers_shown(socket: str, count: int, deadline: float = 60) -> None:
    """Wait until the chat shows ``count`` answers (each says "Noted.")."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if tmux(socket, "capture-pane", "-p", "-t", "app").count("Noted.") >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{count} answers never appeared")


def keys(socket: str, *sent: str, literal: bool = False) -> None:
    tmux(socket, "send-keys", "-t", "app", *(["-l"] if literal else []), *sent)


async def test_installed_app_recalls_searches_and_keeps_the_draft_after_a_restart(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    socket = f"atui-hist-{os.getpid()}"
    async with ModelServer([Turn(text="Noted.")]) as server:
        env = {
            "ANTHROPIC_BASE_URL": server.url,
            "ASSISTANT_TUI_DB": str(tmp_path / "h.db"),
            "TERM": "xterm-256color",
        }
        try:
            start(socket, project, env)
            await screen_shows(socket, "ready")
            for answered, question in enumerate(("where is the parser", "what does main return")):
                keys(socket, question, literal=True)
                keys(socket, "Enter")
                await answers_shown(socket, answered + 1)
            keys(socket, "half a draft", literal=True)
            await screen_shows(socket, PROMPT + "half a draft")
            await quit_app(socket)

            start(socket, project, env)
            await screen_shows(socket, PROMPT + "half a draft")  # the draft, after a restart
            keys(socket, "Up")
            await screen_shows(socket, PROMPT + "what does main return")
            keys(socket, "Up")
            await screen_shows(socket, PROMPT + "where is the parser")
            keys(socket, "Down", "Down")
            await screen_shows(socket, PROMPT + "half a draft")
            keys(socket, "C-l")
            await screen_shows(socket, "History search")
            keys(socket, "parser", literal=True)
            keys(socket, "Enter")
            await screen_shows(socket, PROMPT + "where is the parser")
            await quit_app(socket)
        finally:
            tmux(socket, "kill-server")
    assert children_of(os.getpid()) == set()
