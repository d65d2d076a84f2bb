"""Driving the real app under Pilot: type or paste a question, wait for its work, no sleeps.

Every wait here awaits the app itself (a pause, the workers) or polls a condition between pauses
with a deadline, so a test waits exactly as long as the work takes and fails with what it waited
for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tui.screens.approval_dialog import ApprovalDialog
from tui.widgets.prompt_input import PromptInput

SIZE = (140, 40)  # the terminal size of the Pilot tests: sidebar, chat and tool log side by side


async def settle(pilot: Any) -> None:
    """Let the app finish what a key started: its messages, then its workers, then the redraw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(
    pilot: Any, condition: Callable[[], object], what: str, seconds: float = 15.0
) -> None:
    """Let the app run until ``condition()`` holds (work finishing in workers or threads)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await pilot.pause()


async def send(pilot: Any, text: str) -> None:
    """Type a question and press Enter, without waiting for the answer (it may wait on us)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.click(PromptInput)
    for char in text:
        await pilot.press(char if char != " " else "space")
    await pilot.press("enter")


async def ask(pilot: Any, text: str) -> None:
    """Type a question and press Enter, then wait until every turn worker is done."""
    await send(pilot, text)
    await settle(pilot)


async def paste(pilot: Any, text: str | None = None) -> None:
    """Put text in the input box (or send what is there) and press Enter, as a paste would.

    Faster than typing for long or odd text, and it does not need the prompt to take clicks.
    """
    await settle(pilot)
    prompt = pilot.app.screen.query_one(PromptInput)
    prompt.focus()
    if text is not None:
        prompt.load_text(text)
    await pilot.press("enter")
    await settle(pilot)


def dialog(app: Any) -> ApprovalDialog | None:
    """The approval dialog, when it is the screen on top."""
    return app.screen if isinstance(app.screen, ApprovalDialog) else None


async def asked(pilot: Any) -> ApprovalDialog:
    """Wait until the approval dialog asks the user, and return it."""
    await until(pilot, lambda: dialog(pilot.app) is not None, "the dialog opened")
    await pilot.pause()
    found = dialog(pilot.app)
    assert found is not None
    return found


def key_now(app: Any, name: str) -> None:
    """Send a key as the terminal would, without waiting for the app to be idle (as
    ``pilot.press`` does): for keys whose handler is held up on purpose by the test."""
    from textual import events

    app._driver.send_message(events.Key(name, None))


async def until_held(condition: Callable[[], object], what: str, seconds: float = 15.0) -> None:
    """Poll ``condition()`` while a handler of the screen is held up by the test: then
    ``pilot.pause`` would wait for that handler, so this only yields to the event loop."""
    import asyncio

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.005)
