"""Every edit written with ours, read back with plain sqlite3 through a schema rebuilt here from
REFERENCE.md sections 2 and 2.1 (not from our code, not from upstream's): what upstream's agents
would find in the cells, types included."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from mcp_server.backlog import Backlog
from tests.helpers.mcp import backlog_client, call

# REFERENCE.md section 2 (the table and its indexes) plus 2.1 (the human-input columns; other
# tables are kept as they are).
REFERENCE_SCHEMA = """
CREATE TABLE features (
    id INTEGER PRIMARY KEY,
    priority INTEGER NOT NULL DEFAULT 999,
    category VARCHAR(100) NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    steps JSON NOT NULL,
    passes BOOLEAN NOT NULL DEFAULT 0,
    in_progress BOOLEAN NOT NULL DEFAULT 0,
    dependencies JSON NULL,
    needs_human_input BOOLEAN NOT NULL DEFAULT 0,
    human_input_request JSON,
    human_input_response JSON
);
CREATE INDEX ix_features_priority ON features (priority);
CREATE INDEX ix_features_passes ON features (passes);
CREATE INDEX ix_features_in_progress ON features (in_progress);
CREATE INDEX ix_feature_status ON features (passes, in_progress);
CREATE TABLE schedules (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO schedules (name) VALUES ('nightly');
"""
FORM = {
    "prompt": "Which payment provider?",
    "fields": [
        {"id": "provider", "label": "Provider", "type": "select",
         "options": [{"value": "stripe", "label": "Stripe"}, {"value": "adyen", "label": "Adyen"}]},
        {"id": "sandbox", "label": "Sandbox first", "type": "boolean"},
        {"id": "why", "label": "Why", "type": "textarea", "required": False},
    ],
}  # fmt: skip


def seed(db: Path) -> None:
    """Four features as an agent leaves them: done, waiting for input, pending, pending."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(REFERENCE_SCHEMA)
    rows = [
        (1, 1, "Core", "Login", "Users log in.", 1, 0, 0, None),
        (2, 2, "Pay", "Checkout", "Take payments.", 0, 0, 1, json.dumps(FORM)),
        (3, 3, "Core", "Profile", "Edit a profile.", 0, 0, 0, None),
        (4, 4, "Core", "Old", "To be deleted.", 0, 0, 0, None),
    ]
    for row in rows:
        conn.execute(
            "INSERT INTO features (id, priority, category, name, description, steps, passes,"
            " in_progress, needs_human_input, human_input_request) VALUES"
            " (?, ?, ?, ?, ?, '[\"check\"]', ?, ?, ?, ?)",
            row,
        )
    conn.execute("UPDATE features SET dependencies = '[4]' WHERE id = 1")
    conn.commit()
    conn.close()


def cells(db: Path) -> dict[int, dict[str, Any]]:
    """Each row's raw cells with SQLite's own type of each, as another program reads them."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    out: dict[int, dict[str, Any]] = {}
    for row in conn.execute("SELECT * FROM features ORDER BY id"):
        types = conn.execute(
            "SELECT typeof(priority), typeof(passes), typeof(in_progress),"
            " typeof(needs_human_input) FROM features WHERE id = ?",
            (row["id"],),
        ).fetchone()
        out[row["id"]] = dict(row) | {"types": tuple(types)}
    conn.close()
    return out


def ints(cell: str | None) -> list[int] | None:
    """A dependencies cell as upstream reads it: JSON holding a list of plain integers."""
    if cell is None:
        return None
    value = json.loads(cell)
    assert isinstance(value, list) and all(type(item) is int for item in value), cell
    return value


async def test_every_edit_reads_back_in_upstreams_shape(project: Path) -> None:
    db = project / ".autoforge" / "features.db"
    db.parent.mkdir()
    seed(db)
    async with backlog_client(project) as client:
        five = await call(
            client, "feature_create", category="Core", name="Avatar", description="Upload one.",
            steps=["upload"], dependencies=[3],
        )  # fmt: skip
        await call(client, "feature_update", feature_id=3, name="Profile page", steps=["a", "b"])
        await call(client, "feature_add_dependency", feature_id=3, dependency_id=1)
        await call(client, "feature_set_dependencies", feature_id=5, dependency_ids=[3, 1])
        await call(client, "feature_remove_dependency", feature_id=5, dependency_id=3)
        await call(client, "feature_mark_failing", feature_id=1, reason="Logout is broken.")
    backlog = Backlog(project)
    answered = backlog.answer_human_input(2, {"provider": "stripe", "sandbox": True})
    deleted = backlog.delete(4)
    backlog.close()
    rows = cells(db)
    assert sorted(rows) == [1, 2, 3, 5] and five["id"] == 5
    for row in rows.values():
        assert row["types"] == ("integer",) * 4, row["id"]  # priorities and 0/1 booleans
        assert row["passes"] in (0, 1) and row["in_progress"] in (0, 1)
        assert isinstance(json.loads(row["steps"]), list)
    assert [rows[i]["priority"] for i in (1, 2, 3, 5)] == [1, 2, 3, 5]
    assert (rows[1]["passes"], rows[1]["in_progress"]) == (0, 0)
    assert rows[1]["description"] == "Users log in.\n\nReported failing: Logout is broken."
    assert ints(rows[1]["dependencies"]) is None  # 4 was deleted: unlinked, NULL = none
    assert deleted == {"deleted": 4, "unlinked": [1]}
    assert rows[3]["name"] == "Profile page" and json.loads(rows[3]["steps"]) == ["a", "b"]
    assert ints(rows[3]["dependencies"]) == [1] and ints(rows[5]["dependencies"]) == [1]
    assert rows[2]["needs_human_input"] == 0 and json.loads(rows[2]["human_input_request"]) == FORM
    response = json.loads(rows[2]["human_input_response"])
    assert response["fields"] == {"provider": "stripe", "sandbox": True}
    assert datetime.fromisoformat(response["responded_at"]).utcoffset() is not None
    assert answered["human_input_response"] == response
    # Upstream's ready rule, in plain SQL: the answered feature is back in the queue.
    conn = sqlite3.connect(db)
    ready = conn.execute(
        "SELECT id FROM features WHERE passes = 0 AND in_progress = 0 AND needs_human_input = 0"
        " ORDER BY priority, id"
    ).fetchall()
    assert conn.execute("SELECT name FROM schedules").fetchall() == [("nightly",)]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert ready == [(1,), (2,), (3,), (5,)]
    assert not (project / "features.db").exists()  # the .autoforge file was the one written
