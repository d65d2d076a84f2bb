"""The history file itself: one aiosqlite connection, its upgrades, and its transactions.

All I/O runs on aiosqlite's thread, never on the UI's event loop. Writes are short
``BEGIN IMMEDIATE`` transactions behind an asyncio lock (coroutines share one connection), so a
second app instance on the same file waits briefly instead of failing with "database is locked".
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from tui.config import owned_dir
from tui.private_files import create_private, private_dirs, tighten
from tui.storage.errors import FIX, StoreError, explain
from tui.storage.schema import APPLICATION_ID, LATEST, STEPS

# Long enough for another instance's write (milliseconds); short enough that a file held by a
# sqlite3 shell or a backup tool is reported while the user still waits for an answer.
BUSY_TIMEOUT_MS = 3_000


class Database:
    """An open history file; the Store and the search functions run their SQL through it."""

    def __init__(self, path: Path, conn: aiosqlite.Connection, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._conn = conn
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating or upgrading) the database; raise StoreError with a fix on failure.

        A file the user cannot write is opened read-only, so history stays browsable; every
        write then fails with one sentence saying why. The file, its -wal and -shm are 0600;
        folders made for it are 0700, and so is the app's data directory (see owned_dir).
        """
        path = path.expanduser()
        try:
            private_dirs(path.parent, owned_dir(path.parent))
            if path.is_dir():
                raise IsADirectoryError(path)
        except OSError as error:
            raise explain(path, error) from error
        writable = not path.exists() or (
            os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        )
        if writable:
            try:
                _create_private(path)
            except OSError as error:
                raise explain(path, error) from error
        tighten(path)
        database = await cls._connect(path, read_only=not writable)
        for suffix in ("-wal", "-shm", "-journal"):  # SQLite made them with the file's mode,
            tighten(path.with_name(path.name + suffix))  # but an earlier version's are looser
        return database

    @classmethod
    async def _connect(cls, path: Path, read_only: bool) -> Database:
        target: str | Path = path
        if read_only:  # immutable: no -shm or -wal file can be made beside a read-only file
            target = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            conn = await aiosqlite.connect(target, isolation_level=None, uri=read_only)
        except sqlite3.Error as error:
            raise explain(path, error) from error
        conn.row_factory = sqlite3.Row
        database = cls(path, conn, read_only)
        try:
            await database._prepare()
        except BaseException as error:
            await conn.close()
            if isinstance(error, StoreError):
                raise
            if isinstance(error, sqlite3.Error | OSError):
                raise explain(path, error) from error
            raise
        return database

    async def close(self) -> None:
        await self._conn.close()

    async def _prepare(self) -> None:
        """Set the connection up, check the file is ours, and run pending upgrade steps."""
        conn = self._conn
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA foreign_keys = ON")
        version = await self.scalar("PRAGMA user_version")
        app_id = await self.scalar("PRAGMA application_id")
        tables = await self.scalar("SELECT COUNT(*) FROM sqlite_master")
        if app_id != APPLICATION_ID and tables:
            raise StoreError(
                f"{self.path} is a SQLite database of another program, not assistant-tui "
                f"history; {FIX}."
            )
        if version > LATEST:
            raise StoreError(
                f"The history database {self.path} was written by a newer assistant-tui "
                f"(schema {version}, this one knows {LATEST}); upgrade assistant-tui or {FIX}."
            )
        if self.read_only:
            if version < LATEST:
                raise StoreError(
                    f"The history database {self.path} is read-only and needs an upgrade; "
                    f"make it writable or {FIX}."
                )
            return
        if await self.scalar("PRAGMA journal_mode") != "wal":
            await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        for step in range(version, LATEST):
            await self._upgrade(step)

    async def _upgrade(self, step: int) -> None:
        """Apply one step atomically; a crash mid-way leaves the previous version intact."""
        statements = [s for s in _split_sql(STEPS[step]) if s.strip()]
        async with self.writing() as conn:
            if await self.scalar("PRAGMA user_version") > step:
                return  # another instance upgraded the file while we waited for the lock
            for statement in statements:
                await conn.execute(statement)
            await conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            await conn.execute(f"PRAGMA user_version = {step + 1}")

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time on this connection, taken with BEGIN IMMEDIATE."""
        if self.read_only:
            raise StoreError(
                f"The history database {self.path} is read-only, so this change was not saved; "
                f"make it writable or {FIX}."
            )
        async with self._write_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise explain(self.path, error) from error
            try:
                yield self._conn
                await self._conn.execute("COMMIT")
            except BaseException as error:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise explain(self.path, error) from error
                raise

    async def scalar(self, sql: str) -> Any:
        """The first column of the first row of a statement that always returns one."""
        found = await self._conn.execute_fetchall(sql)
        return next(iter(found))[0]

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run a read; database failures become one-sentence StoreErrors."""
        try:
            return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as error:
            raise explain(self.path, error) from error


def _create_private(path: Path) -> None:
    """Create a new history file empty and 0600 before SQLite opens it: SQLite gives its -wal
    and -shm files the main file's mode, so they are private from their first byte."""
    # An existing file (or another instance's, made a moment ago) is opened as it is.
    with contextlib.suppress(FileExistsError):
        os.close(create_private(path))


def _split_sql(script: str) -> list[str]:
    """Split a schema step into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    if current and "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements
