"""Turning database rows into model records (and back), kept apart from the queries."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tui.clock import from_text
from tui.models import (
    Conversation,
    Message,
    MessageStatus,
    Role,
    SearchHit,
    ToolEvent,
    ToolStatus,
    TurnUsage,
)

TITLE_LENGTH = 50


def make_title(first_message: str) -> str:
    """The first user message on one line, cut to 50 characters with an ellipsis."""
    line = " ".join(first_message.split())
    if not line:
        return "Untitled"
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


def conversation(row: sqlite3.Row) -> Conversation:
    deleted = row["deleted_at"]
    return Conversation(
        id=row["id"],
        project_path=Path(row["project_path"]),
        project_name=row["project_name"],
        title=row["title"],
        session_id=row["session_id"],
        model=row["model"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
        pinned=bool(row["pinned"]),
        archived=bool(row["archived"]),
        deleted_at=from_text(deleted) if deleted else None,
        message_count=row["message_count"],
        parent_id=row["parent_id"],
        parent_message_id=row["parent_message_id"],
        chosen_model=row["chosen_model"],
        effort=row["effort"],
    )


def message(row: sqlite3.Row) -> Message:
    usage = None
    if row["duration_ms"] is not None or row["cost_usd"] is not None:
        usage = TurnUsage(
            input_tokens=row["input_tokens"] or 0,
            output_tokens=row["output_tokens"] or 0,
            cache_read_tokens=row["cache_read_tokens"] or 0,
            cache_write_tokens=row["cache_write_tokens"] or 0,
            cost_usd=row["cost_usd"] or 0.0,
            duration_ms=row["duration_ms"] or 0,
            context_tokens=row["context_tokens"] or 0,
        )
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=Role(row["role"]),
        content=row["content"],
        status=MessageStatus(row["status"]),
        created_at=from_text(row["created_at"]),
        usage=usage,
        error=row["error"],
        thinking=row["thinking"] or "",
        thinking_ms=row["thinking_ms"] or 0,
    )


def tool_event(row: sqlite3.Row) -> ToolEvent:
    try:
        tool_input = json.loads(row["input"])
    except ValueError:
        tool_input = {"raw": row["input"]}
    finished = row["finished_at"]
    return ToolEvent(
        id=row["id"],
        conversation_id=row["conversation_id"],
        message_id=row["message_id"],
        tool_use_id=row["tool_use_id"],
        name=row["name"],
        input=tool_input if isinstance(tool_input, dict) else {"value": tool_input},
        result=row["result"],
        result_size=row["result_size"],
        status=ToolStatus(row["status"]),
        started_at=from_text(row["started_at"]),
        finished_at=from_text(finished) if finished else None,
        decision=row["decision"],
    )


def search_hit(row: sqlite3.Row) -> SearchHit:
    role = row["role"]
    return SearchHit(
        conversation_id=row["conversation_id"],
        conversation_title=row["title"],
        project_path=Path(row["project_path"]),
        message_id=row["message_id"],
        role=Role(role) if role else None,
        snippet=row["snippet"],
        created_at=from_text(row["created_at"]),
        rank=row["rank"],
    )


def fts_query(text: str) -> str | None:
    """Make user text a safe FTS5 query: every word must match, the last one as a prefix.

    Each word is quoted (quotes doubled), so operators, colons and parentheses typed by the user
    are searched for as text instead of breaking the query.
    """
    words = [w for w in text.split() if any(c.isalnum() for c in w)]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
