"""A real terminal (tmux) around the installed app: a separate process can only be observed
through what its terminal shows."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path


def tmux(socket: str, *args: str) -> str:
    """Run one tmux command on the given server socket and return what it printed."""
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


async def screen_lacks(socket: str, text: str, deadline: float = 60) -> str:
    """Read the screen until ``text`` is gone from it (a dialog closed)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        screen = tmux(socket, "capture-pane", "-p", "-t", "app")
        if text not in screen:
            return screen
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never went away; the screen was:\n{screen}")


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
