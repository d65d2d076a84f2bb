"""Opening a conversation draws its newest text with the switch and the text above it after.

A long answer from the history is drawn in blocks, its end first (a LongAnswer), and a page of
many messages draws its newest ones first; both keep the chat at its end, or what the user
reads in place, and end up drawn exactly as the text rendered in one piece.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, key_now, settle, until, until_held
from tests.helpers.screen import answers, drawn_rows, one_piece, screen_rows, watch_frames
from tui.demo.model_server import Turn
from tui.models import Role
from tui.storage import Store
from tui.widgets import chat_pane, drawn_above
from tui.widgets.chat_pane import AT_ONCE, NEWEST_AT_ONCE, PIECE, ChatPane, LongAnswer
from tui.widgets.conversation_list import ConversationList
from tui.widgets.markdown_block import MarkdownBlock
from tui.widgets.prompt_input import PromptInput

LONG = "".join(f"Paragraph {n} says *something* at length, {'word ' * 20}\n\n" for n in range(700))
LONG = LONG.rstrip()


async def seed(db: Path, project: Path, conversations: dict[str, list[str]]) -> None:
    """Conversations of questions and answers taking turns (the first is the question)."""
    store = await Store.open(db)
    for title, texts in conversations.items():
        conversation, _question = await store.conversation_create(project, texts[0])
        await store.conversation_rename(conversation.id, title)
        for i, text in enumerate(texts[1:]):
            await store.message_add(
                conversation.id, Role.ASSISTANT if i % 2 == 0 else Role.USER, text
            )
    await store.close()


def chat_text(app: Any) -> list[str]:
    """The chat's rows as painted, without its scroll bar (which shows the text grow)."""
    region = app.screen.query_one(ChatPane).scrollable_content_region
    rows = screen_rows(app)[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


def all_drawn(view: LongAnswer) -> bool:
    return "".join(b.markdown for b in view.query(MarkdownBlock)) == view.text


def shown_title(app: Any) -> str | None:
    conversation = app.screen.conversation
    return conversation.title if conversation is not None else None


async def switch_to(pilot: Any, title: str) -> None:
    """Walk the sidebar (Alt+Down, Alt+Up) to ``title``, as the user would."""
    app = pilot.app
    await settle(pilot)
    for _ in range(4):
        if shown_title(app) == title:
            return
        listed = [c.title for c in app.screen.query_one(ConversationList).conversations]
        was = shown_title(app)
        below = was is None or listed.index(title) > listed.index(was)
        await pilot.press("alt+down" if below else "alt+up")
        await until(pilot, lambda was=was: shown_title(app) != was, "a switch")
    assert shown_title(app) == title


async def test_a_long_stored_answer_opens_at_its_end_and_draws_the_rest_above(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    await seed(db, project, {"long": ["tell me", LONG], "short": ["hi", "A short answer."]})
    async with app_factory([Turn(text="ok")], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await switch_to(pilot, "short")
        at_open: list[str] = []  # the text of each block drawn when the switch was done
        real_open = app.screen.open_conversation

        async def opened(*args: Any, **kwargs: Any) -> None:
            await real_open(*args, **kwargs)
            at_open.extend(
                b.markdown for b in app.screen.query_one(LongAnswer).query(MarkdownBlock)
            )

        monkeypatch.setattr(app.screen, "open_conversation", opened)
        await switch_to(pilot, "long")
        await until(pilot, lambda: bool(at_open), "the switch done")
        assert len("".join(at_open)) <= (NEWEST_AT_ONCE + 1) * PIECE, "drew the older text first"
        view = app.screen.query_one(LongAnswer)
        await until(pilot, lambda: all_drawn(view), "every block drawn, in order")
        await settle(pilot)
        assert drawn_rows(view) == one_piece(LONG, view.content_size.width)
        rows = "\n".join(screen_rows(app))
        assert "Paragraph 699 says" in rows and "Assistant" not in rows  # still at its end
        app.screen.query_one(ChatPane).scroll_home(animate=False)
        await pilot.pause()
        rows = "\n".join(screen_rows(app))
        assert "tell me" in rows and "Assistant" in rows and "Paragraph 0 says" in rows


async def test_scrolling_up_while_the_blocks_are_drawn_keeps_the_text_in_place(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    await seed(db, project, {"long": ["tell me", LONG], "short": ["hi", "A short answer."]})
    gate = asyncio.Event()  # set: the older blocks are drawn on
    real_draw = chat_pane.AnswerView._draw_older
    steps = 0

    held: list[tuple[Any, Any]] = []

    async def held_draw(view: Any, above: Any) -> None:
        nonlocal steps
        steps += 1
        if steps > 2 and not gate.is_set():  # two blocks drawn, the user scrolls, the rest
            held.append((view, above))
            return
        await real_draw(view, above)

    monkeypatch.setattr(chat_pane.AnswerView, "_draw_older", held_draw)
    async with app_factory([Turn(text="ok")], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await switch_to(pilot, "long")
        await until_held(lambda: steps > 2, "two older blocks drawn")
        chat = app.screen.query_one(ChatPane)
        chat.scroll_to(y=chat.scroll_y - 15, animate=False)  # the user reads up
        await until_held(lambda: chat.scroll_y < chat.max_scroll_y - 10, "the scroll up")
        await asyncio.sleep(0.05)  # a frame or two: the screen shows the scroll
        before = chat_text(app)
        assert "Paragraph" in "".join(before)
        gate.set()
        for waiting, above in held:
            waiting.call_after_refresh(waiting._draw_older, above)
        view = app.screen.query_one(LongAnswer)
        await until(pilot, lambda: all_drawn(view), "every block drawn")
        await settle(pilot)
        assert chat_text(app) == before, "the text the user read moved"


async def test_a_page_of_many_answers_draws_the_newest_first_then_the_older_above(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    texts = ["question 0"]
    for n in range(1, 20):
        texts.append(f"Message {n}: " + "a sentence of some length. " * 50)
    await seed(db, project, {"many": texts, "short": ["hi", "A short answer."]})
    async with app_factory([Turn(text="ok")], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await switch_to(pilot, "short")
        chat = app.screen.query_one(ChatPane)
        at_open: list[str] = []
        real_open = app.screen.open_conversation

        async def opened(*args: Any, **kwargs: Any) -> None:
            await real_open(*args, **kwargs)
            at_open.extend(str(getattr(c, "text", "")) for c in chat.children)

        monkeypatch.setattr(app.screen, "open_conversation", opened)
        await switch_to(pilot, "many")
        await until(pilot, lambda: bool(at_open), "the switch done")
        assert len("".join(at_open)) <= AT_ONCE + len(texts[-1]) and at_open[-1] == texts[-1]
        await until(pilot, lambda: len(chat.children) == len(texts), "every message drawn")
        assert [str(getattr(c, "text", "")) for c in chat.children] == texts
        await settle(pilot)
        assert "Message 19:" in "\n".join(screen_rows(app))  # still at the end
        chat.scroll_home(animate=False)
        await pilot.pause()
        assert "question 0" in "\n".join(screen_rows(app))


async def test_older_messages_read_during_a_switch_stay_out_of_the_new_conversation(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scrolling to the top reads the page above; a switch while it is read must not get it."""
    db = tmp_path / "h.db"
    texts = ["old question"] + [f"old message {n}" for n in range(1, 40)]
    await seed(db, project, {"other": ["hi", "the other answer"], "old": texts})
    async with app_factory([Turn(text="ok")], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await switch_to(pilot, "old")
        chat = app.screen.query_one(ChatPane)
        await until(pilot, lambda: "old message 39" in "\n".join(screen_rows(app)), "opened")
        gate, reading = asyncio.Event(), asyncio.Event()
        real_page = app.store.message_page

        async def held_page(*args: Any, **kwargs: Any) -> Any:
            if kwargs.get("before_id") is not None:
                reading.set()
                await gate.wait()
            return await real_page(*args, **kwargs)

        monkeypatch.setattr(app.store, "message_page", held_page)
        chat.scroll_home(animate=False)
        await until_held(reading.is_set, "the older page read")
        key_now(app, "alt+down")
        # The switch is done, or waits for the view (the page read holds it): then the read
        # goes on.
        await until_held(
            lambda: shown_title(app) == "other" or bool(app.screen.view_lock._waiters),
            "the switch done or waiting",
        )
        gate.set()
        await until(
            pilot,
            lambda: (
                app.screen.conversation is not None and app.screen.conversation.title == "other"
            ),
            "the switch to the other",
        )
        await settle(pilot)
        shown = [str(getattr(c, "text", "")) for c in chat.children]
        assert shown == ["hi", "the other answer"], shown
        assert "old message" not in "\n".join(screen_rows(app))  # nor on the screen
        assert answers(app)[-1].text == "the other answer"


async def test_the_older_blocks_wait_while_the_user_types_then_draw(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block drawn above is a frame of 20-40 ms that a key would wait for: while keys come,
    the drawing waits; once they stop it goes on."""
    db = tmp_path / "h.db"
    await seed(db, project, {"long": ["tell me", LONG], "short": ["hi", "A short answer."]})
    monkeypatch.setattr(drawn_above, "TYPING_PAUSE_S", 3600.0)  # the user never stops
    async with app_factory([Turn(text="ok")], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await switch_to(pilot, "short")
        await switch_to(pilot, "long")  # a key: the pause starts
        await pilot.press("a")
        view = app.screen.query_one(LongAnswer)
        for _ in range(10):
            await pilot.pause()
        assert len(view.query(MarkdownBlock)) == NEWEST_AT_ONCE + 1  # the newest and the tail
        assert "Paragraph 699 says" in "\n".join(screen_rows(app))
        monkeypatch.setattr(drawn_above, "TYPING_PAUSE_S", 0.0)  # the user stops typing
        await until(pilot, lambda: all_drawn(view), "every block drawn")
        assert app.screen.query_one(PromptInput).text == "a"


NEWEST = "".join(f"Point {n} of the newest answer.\n\n" for n in range(80)).rstrip()


async def test_a_switch_to_a_long_conversation_first_paints_its_end(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    """A switch is one frame: Textual's scroll to the end lands a frame after the layout, and
    the first frame showed the conversation at its top (every frame is watched)."""
    db = tmp_path / "h.db"
    older = "An older answer.\n\n" + "More of it.\n\n" * 10
    await seed(
        db,
        project,
        {"long": ["tell me", older, "and more", NEWEST], "short": ["hi", "A short answer."]},
    )
    async with app_factory([Turn(text="ok")], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await switch_to(pilot, "short")
        await settle(pilot)
        frames = watch_frames(app)
        await switch_to(pilot, "long")
        await settle(pilot)
        shown = [f for f in frames if "of the newest answer" in f]
        assert shown, "the conversation was never painted"
        assert "Point 79 of the newest answer." in shown[0], "its first frame was not its end"
        assert "Point 0 of the newest answer." not in shown[0]
