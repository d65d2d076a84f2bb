"""An answer's thinking in the history file: stored while it streams and at the end, kept by
a branch, left out of search, and absent (not an error) in answers written before it existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.models import MessageStatus, Role
from tui.storage import Store
from tui.storage.schema import LATEST, STEPS


async def test_thinking_is_stored_streaming_and_final(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "why?")
    reply = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_update_text(reply.id, "Be", thinking=("Hmm, zebra", 800))
    assert (await store.message_get(reply.id)).thinking == "Hmm, zebra"  # type: ignore[union-attr]
    await store.message_update_text(reply.id, "Bec")  # no thinking given: the stored one stays
    await store.message_finish(
        reply.id, "Because.", MessageStatus.COMPLETE, thinking=("Hmm, zebras.", 1250)
    )
    stored = await store.message_get(reply.id)
    assert stored is not None
    assert (stored.content, stored.thinking, stored.thinking_ms) == (
        "Because.",
        "Hmm, zebras.",
        1250,
    )
    assert await store.search("zebras") == []  # thinking is not searched (see tui.storage.search)
    assert [h.message_id for h in await store.search("Because")] == [reply.id]
    branch = await store.conversation_branch(conv.id, reply.id)
    copied = (await store.message_page(branch.id))[-1]
    assert (copied.thinking, copied.thinking_ms) == ("Hmm, zebras.", 1250)


async def test_answers_from_before_thinking_upgrade_without_it(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    for step in STEPS[:-1]:
        conn.executescript(step)
    conn.execute(
        "INSERT INTO conversations (id, project_path, project_name, title, created_at, updated_at)"
        " VALUES (1, '/p', 'p', 'old', '2025-01-01T10:00:00+00:00', '2025-01-01T10:00:00+00:00')"
    )
    conn.execute(
        "INSERT INTO messages (conversation_id, role, content, created_at)"
        " VALUES (1, 'assistant', 'Old answer.', '2025-01-01T10:00:00+00:00')"
    )
    conn.execute("PRAGMA application_id = 0x41545549")
    conn.execute(f"PRAGMA user_version = {LATEST - 1}")
    conn.commit()
    conn.close()
    store = await Store.open(db_path)
    try:
        old = (await store.message_page(1))[0]
    finally:
        await store.close()
    assert (old.content, old.thinking, old.thinking_ms) == ("Old answer.", "", 0)
