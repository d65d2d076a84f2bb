"""A real ``mcp`` client talking over stdio to our backlog server, started as a subprocess.

The server is tested the way any MCP client uses it, so these helpers go through the official
client rather than calling handlers directly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import CallToolResult, TextContent


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


def text_of(result: CallToolResult) -> str:
    """The text of a tool's answer: our server answers every call with one text block."""
    block = result.content[0]
    assert isinstance(block, TextContent), block
    return block.text


async def call(client: Client, tool: str, **arguments: Any) -> Any:
    """Call a tool that must succeed and return its decoded JSON result."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, text_of(result)
    return json.loads(text_of(result))


async def fail(client: Client, tool: str, arguments: Any) -> str:
    """Call a tool that must fail as a tool error and return its one sentence."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, f"{tool} unexpectedly succeeded: {text_of(result)}"
    return text_of(result)
