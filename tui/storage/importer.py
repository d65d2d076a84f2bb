"""Import the conversations of an AutoCoder/AutoForge project assistant (its ``assistant.db``).

The upstream file is opened read-only and never changed. Each conversation is copied once: a
second import finds it by its source key and adds nothing.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from boundary import Refused, sqlite_file
from tui.clock import from_text, now
from tui.models import Role
from tui.storage.errors import StoreError
from tui.storage.rows import make_title
from tui.storage.store import Store

SOURCE = "autocoder"


@dataclass
class ImportReport:
    """What an import did, for the one line the command prints."""

    files: list[Path]
    imported: int = 0
    skipped: int = 0
    messages: int = 0


def find_assistant_databases(project: Path) -> list[Path]:
    """Upstream keeps ``assistant.db`` in the project, newer versions under ``.autoforge/``.

    Each candidate passes the boundary (no link in any component, one name, a regular file);
    a refused one raises StoreError rather than being skipped.
    """
    found = []
    for path in (project / ".autoforge" / "assistant.db", project / "assistant.db"):
        try:
            if sqlite_file.present(project, path):
                found.append(path)
        except Refused as error:
            raise StoreError(
                f"{error}, so it is not imported; replace it with a regular file in the project."
            ) from error
    return found


def _time(text: object, fallback: datetime) -> datetime:
    if not isinstance(text, str) or not text.strip():
        return fallback
    try:
        return from_text(text)
    except ValueError:
        return fallback


def _role(raw: object) -> Role:
    try:
        return Role(str(raw).lower())
    except ValueError:
        return Role.SYSTEM


async def import_autocoder(store: Store, project: Path) -> ImportReport:
    """Copy every upstream conversation of a project into the store; returns the counts."""
    project = project.resolve()
    files = find_assistant_databases(project)
    if not files:
        raise StoreError(
            f"No AutoCoder/AutoForge assistant.db found in {project} or {project / '.autoforge'}; "
            "check the project directory."
        )
    report = ImportReport(files=files)
    for path in files:
        try:
            await _import_file(store, project, path, report)
        except sqlite3.Error as error:
            raise StoreError(
                f"{path} could not be read as an AutoCoder assistant database ({error}); "
                "nothing more was imported from it."
            ) from error
    return report


async def _import_file(store: Store, project: Path, path: Path, report: ImportReport) -> None:
    checked = os.lstat(path)
    uri = f"{path.as_uri()}?mode=ro"
    async with aiosqlite.connect(uri, uri=True) as source:
        await source.execute("PRAGMA schema_version")  # SQLite opens the file now
        try:
            sqlite_file.verify(path, checked)
        except Refused as error:
            raise StoreError(f"{error}; nothing was imported from it.") from error
        source.row_factory = sqlite3.Row
        conversations = await source.execute_fetchall("SELECT * FROM conversations ORDER BY id")
        for conv in conversations:
            found = await source.execute_fetchall(
                "SELECT role, content, timestamp FROM conversation_messages"
                " WHERE conversation_id = ? ORDER BY timestamp, id",
                (conv["id"],),
            )
            created = _time(conv["created_at"], now())
            messages = [
                (_role(m["role"]), m["content"] or "", _time(m["timestamp"], created))
                for m in found
            ]
            first_user = next((text for role, text, _ in messages if role is Role.USER), "")
            title = (conv["title"] or "").strip() or make_title(first_user)
            key = f"{path.resolve()}#{conv['id']}#{conv['created_at']}"
            if await store.conversation_import(project, SOURCE, key, title, created, messages):
                report.imported += 1
                report.messages += len(messages)
            else:
                report.skipped += 1
