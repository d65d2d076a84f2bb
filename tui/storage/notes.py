"""A system line put before a reply that is still being written (the CLI compacted mid-answer).

The chat lists a conversation's messages by id, and a reply's row exists from its first word:
a compaction line added later would sort below the whole answer, while the chat draws it above
(the answer is still growing below it). So the line takes the reply's id and the reply moves to
a new one, its tool calls with it: the stored order is the order the chat showed live.
"""

from __future__ import annotations

import aiosqlite

from tui.storage.errors import StoreError


async def _columns(conn: aiosqlite.Connection) -> str:
    """Every column of a message but its id: the move keeps whatever later upgrades added."""
    found = await (await conn.execute("PRAGMA table_info(messages)")).fetchall()
    return ", ".join(row[1] for row in found if row[1] != "id")


async def note_before(conn: aiosqlite.Connection, message_id: int, content: str, stamp: str) -> int:
    """Put a system line in ``message_id``'s place and move that message after it; returns the
    message's new id. Inside the caller's write transaction: all of it or nothing."""
    names = await _columns(conn)
    copied = await conn.execute(
        f"INSERT INTO messages ({names}) SELECT {names} FROM messages WHERE id = ?",
        (message_id,),
    )
    if copied.rowcount != 1 or copied.lastrowid is None:
        raise StoreError(
            f"Message {message_id} no longer exists, so the compaction line was not saved."
        )
    moved = copied.lastrowid
    await conn.execute(
        "UPDATE tool_events SET message_id = ? WHERE message_id = ?", (moved, message_id)
    )
    await conn.execute("DELETE FROM messages WHERE id = ?", (message_id,))
    await conn.execute(
        "INSERT INTO messages (id, conversation_id, role, content, status, created_at)"
        " SELECT ?, conversation_id, 'system', ?, 'complete', ? FROM messages WHERE id = ?",
        (message_id, content, stamp, moved),
    )
    return moved
