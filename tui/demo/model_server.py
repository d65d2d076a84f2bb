"""A scripted stand-in for the Anthropic Messages API on 127.0.0.1, for tests, benches and --demo.

It speaks just enough HTTP/1.1 for the Claude CLI: ``POST /v1/messages`` answered as streaming SSE
(or JSON when ``stream`` is false), and harmless answers for anything else. Replies come from a
script: the first Turn whose ``match`` is a substring of the last user message (its text, or the
text of the tool results it carries) is played. Every request is recorded for assertions.
Standard library only, so the demo needs nothing more than the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

_ids = itertools.count(1)
_ERRORS = {
    400: ("invalid_request_error", "The request was not valid."),
    401: ("authentication_error", "invalid x-api-key"),
    403: ("permission_error", "Your key has no access to this model."),
    429: ("rate_limit_error", "Number of requests has exceeded your rate limit."),
    500: ("api_error", "Internal server error."),
    529: ("overloaded_error", "Overloaded"),
}


@dataclass
class ToolCall:
    """A tool_use block the scripted model asks for."""

    name: str
    input: dict[str, Any]


@dataclass
class Turn:
    """One scripted reply.

    Attributes:
        match: substring of the last user message that selects this turn ("" matches any).
        text: the answer text, streamed in ``chunk``-character deltas every ``pace`` seconds.
        thinking: thinking text streamed before the answer as a thinking block (thinking_delta
            events in ``chunk``-character pieces every ``pace`` seconds, then a signature_delta),
            as the API streams it when summarized thinking is asked for.
        tools: tool_use blocks sent after the text (the stop reason becomes tool_use).
        status: an HTTP error status to answer with instead (400, 401, 429, 500, 529...).
        drop_after: close the connection after this many characters of text, mid-stream.
        stall_after: go silent after this many characters of text, keeping the connection open
            until the server stops (0: after the stream's first event).
        hold_after: pause after this many characters of text until ``ModelServer.release()``,
            so a test can look at a half-streamed answer for as long as it needs.
        first_byte_delay: seconds to wait before the response starts.
        steady: keep ``pace`` as a rate (each delta waits for its own slot, so a sleep that
            overshoots does not slow the stream: benchmarks); else each delta sleeps ``pace``.
        times: how often this turn may be played (None: always); later ones then match.
        usage: the token counts the reply reports (``input_tokens``, ``cache_read_input_tokens``,
            ``cache_creation_input_tokens``, ``output_tokens``), as the API's usage names them;
            unset counts default to 12 input tokens and a quarter of the text's length out.
    """

    match: str = ""
    text: str = ""
    thinking: str = ""
    tools: Sequence[ToolCall] = ()
    status: int | None = None
    drop_after: int | None = None
    stall_after: int | None = None
    hold_after: int | None = None
    first_byte_delay: float = 0.0
    steady: bool = False
    chunk: int = 4
    pace: float = 0.0
    times: int | None = None
    usage: dict[str, int] = field(default_factory=dict)
    played: int = field(default=0, init=False)

    def available(self) -> bool:
        return self.times is None or self.played < self.times

    def reported(self) -> dict[str, int]:
        """The usage the reply reports: the chosen counts over the defaults."""
        return {"input_tokens": 12, "output_tokens": _output_tokens(self)} | self.usage


@dataclass
class Recorded:
    """A request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    def last_user_text(self) -> str:
        return last_user_text(self.body)


def _block_text(block: Any) -> str:
    if isinstance(block, str):
        return block
    if not isinstance(block, dict):
        return ""
    if block.get("type") == "text":
        return str(block.get("text", ""))
    if block.get("type") == "tool_result":
        content = block.get("content")
        if isinstance(content, list):
            return "\n".join(_block_text(b) for b in content)
        return str(content or "")
    return ""


def last_user_text(body: dict[str, Any]) -> str:
    """The text of the newest user message of a Messages request, tool results included."""
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "\n".join(_block_text(b) for b in content or [])
    return ""


class ModelServer:
    """Serve a script on a free loopback port; use as ``async with ModelServer(turns) as s``."""

    def __init__(self, turns: Iterable[Turn] = (), default_text: str = "OK.") -> None:
        self.turns = list(turns)
        self.default = Turn(text=default_text)
        self.requests: list[Recorded] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._closing = asyncio.Event()
        self._released = asyncio.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def message_requests(self) -> list[Recorded]:
        """The Messages API calls that carried a conversation (not token counts or probes)."""
        return [
            r
            for r in self.requests
            if r.path.startswith("/v1/messages")
            and "count" not in r.path
            and r.body.get("messages")
        ]

    async def start(self) -> ModelServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _held(self) -> None:
        """Wait for ``release()`` or the server stopping, whichever comes first."""
        waits = [asyncio.ensure_future(e.wait()) for e in (self._released, self._closing)]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    def release(self) -> None:
        """Let every stream held by ``Turn.hold_after`` go on (and later ones not stop)."""
        self._released.set()

    async def stop(self) -> None:
        self._closing.set()
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()

    async def __aenter__(self) -> ModelServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def choose(self, body: dict[str, Any]) -> Turn:
        """The first available turn whose match is in the last user message."""
        text = last_user_text(body)
        for turn in self.turns:
            if turn.available() and turn.match in text:
                turn.played += 1
                return turn
        return self.default

    # -- HTTP --------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        raw = await reader.readexactly(int(headers.get("content-length", "0") or 0))
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        self.requests.append(Recorded(method, path, headers, body))
        if method == "POST" and path.startswith("/v1/messages/count_tokens"):
            await _send_json(writer, 200, {"input_tokens": len(raw) // 4})
            return True
        if method == "POST" and path.startswith("/v1/messages"):
            return await self._answer(writer, body, self.choose(body))
        await _send_json(writer, 200, {})
        return True

    async def _answer(self, writer: asyncio.StreamWriter, body: dict[str, Any], turn: Turn) -> bool:
        if turn.first_byte_delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), turn.first_byte_delay)
            if self._closing.is_set():
                return False
        model = str(body.get("model", "scripted-model"))
        if turn.status is not None:
            kind, message = _ERRORS.get(turn.status, ("api_error", "Error."))
            error = {"type": "error", "error": {"type": kind, "message": message}}
            await _send_json(writer, turn.status, error, {"retry-after-ms": "20"})
            return True
        if not body.get("stream"):
            await _send_json(writer, 200, _full_message(model, turn))
            return True
        await self._stream(writer, model, turn)
        return False  # streamed responses end with the connection

    async def _stream(self, writer: asyncio.StreamWriter, model: str, turn: Turn) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
            b"connection: close\r\n\r\n"
        )
        message = _full_message(model, turn) | {"content": [], "stop_reason": None}
        # The request's input is known at the start; the output count comes at the end.
        message["usage"] = turn.reported() | {"output_tokens": 1}
        await _event(writer, "message_start", {"message": message})
        index = 0
        if turn.thinking:
            await _stream_thinking(writer, turn)
            index = 1
        if turn.text:
            await _event(
                writer,
                "content_block_start",
                {"index": index, "content_block": {"type": "text", "text": ""}},
            )
            paced = Schedule(turn.pace, turn.steady)
            for start in range(0, len(turn.text), turn.chunk):
                if turn.drop_after is not None and start >= turn.drop_after:
                    writer.transport.abort()
                    return
                if turn.stall_after is not None and start >= turn.stall_after:
                    await self._closing.wait()
                    return
                if turn.hold_after is not None and start >= turn.hold_after > start - turn.chunk:
                    await self._held()
                piece = turn.text[start : start + turn.chunk]
                await _event(
                    writer,
                    "content_block_delta",
                    {"index": index, "delta": {"type": "text_delta", "text": piece}},
                )
                await paced.next()
            await _event(writer, "content_block_stop", {"index": index})
            index += 1
        for offset, tool in enumerate(turn.tools):
            block = {
                "type": "tool_use",
                "id": f"toolu_{next(_ids):06d}",
                "name": tool.name,
                "input": {},
            }
            await _event(
                writer, "content_block_start", {"index": index + offset, "content_block": block}
            )
            await _event(
                writer,
                "content_block_delta",
                {
                    "index": index + offset,
                    "delta": {"type": "input_json_delta", "partial_json": json.dumps(tool.input)},
                },
            )
            await _event(writer, "content_block_stop", {"index": index + offset})
        stop = "tool_use" if turn.tools else "end_turn"
        await _event(
            writer,
            "message_delta",
            {
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": turn.reported()["output_tokens"]},
            },
        )
        await _event(writer, "message_stop", {})


