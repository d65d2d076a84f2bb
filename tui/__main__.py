"""Command line of assistant-tui: headless subcommands now, the full-screen app to come."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tui import __version__
from tui.commands import ask, history, import_autocoder
from tui.config import ConfigError
from tui.storage import StoreError

SUBCOMMANDS = (ask, history, import_autocoder)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant-tui", description="A read-only Claude assistant for a code project."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in SUBCOMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; failures print one sentence to stderr and exit 1."""
    args = build_parser().parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:
        print(f"assistant-tui {__version__}: the terminal app is not built yet.")
        return 0
    try:
        return int(asyncio.run(run(args)))
    except (StoreError, ConfigError) as error:
        print(f"assistant-tui: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
