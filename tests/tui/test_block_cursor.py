"""The block cursor over the chat: move over messages and code blocks, copy each, load older."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events

from tests.helpers.pilot import SIZE, ask, settle
from tests.helpers.screen import notes
from tui.demo.model_server import Turn
from tui.models import Role
from tui.paging import PAGE
from tui.widgets.block_cursor import Stop
from tui.widgets.chat_pane import ChatPane, PastAnswer, UserMessage
from tui.widgets.prompt_input import PromptInput

ANSWER = "Two blocks:\n\n```python\nfirst = 1\nsecond = 2\n```\n\nand\n\n```sh\necho third\n```\n"


def on_screen(chat: ChatPane, stop: Stop) -> bool:
    """Whether the lines of the block under the cursor are inside the chat's visible area."""
    if stop.block is None or stop.part is None:
        return stop.message.region.overlaps(chat.content_region)
    start, end = stop.block.span(stop.part)
    top = stop.block.content_region.y + start
    view = chat.content_region
    return view.y <= top and top + (end - start) <= view.bottom


async def test_cursor_walks_messages_and_code_blocks_and_copies_each(app_factory: Any) -> None:
    turns = [Turn(match="code please", text=ANSWER)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "code please")
        chat = app.screen.query_one(ChatPane)
        assert chat.cursor is None
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.focused is chat
        copied = []
        for key in ("c", "up", "y", "k", "enter", "up", "c"):
            await pilot.press(key)
            await pilot.pause()
            if key in ("c", "y", "enter"):
                stop = chat.current()
                assert stop is not None and on_screen(chat, stop)
                marked = stop.block.marked if stop.block else stop.message.has_class("-cursor")
                assert marked in (True, stop.part)
                copied.append(app.clipboard)
        assert copied == ["echo third", "first = 1\nsecond = 2", ANSWER, "code please"]
        assert notes(app)[-4:] == [
            "Copied a code block (1 line).",
            "Copied a code block (2 lines).",
            "Copied the answer (12 lines).",
            "Copied the question (1 line).",
        ]
        await pilot.press("j", "j")  # back down to the first code block
        await pilot.pause()
        here = chat.current()
        assert here is not None and here.text == "first = 1\nsecond = 2"
        await pilot.press("escape")  # leaves the cursor: the prompt has focus, no highlight
        await pilot.pause()
        assert isinstance(app.focused, PromptInput)
        assert here.block is not None and here.block.marked is None
        await pilot.press("up")  # the prompt's key now, not the cursor's
        await pilot.pause()
        assert here.same(chat.current())


async def test_cursor_keys_leave_paging_to_the_scrollbar(app_factory: Any, project: Path) -> None:
    """Arrows move the cursor only while the chat has focus; PageUp scrolls without moving it."""
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        conv, _first = await app.store.conversation_create(project, "line\n" * 30)
        await app.store.message_add(conv.id, Role.ASSISTANT, "answer\n\n" * 40)
        await app.screen.open_conversation(await app.store.conversation_get(conv.id))
        await pilot.pause()
        chat = app.screen.query_one(ChatPane)
        bottom = chat.scroll_y
        await pilot.press("up", "up")  # the prompt has focus: the chat does not move
        await pilot.pause()
        assert chat.cursor is None and chat.scroll_y == bottom
        await pilot.press("ctrl+o", "pageup")
        await pilot.pause()
        assert chat.scroll_y < bottom
        stop = chat.current()
        assert stop is not None and isinstance(stop.message, PastAnswer)
        await pilot.press("up")  # to the question, scrolled so its top line shows
        await pilot.pause()
        stop = chat.current()
        assert stop is not None and isinstance(stop.message, UserMessage)
        assert stop.message.region.y >= chat.content_region.y
        assert stop.message.has_class("-cursor")


async def conversation_of(app: Any, project: Path, count: int) -> None:
    """Open a stored conversation of ``count`` messages, each answer with a code block."""
    await app.open_services()
    conv, _first = await app.store.conversation_create(project, "message 0")
    for i in range(1, count):
        if i % 2 == 0:
            await app.store.message_add(conv.id, Role.USER, f"message {i}")
        else:
            await app.store.message_add(
                conv.id, Role.ASSISTANT, f"answer {i}\n\n```\ncode {i}\n```"
            )
    await app.screen.open_conversation(await app.store.conversation_get(conv.id))


async def test_reaching_the_top_loads_older_messages_under_the_cursor(
    app_factory: Any, project: Path
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await conversation_of(app, project, 60)
        await pilot.pause()
        chat = app.screen.query_one(ChatPane)
        await pilot.press("ctrl+o", "home")  # the first block loaded: scrolled to the top
        await settle(pilot)
        first = chat.current()
        assert first is not None and first.text == f"message {60 - PAGE}"
        assert len(chat.children) > PAGE  # the page above came in, the cursor stayed
        assert first.same(chat.current()) and on_screen(chat, first)
        await pilot.press("up", "c")  # into the older page: the code block of the answer above
        await pilot.pause()
        assert app.clipboard == f"code {59 - PAGE}"
        await pilot.press("up", "c")
        await pilot.pause()
        assert app.clipboard == f"answer {59 - PAGE}\n\n```\ncode {59 - PAGE}\n```"
        stop = chat.current()
        assert stop is not None and on_screen(chat, stop)


async def test_moving_up_past_the_first_message_loads_older_ones(
    app_factory: Any, project: Path
) -> None:
    """A page that fits on the screen never scrolls: moving up past its top loads more."""
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(140, 110)) as pilot:
        await conversation_of(app, project, PAGE + 4)
        await pilot.pause()
        chat = app.screen.query_one(ChatPane)
        assert chat.max_scroll_y == 0
        await pilot.press("ctrl+o", "home")
        await settle(pilot)
        first = chat.current()
        assert first is not None and first.text == "message 4" and len(chat.children) == PAGE
        await pilot.press("up")
        await settle(pilot)
        assert len(chat.children) == PAGE + 4 and first.same(chat.current())
        assert on_screen(chat, first)
        await pilot.press("up", "up", "c")
        await pilot.pause()
        assert app.clipboard == "answer 3\n\n```\ncode 3\n```"


async def test_a_click_puts_the_cursor_on_the_block_under_the_mouse(app_factory: Any) -> None:
    turns = [Turn(match="code please", text=ANSWER)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "code please")
        chat = app.screen.query_one(ChatPane)
        first_code = next(s for s in chat.stops() if s.block is not None)
        where = chat._drawn_at(first_code)
        await pilot.click(ChatPane, offset=(where.x - chat.region.x + 3, where.y - chat.region.y))
        await pilot.pause()
        assert app.focused is chat and first_code.same(chat.current())
        await pilot.press("c")
        assert app.clipboard == "first = 1\nsecond = 2"


async def test_alt_keys_from_the_prompt_are_not_typed(app_factory: Any) -> None:
    """A terminal sends Alt+C as ESC c, which arrives as a printable "c" the prompt would type."""
    turns = [Turn(match="code please", text=ANSWER)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "code please")
        prompt = app.screen.query_one(PromptInput)
        assert app.focused is prompt
        app._driver.send_message(events.Key("alt+c", "c"))  # as the terminal's bytes arrive
        await pilot.pause()
        assert app.focused is app.screen.query_one(ChatPane) and prompt.text == ""
        await pilot.press("escape")
        parent = app.screen.conversation
        app._driver.send_message(events.Key("alt+b", "b"))
        await settle(pilot)
        assert prompt.text == "" and app.screen.conversation.parent_id == parent.id
