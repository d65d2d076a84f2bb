"""Shared fixtures: temp projects and a real MCP client talking to our server subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project directory."""
    path = tmp_path / "project"
    path.mkdir()
    return path


def server_params(project: Path, *extra: str) -> StdioServerParameters:
    """How a client starts our server: the installed module, under this interpreter."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "mcp_server", "--project", str(project), *extra],
    )


@asynccontextmanager
async def backlog_client(project: Path, *extra: str) -> AsyncIterator[Client]:
    """A real ``mcp`` client connected over stdio to a fresh server process."""
    async with Client(server_params(project, *extra), mode="legacy") as client:
        yield client


@pytest.fixture
def connect() -> Callable[..., AbstractAsyncContextManager[Client]]:
    return backlog_client


async def call(client: Client, tool: str, **arguments: Any) -> Any:
    """Call a tool that must succeed and return its decoded JSON result."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


async def fail(client: Client, tool: str, arguments: Any) -> str:
    """Call a tool that must fail as a tool error and return its one sentence."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} unexpectedly succeeded: {result.content[0].text}"
    return result.content[0].text


def set_read_only(path: Path, read_only: bool) -> None:
    """Make a file or directory unwritable even for root (immutable flag), or writable again."""
    if os.geteuid() == 0 and not read_only:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    writable = 0o755 if path.is_dir() else 0o644
    path.chmod((writable & 0o555) if read_only else writable)
    if os.geteuid() == 0 and read_only:
        subprocess.run(["chattr", "+i", str(path)], check=True)
