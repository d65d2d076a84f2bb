"""Features waiting for the user's input (upstream's newer columns), through the real server.

Built from REFERENCE.md 2.1: ``needs_human_input`` BOOLEAN, ``human_input_request`` JSON,
``human_input_response`` JSON; absent in older files, NULL in some rows.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.helpers.backlog_db import make_backlog
from tests.helpers.mcp import backlog_client, call

REQUEST = {"prompt": "Which database?", "fields": [{"id": "db", "label": "Database"}]}
ROWS = [
    {"name": "done", "passes": 1},
    {"name": "asks the user"},
    {"name": "free"},
    {"name": "asked, then passed", "passes": 1},
    {"name": "asks, and is blocked", "dependencies": [99]},
    {"name": "asks while in progress", "in_progress": 1},
]
WAITING = (2, 4, 5, 6)  # needs_human_input = 1 (4 passes as well)


def waiting_backlog(path: Path) -> Path:
    """Upstream's newer file with the features of WAITING parked for the user's input."""
    make_backlog(path, ROWS, newer=True)
    conn = sqlite3.connect(path)
    marks = ",".join("?" * len(WAITING))
    conn.execute(
        f"UPDATE features SET needs_human_input = 1, human_input_request = ? WHERE id IN ({marks})",
        (json.dumps(REQUEST), *WAITING),
    )
    conn.commit()
    conn.close()
    return path


async def test_waiting_features_are_not_ready_and_have_their_own_status(project: Path) -> None:
    waiting_backlog(project / ".autoforge" / "features.db")
    async with backlog_client(project) as client:
        ready = await call(client, "feature_get_ready")
        stats = await call(client, "feature_get_stats")
        listed = await call(client, "feature_list", status="needs_human_input")
        ready_listed = await call(client, "feature_list", status="ready")
        one = await call(client, "feature_get_by_id", feature_id=2)
    assert [f["name"] for f in ready["features"]] == ["free"] and ready["total_ready"] == 1
    assert [f["name"] for f in ready_listed["features"]] == ["free"]
    assert stats["needs_human_input"] == 3 and stats["passing"] == 2  # a passing one waits for none
    assert stats["in_progress"] == 1 and stats["path"] == ".autoforge/features.db"
    assert [(f["id"], f["status"]) for f in listed["features"]] == [
        (2, "needs_human_input"),
        (5, "needs_human_input"),
        (6, "needs_human_input"),
    ]
    assert one["status"] == "needs_human_input" and one["human_input_request"] == REQUEST


async def test_graph_ranks_blocked_above_waiting_above_in_progress(project: Path) -> None:
    waiting_backlog(project / "features.db")
    async with backlog_client(project) as client:
        graph = await call(client, "feature_get_graph")
    assert [(n["id"], n["status"], n["detail"]) for n in graph["nodes"]] == [
        (1, "done", "passing"),
        (2, "needs_human_input", "needs_human_input"),
        (3, "pending", "ready"),
        (4, "done", "passing"),
        (5, "blocked", "needs_human_input"),
        (6, "needs_human_input", "needs_human_input"),
    ]


async def test_a_file_without_the_columns_counts_none_waiting(project: Path) -> None:
    make_backlog(project / "features.db", ROWS)
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
        listed = await call(client, "feature_list", status="needs_human_input")
        ready = await call(client, "feature_get_ready")
        one = await call(client, "feature_get_by_id", feature_id=2)
    assert stats["needs_human_input"] == 0 and listed["total"] == 0
    assert [f["id"] for f in ready["features"]] == [2, 3]
    assert one["status"] == "ready" and "needs_human_input" not in one


async def test_null_waiting_flags_read_as_false(project: Path) -> None:
    """A nullable column (added without NOT NULL) holding NULL: nobody waits, all stay ready."""
    path = make_backlog(project / "features.db", [{"name": "a"}, {"name": "b"}])
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE features ADD COLUMN needs_human_input BOOLEAN")
    conn.commit()
    conn.close()
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
        ready = await call(client, "feature_get_ready")
        listed = await call(client, "feature_list", status="needs_human_input")
        one = await call(client, "feature_get_by_id", feature_id=1)
    assert stats["needs_human_input"] == 0 and listed["total"] == 0
    assert ready["total_ready"] == 2
    assert one["needs_human_input"] is False and one["status"] == "ready"
