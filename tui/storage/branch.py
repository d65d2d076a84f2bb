"""Branching: a new conversation that starts as a copy of another one up to a chosen message.

The branch is a conversation of its own (its own rows, title, session), so it lives on when its
parent is trashed or purged; ``parent_id`` and ``parent_message_id`` say where it came from.
"""

from __future__ import annotations

import aiosqlite

from tui.models import Role
from tui.storage import rows
from tui.storage.database import Database
from tui.storage.errors import StoreError

# The messages copied keep their text, thinking, status and time, not their cost: a branch's
# cost is what its own turns cost. A reply left 'streaming' by a crash is copied as interrupted.
_COPY_MESSAGES = """
    INSERT INTO messages (conversation_id, role, content, status, created_at, error, updated_at,
        thinking, thinking_ms)
    SELECT ?, role, content, CASE status WHEN 'streaming' THEN 'interrupted' ELSE status END,
           created_at, error, updated_at, thinking, thinking_ms
    FROM messages WHERE conversation_id = ? AND id <= ? ORDER BY id
"""
_TOOL_COLUMNS = (
    "tool_use_id, name, input, result, result_size, status, started_at, finished_at, decision"
)


async def _copy_tool_events(
    conn: aiosqlite.Connection, parent_id: int, end: int, branch: int
) -> None:
    """Copy the tool calls of the copied messages, each pointing at its message's copy.

    The copies were inserted in one statement in the order of the originals, so the n-th
    original is the n-th copy.
    """

    async def ids(sql: str, *params: int) -> list[int]:
        return [row[0] for row in await (await conn.execute(sql, params)).fetchall()]

    old = await ids(
        "SELECT id FROM messages WHERE conversation_id = ? AND id <= ? ORDER BY id",
        parent_id,
        end,
    )
    new = await ids("SELECT id FROM messages WHERE conversation_id = ? ORDER BY id", branch)
    copy_of = dict(zip(old, new, strict=True))
    events = await (
        await conn.execute(
            f"SELECT message_id, {_TOOL_COLUMNS} FROM tool_events WHERE conversation_id = ?"
            " AND message_id <= ? ORDER BY id",
            (parent_id, end),
        )
    ).fetchall()
    await conn.executemany(
        f"INSERT INTO tool_events (conversation_id, message_id, {_TOOL_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(branch, copy_of[row[0]], *row[1:]) for row in events if row[0] in copy_of],
    )


async def branch_end(
    conn: aiosqlite.Connection, parent_id: int, message_id: int
) -> tuple[int, str]:
    """The last message a branch from ``message_id`` takes, and the question of that turn.

    A question is taken with its answer (the message right after it, when that is one): the
    branch then continues after a whole turn, as the model saw it.
    """
    found = list(
        await (
            await conn.execute(
                "SELECT id, role FROM messages WHERE conversation_id = ? AND id >= ? ORDER BY id"
                " LIMIT 2",
                (parent_id, message_id),
            )
        ).fetchall()
    )
    if not found or found[0][0] != message_id:
        raise StoreError(
            "That message is no longer in its conversation, so no branch was made; reopen the "
            "conversation and try again."
        )
    end = message_id
    if found[0][1] == Role.USER.value and len(found) > 1 and found[1][1] == Role.ASSISTANT.value:
        end = found[1][0]
    question = await (
        await conn.execute(
            "SELECT content FROM messages WHERE conversation_id = ? AND role = 'user'"
            " AND id <= ? ORDER BY id DESC LIMIT 1",
            (parent_id, end),
        )
    ).fetchone()
    return end, str(question[0]) if question else ""


async def copy_branch(
    conn: aiosqlite.Connection, parent_id: int, message_id: int, stamp: str
) -> int:
    """Create the branch inside the caller's write transaction; returns its id."""
    parent = await (
        await conn.execute(
            "SELECT project_path, project_name, model, chosen_model, effort FROM conversations"
            " WHERE id = ?",
            (parent_id,),
        )
    ).fetchone()
    if parent is None:
        raise StoreError(
            f"Conversation {parent_id} no longer exists, so no branch was made from it."
        )
    end, question = await branch_end(conn, parent_id, message_id)
    cursor = await conn.execute(
        "INSERT INTO conversations (project_path, project_name, title, model, created_at,"
        " updated_at, parent_id, parent_message_id, chosen_model, effort)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            parent[0],
            parent[1],
            rows.make_title(question or "Branch"),
            parent[2],
            stamp,
            stamp,
            parent_id,
            end,
            parent[3],
            parent[4],
        ),
    )
    branch = cursor.lastrowid
    assert branch is not None
    await conn.execute(_COPY_MESSAGES, (branch, parent_id, end))
    await _copy_tool_events(conn, parent_id, end, branch)
    return branch


async def questions_from(db: Database, conversation_id: int, message_id: int) -> list[str]:
    """The questions of a conversation from the one of ``message_id``'s turn to the last.

    Telling the turns of a CLI transcript apart by their question needs to know how often the
    same question comes again later (a retry sends the same text twice).
    """
    found = await db.fetch(
        "SELECT content FROM messages WHERE conversation_id = ? AND role = 'user' AND id >= "
        "(SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = ? AND role = 'user'"
        " AND id <= ?) ORDER BY id",
        (conversation_id, conversation_id, message_id),
    )
    return [str(row[0]) for row in found]
