"""The installed `assistant-tui` in tmux, the composer's features in one session: the slash
picker runs a command, an @-mention inserted with Tab reaches the model as a note, a model
changed with /model is the one the next request names, and thinking is drawn folded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.helpers.processes import children_of
from tests.helpers.tmux import PROMPT, keys, quit_app, screen_lacks, screen_shows, start, tmux
from tui.demo.model_server import ModelServer, Turn

THOUGHT = "The user wants the reasoning; main returns a constant, nothing else happens. " * 3


def conversation_requests(server: ModelServer) -> list[dict[str, Any]]:
    """The requests that carried the conversation: not the CLI's one-token check that a model
    it is switched to answers."""
    return [r.body for r in server.message_requests if r.body.get("max_tokens", 0) > 1]


async def test_installed_app_slash_picker_mention_model_and_thinking(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    socket = f"atui-composer-{os.getpid()}"
    turns = [
        Turn(match="mentioned_files", text="Seen the file."),
        Turn(match="think it through", thinking=THOUGHT, text="Thought it through."),
    ]
    async with ModelServer(turns) as server:
        env = {
            "ANTHROPIC_BASE_URL": server.url,
            "ASSISTANT_TUI_DB": str(tmp_path / "h.db"),
            "ANTHROPIC_DEFAULT_SONNET_MODEL": "scripted-sonnet",  # what the alias resolves to
            "TERM": "xterm-256color",
        }
        try:
            start(socket, project, env)
            await screen_shows(socket, "ready")
            keys(socket, "/he", literal=True)  # the picker, filtered as typed; Enter runs
            await screen_shows(socket, "/help")
            keys(socket, "Enter")
            await screen_shows(socket, "scroll · Esc closes")  # the help's own line
            keys(socket, "Escape")  # closed before typing on: Esc then "e" would read as Alt+E
            await screen_lacks(socket, "scroll · Esc closes")

            keys(socket, "explain @ap", literal=True)
            await screen_shows(socket, "app.py")
            keys(socket, "Tab")
            await screen_shows(socket, PROMPT + "explain @app.py ")
            keys(socket, "please", literal=True)
            keys(socket, "Enter")
            await screen_shows(socket, "Seen the file.")
            first = conversation_requests(server)[-1]
            sent = server.message_requests[-1].last_user_text()
            assert "<mentioned_files>" in sent and "- app.py (" in sent
            assert sent.endswith("</mentioned_files>\n\nexplain @app.py please")

            keys(socket, "/model sonnet", literal=True)
            keys(socket, "Enter")
            await screen_shows(socket, "· sonnet · ready")
            keys(socket, "think it through", literal=True)
            keys(socket, "Enter")
            screen = await screen_shows(socket, "Thought it through.")
            assert f"▸ Thinking · {len(THOUGHT):,} chars · " in screen
            assert "nothing else happens" not in screen  # folded: the thinking is not drawn
            second = conversation_requests(server)[-1]
            assert (first["model"], second["model"]) == ("scripted", "scripted-sonnet")
            await quit_app(socket)
        finally:
            tmux(socket, "kill-server")
    assert children_of(os.getpid()) == set()
