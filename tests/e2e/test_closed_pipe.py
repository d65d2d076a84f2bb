"""A reader that goes away (`| head`) ends a command quietly, with what streamed kept.

The commands run as a user runs them: the installed module in a subprocess, its stdout a real
pipe whose reader closes early (issue 15, D3).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from pathlib import Path

from tests.helpers.processes import run_cli
from tui.commands.common import PIPE_CLOSED
from tui.demo.model_server import ModelServer, Turn

ANSWER = "".join(f"word{i} " for i in range(200))


async def test_ask_json_into_head_stops_quietly_and_keeps_the_reply(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    read_end, write_end = os.pipe()
    async with ModelServer([Turn(text=ANSWER, hold_after=80)]) as server:
        ask = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "tui", "ask", "--json", "--project", str(project)),
            *("--db", str(db), "--model", "scripted", "tell me"),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=write_end,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "ANTHROPIC_BASE_URL": server.url},
        )
        head = await asyncio.create_subprocess_exec(
            "head", "-5", stdin=read_end, stdout=asyncio.subprocess.PIPE
        )
        os.close(read_end)
        os.close(write_end)
        shown, _ = await head.communicate()  # head has read its 5 lines and is gone
        server.release()  # the rest of the answer now meets a closed pipe
        assert ask.stderr is not None
        err = (await ask.stderr.read()).decode()
        code = await ask.wait()
    lines = [json.loads(line) for line in shown.decode().splitlines()]
    seen = "".join(line["text"] for line in lines if line["event"] == "TextDelta")
    assert len(lines) == 5 and seen
    assert (code, err) == (PIPE_CLOSED, ""), err
    conn = sqlite3.connect(db)
    status, content = conn.execute(
        "SELECT status, content FROM messages WHERE role = 'assistant'"
    ).fetchone()
    conn.close()
    assert status == "interrupted"
    assert ANSWER.startswith(content) and content.startswith(seen)  # as far as it got


async def stdout_closed(*args: str) -> tuple[int, str]:
    """Run a command whose stdout is a pipe nobody reads any more: exit status and stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "tui", *args),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=write_end,
        stderr=asyncio.subprocess.PIPE,
    )
    os.close(write_end)
    _, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_history_and_export_into_a_closed_pipe_stop_quietly(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "h.db")
    async with ModelServer([Turn(text="An answer.")]) as server:
        code, _, err = await run_cli(
            *("ask", "--project", str(project), "--db", db, "--model", "scripted", "hello"),
            env={"ANTHROPIC_BASE_URL": server.url},
        )
        assert code == 0, err
    assert await stdout_closed("history", "--db", db, "1") == (PIPE_CLOSED, "")
    assert await stdout_closed("history", "--db", db, "--project", str(project)) == (
        PIPE_CLOSED,
        "",
    )
    assert await stdout_closed("export", "--db", db, "1", "-o", "-") == (PIPE_CLOSED, "")
