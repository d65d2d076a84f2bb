"""The installed `assistant-tui` in tmux: Up, the history search and a draft across a restart."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers.processes import children_of
from tests.helpers.tmux import PROMPT, answers_shown, keys, quit_app, screen_shows, start, tmux
from tui.demo.model_server import ModelServer, Turn


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
