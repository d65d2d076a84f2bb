"""Turn the SDK's messages into events. The only module that knows the SDK's message shapes.

Text arrives twice: as partial stream events and again in the final AssistantMessage. Only the
stream events are used for text (no duplication); the final message supplies tool calls with
their complete input. When a stream drops, the CLI closes the
message itself and then reports an ``api_retry``: the text of that attempt is discarded and the
answer restarts from what it was before (a ``TextReplaced`` event). Thinking blocks of the
stream are read by tui.agent.thinking, on the translator's behalf.
"""

from __future__ import annotations

import time
from typing import Any

from tui.agent.errors import RETRY, api_failure
from tui.agent.events import (
    Compacted,
    Event,
    Retrying,
    TextDelta,
    TextReplaced,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
)
from tui.agent.guard import ALLOWED_TOOLS
from tui.agent.thinking import Thinking
from tui.models import MessageStatus, ToolStatus, TurnUsage

INTERRUPTED = {"aborted_streaming", "aborted_tools"}
# How the CLI words a refusal by its own permission rules (our secret-file deny rules).
CLI_DENIALS = ("denied by your permission settings", "No such tool available")


class Translator:
    """Stateful over one turn: tracks the answer text and the tools still running."""

    def __init__(
        self,
        denied: set[str] | None = None,
        decisions: dict[str, str] | None = None,
        retry: str = RETRY,
    ) -> None:
        self.retry = retry  # how a failure's sentence says to ask again (tui.agent.errors)
        self.committed = ""  # text of assistant messages that finished streaming
        self.pending = ""  # text of the message streaming now
        self.denied = denied if denied is not None else set()
        self.decisions = decisions if decisions is not None else {}  # the guard's, by tool id
        self._tool_started: dict[str, tuple[float, str]] = {}
        self._attempt_base = ""  # the answer before the message now streaming, for retries
        self._answered = False  # the API answered something since the last retry
        self.context_tokens = 0  # the last request's input, cache reads and writes
        self.thinking = Thinking()  # the model's thinking, kept apart from the answer

    @property
    def text(self) -> str:
        """The answer so far: finished messages, then the one streaming, a blank line apart."""
        if self.committed and self.pending:
            return f"{self.committed}\n\n{self.pending}"
        return self.committed or self.pending

    @property
    def running_tools(self) -> list[str]:
        """Ids of tool calls that started and have no result yet."""
        return list(self._tool_started)

    def feed(self, message: Any) -> list[Event]:
        """Events for one SDK message (often none)."""
        kind = type(message).__name__
        if kind == "StreamEvent":
            return [*self.thinking.stream(message.event), *self._stream(message.event)]
        if kind == "AssistantMessage":
            return self._assistant(message)
        if kind == "UserMessage":
            return self._tool_results(message)
        if kind == "ResultMessage":
            return [self._result(message)]
        if kind == "SystemMessage" and message.subtype == "api_retry":
            answered, self._answered = self._answered, False
            dropped = [*self._retry(), *self.thinking.retry()]
            return [*dropped, _retrying(message.data, answered)]
        if kind == "SystemMessage" and message.subtype == "compact_boundary":
            return [_compacted(message.data)]
        return []

    def _retry(self) -> list[Event]:
        """The CLI closed a dropped stream and will send the message again: forget its text."""
        if self.text == self._attempt_base:
            return []
        self.committed, self.pending = self._attempt_base, ""
        return [TextReplaced(self.text)]

    def _stream(self, event: dict[str, Any]) -> list[Event]:
        self._answered = True
        kind = event.get("type")
        if kind == "message_start":
            self._request_usage(event.get("message", {}).get("usage"))
            replaced = bool(self.pending)
            self.pending = ""
            self._attempt_base = self.committed
            return [TextReplaced(self.text)] if replaced else []
        if kind == "content_block_delta":
            delta = event.get("delta", {})
            if delta.get("type") == "text_delta" and delta.get("text"):
                piece = delta["text"]
                shown = "\n\n" + piece if self.committed and not self.pending else piece
                self.pending += piece
                return [TextDelta(shown)]
        if kind == "message_delta":
            self._request_usage(event.get("usage"))
        if kind == "message_stop" and self.pending:
            self.committed, self.pending = self.text, ""
        return []

    def _request_usage(self, usage: Any) -> None:
        """Note what one request to the model carried: its input, cache reads and cache writes
        (the turn's result adds every request of the turn up, so it cannot say how full the
        window is). A ``message_delta`` may repeat the counts; one without them changes nothing.
        """
        if not isinstance(usage, dict):
            return
        names = ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
        counts = [usage.get(name) for name in names]
        if any(isinstance(count, int) for count in counts):
            self.context_tokens = sum(c for c in counts if isinstance(c, int))

    def _assistant(self, message: Any) -> list[Event]:
        events: list[Event] = []
        for block in message.content:
            if type(block).__name__ == "ToolUseBlock":
                self._tool_started[block.id] = (time.monotonic(), block.name)
                events.append(ToolStarted(block.id, block.name, dict(block.input or {})))
        return events

    def _tool_results(self, message: Any) -> list[Event]:
        self._attempt_base = self.text  # a retry of the next request must not erase this text
        events: list[Event] = []
        content = message.content if isinstance(message.content, list) else []
        for block in content:
            if type(block).__name__ != "ToolResultBlock":
                continue
            started, name = self._tool_started.pop(block.tool_use_id, (time.monotonic(), ""))
            status = ToolStatus.ERROR if block.is_error else ToolStatus.OK
            text = result_text(block.content)
            refused = block.is_error and (
                name not in ALLOWED_TOOLS or any(m in text for m in CLI_DENIALS)
            )
            if block.tool_use_id in self.denied or refused:
                status = ToolStatus.DENIED  # our guard, the CLI's deny rules, or no such tool
            events.append(
                ToolFinished(
                    block.tool_use_id,
                    name,
                    text,
                    status,
                    time.monotonic() - started,
                    self.decisions.get(block.tool_use_id),
                )
            )
        return events

    def _result(self, message: Any) -> Event:
        usage = _usage(message, self.context_tokens)
        if message.terminal_reason in INTERRUPTED:
            return TurnFinished(MessageStatus.INTERRUPTED, usage, message.session_id)
        if message.is_error:
            status, result, errors = message.api_error_status, message.result, message.errors
            return TurnFailed(api_failure(status, result, errors, self.retry))
        return TurnFinished(MessageStatus.COMPLETE, usage, message.session_id)


