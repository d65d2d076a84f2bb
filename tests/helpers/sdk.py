"""Real ``claude_agent_sdk`` message objects built by hand, as the CLI would send them.

The translator reads SDK messages by their type and fields; building the SDK's own dataclasses
(not look-alikes) means a field renamed in the SDK breaks these tests, not only the app.
"""

from __future__ import annotations

from typing import Any

from claude_agent_sdk import (
    AssistantMessage,
    ResultMessage,
    StreamEvent,
    SystemMessage,
    ToolResultBlock,
    ToolUseBlock,
    UserMessage,
)

SESSION = "session-0001"
USAGE = {
    "input_tokens": 120,
    "output_tokens": 30,
    "cache_read_input_tokens": 1000,
    "cache_creation_input_tokens": 50,
}


def stream(event: dict[str, Any]) -> StreamEvent:
    """One raw Messages API stream event, wrapped as the SDK passes it on."""
    return StreamEvent(uuid="u", session_id=SESSION, event=event)


def streamed(*pieces: str, stop: bool = True) -> list[StreamEvent]:
    """One assistant message streaming: its start, a text delta per piece, and its stop."""
    events = [stream({"type": "message_start", "message": {}})]
    for piece in pieces:
        delta = {"type": "text_delta", "text": piece}
        events.append(stream({"type": "content_block_delta", "index": 0, "delta": delta}))
    if stop:
        events.append(stream({"type": "message_stop"}))
    return events


def tool_use(tool_id: str, name: str, tool_input: dict[str, Any]) -> AssistantMessage:
    """The finished assistant message that asks for one tool call."""
    return AssistantMessage(content=[ToolUseBlock(tool_id, name, tool_input)], model="scripted")


def tool_result(tool_id: str, content: Any, is_error: bool = False) -> UserMessage:
    """The CLI's message carrying one tool's result back to the model."""
    return UserMessage(content=[ToolResultBlock(tool_id, content, is_error)])


def result(
    terminal_reason: str | None = "completed",
    is_error: bool = False,
    text: str | None = None,
    api_error_status: int | None = None,
) -> ResultMessage:
    """The turn's last message: usage, cost, the session id, and how it ended."""
    return ResultMessage(
        subtype="error_during_execution" if is_error else "success",
        duration_ms=1500,
        duration_api_ms=1200,
        is_error=is_error,
        num_turns=2,
        session_id=SESSION,
        total_cost_usd=0.0125,
        usage=dict(USAGE),
        result=text,
        api_error_status=api_error_status,
        terminal_reason=terminal_reason,
    )


def api_retry(attempt: int, status: int | None, delay_ms: int = 500) -> SystemMessage:
    """The CLI failed to reach the API and will try again after ``delay_ms``."""
    data = {"attempt": attempt, "max_retries": 10, "error_status": status}
    return SystemMessage(subtype="api_retry", data={**data, "retry_delay_ms": delay_ms})


def thought(*pieces: str, signed: bool = True) -> list[StreamEvent]:
    """A thinking block at index 0 as the API streams it with summarized display: its start,
    a thinking delta per piece, the signature, its stop (no pieces: the omitted display)."""
    start = {"type": "thinking", "thinking": "", "signature": ""}
    events = [stream({"type": "content_block_start", "index": 0, "content_block": start})]
    for piece in pieces:
        delta = {"type": "thinking_delta", "thinking": piece}
        events.append(stream({"type": "content_block_delta", "index": 0, "delta": delta}))
    if signed:
        signature = {"type": "signature_delta", "signature": "sig"}
        events.append(stream({"type": "content_block_delta", "index": 0, "delta": signature}))
    events.append(stream({"type": "content_block_stop", "index": 0}))
    return events


def thinking_then(thinking: list[StreamEvent], *pieces: str) -> list[StreamEvent]:
    """One assistant message that thinks first, then streams ``pieces`` of text."""
    message = streamed(*pieces)
    return [message[0], *thinking, *message[1:]]
