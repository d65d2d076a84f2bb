"""SIGKILL in the middle of a streaming answer: the question and the reply so far survive.

Twelve `assistant-tui ask` processes are killed at random points of a paced answer (four at a
time, each with its own database file); every database must pass integrity_check, hold the
question, and hold the reply up to at most a second before the kill, marked interrupted once the
next start recovers it.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.figures import Figures
from tests.helpers.processes import ask_process
from tui.demo.model_server import ModelServer, Turn
from tui.models import MessageStatus, Role
from tui.storage import Store

PACE = 0.01  # seconds per 4-character delta: 400 characters a second
RATE = 4 / PACE
ANSWER = "".join(f"{i:05d} " for i in range(3000))  # every prefix is recognisable
KILL_POINTS = 12  # random points; four at a time, each an `ask` process to start
AT_ONCE = 4


async def kill_once(url: str, project: Path, db: Path, wanted: int) -> int:
    """Start `ask`, kill it after `wanted` characters are shown, check the file; chars lost."""
    process = await ask_process(url, project, db, "count for me", asyncio.subprocess.DEVNULL)
    assert process.stdout is not None
    shown = b""
    while len(shown) < wanted:
        chunk = await process.stdout.read(256)
        if not chunk:  # end of file: read() returns at once, and the loop spun forever
            code = await process.wait()
            pytest.fail(f"ask ended after {len(shown)} of {wanted} bytes, exit status {code}")
        shown += chunk
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
        assert reply.status is MessageStatus.INTERRUPTED and ANSWER.startswith(reply.content)
    finally:
        await store.close()
    return len(shown.decode()) - len(reply.content)


@pytest.mark.slow
async def test_sigkill_mid_answer_loses_at_most_a_second(
    isolated: Path, project: Path, tmp_path: Path, figures: Figures
) -> None:
    rng = random.Random(20261124)
    wanted = [rng.randint(200, 3000) for _ in range(KILL_POINTS)]
    gate = asyncio.Semaphore(AT_ONCE)
    async with ModelServer([Turn(match="count", text=ANSWER, pace=PACE)]) as server:

        async def point(index: int) -> int:
            async with gate:
                return await kill_once(
                    server.url, project, tmp_path / f"kill-{index}.db", wanted[index]
                )

        lost = await asyncio.gather(*(point(i) for i in range(KILL_POINTS)))
    assert max(lost) <= RATE, f"lost {max(lost)} characters (more than a second of streaming)"
    figures.record(
        "faults",
        "SIGKILL points survived (integrity ok, question kept)",
        KILL_POINTS,
        of=KILL_POINTS,
    )
    figures.record("faults", "worst characters lost at a kill", max(lost))
    figures.record(
        "faults", "worst seconds of streaming lost at a kill", round(max(lost) / RATE, 2)
    )
