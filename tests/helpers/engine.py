"""The engine without the UI: a store and a session manager over the scripted model server,
as the app and `ask` use them, plus a reader of what the model was sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.agent.events import Event
from tui.agent.manager import SessionManager
from tui.config import Settings
from tui.demo.model_server import ModelServer
from tui.models import Conversation
from tui.storage import Store


@dataclass
class Engine:
    """A store and a session manager over one project, as the app and `ask` use them."""

    settings: Settings
    store: Store
    manager: SessionManager
    server: ModelServer

    async def turn(self, text: str, conversation: Conversation | None = None) -> list[Event]:
        """Run one turn to its end and return every event it produced, in order."""
        return [event async for event in self.manager.run(text, conversation)]


def said(body: dict[str, Any]) -> str:
    """Every text the model received in one request, in order (tool results included)."""
    parts: list[str] = []
    for message in body["messages"]:
        content = message["content"]
        if isinstance(content, str):
            parts.append(content)
            continue
        for block in content:
            if block.get("type") == "text":
                parts.append(block["text"])
            elif block.get("type") == "tool_result":
                inner = block.get("content")
                parts.append(inner if isinstance(inner, str) else str(inner))
    return "\n".join(parts)
