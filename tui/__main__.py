"""Command line of assistant-tui; the app itself arrives with the app issue."""

from __future__ import annotations

import argparse
import sys

from tui import __version__


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; for now only --version and a short notice."""
    parser = argparse.ArgumentParser(
        prog="assistant-tui", description="A read-only Claude assistant for a code project."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.parse_args(argv)
    print(f"assistant-tui {__version__}: the terminal app is not built yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
