"""Entry point: ``assistant-features-mcp --project DIR`` serves MCP on stdin/stdout.

stdout is the protocol wire, so everything else (logs, a stray print) goes to stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from mcp_server import __version__
from mcp_server.backlog import Backlog
from mcp_server.protocol import Session, serve
from mcp_server.tools import SESSION_CREATE_LIMIT


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="assistant-features-mcp",
        description="Serve a project's feature backlog (AutoCoder/AutoForge features.db) over MCP "
        "on stdio.",
    )
    parser.add_argument(
        "--project",
        help="project directory (default: $PROJECT_DIR, else the current directory)",
    )
    parser.add_argument(
        "--busy-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long a write waits for another process's lock before failing (default 10)",
    )
    parser.add_argument("--log-level", default="WARNING", help="stderr log level (default WARNING)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the server until the client closes stdin."""
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level.upper(),
        format="%(asctime)s features-mcp %(levelname)s %(message)s",
    )
    project = Path(args.project or os.environ.get("PROJECT_DIR") or os.getcwd()).expanduser()
    if not project.is_dir():
        print(
            f"assistant-features-mcp: project directory {project} does not exist; "
            "pass --project DIR or set PROJECT_DIR.",
            file=sys.stderr,
        )
        return 2
    wire = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but protocol may reach the wire
    backlog = Backlog(project, busy_timeout=args.busy_timeout, create_limit=SESSION_CREATE_LIMIT)
    try:
        serve(Session(backlog, __version__), sys.stdin.buffer, wire)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        backlog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
