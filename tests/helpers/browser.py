"""`assistant-tui --serve` from the outside: start the installed command on a free port and read
the address it prints; the headless Chromium the browser tests drive."""

from __future__ import annotations

import asyncio
import re
import socket
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A port nobody listens on now, for a server the test starts next."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def serve(*args: str) -> asyncio.subprocess.Process:
    """Start the installed `assistant-tui --serve ARGS`, as a user would from a shell."""
    command = Path(sys.executable).parent / "assistant-tui"
    return await asyncio.create_subprocess_exec(
        str(command),
        "--serve",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def address(server: asyncio.subprocess.Process, port: int, generated: bool = True) -> str:
    """The address the server printed, with its token (checked for shape, and for strength when
    the server made it)."""
    assert server.stdout is not None
    started = (await asyncio.wait_for(server.stdout.readline(), 30)).decode().strip()
    found = re.fullmatch(
        rf"assistant-tui: serving on (http://127\.0\.0\.1:{port}/\?token=([\w-]+))"
        r" \(Ctrl\+C stops\)",
        started,
    )
    assert found, started
    assert len(found.group(2)) >= 43 or not generated  # 256 bits in URL-safe base64
    return found.group(1)
