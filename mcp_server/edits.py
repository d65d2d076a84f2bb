"""Edits of existing features: text, dependencies, reopening as a bug, deletion, human input.

Each function runs inside the caller's single ``BEGIN IMMEDIATE`` transaction (``Backlog._edit``)
and raises ``BacklogError`` with one sentence before anything is written, so a refused edit
leaves the file as it was. Kept out of ``backlog.py`` so the rules of an edit read on their own.
"""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mcp_server.fields import DESCRIPTION_LIMIT, MAX_DEPENDENCIES, REASON, TEXT_FIELDS
from mcp_server.records import BacklogError, parse_dependencies
from mcp_server.validate import ArgumentError, check

FAILING_PREFIX = "Reported failing: "


def _checked(value: Any, schema: dict[str, Any], where: str = "arguments") -> Any:
    """The shared schema check, its sentence raised as a BacklogError (what callers catch)."""
    try:
        return check(value, schema, where)
    except ArgumentError as error:
        raise BacklogError(str(error)) from error


def _row(conn: sqlite3.Connection, feature_id: int) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM features WHERE id = ?", (feature_id,)
    ).fetchone()
    if row is None:
        raise BacklogError(f"Feature {feature_id} does not exist.")
    return row


def _store_dependencies(conn: sqlite3.Connection, feature_id: int, deps: Sequence[int]) -> None:
    """Write a dependency list as create does: a JSON list of ints, NULL for none."""
    value = json.dumps(list(deps)) if deps else None
    conn.execute("UPDATE features SET dependencies = ? WHERE id = ?", (value, feature_id))


# -- text --------------------------------------------------------------------------------------


def text_changes(**given: Any) -> dict[str, Any]:
    """The new column values of an update, checked and stripped as create does; refuses an
    update that changes nothing (checked before the write lock is taken)."""
    wanted = {key: value for key, value in given.items() if value is not None}
    if not wanted:
        raise BacklogError(
            "Give at least one field to change: name, description, steps or category."
        )
    schema = {"type": "object", "properties": TEXT_FIELDS, "additionalProperties": False}
    values = _checked(wanted, schema)
    changes: dict[str, Any] = {
        key: value.strip() for key, value in values.items() if isinstance(value, str)
    }
    if "steps" in values:
        changes["steps"] = json.dumps([step.strip() for step in values["steps"]])
    return changes


def update(conn: sqlite3.Connection, feature_id: int, changes: Mapping[str, Any]) -> None:
    """Set the given text columns; status columns are never among them (see text_changes)."""
    _row(conn, feature_id)
    columns = [name for name in TEXT_FIELDS if name in changes]  # a fixed list: safe in SQL
    assignments = ", ".join(f"{name} = ?" for name in columns)
    values = [changes[name] for name in columns]
    conn.execute(f"UPDATE features SET {assignments} WHERE id = ?", (*values, feature_id))


# -- dependencies ------------------------------------------------------------------------------


def dependency_list(values: Any) -> list[int]:
    """A list of feature ids as the tools' schema accepts it (ints of at least 1)."""
    schema = {"type": "array", "items": {"type": "integer", "minimum": 1}}
    ids: list[int] = _checked(values, schema, "'dependency_ids'")
    return ids


def dependency_id(value: Any) -> int:
    """One feature id as the tools' schema accepts it."""
    checked: int = _checked(value, {"type": "integer", "minimum": 1}, "'dependency_id'")
    return checked


def _listed(conn: sqlite3.Connection, feature_id: int) -> list[int]:
    """One feature's dependencies as every reader here parses them; none when it is missing."""
    row = conn.execute("SELECT dependencies FROM features WHERE id = ?", (feature_id,)).fetchone()
    return parse_dependencies(row[0]) if row else []


def find_cycle(dependencies_of: Callable[[int], Sequence[int]], start: int) -> list[int] | None:
    """The shortest walk from ``start`` along dependencies back to ``start``, or None.

    Breadth first with a visited set, so a cycle elsewhere in an old file (one not through
    ``start``) neither loops forever nor blocks this edit. Only the features reachable from
    ``start`` are read: a few for a usual backlog, 10,000 lookups for a 10,000-long chain.
    """
    parent: dict[int, int] = {}
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for dep in dependencies_of(node):
            if dep == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(parent[chain[-1]])
                return [*reversed(chain), start]
            if dep not in seen:
                seen.add(dep)
                parent[dep] = node
                queue.append(dep)
    return None


def _check_new(conn: sqlite3.Connection, feature_id: int, new: Sequence[int]) -> None:
    """Refuse depending on itself, on a missing feature, or closing a cycle."""
    for dep in new:
        if dep == feature_id:
            raise BacklogError(
                f"Feature {feature_id} cannot depend on itself; nothing was changed."
            )
        if conn.execute("SELECT 1 FROM features WHERE id = ?", (dep,)).fetchone() is None:
            raise BacklogError(
                f"Feature {dep} does not exist, so feature {feature_id} cannot depend on it; "
                "nothing was changed."
            )


def _walk(cycle: Sequence[int], shown: int = 12) -> str:
    """'3 -> 5 -> 3'; a long cycle shows its two ends and how many features it passes."""
    if len(cycle) <= shown:
        return " -> ".join(str(node) for node in cycle)
    half = shown // 2
    head = " -> ".join(str(node) for node in cycle[:half])
    tail = " -> ".join(str(node) for node in cycle[-half:])
    return f"{head} -> ... -> {tail} ({len(cycle) - 1:,} features)"


