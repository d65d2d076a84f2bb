"""Pilot tests of the whole app: type, see the answer stream in, tools, keys, errors, reopen."""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette

from tests.helpers.pilot import SIZE, ask, key_now, send, settle, until, until_held
from tests.helpers.processes import children_of
from tests.helpers.screen import (
    answer_texts,
    answers,
    drawn_rows,
    in_sight,
    one_piece,
    screen_rows,
    toasts_show,
    watch_frames,
)
from tui.agent.events import TurnFinished
from tui.demo.model_server import ToolCall, Turn
from tui.models import MessageStatus, Role, ToolStatus
from tui.paging import OLDER_PAGE, PAGE
from tui.widgets import prompt_input
from tui.widgets.chat_pane import NEWEST_AT_ONCE, PIECE, AnswerView, ChatPane
from tui.widgets.conversation_list import ConversationList
from tui.widgets.markdown_block import MarkdownBlock
from tui.widgets.prompt_input import PromptInput
from tui.widgets.tool_log import ToolLog


async def test_send_see_streamed_answer_and_tool_rows(app_factory: Any, project: Path) -> None:
    turns = [
        Turn(
            match="what is in app",
            tools=[ToolCall("Read", {"file_path": "app.py"}), ToolCall("Bash", {"command": "ls"})],
        ),
        Turn(match="return 42", text="`main` returns **42**.\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
    ]
    async with app_factory(turns) as (app, _server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "what is in app")
        shown = answers(app)
        assert len(shown) == 1 and shown[0].text.startswith("`main` returns **42**.")
        tools = app.screen.query_one(ToolLog)
        assert [r.status for r in tools.rows.values()] == [ToolStatus.OK, ToolStatus.DENIED]
        assert tools.row_count == 2
        tools.focus()
        tools.highlighted = 1
        await pilot.press("enter")
        assert tools.rows[list(tools.rows)[1]].expanded
        sidebar = app.screen.query_one(ConversationList)
        assert [c.title for c in sidebar.conversations] == ["what is in app"]
        stored = await app.store.message_page(sidebar.conversations[0].id)
        assert stored[-1].status is MessageStatus.COMPLETE
    assert children_of(os.getpid()) == set()


async def test_error_is_shown_and_retry_works(app_factory: Any) -> None:
    turns = [Turn(match="hello", status=529, times=2), Turn(match="hello", text="Hi!")]
    async with app_factory(turns) as (app, _server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "hello")
        prompt = app.screen.query_one(PromptInput)
        assert prompt.text == ""  # the question is shown and stored: Ctrl+R asks it again
        assert answers(app)[0].border_subtitle == "error"
        await pilot.press("ctrl+r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert answers(app)[-1].text == "Hi!"


async def test_new_switch_rename_delete_undo_and_reopen(app_factory: Any) -> None:
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first question")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await ask(pilot, "second question")
        sidebar = app.screen.query_one(ConversationList)
        assert [c.title for c in sidebar.conversations] == ["second question", "first question"]
        await pilot.press("alt+down")
        await pilot.pause()
        assert app.screen.conversation.title == "first question"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+u")
        for char in "renamed":
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
        assert sidebar.conversations[-1].title == "renamed"
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [c.title for c in sidebar.conversations] == ["second question"]
        await pilot.press("f9")
        await pilot.pause()
        assert len(sidebar.conversations) == 2
        reopened = app.screen.conversation.id
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.conversation.id == reopened
        assert answers(app)[0].text == "Answer."


async def test_escape_cancels_and_keeps_the_partial_answer(app_factory: Any) -> None:
    turns = [Turn(match="long", text="word " * 3000, pace=0.004)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.click(PromptInput)
        for char in "long":
            await pilot.press(char)
        await pilot.press("enter")
        while not answers(app) or len(answers(app)[0].text) < 200:
            await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = answers(app)[0]
        assert view.border_subtitle == "interrupted"
        conv = app.screen.conversation
        stored = await app.store.message_page(conv.id)
        assert stored[1].status is MessageStatus.INTERRUPTED
        assert 200 <= len(stored[1].content) < len("word " * 3000)
        assert stored[1].content == view.text


async def test_filter_box_narrows_the_sidebar(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        for question in ("alpha topic", "beta topic"):
            await pilot.press("ctrl+n")
            await ask(pilot, question)
        sidebar = app.screen.query_one(ConversationList)
        sidebar.focus()
        await pilot.press("slash")
        for char in "alp":
            await pilot.press(char)
        await pilot.pause()
        assert [c.title for c in sidebar.conversations] == ["alpha topic"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(sidebar.conversations) == 2


async def test_help_lists_the_keys(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        shown = app.export_screenshot().replace("&#160;", " ")
        for action in ("New", "Next chat", "Cancel answer", "Rename", "Delete", "Retry"):
            assert action in shown
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_answer_goes_on_in_the_background_when_switching(app_factory: Any) -> None:
    turns = [Turn(match="slow", text="part " * 400, pace=0.003), Turn(text="quick")]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.click(PromptInput)
        for char in "slow":
            await pilot.press(char)
        await pilot.press("enter")
        while not answers(app) or not answers(app)[0].text:
            await pilot.pause()
        sidebar = app.screen.query_one(ConversationList)
        assert sidebar.answering  # the ● marker is on the answering conversation
        await pilot.press("alt+down")  # switch to "first" while "slow" keeps answering
        await until(
            pilot,
            lambda: (
                app.screen.conversation is not None and app.screen.conversation.title == "first"
            ),
            "the switch to the first conversation",
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        slow = next(c for c in sidebar.conversations if c.title == "slow")
        stored = await app.store.message_page(slow.id)
        assert stored[1].content == "part " * 400
        assert stored[1].status is MessageStatus.COMPLETE
        await pilot.press("alt+up")
        await until(
            pilot,
            lambda: bool(answers(app)) and answers(app)[0].text == "part " * 400,
            "the finished answer shown on switching back",
        )


def painted_end(app: Any) -> bool:
    """The long answer's last line is on screen. Its text is in the chat once the turn's
    workers are done; the frame that paints it (the chat following its end) can come a
    moment later on a loaded machine."""
    return "line 299 of the long answer" in "\n".join(screen_rows(app))


async def held_in_the_other(pilot: Any, held: int) -> None:
    """A conversation "first" on screen, while "long one" has streamed ``held`` characters
    of its answer and holds (the scripted server waits for ``release``)."""
    app = pilot.app
    await ask(pilot, "first")
    await pilot.press("ctrl+n")
    await settle(pilot)
    app.screen.query_one(PromptInput).load_text("long one")
    await pilot.press("enter")
    await until(pilot, lambda: len("".join(answer_texts(app))) >= held, "the answer held")
    await pilot.press("alt+down")
    await until(pilot, lambda: answer_texts(app) == ["quick"], "the switch to the first")


async def test_a_switch_back_mid_answer_shows_it_from_its_first_word(app_factory: Any) -> None:
    answer = "".join(f"line {n} of the long answer\n\n" for n in range(300))
    turns = [Turn(match="long", text=answer, hold_after=300), Turn(text="quick")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await held_in_the_other(pilot, 300)
        await pilot.press("alt+up")
        await until(pilot, lambda: answer_texts(app) == [answer[:300]], "what streamed so far")
        assert "line 0 of the long answer" in "\n".join(screen_rows(app))
        server.release()
        await settle(pilot)
        assert answer_texts(app) == [answer]
        await until(pilot, lambda: painted_end(app), "the answer's end painted")
        assert "streaming" not in "\n".join(screen_rows(app))


async def test_a_switch_into_a_streaming_answer_first_paints_its_newest_text(
    app_factory: Any,
) -> None:
    """A switch is one frame: the view drew what had streamed only with its next refresh, so
    the first frame of a switch showed the answer empty (every frame is watched)."""
    answer = "".join(f"line {n} of the long answer\n\n" for n in range(300))
    held = 3000
    turns = [Turn(match="long", text=answer, hold_after=held), Turn(text="quick")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await held_in_the_other(pilot, held)
        streamed = "".join(answer_texts(app) or [""])
        frames = watch_frames(app)
        await pilot.press("alt+up")
        await until(pilot, lambda: any("quick" not in f for f in frames), "the switch painted")
        newest = answer[:held].rstrip().rsplit("\n", 1)[-1]
        switched = next(f for f in frames if "quick" not in f)  # the other's answer is gone
        assert newest in switched, f"its first frame lacked {newest!r} ({len(streamed)} shown)"
        server.release()
        await settle(pilot)


async def test_a_streaming_answer_at_the_chat_s_end_is_at_its_end_in_every_frame(
    app_factory: Any,
) -> None:
    """Each redraw of the streaming answer lands at the chat's end in the frame that shows
    it: the view used to move down a frame later, so one frame in two showed the new lines
    pushed below it (and a second layout cost a frame more)."""
    answer = "".join(f"line {n} of the long answer\n\n" for n in range(400))
    numbered = re.compile(r"line (\d+) of the long answer")
    turns = [Turn(match="long", text=answer, chunk=8, pace=0.004)]
    async with app_factory(turns) as (app, _server), app.run_test(size=SIZE) as pilot:
        chat = app.screen.query_one(ChatPane)
        late: list[tuple[int, int]] = []  # (newest line drawn, newest line painted)
        display = app._display

        def painted(*args: Any) -> None:
            display(*args)
            blocks = chat.answer.query(MarkdownBlock) if chat.answer else []
            drawn = [int(n) for b in blocks for n in numbered.findall(b.markdown)]
            shown = [int(n) for n in numbered.findall("\n".join(screen_rows(app)))]
            if drawn and shown and chat.virtual_size.height > chat.size.height:
                late.append((max(drawn), max(shown)))

        app._display = painted
        await send(pilot, "long answer please")
        await until(pilot, lambda: bool(late) and late[-1][0] >= 200, "half the answer drawn")
        assert all(newest == seen for newest, seen in late), [f for f in late if f[0] != f[1]]
        await settle(pilot)


async def test_a_long_answer_reopened_mid_stream_shows_its_newest_text_first_then_all(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened 60 KB into an answer, the view draws the newest blocks at once and the older
    ones after, above them, one per frame; drawn whole, it renders as the text in one piece."""
    answer = "".join(
        f"Paragraph {n} says *something* at length, {'word ' * 20}\n\n" for n in range(900)
    )
    held = 60_000
    turns = [Turn(match="long", text=answer, chunk=200, hold_after=held), Turn(text="quick")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await held_in_the_other(pilot, held)
        at_open: list[str] = []  # the text of each block drawn when the switch was done
        real_open = app.screen.open_conversation

        async def opened(*args: Any, **kwargs: Any) -> None:
            await real_open(*args, **kwargs)
            at_open.extend(b.markdown for b in answers(app)[-1].query(MarkdownBlock))

        monkeypatch.setattr(app.screen, "open_conversation", opened)
        await pilot.press("alt+up")
        await until(pilot, lambda: bool(at_open), "the switch back")
        view = answers(app)[-1]
        assert len("".join(at_open)) <= (NEWEST_AT_ONCE + 1) * PIECE, "drew the older text first"
        newest = answer[:held].rstrip().rsplit("\n", 1)[-1][:30]
        assert newest in at_open[-1] or newest in at_open[-2]
        server.release()  # the rest streams in while the older blocks are still being drawn
        await settle(pilot)
        assert answer_texts(app) == [answer]
        await until(
            pilot,
            lambda: "".join(b.markdown for b in view.query(MarkdownBlock)) == answer,
            "every block drawn, in order",
        )
        drawn = [b.markdown for b in view.query(MarkdownBlock)]
        assert len(drawn) >= len(answer) // PIECE and drawn == view.segments()
        assert rendered(drawn) == rendered([answer])
        last = answer.rstrip().rsplit("\n", 1)[-1].split("*")[0]  # drawn without the marks
        await until(pilot, lambda: last in "\n".join(screen_rows(app)), "the view at its end")
        chat = app.screen.query_one(ChatPane)
        chat.scroll_home(animate=False)
        await pilot.pause()
        assert "Paragraph 0 says" in "\n".join(screen_rows(app))


async def test_a_retry_reopened_mid_answer_keeps_the_failed_answer_above_it(
    app_factory: Any,
) -> None:
    answer = "".join(f"line {n} of the retried answer\n\n" for n in range(100))
    turns = [
        Turn(match="hello", status=529, times=2),
        Turn(match="hello", text=answer, hold_after=200),
        Turn(text="quick"),
    ]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        await pilot.press("ctrl+n")
        await ask(pilot, "hello")
        assert [a.border_subtitle for a in answers(app)] == ["error"]
        await pilot.press("ctrl+r")
        await until(pilot, lambda: answer_texts(app)[-1] == answer[:200], "the retry held")
        await pilot.press("alt+down")
        await until(pilot, lambda: answer_texts(app) == ["quick"], "the switch to the first")
        await pilot.press("alt+up")
        await until(pilot, lambda: len(answers(app)) == 2, "the reopened retry")
        assert answers(app)[0].has_class("-error")  # the answer that failed stays shown
        await until(pilot, lambda: answer_texts(app)[1] == answer[:200], "what streamed so far")
        server.release()
        await settle(pilot)
        assert answer_texts(app)[1] == answer
        assert str(answers(app)[1].border_subtitle) == ""


async def test_a_switch_in_while_the_answer_ends_shows_it_whole_and_finished(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer ends while the history of its conversation is being read for a switch in:
    the chat must show it once, whole, and finished (not cut at the read, nor "streaming")."""
    answer = "".join(f"line {n} of the long answer\n\n" for n in range(300))
    turns = [Turn(match="long", text=answer, hold_after=300), Turn(text="quick")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await held_in_the_other(pilot, 300)
        read, go_on, ended = asyncio.Event(), asyncio.Event(), asyncio.Event()
        real_page, real_event = app.store.message_page, app.screen.turn_event

        async def slow_page(*args: Any, **kwargs: Any) -> Any:
            found = await real_page(*args, **kwargs)
            read.set()
            await go_on.wait()  # the read is done; the switch goes on only when told
            return found

        waiting = 0  # events handed to the screen and not handled yet

        async def watched(turn: Any, event: Any) -> None:
            nonlocal waiting
            if isinstance(event, TurnFinished):
                ended.set()
            waiting += 1
            try:
                await real_event(turn, event)
            finally:
                waiting -= 1

        monkeypatch.setattr(app.store, "message_page", slow_page)
        monkeypatch.setattr(app.screen, "turn_event", watched)
        key_now(app, "alt+up")
        await until_held(read.is_set, "the history read for the switch")
        server.release()
        # The rest of the answer reaches the screen: its end handled during the switch (the
        # defect), or its next event waiting for the switch to be done (as it must).
        await until_held(lambda: ended.is_set() or waiting, "the answer's end reached the app")
        go_on.set()
        await settle(pilot)
        assert app.screen.conversation.title == "long one"
        assert answer_texts(app) == [answer]
        await until(pilot, lambda: painted_end(app), "the answer's end painted")
        assert "streaming" not in "\n".join(screen_rows(app))
        stored = await real_page(app.screen.conversation.id)
        assert stored[-1].status is MessageStatus.COMPLETE
        assert stored[-1].content == answer


async def test_long_conversation_loads_older_pages_on_scroll_up(
    app_factory: Any, project: Path
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        conv, _first = await app.store.conversation_create(project, "message 0")
        for i in range(1, 130):
            await app.store.message_add(
                conv.id, Role.USER if i % 2 == 0 else Role.ASSISTANT, f"message {i}"
            )
        await app.screen.open_conversation(await app.store.conversation_get(conv.id))
        await pilot.pause()
        chat = app.screen.query_one(ChatPane)
        assert len(chat.children) == PAGE
        assert "message 129" in answers(app)[-1].text
        for expected in [*range(PAGE + OLDER_PAGE, 130, OLDER_PAGE), 130]:
            deadline = time.monotonic() + 10
            while chat.scroll_y < 1:  # the view is re-anchored after a page is added
                assert time.monotonic() < deadline, "the view was not re-anchored"
                await pilot.pause()
            chat.scroll_home(animate=False)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(chat.children) == expected
        first = chat.children[0]
        assert "message 0" in str(first.render())


def write_config(isolated: Path, text: str) -> None:
    """The user's config.toml in the isolated config directory."""
    config = isolated / "config" / "assistant-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(text)


async def test_the_prompt_cursor_stops_blinking_when_idle_and_stays_drawn(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blinking cursor redraws the prompt twice a second for as long as the app is open;
    after a quiet while it stays lit instead, and a key makes it blink again."""
    monkeypatch.setattr(prompt_input, "BLINK_FOR_S", 0.3)
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        prompt = app.screen.query_one(PromptInput)
        assert prompt.has_focus and prompt.cursor_blink
        await until(pilot, lambda: not prompt.cursor_blink, "the cursor stopped blinking")
        assert prompt.blink_timer._active.is_set() is False  # no more redraws while idle
        assert prompt._cursor_visible, "the steady cursor is not drawn"
        await pilot.press("a")
        assert prompt.cursor_blink and prompt.text == "a"
        await until(pilot, lambda: not prompt.cursor_blink, "it stopped again after the key")


async def test_theme_is_remembered_and_keys_rebind_from_config(
    app_factory: Any, isolated: Path
) -> None:
    write_config(isolated, '[keys]\nnew = "f10"\n')
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        app.theme = "nord"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("f10")  # the rebound "new conversation"
        await pilot.pause()
        assert app.screen.conversation is None
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.theme == "nord"


async def test_the_stall_notice_names_the_keys_bound_now(app_factory: Any, isolated: Path) -> None:
    """Issue 18: the notice of a silent model said "press Esc" whatever the keymap bound to
    cancel; it names the keys bound now, and the named key stops the answer."""
    write_config(isolated, '[keys]\ncancel = "f10"\nretry = "f11"\n')
    turns = [Turn(match="story", text="Once upon a time " * 20, stall_after=40)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE, notifications=True) as pilot:
        app.settings.stall_notice_s = 0.2
        await send(pilot, "tell a story")
        told = "press f10 to stop waiting, then press f11 (or type /retry) to retry."
        await until(pilot, lambda: toasts_show(app, told), "the notice drawn, naming f10 and f11")
        assert "Esc" not in next(n.message for n in app._notifications if told in n.message)
        await pilot.press("f10")
        conversation = app.screen.conversation
        await until(pilot, lambda: app.screen.in_flight.of(conversation.id) is None, "stopped")
        stored = await app.store.message_page(conversation.id)
        assert stored[-1].status is MessageStatus.INTERRUPTED


async def test_broken_config_is_one_warning(app_factory: Any, isolated: Path) -> None:
    write_config(isolated, "theme = [broken\n")
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("could not be read" in n and "using the defaults" in n for n in notes)


async def test_unknown_action_names_in_config_are_one_warning(
    app_factory: Any, isolated: Path
) -> None:
    """Issue 15: a misspelt action in [keys] was ignored without a word."""
    write_config(isolated, '[keys]\nnew = "f10"\nnwe = "f11"\nchat_cursor = "f12"\n')
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = [n.message for n in app._notifications if "in [keys]" in n.message]
        assert len(warnings) == 1, warnings
        assert "no action is named nwe in [keys], so it was ignored" in warnings[0]
        assert "chat_cursor" in warnings[0].split("the names are")[1]


async def test_narrow_terminal_hides_side_panels(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#sidebar").has_class("-hidden")
        assert not in_sight(app, app.screen.query_one(ToolLog))  # not painted
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not app.screen.query_one("#sidebar").has_class("-hidden")


async def test_command_palette_runs_screen_actions(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        assert app.screen.conversation is not None
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Sidebar":
            await pilot.press(char)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#sidebar").has_class("-hidden")


async def test_pin_inert_text_and_tool_log_restored_on_reopen(app_factory: Any) -> None:
    hostile = "Title\x1b]0;pwned\x07 and \x1b]52;c;ZXZpbA==\x07 done"
    turns = [
        Turn(match="look", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text=hostile),
        Turn(text="plain"),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "look at app.py")
        await pilot.press("ctrl+n")
        await ask(pilot, "second")
        sidebar = app.screen.query_one(ConversationList)
        sidebar.focus()
        sidebar.highlighted = 1  # "look at app.py"
        await pilot.press("p")
        await pilot.pause()
        assert [(c.title, c.pinned) for c in sidebar.conversations] == [
            ("look at app.py", True),
            ("second", False),
        ]
        await pilot.press("up", "enter")  # the highlight stays on the open conversation
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen.conversation.title == "look at app.py"
        screen = app.export_screenshot()
        assert "\x1b" not in screen
        assert "␛]52;c;ZXZpbA==^G" in screen.replace("&#160;", " ")
        first_id = app.screen.conversation.id
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.conversation.id == first_id
        rows = list(app.screen.query_one(ToolLog).rows.values())
        assert [(r.name, r.status) for r in rows] == [("Read", ToolStatus.OK)]


async def test_copy_a_chosen_code_block_and_focus_order(app_factory: Any) -> None:
    text = "First:\n```python\nfirst = 1\n```\nSecond:\n```sh\necho second\n```\n"
    async with app_factory([Turn(text=text)]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "code please")
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("down", "enter")  # newest first: the second entry is `first = 1`
        await pilot.pause()
        assert app.clipboard == "first = 1"
        app.screen.query_one(ConversationList).focus()
        await pilot.pause()
        order = []
        for _ in range(4):
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["conversations", "chat", "tools", "prompt"]


async def test_title_line_shows_the_session_and_opens_the_palette(
    app_factory: Any, project: Path
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "hello")
        top = screen_rows(app)[0].strip()
        assert top == f"assistant-tui · {project.name} — {project} · scripted · ready"
        await pilot.click("#title")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette opened")


async def test_all_projects_toggle_and_conversation_cost(app_factory: Any, tmp_path: Path) -> None:
    other = tmp_path / "other-project"
    other.mkdir()
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "here")
        status = str(app.screen.query_one("#status").render())
        assert "last turn:" in status and "conversation: $" in status
        elsewhere, _m = await app.store.conversation_create(other, "from elsewhere")
        await app.screen.reload_sidebar()
        sidebar = app.screen.query_one(ConversationList)
        assert [c.title for c in sidebar.conversations] == ["here"]
        await pilot.press("f3")
        await pilot.pause()
        assert {c.title for c in sidebar.conversations} == {"here", "from elsewhere"}
        await app.screen.open_conversation(elsewhere)
        await pilot.click(PromptInput)
        for char in "more":
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert len(await app.store.message_page(elsewhere.id)) == 1  # nothing sent from here
        notes = [n.message for n in app._notifications]
        assert any("belongs to" in n and str(other) in n for n in notes)


async def test_dropped_stream_restarts_the_shown_answer(app_factory: Any) -> None:
    turns = [
        Turn(match="story", text="first attempt " * 20, drop_after=60, times=1),
        Turn(match="story", text="The complete story."),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "tell the story")
        shown = answers(app)
        assert len(shown) == 1 and shown[0].text == "The complete story."
        assert shown[0].border_subtitle == ""


async def test_f_keys_work_while_typing_and_pin_toggles_each_time(app_factory: Any) -> None:
    """The prompt's TextArea binds F6/F7 itself; the screen's F-keys must win while typing."""
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "one")
        await pilot.press("a", "slash", "b")
        assert app.screen.query_one(PromptInput).text == "a/b"  # "/" opens no filter here
        for expected in (True, False, True):
            await pilot.press("f7")
            await pilot.pause()
            stored = await app.store.conversation_get(app.screen.conversation.id)
            assert stored.pinned is expected


async def test_sidebar_lists_a_page_and_loads_more_near_the_end(
    app_factory: Any, project: Path
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        for i in range(450):
            await app.store.conversation_create(project, f"conversation {i:03d}")
        await app.screen.reload_sidebar()
        sidebar = app.screen.query_one(ConversationList)
        assert len(sidebar.conversations) == 200 and sidebar.more
        sidebar.focus()
        for expected in (400, 450):
            await pilot.press("end")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(sidebar.conversations) == expected
        assert not sidebar.more
        titles = [c.title for c in sidebar.conversations]
        assert titles == [f"conversation {i:03d}" for i in reversed(range(450))]
        await app.screen.reload_sidebar()  # e.g. after a new answer: the pages seen stay listed
        assert len(sidebar.conversations) == 450


def rendered(parts: list[str]) -> str:
    """Plain text of Markdown parts rendered one after another, blank lines dropped."""
    return "\n".join(line for part in parts for line in one_piece(part, 100) if line.strip())


async def test_long_answer_streams_in_frozen_segments_that_render_like_one(
    app_factory: Any,
) -> None:
    block = (
        "## Step {n}\n\nSome **bold** text and `code` that wraps across the pane width, "
        "more words here.\n\n```python\ndef f(x):\n\n    return x  # a blank line inside\n```\n\n"
        "- item one\n- item two\n\n"
    )
    text = "".join(block.format(n=n) for n in range(60))  # ~9 KB
    turns = [Turn(match="long", text=text, chunk=7, pace=0.001)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "a long answer")
        view = list(app.screen.query_one(ChatPane).query(AnswerView))[-1]
        segments = view.segments()
        assert view.text == text and "".join(segments) == text
        assert len(segments) >= 2, "the settled part should have been frozen as it streamed"
        assert all(s.count("```") % 2 == 0 for s in segments), "a segment split a code block"
        assert rendered(segments) == rendered([text])
        await pilot.pause()
        assert drawn_rows(view) == one_piece(text, view.content_size.width)  # blank lines too


async def test_key_bar_follows_focus_and_a_click_presses_the_key(app_factory: Any) -> None:
    from tui.screens.dialogs import HelpScreen
    from tui.widgets.key_bar import KeyBar

    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        bar = app.screen.query_one(KeyBar)
        hints = bar.hints().plain
        assert "New" in hints and "Help" in hints and "Expand" not in hints
        app.screen.query_one(ToolLog).focus()
        await pilot.pause()
        assert "Expand" in bar.hints().plain
        assert "Expand" in str(bar.render())
        await pilot.click(KeyBar, offset=(bar.hints().plain.index("Help"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_help_scrolls_to_its_last_key_on_a_small_terminal(app_factory: Any) -> None:
    from textual.containers import VerticalScroll

    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f1")
        await pilot.pause()
        keys = app.screen.query_one("#help-keys", VerticalScroll)
        assert keys.max_scroll_y > 0  # more keys than rows
        await pilot.press("end")
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y
        # the last key of the last group (the code viewer's)
        assert "Copy lines" in "\n".join(screen_rows(app))


def tool_log_rows(app: Any) -> list[str]:
    """The tool log's painted rows, read from the screen within the log's region."""
    region = app.screen.query_one(ToolLog).content_region
    rows = screen_rows(app)[region.y : region.bottom]
    return [row[region.x : region.right].strip() for row in rows]


async def test_the_tool_log_shows_the_opened_conversations_calls(app_factory: Any) -> None:
    """Issue 15 D1: after a switch the log drew the other conversation's rows."""
    turns = [
        Turn(match="progress", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text="Progress."),
        Turn(match="hello", tools=[ToolCall("Read", {"file_path": "README.md"})]),
        Turn(match="tiny project", text="Hi."),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "what's the progress?")
        await pilot.press("ctrl+n")
        await ask(pilot, "hello")
        for key, question, shown, gone in [
            ("alt+down", "what's the progress?", "app.py", "README.md"),
            ("alt+up", "hello", "README.md", "app.py"),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert any(question in row for row in screen_rows(app))
            painted = " ".join(tool_log_rows(app))
            assert f"Reading file: {shown}" in painted and gone not in painted, painted


def chat_rows(app: Any) -> list[str]:
    """The chat pane's painted rows, read from the screen within the pane's region."""
    region = app.screen.query_one(ChatPane).content_region
    rows = screen_rows(app)[region.y : region.bottom]
    return [row[region.x : region.right].strip() for row in rows]


async def test_a_retried_question_is_sent_shown_and_stored_once(app_factory: Any) -> None:
    """Issue 15 D11: after a failure, Ctrl+R showed the question twice and sent it twice."""
    question = "hello there"
    turns = [Turn(match="hello", status=529, times=2), Turn(match="hello", text="Hi!")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, question)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert answers(app)[-1].text == "Hi!"

        assert sum(question in row for row in chat_rows(app)) == 1, chat_rows(app)
        sent = server.message_requests[-1].last_user_text()
        assert sent.count(question) == 1, sent
        stored = await app.store.message_page(app.screen.conversation.id)
        assert [m.content for m in stored if m.role is Role.USER] == [question]
        assert stored[-1].content == "Hi!" and stored[-1].status is MessageStatus.COMPLETE


async def test_ctrl_r_after_esc_asks_the_cancelled_question_again(app_factory: Any) -> None:
    """Issue 15 D7: Ctrl+R after Esc did nothing and said nothing."""
    question = "a long one"
    turns = [
        Turn(match="long", text="word " * 50, hold_after=20, times=1),
        Turn(match="long", text="Done at last."),
    ]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.click(PromptInput)
        for char in question:
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")
        await until(pilot, lambda: bool(answers(app)) and bool(answers(app)[0].text), "streaming")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        painted = chat_rows(app)
        assert any("Done at last." in row for row in painted), painted
        assert sum(question in row for row in painted) == 1, painted
        assert server.message_requests[-1].last_user_text().count(question) == 1
        stored = await app.store.message_page(app.screen.conversation.id)
        assert [(m.role, m.status) for m in stored] == [
            (Role.USER, MessageStatus.COMPLETE),
            (Role.ASSISTANT, MessageStatus.INTERRUPTED),
            (Role.ASSISTANT, MessageStatus.COMPLETE),
        ]
        await pilot.press("ctrl+r")  # answered now: nothing to ask again, and it says so
        await settle(pilot)  # (run_test paints no toasts: read the notification)
        assert [n.message for n in app._notifications][-1].startswith("Nothing to retry")


async def test_a_failed_answer_says_why_once(app_factory: Any) -> None:
    """Issue 15: the error was drawn twice, on the answer's border (cut short) and below it."""
    turns = [Turn(match="hello", status=529, times=2)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "hello")
        painted = chat_rows(app)
        assert sum("The API is overloaded (529)" in row for row in painted) == 1, painted
        assert any(row.startswith("⚠ The API is overloaded (529)") for row in painted)


async def test_the_palette_entry_the_readme_names_for_themes_is_there(app_factory: Any) -> None:
    """Issue 15: the README said "Change theme", the palette (Textual's own entry) "Theme"."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    found = re.search(r'command palette \((?:Ctrl\+P, )?"([^"]+)"\)', readme)
    assert found, "the README no longer names the palette entry for themes"
    name = found.group(1)
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        for char in name:
            await pilot.press(char if char != " " else "space")
        await settle(pilot)
        titles = [row.strip(" ▊▎▌│┃").strip() for row in screen_rows(app)]
        assert any(title == name for title in titles), [t for t in titles if t]


async def test_enter_after_filtering_lands_on_the_first_match(app_factory: Any) -> None:
    """Issue 15: Enter in the filter moved to a list with nothing highlighted."""
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        for question in ("alpha topic", "beta topic"):
            await pilot.press("ctrl+n")
            await ask(pilot, question)
        await pilot.press("ctrl+f")  # "beta topic" is open: it is filtered out
        for char in "alp":
            await pilot.press(char)
        await pilot.press("enter")  # to the list, on its first match
        await pilot.press("enter")  # opens it
        await settle(pilot)
        assert any("alpha topic" in row for row in chat_rows(app)), chat_rows(app)
        assert not any("beta topic" in row for row in chat_rows(app))


def sidebar_rows(app: Any) -> list[str]:
    """The sidebar's painted rows, read from the screen within its region."""
    region = app.screen.query_one(ConversationList).content_region
    rows = screen_rows(app)[region.y : region.bottom]
    return [row[region.x : region.right].strip() for row in rows]


async def test_first_launch_panes_say_what_will_appear_and_counts_read_as_words(
    app_factory: Any,
) -> None:
    """Issue 15: the sidebar and the tool log were blank on first launch; '1 msgs'."""
    turns = [
        Turn(match="look", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text="It returns 42."),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar, log = " ".join(sidebar_rows(app)), " ".join(tool_log_rows(app))
        assert "Conversations" in sidebar and "Type a question below and press Enter" in sidebar
        assert "Tool calls" in log and "press Enter" in log
        await ask(pilot, "look at app.py")
        sidebar, log = " ".join(sidebar_rows(app)), " ".join(tool_log_rows(app))
        assert "2 messages" in sidebar and "No conversations" not in sidebar
        assert "Reading file: app.py" in log and "No tool calls" not in log
        await pilot.press("ctrl+f")
        for char in "zzz":
            await pilot.press(char)
        await settle(pilot)
        assert "No title matches the filter" in " ".join(sidebar_rows(app))
