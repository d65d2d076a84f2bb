"""The backlog file's shape and how its cells read: schema, lenient decoding, error sentences.

Kept apart from the Backlog class so the rules read on their own, and so the TUI can reuse the
same decoding without a second copy.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from boundary import Refused, sqlite_file

SCHEMA = """
CREATE TABLE IF NOT EXISTS features (
    id INTEGER NOT NULL PRIMARY KEY,
    priority INTEGER NOT NULL DEFAULT 999,
    category VARCHAR(100) NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    steps JSON NOT NULL,
    passes BOOLEAN NOT NULL DEFAULT 0,
    in_progress BOOLEAN NOT NULL DEFAULT 0,
    dependencies JSON
);
CREATE INDEX IF NOT EXISTS ix_features_priority ON features (priority);
CREATE INDEX IF NOT EXISTS ix_features_passes ON features (passes);
CREATE INDEX IF NOT EXISTS ix_features_in_progress ON features (in_progress);
CREATE INDEX IF NOT EXISTS ix_feature_status ON features (passes, in_progress);
"""

CORE_COLUMNS = (
    "id",
    "priority",
    "category",
    "name",
    "description",
    "steps",
    "passes",
    "in_progress",
    "dependencies",
)
INSERT = (
    "INSERT INTO features (priority, category, name, description, steps, passes, in_progress,"
    " dependencies{names}) VALUES (?, ?, ?, ?, ?, 0, 0, ?{defaults})"
)
_JSON_COLUMNS = {"steps", "dependencies", "human_input_request", "human_input_response"}
_BOOL_COLUMNS = {"passes", "in_progress", "needs_human_input"}


class BacklogError(Exception):
    """A failure explained in one sentence, safe to show to a user or a model."""


def find_database(project: Path) -> Path | None:
    """The project's backlog file in upstream's order (.autoforge/, .autocoder/, root), or None.

    A candidate the boundary refuses (a symlink, a hardlink, a symlinked folder, a FIFO...)
    refuses the backlog: the next location is not tried, since the agents would never read it.
    """
    try:
        return sqlite_file.find(project, "features.db")
    except Refused as error:
        raise refused(error) from error


def refused(error: Refused) -> BacklogError:
    """The boundary's refusal as the one sentence a tool call returns."""
    return BacklogError(
        f"The backlog cannot be used: {error}; it is neither read nor written "
        "(replace it with a regular file inside the project)."
    )


def parse_dependencies(raw: Any) -> list[int]:
    """Read a dependencies cell leniently: old rows hold NULL, JSON text, or odd values."""
    if raw is None:
        return []
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    if not isinstance(raw, list):
        return []
    ids: list[int] = []
    for item in raw:
        if isinstance(item, bool):
            continue
        whole_float = isinstance(item, float) and item.is_integer()
        digits = isinstance(item, str) and item.strip().isdigit()
        if isinstance(item, int) or whole_float or digits:
            ids.append(int(item))
    return ids


def decode(column: str, value: Any) -> Any:
    """Turn a stored cell into the value a client should see."""
    if column in _BOOL_COLUMNS:
        return bool(value)
    if column == "dependencies":
        return parse_dependencies(value)
    if column in _JSON_COLUMNS and isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if column == "steps" and value is None:
        return []
    return value


def sql_error(path: Path, error: sqlite3.Error) -> BacklogError:
    """Explain a sqlite failure in one sentence that says what to do."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return BacklogError(
            f"The backlog database {path} is locked by another process; try again in a moment."
        )
    if "readonly" in text or "read-only" in text:
        return BacklogError(
            f"The backlog database {path} is read-only; make it writable to change the backlog."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return BacklogError(
            f"The backlog database {path} is damaged or not a SQLite file; "
            "restore it from a backup or move it aside."
        )
    if "no such table" in text or "no such column" in text:
        return BacklogError(
            f"The backlog database {path} has no usable features table; "
            "check that it is an AutoCoder/AutoForge backlog."
        )
    if "unable to open" in text or "disk i/o" in text or "full" in text:
        return BacklogError(
            f"The backlog database {path} cannot be opened or written ({error}); "
            "check the disk and the file's permissions."
        )
    return BacklogError(f"The backlog database {path} failed: {error}.")
