"""A message starting with "/" reaches the model as text through the real CLI, never as one of
the CLI's own commands (which would switch its model or empty its context unseen by the app)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.processes import run_cli
from tui.demo.model_server import ModelServer, Turn


async def test_ask_sends_a_leading_slash_to_the_model_as_text(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    turns = [
        Turn(match="/model sonnet", text="Read as text."),
        Turn(match="/clear", text="Still here."),
    ]
    async with ModelServer(turns) as server:
        env = {"ANTHROPIC_BASE_URL": server.url}
        common = ["--project", str(project), "--db", str(tmp_path / "h.db"), "--model", "scripted"]
        code, out, err = await run_cli("ask", *common, "/model sonnet", env=env)
        assert code == 0 and out == "Read as text.\n", err
        code, out, err = await run_cli("ask", *common, "--continue", "/clear", env=env)
        assert code == 0 and out == "Still here.\n", err
    first, second = server.message_requests
    assert first.last_user_text() == " /model sonnet"
    assert second.last_user_text() == " /clear"
    assert second.body["model"] == "scripted"  # /model did not switch the CLI's model
    said = str(second.body["messages"])
    assert "/model sonnet" in said and "Read as text." in said  # /clear emptied nothing
    assert "command-message" not in said
