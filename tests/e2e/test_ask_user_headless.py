"""`assistant-tui ask` when the assistant asks the user to pick: nobody is there to choose.

The question and its options go to stderr, the tool answers at once that nobody can choose,
and the model states its assumption and goes on; the call is stored like any other.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.helpers.processes import run_cli
from tui.demo.model_server import ModelServer, ToolCall, Turn
from tui.tool_lines import ASK_USER
from tui.user_questions import NOBODY_HERE

QUESTIONS = [
    {
        "question": "Which store should the history use?",
        "header": "Store",
        "options": [
            {"label": "SQLite", "description": "one file, no server"},
            {"label": "Postgres\x1b[2J", "description": "a server to run"},
        ],
    }
]


async def test_headless_ask_prints_the_question_and_the_model_hears_nobody_is_there(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    turns = [
        Turn(match="Nobody is there", text="Assuming SQLite: it needs no server."),
        Turn(
            match="design", text="Let me ask.", tools=[ToolCall(ASK_USER, {"questions": QUESTIONS})]
        ),
    ]
    async with ModelServer(turns) as server:
        env = {"ANTHROPIC_BASE_URL": server.url}
        common = ["--project", str(project), "--db", str(db), "--model", "scripted"]
        code, out, err = await run_cli("ask", *common, "design the history", env=env)
        received = server.message_requests[-1].last_user_text()
    assert code == 0, err
    assert out == "Let me ask.\n\nAssuming SQLite: it needs no server.\n"
    assert (
        "? The assistant asks [Store]: Which store should the history use?\n"
        "    1. SQLite — one file, no server\n"
        "    2. Postgres\\u001b[2J — a server to run\n"
        "  (nobody is here to choose: the assistant states its assumption and goes on)\n"
    ) in err
    assert "\x1b" not in err
    assert received == NOBODY_HERE
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT name, input, status, result, decision FROM tool_events"
        ).fetchone()
    name, tool_input, status, result, decision = row
    assert (name, status, result) == (ASK_USER, "ok", NOBODY_HERE)
    assert decision == "nobody to ask (headless)"
    assert json.loads(tool_input)["questions"][0]["header"] == "Store"
