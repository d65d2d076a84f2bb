"""A real terminal (tmux) around the installed app: a separate process can only be observed
through what its terminal shows."""

from __future__ import annotations

import asyncio
import subprocess
import time


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
