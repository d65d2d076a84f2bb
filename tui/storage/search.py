"""Full-text search over message text and titles (SQLite FTS5), best matches first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.models import SearchHit
from tui.storage import rows
from tui.storage.database import Database

_MESSAGE_HITS = """
    SELECT m.conversation_id, c.title, c.project_path, m.id AS message_id, m.role,
           f.snippet, m.created_at, f.rank
    FROM (SELECT rowid, rank, snippet(messages_fts, 0, char(2), char(3), '…', 16) AS snippet
          FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?) AS f
    JOIN messages m ON m.id = f.rowid JOIN conversations c ON c.id = m.conversation_id
    WHERE {scope} ORDER BY f.rank
"""
_TITLE_HITS = """
    SELECT c.id AS conversation_id, c.title, c.project_path, NULL AS message_id, NULL AS role,
           f.snippet, c.updated_at AS created_at, f.rank - 5 AS rank
    FROM (SELECT rowid, rank, highlight(titles_fts, 0, char(2), char(3)) AS snippet
          FROM titles_fts WHERE titles_fts MATCH ? ORDER BY rank LIMIT ?) AS f
    JOIN conversations c ON c.id = f.rowid
    WHERE {scope} ORDER BY f.rank
"""


async def search(
    db: Database, text: str, project: Path | None = None, limit: int = 50, offset: int = 0
) -> list[SearchHit]:
    """Full-text search over message text and titles, best matches first.

    Every word must match (the last as a prefix, for search-as-you-type); trashed
    conversations are left out; ``project`` None searches every project.
    """
    query = rows.fts_query(text)
    if query is None:
        return []
    scope, scope_params = "c.deleted_at IS NULL", []
    if project is not None:
        scope += " AND c.project_path = ?"
        scope_params = [str(project.resolve())]
    wanted = limit + offset
    hits = await _ranked(db, "messages_fts", _MESSAGE_HITS, query, scope, scope_params, wanted)
    hits += await _ranked(db, "titles_fts", _TITLE_HITS, query, scope, scope_params, wanted)
    hits.sort(key=lambda hit: hit.rank)
    return hits[offset:wanted]


async def _ranked(
    db: Database,
    table: str,
    sql: str,
    query: str,
    scope: str,
    scope_params: list[Any],
    wanted: int,
) -> list[SearchHit]:
    """The best ``wanted`` hits of one FTS table within the scope.

    FTS5 ranks and cuts to a LIMIT inside the virtual table, making snippets only for the
    rows it keeps; the scope is applied after that cut, so the cut starts generous and
    widens until enough hits survive (or every match has been seen).
    """
    matches = await db.fetch(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", [query])
    total, cut = int(matches[0][0]), max(wanted * 4, 100)
    while True:
        found = await db.fetch(sql.format(scope=scope), [query, cut, *scope_params])
        if len(found) >= wanted or cut >= total:
            return [rows.search_hit(r) for r in found[:wanted]]
        cut *= 8
