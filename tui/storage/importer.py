"""Import the conversations of an AutoCoder/AutoForge project assistant (its ``assistant.db``).

The upstream file is found where upstream's own resolver looks, opened read-only and never
changed. A conversation is keyed by what it is, not by where the file was: upstream moves a root
``assistant.db`` into ``.autoforge/`` when an agent starts, and importing the moved file (or a
copy) must find the conversations already imported. Messages added upstream since then are
appended (see tui.storage.imported).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from boundary import Refused, sqlite_file
from tui.clock import from_text, now
from tui.models import Role
from tui.storage.errors import StoreError
from tui.storage.imported import Outcome
from tui.storage.rows import make_title
from tui.storage.store import Store

SOURCE = "autocoder"
NAME = "assistant.db"


@dataclass
class ImportReport:
    """What an import did, for the one line the command prints."""

    file: Path
    imported: int = 0  # conversations new here
    messages: int = 0  # their messages
    extended: int = 0  # conversations imported before that had new messages upstream
    appended: int = 0  # those new messages
    skipped: int = 0  # imported before, nothing new upstream
    diverged: int = 0  # continued both here and upstream: left as they are

    def count(self, outcome: Outcome, written: int) -> None:
        if outcome is Outcome.ADDED:
            self.imported, self.messages = self.imported + 1, self.messages + written
        elif outcome is Outcome.EXTENDED:
            self.extended, self.appended = self.extended + 1, self.appended + written
        elif outcome is Outcome.UNCHANGED:
            self.skipped += 1
        else:
            self.diverged += 1


def conversation_key(project: Path, upstream_id: object, created_at: object) -> str:
    """The source key of an upstream conversation: its row id and creation time as upstream
    wrote them, and our project.

    Both survive a move or a copy of the file, and neither changes as the conversation grows
    (its title does: upstream fills it at the first user message), so the same conversation
    is found again and its new messages are appended rather than the whole copied twice. The
    time (microseconds in upstream's files) tells apart the conversations of two files that
    reuse an id; the project keeps a project copied elsewhere a history of its own. The key
    starts with the id, never with "/" as the earlier, path-based keys did (schema step
    IMPORT_KEYS rewrites those to this form).
    """
    return f"{upstream_id}#{created_at}#{project}"


def find_assistant_database(project: Path) -> Path | None:
    """The ``assistant.db`` upstream's assistant uses: ``.autoforge/``, ``.autocoder/``, then
    the project folder, the first that exists.

    A candidate the boundary refuses (a link, a hardlink, a FIFO, a linked folder) raises
    StoreError rather than being skipped: the file behind it is one upstream no longer uses.
    """
    try:
        return sqlite_file.find(project, NAME)
    except Refused as error:
        raise StoreError(
            f"{error}, so nothing is imported and no other {NAME} is looked for; "
            "replace it with a regular file in the project."
        ) from error


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
    """Copy a project's upstream conversations into the store; returns the counts."""
    project = project.resolve()
    path = find_assistant_database(project)
    if path is None:
        raise StoreError(
            f"No AutoCoder/AutoForge {NAME} found in {project / '.autoforge'}, "
            f"{project / '.autocoder'} or {project}; check the project directory."
        )
    report = ImportReport(file=path)
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
            await _import_conversation(store, project, conv, found, report)


async def _import_conversation(
    store: Store,
    project: Path,
    conv: sqlite3.Row,
    found: Iterable[sqlite3.Row],
    report: ImportReport,
) -> None:
    created = _time(conv["created_at"], now())
    messages = [
        (_role(m["role"]), m["content"] or "", _time(m["timestamp"], created)) for m in found
    ]
    first_user = next((text for role, text, _ in messages if role is Role.USER), "")
    title = (conv["title"] or "").strip() or make_title(first_user)
    key = conversation_key(project, conv["id"], conv["created_at"])
    report.count(*await store.conversation_import(project, SOURCE, key, title, created, messages))
