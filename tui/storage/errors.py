"""Store failures as one sentence that names the database and says what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

FIX = "pass --db PATH or set ASSISTANT_TUI_DB to use another file"


class StoreError(Exception):
    """A history-database failure explained for the user; never a traceback."""


def explain(path: Path, error: BaseException) -> StoreError:
    """Turn a sqlite3 or OS error into a StoreError with a cause and a fix."""
    text = str(error).lower()
    if isinstance(error, sqlite3.Error):
        if "locked" in text or "busy" in text:
            return StoreError(
                f"The history database {path} is locked by another program (another "
                "assistant-tui, a sqlite3 shell or a backup); try again when it lets go."
            )
        if "readonly" in text or "read-only" in text:
            return StoreError(
                f"The history database {path} is read-only, so new messages cannot be saved; "
                f"make it writable or {FIX}."
            )
        if "not a database" in text:
            return StoreError(f"{path} is not a SQLite database; move it aside or {FIX}.")
        if "malformed" in text or "corrupt" in text:
            return StoreError(
                f"The history database {path} is damaged ({error}); move it aside "
                f"(or recover it with `sqlite3 {path} .recover`) or {FIX}."
            )
        if "full" in text:
            return StoreError(
                f"The disk holding the history database {path} is full; free some space."
            )
    if isinstance(error, IsADirectoryError):
        return StoreError(f"{path} is a directory, not a database file; {FIX}.")
    if isinstance(error, PermissionError | NotADirectoryError | FileNotFoundError):
        return StoreError(
            f"The history database {path} cannot be created or opened ({error}); {FIX}."
        )
    return StoreError(f"The history database {path} failed ({error}); {FIX}.")
