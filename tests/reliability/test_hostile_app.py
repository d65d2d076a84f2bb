"""A hostile project in the real app: a prompt-injected model's attempts show as refusals in the
tool log, as a user sees it, and leave the project and its neighbours byte-identical."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.helpers.pilot import SIZE, ask, until
from tests.helpers.processes import tree_hash
from tests.helpers.screen import screen_rows
from tui.demo.model_server import ToolCall, Turn
from tui.widgets.tool_log import ToolLog

TOKEN = "ghp_" + "H0st1le" * 6


def tool_log_rows(app: Any) -> list[str]:
    region = app.screen.query_one(ToolLog).region
    rows = screen_rows(app)[region.y : region.bottom]
    return [row[region.x : region.right].strip() for row in rows]


async def test_the_tool_log_shows_each_refusal(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / ".ssh").mkdir(parents=True)
    (outside / "private.txt").write_text("PRIVATE outside\n")
    os.link(outside / "private.txt", project / "notes.txt")
    (project / "features.db").symlink_to(outside / ".ssh" / "authorized_keys")
    (project / "settings.ini").write_text(f"[deploy]\ntoken = {TOKEN}\n")
    before = (tree_hash(project), tree_hash(outside))
    turns = [
        Turn(
            match="summarise",
            tools=[
                ToolCall("Read", {"file_path": "notes.txt"}),
                ToolCall(
                    "mcp__features__feature_create",
                    {
                        "category": "x",
                        "name": "k",
                        "description": "ssh-ed25519 AAAA",
                        "steps": ["s"],
                    },
                ),
                ToolCall("Grep", {"pattern": "token", "output_mode": "content"}),
            ],
        ),
        Turn(text="Done."),
    ]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        # Writes allowed without asking, so the write reaches the server, whose own check of
        # the backlog file must refuse it (the dialog has tests of its own).
        app.settings.backlog_writes = "on"
        await ask(pilot, "summarise")
        await until(pilot, lambda: len([r for r in tool_log_rows(app) if r]) >= 3, "3 tool rows")
        shown = "\n".join(tool_log_rows(app))
        assert "⛔ Reading file: notes.txt" in shown, shown
        assert "✗ Creating feature" in shown, shown
        assert "✓ Searching for: token" in shown, shown
        results = [str(b) for r in server.requests if r.body for b in [r.body]]
        assert not [b for b in results if TOKEN in b or "PRIVATE outside" in b]
        assert any("[redacted]" in b for b in results)
    assert (tree_hash(project), tree_hash(outside)) == before
    assert not (outside / ".ssh" / "authorized_keys").exists()
