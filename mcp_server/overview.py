"""The backlog by status for a view (the TUI's pane): every status's count and only the first
features of each, counted and cut inside SQLite.

Reading every row into Python to count five statuses took hundreds of milliseconds at 10,000
features; here SQLite counts in one scan and takes each status's first rows through the priority
index, and Python shapes only the rows that are drawn. The statuses are ``Backlog._status``'s,
exactly: the boolean columns are tested with Python's own truthiness written in SQL
(``_truthy``); whether a feature waits on another is decided in SQL for the common cell (a JSON
array of integers) and otherwise by the Python code the tools use (``waits``, registered as an
SQL function). tests/mcp_server/test_overview.py holds the two to agreement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from typing import Any

HUMAN = "needs_human_input"
# The set ``Backlog._passing_ids`` reads, so "waits on" means what it means for the tools.
PASSING = "SELECT id FROM features WHERE passes"
# A dependencies cell SQL can read as the tools do: JSON text holding an array of integers only.
PLAIN = (
    "typeof(dependencies) = 'text' AND json_valid(dependencies)"
    " AND json_type(dependencies) = 'array'"
    " AND NOT EXISTS (SELECT 1 FROM json_each(dependencies) WHERE type <> 'integer')"
)
WAITS = (
    f"CASE WHEN {PLAIN} THEN EXISTS (SELECT 1 FROM json_each(dependencies)"
    f" WHERE value NOT IN ({PASSING})) ELSE waits(dependencies) END"
)
SUMMARY = "id, priority, category, name, dependencies"


def _truthy(column: str) -> str:
    """SQL true exactly when Python's ``bool`` of the stored value is: a non-zero number, a
    non-empty text or blob (NULL: false). ``WHERE passes`` alone reads the text "yes" as 0."""
    return (
        f"(CASE typeof({column}) WHEN 'integer' THEN {column} <> 0 WHEN 'real' THEN {column} <> 0"
        f" WHEN 'null' THEN 0 ELSE length(CAST({column} AS BLOB)) > 0 END)"
    )


def status_sql(columns: Collection[str]) -> str:
    """SQL for the one status shown: passing, needs_human_input (a file without the column:
    never), in_progress, blocked, else ready; the order of ``Backlog._status``."""
    human = f" WHEN {_truthy(HUMAN)} THEN '{HUMAN}'" if HUMAN in columns else ""
    return (
        f"CASE WHEN {_truthy('passes')} THEN 'passing'{human}"
        f" WHEN {_truthy('in_progress')} THEN 'in_progress'"
        f" WHEN dependencies IS NULL THEN 'ready' WHEN {WAITS} THEN 'blocked' ELSE 'ready' END"
    )


def by_status(
    conn: sqlite3.Connection,
    columns: Collection[str],
    waiting: Callable[[Any], bool],
    first: int,
    keep: int | None,
) -> tuple[dict[str, int], list[tuple[sqlite3.Row, str, bool]]]:
    """Each status's count, and the first ``first`` rows of each status in queue order
    (priority, then id), then ``keep`` if it is beyond its status's cut: (row, status, beyond).
    ``waiting`` decides, from a dependencies cell SQL does not read, whether a feature waits."""
    conn.create_function("waits", 1, lambda raw: bool(waiting(raw)), deterministic=True)
    status = status_sql(columns)
    counts = dict(
        conn.execute(
            f"SELECT status, COUNT(*) FROM (SELECT {status} AS status FROM features)"
            " GROUP BY status"
        ).fetchall()
    )
    found: list[tuple[sqlite3.Row, str, bool]] = []
    for name in counts:  # a status with no feature costs no scan
        rows = conn.execute(
            f"SELECT {SUMMARY} FROM features WHERE ({status}) = ? ORDER BY priority, id LIMIT ?",
            (name, first),
        )
        found += [(row, name, False) for row in rows]
    if keep is not None and all(row["id"] != keep for row, _, _ in found):
        kept = one(conn, columns, waiting, keep)
        if kept is not None:
            found.append((*kept, True))
    return counts, found


def one(
    conn: sqlite3.Connection,
    columns: Collection[str],
    waiting: Callable[[Any], bool],
    feature_id: int,
) -> tuple[sqlite3.Row, str] | None:
    """One feature's summary row and status, by the same SQL as ``by_status`` (None: no such
    feature)."""
    conn.create_function("waits", 1, lambda raw: bool(waiting(raw)), deterministic=True)
    row = conn.execute(
        f"SELECT {SUMMARY}, {status_sql(columns)} AS status FROM features WHERE id = ?",
        (feature_id,),
    ).fetchone()
    return None if row is None else (row, row["status"])
