"""Export a stored conversation to Markdown: the document, and where it is written."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from tui.export.markdown import to_markdown
from tui.export.target import ExportError
from tui.models import Conversation
from tui.storage import Store

SECRET_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")

__all__ = ["ExportError", "render", "secrets_in"]


def secrets_in(*environments: Mapping[str, str]) -> list[str]:
    """The key and token values in use (the process environment and any .env values)."""
    found = [env.get(name, "") for env in (os.environ, *environments) for name in SECRET_VARIABLES]
    return [value for value in found if value]


async def render(
    store: Store, conversation_id: int, secrets: list[str]
) -> tuple[Conversation, str]:
    """Read a conversation with all its messages and tool calls and render it as Markdown.

    The rendering runs in a thread: a conversation of thousands of messages takes a while, and
    the app's event loop must keep drawing meanwhile.
    """
    conversation = await store.conversation_get(conversation_id)
    if conversation is None:
        raise ExportError(
            f"Conversation {conversation_id} does not exist; run `assistant-tui history` to see "
            "the ids."
        )
    messages = await store.message_page(conversation_id, limit=2**62)
    events = await store.tool_event_list(conversation_id)
    text = await asyncio.to_thread(to_markdown, conversation, messages, events, secrets=secrets)
    return conversation, text
