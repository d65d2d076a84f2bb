"""Two server processes writing the same backlog at once lose nothing and share no priority."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from tests.helpers.backlog_db import make_backlog
from tests.helpers.mcp import backlog_client, call

ROUNDS = 25


async def writer(project: Path, tag: str) -> list[int]:
    """Alternate single and bulk creates and skips, as an agent and the assistant might."""
    ids: list[int] = []
    async with backlog_client(project) as client:
        for i in range(ROUNDS):
            base = {"category": tag, "description": "d", "steps": ["s"]}
            if i % 2:
                made = await call(
                    client,
                    "feature_create_bulk",
                    features=[
                        base | {"name": f"{tag}-{i}-a"},
                        base | {"name": f"{tag}-{i}-b", "depends_on_indices": [0]},
                    ],
                )
                ids += made["ids"]
            else:
                ids.append((await call(client, "feature_create", **base, name=f"{tag}-{i}"))["id"])
            if i % 5 == 4:
                await call(client, "feature_skip", feature_id=1)
    return ids


async def test_two_servers_writing_at_once_lose_nothing(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "seed"}])
    first, second = await asyncio.gather(writer(project, "left"), writer(project, "right"))
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM features")}
    priorities = [r[0] for r in conn.execute("SELECT priority FROM features")]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    per_writer = ROUNDS + ROUNDS // 2  # singles plus a second feature per bulk round
    assert len(first) == len(second) == per_writer
    assert not set(first) & set(second)
    assert len(names) == 1 + 2 * per_writer
    assert len(priorities) == len(set(priorities)), "duplicate priorities"
    assert integrity == "ok"
