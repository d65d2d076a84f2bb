"""Several processes writing the same backlog at once (agents creating, the assistant editing,
the pane deleting and answering) lose nothing and share no priority."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from mcp_server.backlog import Backlog
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


SEEDED = 40


async def editor(project: Path) -> None:
    """Edit seeded features 1-20 (the assistant's tools) while others create and delete."""
    async with backlog_client(project) as client:
        for fid in range(1, 21):
            await call(client, "feature_update", feature_id=fid, name=f"edited-{fid}")
            if fid > 1:
                await call(client, "feature_add_dependency", feature_id=fid, dependency_id=fid - 1)
            if fid % 4 == 0:
                await call(client, "feature_mark_failing", feature_id=fid, reason=f"bug {fid}")
            if fid % 5 == 0:
                await call(client, "feature_set_dependencies", feature_id=fid, dependency_ids=[1])


def pane(project: Path) -> None:
    """The pane's edits, in-process as the app makes them: delete 31-40, answer 21-30."""
    backlog = Backlog(project)
    try:
        for fid in range(SEEDED, 30, -1):
            backlog.delete(fid)
        for fid in range(21, 31):
            backlog.answer_human_input(fid, {"ok": True})
    finally:
        backlog.close()


async def test_edits_while_other_processes_write_lose_nothing(project: Path) -> None:
    rows = [{"passes": 1 if i % 4 == 0 else 0, "in_progress": 0} for i in range(1, SEEDED + 1)]
    rows[30:] = [{"dependencies": [30]} for _ in range(SEEDED - 30)]  # 31-40 all wait for 30
    db = make_backlog(project / "features.db", rows, newer=True)
    conn = sqlite3.connect(db)
    form = json.dumps({"prompt": "Go?", "fields": [{"id": "ok", "type": "boolean"}]})
    conn.execute("UPDATE features SET needs_human_input = 1, human_input_request = ? WHERE id"
                 " BETWEEN 21 AND 30", (form,))  # fmt: skip
    conn.commit()
    conn.close()
    created, _, _ = await asyncio.gather(
        writer(project, "agent"), editor(project), asyncio.to_thread(pane, project)
    )
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    found = {r["id"]: r for r in conn.execute("SELECT * FROM features")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    assert set(created) <= set(found) and len(found) == 30 + len(created)
    for fid in range(1, 21):
        row = found[fid]
        deps = json.loads(row["dependencies"]) if row["dependencies"] else []
        assert row["name"] == f"edited-{fid}"
        assert deps == ([1] if fid % 5 == 0 else [fid - 1] if fid > 1 else []), fid
        if fid % 4 == 0:
            assert row["passes"] == 0 and row["description"].endswith(
                f"Reported failing: bug {fid}"
            )
    for fid in range(21, 31):
        assert found[fid]["needs_human_input"] == 0
        assert json.loads(found[fid]["human_input_response"])["fields"] == {"ok": True}
    assert integrity == "ok"
