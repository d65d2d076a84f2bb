"""Backlog databases in the upstream (AutoCoder/AutoForge) shape, built with plain SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

UPSTREAM_SCHEMA = """
CREATE TABLE features (
    id INTEGER NOT NULL PRIMARY KEY,
    priority INTEGER NOT NULL DEFAULT 999,
    category VARCHAR(100) NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    steps JSON NOT NULL,
    passes BOOLEAN DEFAULT 0,
    in_progress BOOLEAN DEFAULT 0,
    dependencies JSON
);
CREATE INDEX ix_features_priority ON features (priority);
CREATE INDEX ix_feature_status ON features (passes, in_progress);
"""
NEWER_COLUMNS = """
ALTER TABLE features ADD COLUMN needs_human_input BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE features ADD COLUMN human_input_request JSON;
ALTER TABLE features ADD COLUMN human_input_response JSON;
CREATE TABLE schedules (id INTEGER PRIMARY KEY, name TEXT NOT NULL, cron TEXT);
INSERT INTO schedules (name, cron) VALUES ('nightly', '0 2 * * *');
"""

# A small backlog: one passing, one in progress, two ready, one blocked on two others.
FEATURES = [
    {"name": "Login form", "passes": 1},
    {"name": "Session cookie", "in_progress": 1},
    {"name": "Logout button", "dependencies": [1], "steps": ["click logout", "see login"]},
    {"name": "Remember me", "dependencies": [2, 3]},
    {"name": "Password reset", "category": "Mail"},
]


def make_backlog(path: Path, features: Iterable[dict[str, Any]] = (), newer: bool = False) -> Path:
    """Create a backlog file; each feature dict may omit fields (NULL booleans allowed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(UPSTREAM_SCHEMA)
    if newer:
        conn.executescript(NEWER_COLUMNS)
    for i, f in enumerate(features, start=1):
        deps = f.get("dependencies")
        conn.execute(
            "INSERT INTO features (id, priority, category, name, description, steps, passes,"
            " in_progress, dependencies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f.get("id", i),
                f.get("priority", i),
                f.get("category", "Core"),
                f.get("name", f"Feature {i}"),
                f.get("description", f"Description {i}"),
                json.dumps(f.get("steps", ["check it"])),
                f.get("passes"),
                f.get("in_progress"),
                deps if deps is None or isinstance(deps, str) else json.dumps(deps),
            ),
        )
    conn.commit()
    conn.close()
    return path


def dump(path: Path) -> list[tuple[Any, ...]]:
    """Every row of every table, to compare a database before and after a failed call."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows: list[tuple[Any, ...]] = []
        for table in sorted(tables):
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        return rows
    finally:
        conn.close()


REQUEST = {
    "prompt": "Which payment provider? \x1b]0;pwned\x07 [red]not markup[/red]",
    "fields": [
        {
            "id": "provider",
            "label": "Provider",
            "type": "select",
            "options": [
                {"value": "stripe", "label": "Stripe"},
                {"value": "paddle", "label": "Paddle"},
            ],
        },
        {"id": "key_name", "label": "Env var name", "type": "text", "placeholder": "STRIPE_KEY"},
        {"id": "notes", "label": "Notes", "type": "textarea", "required": False},
        {"id": "sandbox", "label": "Sandbox first", "type": "boolean"},
    ],
}


def waiting_backlog(project: Path) -> Path:
    """The sample backlog with #5 waiting for the user's answer to ``REQUEST``."""
    path = make_backlog(project / "features.db", FEATURES, newer=True)
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE features SET needs_human_input = 1, in_progress = 0, human_input_request = ?"
        " WHERE id = 5",
        (json.dumps(REQUEST),),
    )
    conn.commit()
    conn.close()
    return path


def mark_passing(path: Path, feature_id: int) -> None:
    """Another program marks a feature passing, in its own connection and commit."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE features SET passes = 1 WHERE id = ?", (feature_id,))
    conn.commit()
    conn.close()
