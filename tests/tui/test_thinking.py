"""The model's thinking in the app, through the real SDK, CLI and scripted server: folded above
the answer while it streams and after, unfolded by the block cursor, stored, shown again when
the conversation is reopened, and exported folded in <details>."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.helpers.pilot import SIZE, ask, settle, until
from tests.helpers.screen import screen_rows
from tui.demo.model_server import Turn
from tui.export import render
from tui.text import thinking_summary
from tui.widgets.chat_pane import ChatPane
from tui.widgets.thinking_view import ThinkingView

# Rich markup and an escape sequence in the thinking: shown as typed, never acted on.
FIRST = "Reading [bold red]main[/bold red] in app.py \x1b]0;pwned\x07 first."
THOUGHT = FIRST + "\n" + "It returns forty-two, so the answer is short. " * 6
ANSWER = "`main` returns **42**."
TURNS = [Turn(match="main", thinking=THOUGHT, text=ANSWER, chunk=6, pace=0.005)]


def rows_with(app: Any, text: str) -> list[str]:
    return [row for row in screen_rows(app) if text in row]


FOLDED = re.compile(r"▸ Thinking · [\d,]+ chars · [\d.]+ s")
LIVE = re.compile(r"▸ Thinking… · [\d,]+ chars")


def folded_line(app: Any) -> str:
    """The one folded thinking line painted (sidebar and tool log cut off)."""
    found = [m.group() for row in screen_rows(app) if (m := FOLDED.search(row))]
    assert len(found) == 1, screen_rows(app)
    return found[0]


async def test_thinking_folded_unfolded_stored_reopened_exported(
    app_factory: Any, tmp_path: Path
) -> None:
    db = tmp_path / "thinking.db"
    async with app_factory(TURNS, db) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "what does main do?")
        line = folded_line(app)
        assert line.startswith(f"▸ Thinking · {len(THOUGHT):,} chars · ")
        assert not rows_with(app, "forty-two")  # folded: the thinking itself is not drawn
        assert rows_with(app, "main returns 42.")
        rows = screen_rows(app)
        assert rows.index(rows_with(app, "▸ Thinking")[0]) < rows.index(
            rows_with(app, "main returns 42.")[0]
        )
        await pilot.press("ctrl+o", "up")  # the cursor from the answer up to its thinking
        await pilot.pause()
        chat = app.screen.query_one(ChatPane)
        stop = chat.current()
        assert stop is not None and isinstance(stop.message, ThinkingView)
        await pilot.press("enter")
        await pilot.pause()
        assert rows_with(app, "▾ Thinking · ")
        assert rows_with(app, "Reading [bold red]main[/bold red] in app.py ␛]0;pwned^G")
        assert rows_with(app, "It returns forty-two")
        await pilot.press("enter")
        await pilot.pause()
        assert not rows_with(app, "forty-two") and folded_line(app) == line
        await pilot.press("c")  # copying the block copies the thinking
        assert app.clipboard == THOUGHT
        conversation_id = app.screen.conversation.id
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "SELECT content, thinking, thinking_ms FROM messages WHERE role = 'assistant'"
        ).fetchall()
    assert len(stored) == 1
    content, thinking, took_ms = stored[0]
    assert (content, thinking) == (ANSWER, THOUGHT)
    assert took_ms >= 5 * len(THOUGHT) // 6  # paced 5 ms a piece: the time is the stream's
    assert line.endswith(thinking_summary(len(THOUGHT), took_ms / 1000).split(" · ", 1)[1])
    async with app_factory([], db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.conversation.id == conversation_id  # reopened on start
        assert folded_line(app) == line
        assert not rows_with(app, "forty-two")
        _, text = await render(app.store, conversation_id, [])
    summary = thinking_summary(len(THOUGHT), took_ms / 1000)
    assert f"<details><summary>{summary}</summary>\n\n```text\nReading [bold red]" in text
    assert "␛]0;pwned^G" in text and "\x1b" not in text
    assert text.index("<summary>Thinking") < text.index(ANSWER)


async def test_folded_thinking_streams_without_drawing_the_answer_again(
    app_factory: Any, tmp_path: Path
) -> None:
    """While thinking streams folded, its one line counts up and the answer below is not
    rendered again for it."""
    turns = [Turn(match="slow", thinking="thinking hard " * 150, text="Done.", chunk=7, pace=0.01)]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#prompt")
        for char in "slow":
            await pilot.press(char)
        await pilot.press("enter")
        await until(pilot, lambda: rows_with(app, "▸ Thinking… · "), "the thinking line shows")
        chat = app.screen.query_one(ChatPane)
        assert chat.answer is not None
        answer = chat.answer
        tail, rendered = answer._tail, []
        original = tail.lines

        def counted(width: int) -> Any:
            if tail._width != width and not answer.text:  # a render before the answer's text
                rendered.append(width)
            return original(width)

        tail.lines = counted  # type: ignore[method-assign]
        seen = set()
        while not rows_with(app, "Done."):
            seen.update(
                m.group() for r in rows_with(app, "▸ Thinking… · ") if (m := LIVE.search(r))
            )
            await pilot.pause()
        assert len(seen) >= 3, seen  # the count went up while it streamed
        assert rendered == []  # the answer's tail was never rendered again for the thinking
        await settle(pilot)
        assert rows_with(app, "Done.")


async def test_a_thinking_block_unfolded_after_the_answer_grows_in_place(app_factory: Any) -> None:
    """Clicked open below a long chat whose view is at its end, the thinking's header stays on
    its row: the chat is kept at its end only while an answer streams, not at any layout."""
    thought = "\n".join(f"step {n} of the thought" for n in range(80))
    turns = [
        Turn(match="first", text="\n\n".join(f"paragraph {n}" for n in range(40))),
        Turn(match="second", thinking=thought, text="A short answer."),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first question")
        await ask(pilot, "second question")
        await settle(pilot)
        rows = screen_rows(app)
        header = rows_with(app, "▸ Thinking · ")[0]
        before = rows.index(header)
        await pilot.click(offset=(header.index("▸") + 2, before))
        await until(pilot, lambda: bool(rows_with(app, "▾ Thinking · ")), "the thinking unfolded")
        await settle(pilot)
        assert rows_with(app, "step 0 of the thought")
        assert screen_rows(app).index(rows_with(app, "▾ Thinking · ")[0]) == before
