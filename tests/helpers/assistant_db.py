"""Build an AutoCoder/AutoForge ``assistant.db`` in upstream's shape with plain SQL.

The shape (tables ``conversations`` and ``conversation_messages``, microsecond text times, a
title filled from the first user message) is a fact of upstream's schema; no upstream code is
used.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

UPSTREAM = """
CREATE TABLE conversations (
    id INTEGER NOT NULL PRIMARY KEY,
    project_name VARCHAR(100) NOT NULL,
    mode VARCHAR(10) NOT NULL DEFAULT 'dev',
    title VARCHAR(200),
    created_at DATETIME,
    updated_at DATETIME
);
CREATE TABLE conversation_messages (
    id INTEGER NOT NULL PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    role VARCHAR(20) NOT NULL,
    content TEXT NOT NULL,
    timestamp DATETIME
);
"""


def make_upstream(path: Path) -> Path:
    """Two conversations with four messages: a titled one, and one with an odd role."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(UPSTREAM)
    conn.executemany(
        "INSERT INTO conversations VALUES (?, 'proj', 'dev', ?, ?, ?)",
        [
            (1, "Explain the build", "2025-03-01 09:00:00.000000", "2025-03-01 09:01:00.000000"),
            (2, None, "2025-03-02 10:00:00", "2025-03-02 10:00:00"),
        ],
    )
    conn.executemany(
        "INSERT INTO conversation_messages VALUES (?, ?, ?, ?, ?)",
        [
            (1, 1, "user", "Explain the build", "2025-03-01 09:00:00.000000"),
            (2, 1, "assistant", "It uses **make**.", "2025-03-01 09:01:00.000000"),
            (3, 2, "user", "What does the importer module in this package do exactly?", None),
            (4, 2, "tool", "odd role", "2025-03-02 10:00:01"),
        ],
    )
    conn.commit()
    conn.close()
    return path


def add_upstream_message(path: Path, conversation_id: int, role: str, content: str) -> None:
    """Continue a conversation as upstream's assistant does: one more row, a later time."""
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO conversation_messages (conversation_id, role, content, timestamp)"
        " VALUES (?, ?, ?, '2025-03-05 12:00:00.000000')",
        (conversation_id, role, content),
    )
    conn.commit()
    conn.close()


def history_counts(db: Path) -> tuple[int, int]:
    """(conversations, messages) in an assistant-tui history file, counted with plain SQL."""
    conn = sqlite3.connect(db)
    try:
        found = conn.execute(
            "SELECT (SELECT COUNT(*) FROM conversations), (SELECT COUNT(*) FROM messages)"
        ).fetchone()
    finally:
        conn.close()
    return int(found[0]), int(found[1])
