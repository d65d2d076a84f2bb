"""The prompt's history and drafts in the real app: Up and Down, the history search (Ctrl+L),
and each conversation's draft across a switch and a restart, on one real history file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.helpers.pilot import SIZE, ask, settle, until
from tests.helpers.screen import OWN_SEQUENCES, RAW_CONTROL, frame, screen_rows
from tui.demo.model_server import Turn
from tui.screens.prompt_memory import DRAFT_DELAY
from tui.storage import Store, state_keys
from tui.widgets.history_search import HistorySearchBar
from tui.widgets.prompt_input import PromptInput

ANSWER = [Turn(text="Answer.")]


def painted(app: Any, widget: type | str, inside: bool = False) -> str:
    """What one widget draws on the screen (``inside`` its border), as a terminal shows it."""
    found = app.screen.query_one(widget)
    region = found.content_region if inside else found.region
    rows = screen_rows(app)[region.y : region.bottom]
    return "\n".join(row[region.x : region.right].strip() for row in rows)


def prompt_shows(app: Any) -> str:
    """The prompt's painted text, inside its border, its rows joined by a space."""
    return " ".join(painted(app, PromptInput, inside=True).split())


async def typed(pilot: Any, text: str) -> None:
    """Type ``text`` into the focused widget key by key (a newline as Ctrl+J)."""
    keys = {" ": "space", "\n": "ctrl+j", "?": "question_mark"}
    for char in text:
        await pilot.press(keys.get(char, char))


async def drafts_written(pilot: Any) -> None:
    """Wait for the drafts' next write (within DRAFT_DELAY of a change) and its worker."""
    memory = pilot.app.screen.memory
    await until(pilot, lambda: memory.timer is None, "the draft write was due")
    await settle(pilot)


async def press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def test_up_recalls_the_projects_questions_after_a_restart_and_down_gives_the_draft_back(
    app_factory: Any,
) -> None:
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first question")
        await ask(pilot, "second question")
        await ask(pilot, "first question")  # asked again: one entry, at its newest place
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await typed(pilot, "half a thought")
        await press(pilot, "up")
        assert prompt_shows(app) == "first question"
        await press(pilot, "up")
        assert prompt_shows(app) == "second question"
        await press(pilot, "up")  # the oldest: Up stays on it
        assert prompt_shows(app) == "second question"
        await press(pilot, "down")
        assert prompt_shows(app) == "first question"
        await press(pilot, "down")
        assert prompt_shows(app) == "half a thought"
        assert app.screen.query_one(PromptInput).text == "half a thought"


async def test_arrows_move_the_cursor_inside_a_multi_line_prompt(app_factory: Any) -> None:
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "the earlier question")
        prompt = app.screen.query_one(PromptInput)
        await typed(pilot, "line one\nline two")
        await press(pilot, "up")  # on line 2: the cursor goes to line 1, the text stays
        assert prompt.text == "line one\nline two" and prompt.cursor_location[0] == 0
        await press(pilot, "down")
        assert prompt.text == "line one\nline two" and prompt.cursor_location[0] == 1
        await press(pilot, "up", "up")  # from line 1: the previous question
        assert prompt_shows(app) == "the earlier question"
        await press(pilot, "down")
        assert prompt.text == "line one\nline two"
        assert "line one" in painted(app, PromptInput) and "line two" in painted(app, PromptInput)


async def test_the_search_key_finds_older_matches_takes_one_and_esc_keeps_the_draft(
    app_factory: Any,
) -> None:
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        for question in ("parse errors", "why so slow", "parse tokens"):
            await ask(pilot, question)
        await typed(pilot, "my draft")
        await press(pilot, "ctrl+l")
        bar = app.screen.query_one(HistorySearchBar)
        assert bar.is_open and "History search" in painted(app, HistorySearchBar)
        await typed(pilot, "PARSE")
        assert "parse tokens" in painted(app, "#history-match")
        await press(pilot, "ctrl+l")  # the key again: the next older match
        assert "parse errors" in painted(app, "#history-match")
        await press(pilot, "ctrl+l")  # none older: it stays, and the bar says so
        assert "no older match" in painted(app, HistorySearchBar)
        await press(pilot, "escape")
        assert not bar.is_open and prompt_shows(app) == "my draft"
        assert app.focused is app.screen.query_one(PromptInput)

        await press(pilot, "ctrl+l")
        await typed(pilot, "slow")
        await press(pilot, "enter")
        assert not bar.is_open and prompt_shows(app) == "why so slow"
        await press(pilot, "ctrl+l")
        await pilot.click(PromptInput)  # the focus leaves the bar: it closes, nothing taken
        await pilot.pause()
        assert not bar.is_open and prompt_shows(app) == "why so slow"
        await press(pilot, "down", "down")  # as if walked to: Down leads back to the draft
        assert prompt_shows(app) == "my draft"


