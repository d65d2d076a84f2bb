"""A model may reuse a tool_use_id in a later launch: each answer keeps its own tool call.

The demo's scripted model numbers its ids from 1 in every process, so continuing a conversation
after a relaunch hands out ids its earlier answers already used (issue 15, D2).
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.processes import run_cli
from tui.demo import model_server
from tui.demo.model_server import ModelServer, ToolCall, Turn

SCRIPT = [
    Turn(match="question one", tools=[ToolCall("Read", {"file_path": "README.md"})]),
    Turn(match="question two", tools=[ToolCall("Glob", {"pattern": "*.py"})]),
    Turn(match="question three", tools=[ToolCall("Read", {"file_path": "app.py"})]),
    Turn(match="question four", tools=[ToolCall("Grep", {"pattern": "main"})]),
]


async def launch(monkeypatch: pytest.MonkeyPatch, common: list[str], *asks: list[str]) -> None:
    """One launch of the app: a fresh scripted model, its ids counted from 1 again."""
    monkeypatch.setattr(model_server, "_ids", itertools.count(1))
    async with ModelServer(SCRIPT, default_text="Done.") as server:
        for ask in asks:
            code, _, err = await run_cli(
                "ask", *common, *ask, env={"ANTHROPIC_BASE_URL": server.url}
            )
            assert code == 0, err


async def test_a_reused_tool_id_never_takes_an_earlier_answers_call(
    isolated: Path, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    common = ["--project", str(project), "--db", str(db), "--model", "scripted"]
    await launch(monkeypatch, common, ["question one"], ["question two"])
    await launch(
        monkeypatch,
        common,
        ["--conversation", "2", "question three"],
        ["--conversation", "2", "question four"],
    )
    code, printed, err = await run_cli("export", "--db", str(db), "2", "-o", "-")
    assert code == 0, err
    answers = [part for part in printed.split("\n## ") if part.startswith("Assistant")]
    summaries = [
        [
            line.split("<summary>Tool: ")[1].split(" — ")[0]
            for line in answer.splitlines()
            if "<summary>" in line
        ]
        for answer in answers
    ]
    assert summaries == [
        ["Searching for files: *.py"],
        ["Reading file: app.py"],
        ["Searching for: main"],
    ]
    assert "app.py" in answers[0] and "return 42" in answers[1] and "app.py" in answers[2]
    conn = sqlite3.connect(db)
    early = conn.execute(
        "SELECT COUNT(*) FROM tool_events t JOIN messages m ON m.id = t.message_id"
        " WHERE t.started_at < m.created_at OR t.finished_at < t.started_at"
    ).fetchone()[0]
    ids = [
        r[0] for r in conn.execute("SELECT tool_use_id FROM tool_events WHERE conversation_id = 2")
    ]
    conn.close()
    assert early == 0  # no call started before its own answer did
    assert len(ids) == 3 and len(set(ids)) < 3  # the model did reuse an id here
