"""Conversations copied from another tool: added once, then only what the other tool added.

A conversation is found again by its source key (its identity in the other tool), and what is
new is decided by content: the other tool's messages are compared, in order, with the copy's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path

import aiosqlite

from tui.clock import to_text
from tui.models import Role
from tui.storage import rows

ImportedMessage = tuple[Role, str, datetime]


class Outcome(Enum):
    """What one conversation's import did."""

    ADDED = "added"  # not imported before: copied whole
    EXTENDED = "extended"  # continued in the other tool: its new messages were appended
    UNCHANGED = "unchanged"  # nothing new there (the copy may have been continued here)
    DIVERGED = "diverged"  # continued both here and there: left as it is


async def copy_in(
    conn: aiosqlite.Connection,
    project: Path,
    source: str,
    source_key: str,
    title: str,
    created_at: datetime,
    messages: Sequence[ImportedMessage],
) -> tuple[Outcome, int]:
    """Add or extend one conversation inside the caller's write transaction.

    Returns what happened and how many messages were written. The check and the append share
    the transaction, so a message the app adds meanwhile cannot slip between them.
    """
    found = await conn.execute_fetchall(
        "SELECT id, message_count FROM conversations WHERE source = ? AND source_key = ?",
        (source, source_key),
    )
    if not found:
        await _insert(conn, project, source, source_key, title, created_at, messages)
        return Outcome.ADDED, len(messages)
    conversation_id, count = next(iter(found))
    ours = [
        (row[0], row[1])
        for row in await conn.execute_fetchall(
            "SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
    ]
    theirs = [(role.value, text) for role, text, _ in messages]
    if ours[: len(theirs)] == theirs:
        return Outcome.UNCHANGED, 0
    if theirs[: len(ours)] != ours:
        return Outcome.DIVERGED, 0
    new = messages[len(ours) :]
    await _append(conn, conversation_id, new)
    if count == 0:  # copied before its first message: "Untitled" until now
        await conn.execute(
            "UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id)
        )
    return Outcome.EXTENDED, len(new)


async def _insert(
    conn: aiosqlite.Connection,
    project: Path,
    source: str,
    source_key: str,
    title: str,
    created_at: datetime,
    messages: Sequence[ImportedMessage],
) -> None:
    cursor = await conn.execute(
        "INSERT INTO conversations (project_path, project_name, title, created_at,"
        " updated_at, source, source_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            str(project),
            project.name or str(project),
            title or rows.make_title(""),
            to_text(created_at),
            to_text(created_at),
            source,
            source_key,
        ),
    )
    assert cursor.lastrowid is not None
    await _append(conn, cursor.lastrowid, messages)


async def _append(
    conn: aiosqlite.Connection, conversation_id: int, messages: Sequence[ImportedMessage]
) -> None:
    """Write messages as complete ones; the conversation's time moves to the newest of them
    (never back: a copy continued here keeps its own later time)."""
    await conn.executemany(
        "INSERT INTO messages (conversation_id, role, content, status, created_at)"
        " VALUES (?, ?, ?, 'complete', ?)",
        [(conversation_id, role.value, text, to_text(at)) for role, text, at in messages],
    )
    if messages:
        last = to_text(max(at for _, _, at in messages))
        await conn.execute(
            "UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?",
            (last, conversation_id),
        )
