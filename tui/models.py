"""The records the app works with, independent of SQLite and of Textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"


class MessageStatus(StrEnum):
    """Where a message stands; anything but COMPLETE is shown with a marker."""

    COMPLETE = "complete"
    STREAMING = "streaming"
    INTERRUPTED = "interrupted"
    ERROR = "error"


class ToolStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    ERROR = "error"
    DENIED = "denied"


@dataclass(frozen=True)
class TurnUsage:
    """What one assistant turn cost, as the SDK reports it."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0
    duration_ms: int = 0
    # The last request's input, cache reads and cache writes: how full the context window was.
    context_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        cached = self.cache_read_tokens + self.cache_write_tokens
        return self.input_tokens + self.output_tokens + cached


@dataclass(frozen=True)
class Conversation:
    id: int
    project_path: Path
    project_name: str
    title: str
    session_id: str | None
    model: str | None
    created_at: datetime
    updated_at: datetime
    pinned: bool
    archived: bool
    deleted_at: datetime | None
    message_count: int
    parent_id: int | None = None
    parent_message_id: int | None = None
    chosen_model: str | None = None  # None: the configured default (see tui.choices)
    effort: str | None = None  # None: the CLI's own default

    @property
    def trashed(self) -> bool:
        return self.deleted_at is not None


Thought = tuple[str, int]
"""An answer's thinking as stored: its text and how many milliseconds it took."""


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: Role
    content: str
    status: MessageStatus
    created_at: datetime
    usage: TurnUsage | None = None
    error: str | None = None
    thinking: str = ""  # the model's thinking before and between the answer's parts
    thinking_ms: int = 0  # how long it thought


@dataclass(frozen=True)
class ToolEvent:
    """One tool call of a turn. ``result`` is capped; ``result_size`` is the full length.

    ``decision`` says who allowed or denied the call, when someone was asked (else None).
    """

    id: int
    conversation_id: int
    message_id: int | None
    tool_use_id: str
    name: str
    input: dict[str, object]
    result: str | None
    result_size: int
    status: ToolStatus
    started_at: datetime
    finished_at: datetime | None
    decision: str | None = None

    @property
    def is_error(self) -> bool:
        return self.status in (ToolStatus.ERROR, ToolStatus.DENIED)

    @property
    def truncated(self) -> bool:
        return self.result is not None and self.result_size > len(self.result)

    @property
    def duration_s(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class SearchHit:
    """A message (or a title, when message_id is None) that matched a full-text search.

    ``snippet`` marks matched words with \\x02 before and \\x03 after, for the UI to highlight.
    """

    conversation_id: int
    conversation_title: str
    project_path: Path
    message_id: int | None
    role: Role | None
    snippet: str
    created_at: datetime
    rank: float


@dataclass(frozen=True)
class BacklogSection:
    """One list of the backlog pane: its features (cut to what is worth drawing) and its count.

    ``features`` may end with one feature from beyond the cut (the one the user is on), so a
    feature just created or skipped to the end of the queue stays on screen.
    """

    key: str  # the status its features have: ready, in_progress, needs_human_input, ...
    title: str
    features: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    kept: int = 0  # how many of ``features`` come from beyond the cut


@dataclass
class BacklogView:
    """Everything the backlog pane shows, read in one go (the features as the MCP tools give them).

    Plain data here, not in the reader, so the pane can name it without importing ``mcp_server``.
    """

    stats: dict[str, Any] = field(default_factory=dict)
    sections: list[BacklogSection] = field(default_factory=list)
    path: Path | None = None  # None: the project has no backlog yet
    error: str | None = None  # one sentence: the file was refused or could not be read

    def section(self, key: str) -> BacklogSection:
        """A section by its status (an empty one when the view has none, e.g. an error)."""
        return next((s for s in self.sections if s.key == key), BacklogSection(key, key))
