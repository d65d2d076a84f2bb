"""SIGKILL in the middle of a streaming answer: the question and the reply so far survive."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tui.demo.model_server import ModelServer, Turn
from tui.models import MessageStatus, Role
from tui.storage import Store

PACE = 0.01  # seconds per 4-character delta: 400 characters a second
ANSWER = "".join(f"{i:05d} " for i in range(3000))  # every prefix is recognisable
KILL_POINTS = 8


@pytest.mark.slow
async def test_sigkill_mid_answer_loses_at_most_a_second(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    rng = random.Random(20261124)
    worst = 0
    async with ModelServer([Turn(match="count", text=ANSWER, pace=PACE)]) as server:
        for point in range(KILL_POINTS):
            db = tmp_path / f"kill-{point}.db"
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tui",
                "ask",
                "--project",
                str(project),
                "--db",
                str(db),
                "--model",
                "scripted",
                "count for me",
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
                env={**os.environ, "ANTHROPIC_BASE_URL": server.url},
            )
            assert process.stdout is not None
            wanted, shown = rng.randint(200, 4000), b""
            while len(shown) < wanted:
                shown += await process.stdout.read(256)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            conn = sqlite3.connect(db)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
            store = await Store.open(db)
            try:
                conversation = (await store.conversation_list(project))[0]
                messages = await store.message_page(conversation.id)
                assert messages[0].role is Role.USER and messages[0].content == "count for me"
                reply = messages[1]
                assert ANSWER.startswith(reply.content)
                assert reply.status is MessageStatus.STREAMING
                assert await store.messages_orphaned(quiet_for=timedelta(0)) == 1
                reply = (await store.message_page(conversation.id))[1]
                assert reply.status is MessageStatus.INTERRUPTED
            finally:
                await store.close()
            lost = len(shown.decode()) - len(reply.content)
            worst = max(worst, lost)
            assert lost <= 400, f"lost {lost} characters (more than a second of streaming)"
    print(
        f"\n{KILL_POINTS} kill points survived; worst loss {worst} characters "
        f"(~{worst / 400:.2f} s of streaming)"
    )
