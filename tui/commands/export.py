"""``assistant-tui export ID``: write one conversation as Markdown to a file or stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.commands.common import open_store, settings_from
from tui.export import ExportError, render, secrets_in
from tui.export.target import chosen_path, default_path, write_new


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a conversation as Markdown",
        description="Write a conversation (messages and tool calls) as a Markdown file. Without "
        "-o it goes to a file named after the title in your documents folder (else the current "
        "directory, but never inside the project); -o - prints it.",
    )
    parser.add_argument("conversation", type=int, metavar="CONVERSATION_ID")
    parser.add_argument("-o", "--output", metavar="FILE", help="file to write, or - for stdout")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--project", help="project directory (default: the current directory)")
    parser.add_argument("--db", help="history database (default: $ASSISTANT_TUI_DB or user data)")
    parser.set_defaults(run=run)


async def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = await open_store(settings)
    try:
        conversation, text = await render(store, args.conversation, secrets_in(settings.env))
        if args.output == "-":
            sys.stdout.write(text)
            return 0
        if args.output:
            path = chosen_path(args.output, conversation)
        else:
            # The conversation's project is never written to silently, nor a --project given.
            projects = [conversation.project_path, *([settings.project] if args.project else [])]
            path = default_path(conversation, projects)
        write_new(path, text, args.force, "; pass --force to replace it, or -o to choose another")
    except ExportError as error:
        print(f"assistant-tui: {error}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    print(Path(path))
    return 0
