"""MCP over stdio: newline-delimited JSON-RPC 2.0, the initialize handshake, tools/list, tools/call.

Written by hand instead of on the ``mcp`` package because that import alone costs ~0.5 s here and
the Claude CLI waits for this server before the first answer (see bench/mcp_startup.py). The
protocol surface a tools-only server needs is small and is tested with the real ``mcp`` client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import IO, Any

from mcp_server.backlog import Backlog
from mcp_server.tools import BY_NAME, TOOLS, ToolFailure

SUPPORTED_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL = (
    -32700,
    -32600,
    -32601,
    -32602,
    -32603,
)
INSTRUCTIONS = (
    "Tools for one project's feature backlog (AutoCoder/AutoForge compatible). Read tools never "
    "change anything; feature_create, feature_create_bulk and feature_skip change the backlog."
)

log = logging.getLogger("mcp_server")


class RpcError(Exception):
    """A JSON-RPC error response: a code and one sentence."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class Session:
    """One client connection: answers each message in order (the backlog work is short)."""

    def __init__(self, backlog: Backlog, version: str) -> None:
        self.backlog = backlog
        self.version = version
        self.methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "initialize": self._initialize,
            "ping": lambda params: {},
            "tools/list": lambda params: {"tools": [tool.describe() for tool in TOOLS]},
            "tools/call": self._call_tool,
            "resources/list": lambda params: {"resources": []},
            "resources/templates/list": lambda params: {"resourceTemplates": []},
            "prompts/list": lambda params: {"prompts": []},
        }

    def _initialize(self, params: dict[str, Any]) -> dict[str, Any]:
        asked = params.get("protocolVersion")
        return {
            "protocolVersion": asked if asked in SUPPORTED_VERSIONS else SUPPORTED_VERSIONS[0],
            "capabilities": {"tools": {"listChanged": False}},
            "serverInfo": {"name": "features", "title": "Feature backlog", "version": self.version},
            "instructions": INSTRUCTIONS,
        }

    def _call_tool(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params.get("name")
        tool = BY_NAME.get(name) if isinstance(name, str) else None
        if tool is None:
            known = ", ".join(BY_NAME)
            raise RpcError(INVALID_PARAMS, f"Unknown tool {name!r}; the tools are {known}.")
        try:
            text = tool.call(self.backlog, params.get("arguments"))
        except ToolFailure as failure:
            log.info("%s failed: %s", tool.name, failure)
            return {"content": [{"type": "text", "text": str(failure)}], "isError": True}
        return {"content": [{"type": "text", "text": text}], "isError": False}

    def handle(self, message: Any) -> dict[str, Any] | None:
        """Answer one decoded message; notifications and responses get no reply."""
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            return _error(None, INVALID_REQUEST, "Expected a JSON-RPC 2.0 object.")
        if "method" not in message:
            return None  # a response to a request we never send, or junk: nothing to say
        has_id = "id" in message
        method, params = message["method"], message.get("params") or {}
        if not isinstance(method, str):
            return _error(message.get("id"), INVALID_REQUEST, "method must be a string.")
        try:
            handler = self.methods.get(method)
            if handler is None:
                raise RpcError(METHOD_NOT_FOUND, f"Method {method!r} is not supported.")
            if not isinstance(params, dict):
                raise RpcError(INVALID_PARAMS, "params must be an object.")
            result = handler(params)
        except RpcError as error:
            return _error(message.get("id"), error.code, str(error)) if has_id else None
        except Exception:  # a bug must not kill the server: report and keep serving
            log.exception("internal error in %s", method)
            return (
                _error(message.get("id"), INTERNAL, f"Internal error in {method}.")
                if has_id
                else None
            )
        return {"jsonrpc": "2.0", "id": message["id"], "result": result} if has_id else None

    def handle_line(self, line: bytes) -> Any:
        """Decode one line (a message or a batch) and return what to send back, if anything."""
        try:
            message = json.loads(line)
        except ValueError:
            return _error(None, PARSE_ERROR, "The line is not valid JSON.")
        if isinstance(message, list):
            if not message:
                return _error(None, INVALID_REQUEST, "An empty batch is not a request.")
            replies = [r for r in (self.handle(m) for m in message) if r is not None]
            return replies or None
        return self.handle(message)


def _error(request_id: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def serve(session: Session, reader: IO[bytes], writer: IO[bytes]) -> None:
    """Read requests until the client closes stdin; each reply is one line on the writer."""
    for line in reader:
        if not line.strip():
            continue
        reply = session.handle_line(line)
        if reply is not None:
            # ASCII escapes keep any odd string (a lone surrogate in an id) encodable.
            writer.write(json.dumps(reply).encode() + b"\n")
            writer.flush()
