"""Flags and setup shared by the headless commands."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from tui.config import Settings

if TYPE_CHECKING:
    from tui.storage import Store

PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for `seq 1e9 | head` cut off


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


def stdout_gone() -> int:
    """End a command whose stdout reader went away (``| head``): quietly, status PIPE_CLOSED.

    Shell tools die of SIGPIPE there, which the shell reports as 141 (``set -o pipefail``
    then fails the pipeline, as it would for ``cat``); Python ignores SIGPIPE and raises
    BrokenPipeError instead, so the status is returned by hand. stdout is pointed at
    /dev/null first: the interpreter flushes it once more at exit, and that write would fail
    (and print) again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
    return PIPE_CLOSED
