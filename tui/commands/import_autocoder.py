"""``assistant-tui import-autocoder PROJECT_DIR``: copy upstream assistant conversations in."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.config import database_path
from tui.storage import Store
from tui.storage.importer import ImportReport, import_autocoder


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import-autocoder",
        help="import an AutoCoder/AutoForge project assistant's conversations",
        description="Copy the conversations of an AutoCoder/AutoForge assistant.db (read-only) "
        "into assistant-tui's history for that project. The file is looked for in .autoforge/, "
        ".autocoder/ and the project folder, the first found; importing again adds only the "
        "messages added upstream since.",
    )
    parser.add_argument("project", metavar="PROJECT_DIR", type=Path)
    parser.add_argument("--db", help="history database (default: $ASSISTANT_TUI_DB or user data)")
    parser.set_defaults(run=run)


async def run(args: argparse.Namespace) -> int:
    if not args.project.is_dir():
        raise SystemExit(f"assistant-tui: {args.project} is not a directory; give a project path.")
    store = await Store.open(database_path(args.db))
    try:
        report = await import_autocoder(store, args.project)
    finally:
        await store.close()
    print(summary(report))
    return 0


def summary(report: ImportReport) -> str:
    """One sentence: what was new, what grew, what was there already, what was left alone."""
    parts = [
        f"Imported {report.imported} conversation(s) with {report.messages} message(s) "
        f"from {report.file}"
    ]
    if report.extended:
        parts.append(
            f"added {report.appended} new message(s) to {report.extended} conversation(s) "
            "continued upstream"
        )
    parts.append(f"{report.skipped} already imported")
    if report.diverged:
        parts.append(
            f"{report.diverged} continued both here and upstream left as they are "
            "(their new messages upstream were not added)"
        )
    return "; ".join(parts) + "."
