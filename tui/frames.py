"""Waiting for the screen: work that must not hold up a frame waits for the next one."""

from __future__ import annotations

import asyncio

from textual.message_pump import MessagePump


async def after_refresh(node: MessagePump) -> None:
    """Return once ``node`` has handled what is queued for it and painted what needed it
    (at once when nothing does): Textual's ``call_after_refresh``, awaited."""
    done = asyncio.Event()
    node.call_after_refresh(done.set)
    await done.wait()
