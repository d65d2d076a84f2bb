"""The backlog's bounds, through the real server: size of the backlog, of a write, of a session,
and no credential written into it. Each refusal leaves the file as it was."""

from __future__ import annotations

from pathlib import Path

from mcp_server.backlog import MAX_FEATURES
from mcp_server.tools import SESSION_CREATE_LIMIT
from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.mcp import backlog_client, call, fail


def item(i: int, description: str = "D") -> dict[str, object]:
    return {"category": "C", "name": f"F{i}", "description": description, "steps": ["s"]}


async def test_creating_stops_at_the_backlog_limit(project: Path) -> None:
    db = make_backlog(project / "features.db", ({} for _ in range(MAX_FEATURES - 1)))
    async with backlog_client(project) as client:
        two = await fail(client, "feature_create_bulk", {"features": [item(1), item(2)]})
        before = dump(db)
        await call(client, "feature_create", **item(3))
        one_more = await fail(client, "feature_create", item(4))
        stats = await call(client, "feature_get_stats")
    assert f"holds {MAX_FEATURES - 1} features and 2 more would pass its limit of 10,000" in two
    assert "holds 10000 features" in one_more and stats["total"] == MAX_FEATURES
    assert len(dump(db)) == len(before) + 1


async def test_a_bigger_existing_backlog_still_reads_and_skips(project: Path) -> None:
    make_backlog(project / "features.db", ({} for _ in range(MAX_FEATURES + 5)))
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
        skipped = await call(client, "feature_skip", feature_id=1)
        await fail(client, "feature_create", item(1))
    assert stats["total"] == MAX_FEATURES + 5 and skipped["new_priority"] > MAX_FEATURES


async def test_a_write_carries_at_most_2_mb(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "seed"}])
    before = dump(db)
    big = [item(i, "x" * 20_000) for i in range(200)]  # 4 MB: what the schema alone allows
    async with backlog_client(project) as client:
        message = await fail(client, "feature_create_bulk", {"features": big})
        await call(client, "feature_create_bulk", features=big[:90])  # 1.8 MB
    assert "4,0" in message and "more than the 2,000,000 one write may hold" in message
    assert len(dump(db)) == len(before) + 90


async def test_one_session_creates_at_most_1000(project: Path) -> None:
    batch = [item(i) for i in range(200)]
    async with backlog_client(project) as client:
        for _ in range(SESSION_CREATE_LIMIT // 200):
            await call(client, "feature_create_bulk", features=batch)
        message = await fail(client, "feature_create", item(0))
    assert "This session has created 1000 features" in message
    assert "start a new conversation" in message
    async with backlog_client(project) as client:  # a new session may go on
        await call(client, "feature_create", **item(0))
        stats = await call(client, "feature_get_stats")
    assert stats["total"] == SESSION_CREATE_LIMIT + 1


async def test_a_credential_is_never_written(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "seed"}])
    before = dump(db)
    token = "ghp_" + "Z9" * 18
    async with backlog_client(project) as client:
        one = await fail(client, "feature_create", item(1, f"use {token} to push"))
        steps = {**item(2), "steps": ["export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP"]}
        bulk = await fail(client, "feature_create_bulk", {"features": [item(3), steps]})
    assert "holds a GitHub token" in one and "holds an AWS access key" in bulk
    assert dump(db) == before
