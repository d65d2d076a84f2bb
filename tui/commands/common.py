"""Flags and setup shared by the headless commands."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.config import Settings

if TYPE_CHECKING:
    from tui.storage import Store


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", help="project directory (default: the current directory)")
    parser.add_argument("--db", help="history database (default: $ASSISTANT_TUI_DB or user data)")
    parser.add_argument(
        "--model",
        help="model (default: $ASSISTANT_TUI_MODEL, $ANTHROPIC_DEFAULT_OPUS_MODEL, else opus)",
    )
    parser.add_argument(
        "--env-file",
        help="a .env file to load (default: the one in the user "
        "config directory; never the project's)",
    )
    parser.add_argument(
        "--allow-secrets",
        action="store_true",
        help="let the assistant read .env, key and certificate files",
    )
    parser.add_argument(
        "--web",
        choices=("ask", "on", "off"),
        help='web access: "ask" (default: only hosts you allow), "on" (public hosts), "off"',
    )
    parser.add_argument(
        "--allow-web",
        metavar="HOST[,HOST...]",
        help="hosts WebFetch may reach without asking (exact names)",
    )
    parser.add_argument(
        "--allow-backlog-writes",
        action="store_true",
        help="let the assistant create or reorder backlog features without asking",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.build(
        project=getattr(args, "project", None),
        db=getattr(args, "db", None),
        model=getattr(args, "model", None),
        env_file=getattr(args, "env_file", None),
        allow_secrets=getattr(args, "allow_secrets", False),
        web=getattr(args, "web", None),
        allow_web=getattr(args, "allow_web", None),
        allow_backlog_writes=getattr(args, "allow_backlog_writes", False),
    )


async def open_store(settings: Settings) -> Store:
    from tui.storage import Store

    return await Store.open(settings.db)