def result_text(content: Any) -> str:
    """A tool result's content as plain text (the SDK gives a string or a list of blocks)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        elif isinstance(block, dict):
            parts.append(f"[{block.get('type', 'content')}]")
    return "\n".join(parts)


def _usage(message: Any, context_tokens: int) -> TurnUsage:
    raw = message.usage or {}
    return TurnUsage(
        input_tokens=int(raw.get("input_tokens") or 0),
        output_tokens=int(raw.get("output_tokens") or 0),
        cache_read_tokens=int(raw.get("cache_read_input_tokens") or 0),
        cache_write_tokens=int(raw.get("cache_creation_input_tokens") or 0),
        cost_usd=float(message.total_cost_usd or 0.0),
        duration_ms=int(message.duration_ms or 0),
        context_tokens=context_tokens,
    )


def _compacted(data: Any) -> Compacted:
    """A ``compact_boundary`` system message as an event (its metadata as the CLI sends it)."""
    meta = data.get("compact_metadata") if isinstance(data, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    trigger = meta.get("trigger")
    return Compacted(
        trigger=trigger if trigger in ("auto", "manual") else "auto",
        tokens_before=_int(meta.get("pre_tokens"), 0),
    )


def _retrying(data: Any, answered: bool) -> Retrying:
    """An ``api_retry`` system message as an event (its fields as the CLI sends them)."""
    data = data if isinstance(data, dict) else {}
    status = data.get("error_status")
    return Retrying(
        attempt=_int(data.get("attempt"), 1),
        max_retries=_int(data.get("max_retries"), 10),
        status=status if isinstance(status, int) else None,
        delay_s=_int(data.get("retry_delay_ms"), 0) / 1000,
        answered=answered,
    )


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