async def test_a_stored_question_with_markup_and_escapes_is_shown_inert(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    hostile = "\x1b]0;pwned\x07 [bold red]not markup[/] \x1b[2J"
    store = await Store.open(tmp_path / "h.db")
    await store.conversation_create(project, hostile)  # as an import from another tool could
    await store.close()
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+l")
        await typed(pilot, "markup")
        assert "␛]0;pwned^G [bold red]not markup[/] ␛[2J" in painted(app, "#history-match")
        assert_no_raw_control(app)
        await press(pilot, "escape", "up")
        # The box holds the question as stored (it is sent so); it draws no control character.
        assert app.screen.query_one(PromptInput).text == hostile
        assert prompt_shows(app) == "]0;pwned [bold red]not markup[/] [2J"
        assert_no_raw_control(app)


def assert_no_raw_control(app: Any) -> None:
    """Nothing on the screen, nor in what is written to the terminal, is a content control."""
    visible, wire = frame(app)
    assert not RAW_CONTROL.search(visible)
    assert not RAW_CONTROL.search(OWN_SEQUENCES.sub("", wire))


async def test_each_conversation_keeps_its_draft_across_a_switch_and_a_restart(
    app_factory: Any, tmp_path: Path
) -> None:
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "question of A")
        first = app.screen.conversation
        await press(pilot, "ctrl+n")
        await ask(pilot, "question of B")
        await typed(pilot, "draft for B")
        await press(pilot, "alt+down")  # to A: its own (empty) prompt
        assert app.screen.conversation.id == first.id and prompt_shows(app) == ""
        await typed(pilot, "draft for A")
        await press(pilot, "alt+up")
        await settle(pilot)
        assert prompt_shows(app) == "draft for B"
        await press(pilot, "ctrl+n")
        await settle(pilot)
        await typed(pilot, "an idea for a new chat")
        await press(pilot, "alt+down")
        await settle(pilot)
        await typed(pilot, " and more")  # quitting at once: written before the store closes
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.conversation.title == "question of B"
        assert prompt_shows(app) == "draft for B and more"
        await press(pilot, "alt+down")
        await settle(pilot)
        assert prompt_shows(app) == "draft for A"
        await press(pilot, "ctrl+n")
        await settle(pilot)
        assert prompt_shows(app) == "an idea for a new chat"
        for _ in range(2):  # the new chat's next is the newest (B), then A
            await press(pilot, "alt+down")
            await settle(pilot)
        assert prompt_shows(app) == "draft for A"
        await press(pilot, "enter")  # A's draft sent: it is a question now, no draft left
        await settle(pilot)
        key = state_keys.draft(app.settings.project, first.id)
        await until(pilot, lambda: prompt_shows(app) == "", "the prompt emptied")
        await drafts_written(pilot)
        assert await app.store.state_get(key) is None
        assert await app.store.state_get(state_keys.draft(app.settings.project, None)) == (
            "an idea for a new chat"
        )


async def test_the_search_is_in_the_palette_and_the_help_and_its_key_rebinds(
    app_factory: Any, isolated: Path
) -> None:
    config = isolated / "config" / "assistant-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[keys]\nhistory_search = "f10"\n')
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "older question")
        await ask(pilot, "newer question")
        await press(pilot, "f10")  # the rebound key opens it, and again goes one older
        assert "newer question" in painted(app, "#history-match")
        await press(pilot, "f10")
        assert "older question" in painted(app, "#history-match")
        await press(pilot, "escape", "ctrl+p")
        await typed(pilot, "History search")
        await press(pilot, "enter")
        await settle(pilot)
        bar = app.screen.query_one(HistorySearchBar)
        assert bar.is_open and app.focused is app.screen.query_one("#history-query")
        await press(pilot, "escape", "f1")
        await settle(pilot)
        seen = ""
        for _ in range(4):  # the help scrolls: read it a page at a time
            seen += "\n".join(frame(app)[0].splitlines())
            await press(pilot, "pagedown")
        assert "In history search (Ctrl+L)" in seen and "Older match" in seen
        assert "Earlier question" in seen


async def test_a_draft_is_written_at_most_once_a_second_while_typing(app_factory: Any) -> None:
    async with app_factory(ANSWER) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store, writes = app.store, []
        real = store.state_set

        async def counted(key: str, value: str) -> None:  # the real write, counted
            await real(key, value)
            if key.startswith("draft:"):
                writes.append(value)

        store.state_set = counted
        text = "a draft typed key by key, forty-odd keys"
        started = time.monotonic()
        await typed(pilot, text)
        took = time.monotonic() - started
        key = state_keys.draft(app.settings.project, None)
        await until(pilot, lambda: writes and writes[-1] == text, "the draft was written")
        assert await store.state_get(key) == text
        assert len(writes) <= took / DRAFT_DELAY + 2, (len(writes), took)
        assert len(writes) < len(text) / 4
