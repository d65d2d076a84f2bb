"""Full-text search over message text and titles (SQLite FTS5), best matches first.

An answer's thinking is not searched: a hit in it would open an answer whose matching words are
folded away in its collapsed thinking, and thinking is often longer than the answer it led to
(the index would grow by more than the answers themselves).
"""

from __future__ import annotations

from pathlib import Path

from tui.models import SearchHit
from tui.storage import rows
from tui.storage.database import Database

# A broad query (a common word, the first letter typed) matches most of the history. Ranking
# costs ~2 µs a match, so only the newest WINDOW matches in scope are ranked: a word found
# everywhere shows its best hits of the recent past, a rarer one is ranked over all its matches.
WINDOW = 2_000

_TEXT_COLUMN = {"messages_fts": "content", "titles_fts": "title"}
_SOURCES = {
    "messages_fts": (
        "messages_fts f JOIN messages m ON m.id = f.rowid"
        " JOIN conversations c ON c.id = m.conversation_id"
    ),
    "titles_fts": "titles_fts f JOIN conversations c ON c.id = f.rowid",
}
_COLUMNS = {
    "messages_fts": (
        "m.conversation_id, c.title, c.project_path, m.id AS message_id, m.role,"
        " snippet(f.messages_fts, 0, char(2), char(3), '…', 16) AS snippet, m.created_at, f.rank"
    ),
    "titles_fts": (
        "c.id AS conversation_id, c.title, c.project_path, NULL AS message_id, NULL AS role,"
        " highlight(f.titles_fts, 0, char(2), char(3)) AS snippet,"
        " c.updated_at AS created_at, f.rank - 5 AS rank"  # a title hit outranks a message hit
    ),
}


async def search(
    db: Database, text: str, project: Path | None = None, limit: int = 50, offset: int = 0
) -> list[SearchHit]:
    """Full-text search over message text and titles, best matches first.

    Every word must match (the last as a prefix, for search-as-you-type); trashed
    conversations are left out; ``project`` None searches every project.
    """
    words = rows.fts_query(text)
    if words is None:
        return []
    wanted = limit + offset
    hits: list[SearchHit] = []
    for table in _SOURCES:
        match = f"{_TEXT_COLUMN[table]} : ({words})"
        if project is not None:  # the project is a token of its own column (schema.py)
            match += f' AND project : "{project_token(project)}"'
        hits += await _best(db, table, match, wanted)
    hits.sort(key=lambda hit: hit.rank)
    return hits[offset:wanted]


def project_token(project: Path) -> str:
    """The project as the index holds it: its resolved path's UTF-8 bytes in hex, as SQL's
    hex() writes them (the tokenizer folds the case), which makes one token of any path."""
    return str(project.resolve()).encode("utf-8", "surrogateescape").hex()


async def _best(db: Database, table: str, match: str, wanted: int) -> list[SearchHit]:
    """The best ``wanted`` hits of one FTS table, among its newest matches.

    Ranking reads only the matches from the window's start on, and snippets are made only for
    the rows returned. Trashed conversations are left out after the index has matched, so when
    they took the window's places the ranking is done again over every match.
    """
    lowest = await _window_start(db, table, match, max(WINDOW, wanted))
    found = await _ranked(db, table, match, lowest, wanted)
    if len(found) < wanted and lowest > 0:
        found = await _ranked(db, table, match, 0, wanted)
    return found


async def _window_start(db: Database, table: str, match: str, window: int) -> int:
    """The rowid from which the newest ``window`` matches begin (0 when fewer match).

    FTS5 hands matches out in rowid order from its index alone, so this stops early."""
    found = await db.fetch(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        [match, window - 1],
    )
    return int(found[0][0]) if found else 0


async def _ranked(
    db: Database, table: str, match: str, lowest: int, wanted: int
) -> list[SearchHit]:
    found = await db.fetch(
        f"SELECT {_COLUMNS[table]} FROM {_SOURCES[table]}"
        f" WHERE f.{table} MATCH ? AND f.rowid >= ? AND c.deleted_at IS NULL"
        " ORDER BY f.rank, f.rowid DESC LIMIT ?",
        [match, lowest, wanted],
    )
    return [rows.search_hit(r) for r in found]