def _signature(thinking: str) -> str:
    """A stand-in for the API's signature of a thinking block (the CLI sends it back as is)."""
    return f"sig-{len(thinking)}-{sum(map(ord, thinking)) % 65_536:04x}"


def _output_tokens(turn: Turn) -> int:
    return max(1, (len(turn.thinking) + len(turn.text)) // 4)


class Schedule:
    """The wait after each delta: ``pace`` seconds, or with ``steady`` until the delta's own
    slot, so a sleep that overshoots (1 ms asks often take 1.1-1.3) does not slow the stream."""

    def __init__(self, pace: float, steady: bool = False) -> None:
        self.pace = pace
        self.steady = steady
        self.due: float | None = None

    async def next(self) -> None:
        if not self.pace:
            return
        if not self.steady:
            await asyncio.sleep(self.pace)
            return
        now = asyncio.get_running_loop().time()
        due = now if self.due is None else self.due
        self.due = max(due, now - self.pace) + self.pace  # a stall is not made up in a burst
        if self.due > now:
            await asyncio.sleep(self.due - now)


async def _stream_thinking(writer: asyncio.StreamWriter, turn: Turn) -> None:
    """The thinking block at index 0: its start, thinking deltas, the signature, its stop."""
    block = {"type": "thinking", "thinking": "", "signature": ""}
    await _event(writer, "content_block_start", {"index": 0, "content_block": block})
    paced = Schedule(turn.pace, turn.steady)
    for start in range(0, len(turn.thinking), turn.chunk):
        piece = turn.thinking[start : start + turn.chunk]
        delta = {"type": "thinking_delta", "thinking": piece}
        await _event(writer, "content_block_delta", {"index": 0, "delta": delta})
        await paced.next()
    signed = {"type": "signature_delta", "signature": _signature(turn.thinking)}
    await _event(writer, "content_block_delta", {"index": 0, "delta": signed})
    await _event(writer, "content_block_stop", {"index": 0})


def _full_message(model: str, turn: Turn) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if turn.thinking:
        signature = _signature(turn.thinking)
        content.append({"type": "thinking", "thinking": turn.thinking, "signature": signature})
    if turn.text:
        content.append({"type": "text", "text": turn.text})
    content += [
        {"type": "tool_use", "id": f"toolu_{next(_ids):06d}", "name": t.name, "input": t.input}
        for t in turn.tools
    ]
    return {
        "id": f"msg_{next(_ids):08d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": "tool_use" if turn.tools else "end_turn",
        "stop_sequence": None,
        "usage": turn.reported(),
    }


async def _event(writer: asyncio.StreamWriter, name: str, data: dict[str, Any]) -> None:
    payload = json.dumps({"type": name, **data})
    writer.write(f"event: {name}\ndata: {payload}\n\n".encode())
    await writer.drain()


async def _send_json(
    writer: asyncio.StreamWriter, status: int, body: Any, extra: dict[str, str] | None = None
) -> None:
    data = json.dumps(body).encode()
    head = (
        f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len(data)}\r\n"
    )
    for name, value in (extra or {}).items():
        head += f"{name}: {value}\r\n"
    writer.write(head.encode() + b"\r\n" + data)
    await writer.drain()
