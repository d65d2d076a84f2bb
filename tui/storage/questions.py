"""The questions asked in a project, newest first and each once: the prompt's history (Up)."""

from __future__ import annotations

from pathlib import Path

from tui.storage.database import Database

LIMIT = 1_000  # distinct questions kept for Up and the history search; older ones stay stored
WINDOW = 2_000  # the newest questions looked at: reading every one of a long history is slow

# Measured on 100,000 messages (25,000 questions in the project): the newest 2,000 deduplicated
# take ~20 ms, every question grouped by text ~100 ms, on the connection the screen shares.
# Trashed conversations are left out, as search leaves them out.
_ASKED = """
WITH recent AS (
    SELECT m.id, m.content FROM messages m
    WHERE m.role = 'user' AND m.conversation_id IN
        (SELECT id FROM conversations WHERE project_path = ? AND deleted_at IS NULL)
    ORDER BY m.id DESC LIMIT ?
)
SELECT content FROM recent GROUP BY content ORDER BY MAX(id) DESC LIMIT ?
"""


async def asked(db: Database, project: Path, limit: int = LIMIT) -> list[str]:
    """The project's questions, newest first, each text once (a question asked again, retried
    or copied into a branch is one entry, at its newest place)."""
    found = await db.fetch(_ASKED, (str(project.resolve()), WINDOW, limit))
    return [str(row[0]) for row in found]
