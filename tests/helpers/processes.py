"""Processes and files seen from outside: the installed CLI run as a user runs it, descendants
left behind, and a hash of a whole tree to prove nothing in it changed."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
from collections.abc import Awaitable
from pathlib import Path


def children_of(pid: int) -> set[int]:
    """Every live descendant process of pid (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def tree_hash(root: Path) -> str:
    """A hash of every path, file content and symlink target below root."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_symlink():
            digest.update(b"->" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


async def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``python -m tui ARGS`` to the end: its exit code, stdout and stderr as text."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui",
        *args,
        # Without input, no stdin pipe: one left open outlives the event loop and warns.
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    out, err = await process.communicate(stdin.encode() if stdin else None)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def ask_process(
    url: str, project: Path, db: Path, text: str, stderr: int = asyncio.subprocess.PIPE
) -> Awaitable[asyncio.subprocess.Process]:
    """Start `assistant-tui ask` on a history file against the scripted server at ``url``."""
    return asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui",
        "ask",
        "--project",
        str(project),
        "--db",
        str(db),
        "--model",
        "scripted",
        text,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
        env={**os.environ, "ANTHROPIC_BASE_URL": url},
    )
