"""A conversation as one Markdown document: messages in order, each turn's tools collapsible.

Pure: records in, text out. Everything that came from the model, a tool or the user is made
inert (no escape sequence survives) and is kept from breaking the document: the user's text, a
reply's thinking (folded in <details>) and every tool input and result sit in fences longer than
any backtick run inside them, a reply that leaves a code fence open is closed, and HTML-like text
in a summary line is escaped. A reply's own headings sit below its ``## Assistant`` heading (see
tui.export.headings).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from tui import __version__
from tui.clock import local, now
from tui.export.headings import nest_headings
from tui.models import Conversation, Message, MessageStatus, Role, ToolEvent, ToolStatus
from tui.text import inert, thinking_summary
from tui.tool_lines import describe

RESULT_SHOWN = 4_000  # characters of a tool result kept, as the app's tool log shows them
REDACTED = "[redacted]"
# Anthropic API keys and OAuth tokens; the exact values in use are redacted as well.
_KEY_SHAPE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}")
_BACKTICKS = re.compile(r"`+")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_STATUS_NOTE = {
    MessageStatus.INTERRUPTED: "Interrupted: the answer was stopped before it finished.",
    MessageStatus.STREAMING: "Still streaming when exported: the answer may be incomplete.",
}


def to_markdown(
    conversation: Conversation,
    messages: Sequence[Message],
    events: Sequence[ToolEvent],
    *,
    secrets: Iterable[str] = (),
    exported_at: datetime | None = None,
) -> str:
    """The whole conversation as Markdown, with ``secrets`` (and anything key-shaped) redacted."""
    by_message: dict[int | None, list[ToolEvent]] = {}
    for event in events:
        by_message.setdefault(event.message_id, []).append(event)
    parts = [_header(conversation, messages, exported_at or now())]
    for message in messages:
        parts.append(_message(message, by_message.pop(message.id, [])))
    leftover = [e for group in by_message.values() for e in group]
    if leftover:  # calls whose reply row is gone (or never existed): still part of the record
        parts.append("## Other tool activity\n\n" + "\n".join(_tool(e) for e in leftover))
    return redact("\n".join(parts), secrets)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace the given secret values and anything shaped like an Anthropic key or token."""
    for secret in sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _KEY_SHAPE.sub(REDACTED, text)


def _clean(text: str) -> str:
    """Line ends normalised, then every control character made visible."""
    return inert(text.replace("\r\n", "\n"))


def fenced(text: str, info: str = "") -> str:
    """A fenced code block that ``text`` cannot close: its fence outruns every backtick run."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip(chr(10))}\n{fence}\n"


def close_open_fence(markdown: str) -> str:
    """The reply with a code fence it left open closed, so it cannot swallow what follows."""
    fence = ""
    for line in markdown.splitlines():
        found = _FENCE_LINE.match(line)
        if found is None:
            continue
        marker, rest = found.groups()
        if not fence:
            fence = marker
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip():
            fence = ""
    return f"{markdown.rstrip()}\n{fence}\n" if fence else markdown


def _when(moment: datetime) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M %Z").strip()


def _header(conversation: Conversation, messages: Sequence[Message], exported: datetime) -> str:
    title = _clean(conversation.title).replace("\n", " ") or f"Conversation {conversation.id}"
    lines = [
        f"# {_escape_inline(title)}",
        "",
        f"- Project: {_code_span(_clean(str(conversation.project_path)))}",
        f"- Started: {_when(conversation.created_at)}",
        f"- Last activity: {_when(conversation.updated_at)}",
        f"- Messages: {len(messages)}",
    ]
    if conversation.model:
        lines.append(f"- Model: {_code_span(_clean(conversation.model))}")
    if conversation.effort:
        lines.append(f"- Effort: {_code_span(_clean(conversation.effort))}")
    usages = [m.usage for m in messages if m.usage is not None]
    if usages:
        cost = sum(u.cost_usd for u in usages)
        tokens = sum(u.total_tokens for u in usages)
        lines.append(f"- Cost: ${cost:.4f} ({tokens:,} tokens)")
    lines.append(f"- Exported: {_when(exported)} by assistant-tui {__version__}")
    return "\n".join(lines) + "\n"


def _message(message: Message, events: Sequence[ToolEvent]) -> str:
    role = {Role.USER: "You", Role.ASSISTANT: "Assistant"}.get(message.role, "System")
    parts = [f"## {role} · {_when(message.created_at)}\n"]
    if message.role is Role.ASSISTANT:
        parts += [_thinking(message)] if message.thinking else []
        parts += [_tool(event) for event in events]
        text = nest_headings(_clean(message.content))  # below this message's own heading
        parts.append(close_open_fence(text) + "\n" if text.strip() else "*(no text)*\n")
    else:
        parts.append(fenced(_clean(message.content), "text"))
        parts += [_tool(event) for event in events]
    note = _STATUS_NOTE.get(message.status)
    if message.status is MessageStatus.ERROR:
        note = "Error: " + _clean(message.error or "the answer failed.").replace("\n", " ")
    if note:
        parts.append(f"> **{_escape_inline(note)}**\n")
    return "\n".join(parts)


def _thinking(message: Message) -> str:
    """The reply's thinking folded in a <details> block, as the app shows it folded; fenced,
    so no text in it (a ``</details>``, a heading) can leave the block."""
    summary = thinking_summary(len(message.thinking), message.thinking_ms / 1000)
    return "\n".join(
        [
            f"<details><summary>{html.escape(summary, quote=False)}</summary>\n",
            fenced(_clean(message.thinking), "text"),
            "</details>\n",
        ]
    )


def _tool(event: ToolEvent) -> str:
    """One call as a collapsed <details> block: summary line, input JSON, capped result."""
    line = _clean(describe(event.name, event.input)).replace("\n", " ")
    state = event.status.value
    if event.duration_s is not None and event.status is not ToolStatus.RUNNING:
        state += f", {_duration(event.duration_s)}"
    summary = html.escape(f"Tool: {line} — {state}", quote=False)
    tool_input = json.dumps(event.input, ensure_ascii=False, indent=2, default=str)
    parts = [
        f"<details><summary>{summary}</summary>\n",
        f"Input ({_code_span(_clean(event.name))}):\n",
        fenced(_clean(tool_input), "json"),
        _result(event),
        "</details>\n",
    ]
    return "\n".join(parts)


def _result(event: ToolEvent) -> str:
    if event.result is None:
        return "No result.\n"
    size = max(event.result_size, len(event.result))
    shown = event.result[:RESULT_SHOWN]
    label = (
        "Result:"
        if size <= len(shown)
        else f"Result (first {len(shown):,} of {size:,} characters):"
    )
    return f"{label}\n\n" + fenced(_clean(shown))


def _duration(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def _code_span(text: str) -> str:
    """Inline code that holds any text: the delimiter is longer than its longest backtick run."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&])")


def _escape_inline(text: str) -> str:
    """Text shown literally on one Markdown line (a title, a note): specials backslashed."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)