def _check_acyclic(conn: sqlite3.Connection, feature_id: int, deps: Sequence[int]) -> None:
    """Refuse when a walk from ``deps`` (the feature's new dependencies) comes back to it."""

    def dependencies_of(node: int) -> Sequence[int]:
        return deps if node == feature_id else _listed(conn, node)

    cycle = find_cycle(dependencies_of, feature_id)
    if cycle:
        shown = _walk(cycle)
        raise BacklogError(
            f"Feature {feature_id} cannot depend on feature {cycle[1]}: that would make the cycle "
            f"{shown} (each waiting for the next, none could ever start); nothing was changed."
        )


def set_dependencies(conn: sqlite3.Connection, feature_id: int, deps: Sequence[int]) -> None:
    """Replace the whole list: no self, no duplicates, at most 20, ids that exist, no cycle."""
    _row(conn, feature_id)
    twice = next((dep for i, dep in enumerate(deps) if dep in deps[:i]), None)
    if twice is not None:
        raise BacklogError(f"The list names feature {twice} twice; nothing was changed.")
    if len(deps) > MAX_DEPENDENCIES:
        raise BacklogError(
            f"Feature {feature_id} would have {len(deps)} dependencies, more than the limit of "
            f"{MAX_DEPENDENCIES}; nothing was changed."
        )
    _check_new(conn, feature_id, deps)
    _check_acyclic(conn, feature_id, deps)
    _store_dependencies(conn, feature_id, deps)


def add_dependency(conn: sqlite3.Connection, feature_id: int, dep: int) -> None:
    """Append one dependency; the ones already listed stay as they are (even a missing id)."""
    current = parse_dependencies(_row(conn, feature_id)["dependencies"])
    if dep in current:
        raise BacklogError(
            f"Feature {feature_id} already depends on feature {dep}; nothing was changed."
        )
    if len(current) >= MAX_DEPENDENCIES:
        raise BacklogError(
            f"Feature {feature_id} already has {len(current)} dependencies, the limit is "
            f"{MAX_DEPENDENCIES}; remove one first."
        )
    _check_new(conn, feature_id, [dep])
    _check_acyclic(conn, feature_id, [dep])  # a cycle it makes runs through the new one
    _store_dependencies(conn, feature_id, [*current, dep])


def remove_dependency(conn: sqlite3.Connection, feature_id: int, dep: int) -> None:
    """Drop one dependency; a missing id can be removed too (that is how a dangling one goes)."""
    current = parse_dependencies(_row(conn, feature_id)["dependencies"])
    if dep not in current:
        raise BacklogError(
            f"Feature {feature_id} does not depend on feature {dep}; nothing was changed."
        )
    _store_dependencies(conn, feature_id, [d for d in current if d != dep])


# -- status ------------------------------------------------------------------------------------


def failing_reason(reason: str | None) -> str | None:
    """The reason checked as the tool's schema does, stripped; None when not given."""
    if reason is None:
        return None
    checked: str = _checked(
        {"reason": reason}, {"type": "object", "properties": {"reason": REASON}}
    )["reason"]
    return checked.strip()


def mark_failing(conn: sqlite3.Connection, feature_id: int, reason: str | None) -> None:
    """A passing feature back to pending (passes = 0, in_progress = 0), the reason appended.

    A feature that does not pass is refused: it is already in the queue, and clearing its
    in-progress flag would take it from the agent working on it (another would start it too).
    """
    row = _row(conn, feature_id)
    if not row["passes"]:
        raise BacklogError(
            f"Feature {feature_id} does not pass, so it cannot be marked failing (it is already "
            "in the queue); to say what is wrong, change its description with feature_update."
        )
    description = row["description"] or ""
    if reason:
        description = f"{description.rstrip()}\n\n{FAILING_PREFIX}{reason}"
    if len(description) > DESCRIPTION_LIMIT:
        raise BacklogError(
            f"With this reason the description would be {len(description):,} characters, more "
            f"than the limit of {DESCRIPTION_LIMIT:,}; give a shorter reason."
        )
    conn.execute(
        "UPDATE features SET passes = 0, in_progress = 0, description = ? WHERE id = ?",
        (description, feature_id),
    )


# -- the pane's own edits ----------------------------------------------------------------------


def delete(conn: sqlite3.Connection, feature_id: int) -> list[int]:
    """Delete a feature and remove its id from every other feature's dependencies (as upstream's
    delete does); returns the ids of the features that listed it."""
    _row(conn, feature_id)
    conn.execute("DELETE FROM features WHERE id = ?", (feature_id,))
    unlinked = []
    # Cells whose text holds the id's digits (a superset: 15 holds 5), then parsed exactly.
    pattern = f"%{feature_id}%"
    candidates = conn.execute(
        "SELECT id, dependencies FROM features WHERE dependencies LIKE ? ORDER BY id", (pattern,)
    ).fetchall()
    for other, cell in candidates:
        deps = parse_dependencies(cell)
        if feature_id in deps:
            _store_dependencies(conn, other, [d for d in deps if d != feature_id])
            unlinked.append(other)
    return unlinked
