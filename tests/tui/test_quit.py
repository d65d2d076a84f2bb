"""Quitting while an answer streams keeps exactly what was shown (issue 15 D12).

Under Pilot for Ctrl+Q, the palette's quit and /quit; the installed command in tmux for SIGTERM and
SIGHUP (the terminal closing), which only a real process can receive.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, send, until
from tests.helpers.processes import children_of
from tests.helpers.screen import screen_rows
from tests.helpers.tmux import screen_shows, tmux
from tui.demo.model_server import ModelServer, ToolCall, Turn

SHOWN = "The backlog has five features; two pass."
REST = " The rest is never sent."


def turns() -> list[Turn]:
    """A backlog call, then an answer held after SHOWN until the test is over."""
    stats = ToolCall("mcp__features__feature_get_stats", {})
    return [
        Turn(match="the progress?", text="Let me check.", tools=[stats]),
        Turn(text=SHOWN + REST, hold_after=len(SHOWN)),
    ]


def alive(pid: int) -> bool:
    """Running: not gone and not a zombie (tmux reaps its pane's process a second later)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stored(db: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    with sqlite3.connect(db) as conn:
        messages = conn.execute("SELECT role, content, status FROM messages ORDER BY id")
        tools = conn.execute("SELECT name, status FROM tool_events ORDER BY id")
        return messages.fetchall(), tools.fetchall()


def expect_kept(db: Path) -> None:
    messages, tools = stored(db)
    assert messages == [
        ("user", "what's the progress?", "complete"),
        ("assistant", f"Let me check.\n\n{SHOWN}", "interrupted"),
    ]
    assert tools == [("mcp__features__feature_get_stats", "ok")]


@pytest.mark.parametrize("how", ["ctrl+q", "palette", "slash"])
async def test_quitting_mid_answer_keeps_what_was_shown(
    app_factory: Any, tmp_path: Path, how: str
) -> None:
    async with app_factory(turns()) as (app, server):
        async with app.run_test(size=SIZE) as pilot:
            await send(pilot, "what's the progress?")
            await until(pilot, lambda: SHOWN in "".join(screen_rows(app)), "the answer shown")
            if how == "ctrl+q":
                await pilot.press("ctrl+q")
            elif how == "slash":  # typed while the answer streams
                await pilot.press("slash", "q", "u", "i", "t", "enter")
            else:
                await pilot.press("ctrl+p")
                for char in "quit":
                    await pilot.press(char)
                await until(pilot, lambda: "Quit" in "".join(screen_rows(app)), "the entry")
                await pilot.press("enter")
        server.release()
        expect_kept(app.settings.db)
    assert children_of(os.getpid()) == set()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
async def test_a_signal_mid_answer_keeps_what_was_shown(
    isolated: Path, project: Path, tmp_path: Path, how: str
) -> None:
    socket = f"atui-quit-{os.getpid()}-{how}"
    command = Path(sys.executable).parent / "assistant-tui"
    db = tmp_path / "h.db"
    async with ModelServer(turns()) as server:
        env = {"ANTHROPIC_BASE_URL": server.url, "ASSISTANT_TUI_DB": str(db)}
        env["TERM"] = "xterm-256color"
        exports = " ".join(
            f"{k}={shlex.quote(v)}" for k, v in {**os.environ, **env}.items() if k.isidentifier()
        )
        target = shlex.quote(str(project))
        line = f"exec env -u COLUMNS -u LINES {exports} {command} {target} --model scripted"
        tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "140", "-y", "40")
        tmux(socket, "send-keys", "-t", "app", "-l", line)
        tmux(socket, "send-keys", "-t", "app", "Enter")
        try:
            await screen_shows(socket, "ready")
            pid = int(tmux(socket, "display", "-p", "-t", "app", "#{pane_pid}").strip())
            tmux(socket, "send-keys", "-t", "app", "-l", "what's the progress?")
            tmux(socket, "send-keys", "-t", "app", "Enter")
            await screen_shows(socket, SHOWN)
            started = time.monotonic()
            if how == "SIGTERM":
                os.kill(pid, signal.SIGTERM)
            else:
                tmux(socket, "kill-session", "-t", "app")  # the terminal closes: SIGHUP
            while alive(pid) and time.monotonic() - started < 30:
                await asyncio.sleep(0.05)  # another process: it can only be watched
            took = time.monotonic() - started
        finally:
            tmux(socket, "kill-server")
            server.release()
    expect_kept(db)
    assert not alive(pid), "the app did not end"
    print(f"{how}: the app ended {took:.2f} s after the signal")
    assert children_of(os.getpid()) == set()
