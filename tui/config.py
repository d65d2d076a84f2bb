"""Where the app keeps its files, and the settings that come from flags and the environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "assistant-tui"
DB_ENV = "ASSISTANT_TUI_DB"


def data_dir() -> Path:
    """The user data directory (platformdirs); never the project directory."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def database_path(flag: str | None = None) -> Path:
    """--db wins, then $ASSISTANT_TUI_DB, then history.db in the user data directory."""
    chosen = flag or os.environ.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else data_dir() / "history.db"
