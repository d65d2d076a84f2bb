"""What opening a conversation reads, all of it before anything on screen changes.

Read one after another, each read waited for the event loop to come round to its answer: while
an answer streams (a thousand events a second) that was 5-10 ms a read, and the screen painted
the half-changed view between them (the status bar, then the chat, then the sidebar: three
frames of 5-30 ms, the last one the only one wanted). Queued on the history's one connection
together, the reads come back in one wait, and the screen then changes in one batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field

from tui.models import Conversation, Message, ToolEvent
from tui.paging import MessageWindow
from tui.storage import Store

TOOL_ROWS = 200  # newest tool calls listed when a conversation opens


@dataclass
class Opening:
    """A conversation as the store holds it now, ready to be put on screen at once."""

    listed: tuple[list[Conversation], bool]  # the sidebar's rows, and whether more follow
    window: MessageWindow | None = None
    messages: list[Message] = field(default_factory=list)
    tools: list[ToolEvent] = field(default_factory=list)
    cost: float = 0.0

    @property
    def context_tokens(self) -> int:
        """The newest request's context, as stored with its answer (0: none yet)."""
        used = [m.usage.context_tokens for m in self.messages if m.usage and m.usage.context_tokens]
        return used[-1] if used else 0


async def read(
    store: Store,
    conversation: Conversation | None,
    found: int | None,
    listed: Awaitable[tuple[list[Conversation], bool]],
    draft: Awaitable[None],
) -> Opening:
    """Every read of an opening at once: its messages (around ``found``, from search, else the
    newest), its newest tool calls, its cost, the sidebar's rows and the prompt's draft."""
    if conversation is None:
        rows, _ = await asyncio.gather(listed, draft)
        return Opening(rows)
    window = MessageWindow(store, conversation.id)
    messages, tools, cost, rows, _ = await asyncio.gather(
        window.first() if found is None else window.around(found),
        store.tool_event_list(conversation.id, newest=TOOL_ROWS),
        store.conversation_cost(conversation.id),
        listed,
        draft,
    )
    return Opening(rows, window, messages, tools, cost)
