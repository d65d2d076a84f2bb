"""The @ file picker under Pilot, through the real SDK, CLI and scripted server: what is painted
above the prompt, what Tab, Enter and Esc do, and the note the model receives on send."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events

from tests.helpers.pilot import SIZE, settle, until
from tests.helpers.popup import listed, popup_rows, popup_title, typed
from tests.helpers.screen import notes, screen_rows
from tui.demo.model_server import Turn
from tui.storage import Store
from tui.widgets.prompt_input import PromptInput


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a nested folder, an ignored build folder and a secret."""
    path = tmp_path / "project"
    (path / "src" / "parser").mkdir(parents=True)
    (path / "build").mkdir()
    (path / "README.md").write_text("# Demo\n")
    (path / "app.py").write_text("def main():\n    return 42\n")
    (path / "src" / "parser" / "lexer.py").write_text("TOKENS = []\n")
    (path / "src" / "config.py").write_text("DEBUG = False\n")
    (path / "build" / "app.py").write_text("# generated\n")
    (path / ".gitignore").write_text("build/\n")
    (path / ".env").write_text("API_KEY=hunter2\n")
    return path


async def test_at_lists_files_tab_inserts_and_the_note_reaches_the_model(
    app_factory: Callable[..., Any], tmp_path: Path
) -> None:
    turns = [Turn(match="mentioned_files", text="Seen the file.")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen.query_one(PromptInput)
        await typed(pilot, "explain @ap")
        rows = await listed(pilot, "app.py")
        assert not any("build/" in r for r in rows), rows  # ignored by .gitignore
        assert not any(".env" in r for r in rows), rows  # the guard would deny it
        await pilot.press("tab")
        await pilot.pause()
        assert prompt.text == "explain @app.py "
        assert popup_rows(app) == []  # closed once the file is in
        await typed(pilot, "please")
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "Seen the file." in "\n".join(screen_rows(app)), "answered")
        picker = app.screen.mentions
    assert picker.stopped.is_set()  # the app's exit stops any walk on its way
    sent = server.message_requests[-1].last_user_text()
    assert "<mentioned_files>" in sent and "- app.py (" in sent
    assert "def main():\n    return 42" in sent  # a small file's first lines
    assert "</mentioned_files>\n\nexplain @app.py please" in sent
    store = await Store.open(tmp_path / "h.db")
    try:
        conversation = (await store.conversation_list(None))[0]
        stored = await store.message_page(conversation.id, limit=5)
        assert stored[0].content == "explain @app.py please"  # as typed, no note
    finally:
        await store.close()


async def test_a_folder_narrows_enter_inserts_and_esc_closes(
    app_factory: Callable[..., Any],
) -> None:
    async with app_factory([]) as (app, _server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen.query_one(PromptInput)
        await typed(pilot, "@sr")
        rows = await listed(pilot, "src/")
        assert rows[0].startswith("src/"), rows  # the folder itself ranks first
        await pilot.press("enter")  # a folder: inserted without a space, the picker stays
        await pilot.pause()
        assert prompt.text == "@src/"
        rows = await listed(pilot, "src/config.py")
        assert all(r.startswith("src/") for r in rows if r), rows  # only that folder's paths
        assert not any("README" in r or "app.py" in r for r in rows), rows
        await typed(pilot, "lex")
        rows = await listed(pilot, "src/parser/lexer.py")
        assert rows[0] == "src/parser/lexer.py", rows
        await pilot.press("escape")
        await pilot.pause()
        assert popup_rows(app) == []
        assert prompt.text == "@src/lex"  # Esc closes the picker, the text stays
        await typed(pilot, "e")  # still the same word: it stays closed
        assert popup_rows(app) == []
        await pilot.press("down")  # the arrows are the prompt's again
        assert prompt.has_focus


async def test_a_mention_the_guard_refuses_is_not_sent_and_says_why(
    app_factory: Callable[..., Any], project: Path
) -> None:
    turns = [Turn(text="Answered.")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await typed(pilot, "read @.env")
        rows = await listed(pilot, "No file of the project matches.")
        assert not any(".env" in r for r in rows)
        await pilot.press("enter")  # no entry to take: Enter sends
        await settle(pilot)
        await until(pilot, lambda: "Answered." in "\n".join(screen_rows(app)), "answered")
        said = [n for n in notes(app) if "@.env" in n]
        assert said == [
            "@.env was not shown to the model: "
            f"{project / '.env'} may hold secrets (keys, passwords, tokens), so it is not "
            "read; the user can allow it with --allow-secrets."
        ]
    sent = server.message_requests[-1].last_user_text()
    assert "hunter2" not in sent and "<mentioned_files>" not in sent
    assert "read @.env" in sent


async def test_files_mentioned_lately_come_first_after_a_restart(
    app_factory: Callable[..., Any], tmp_path: Path
) -> None:
    db = tmp_path / "recent.db"
    first = app_factory([Turn(text="Done.")], db=db)
    async with first as (app, _server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = await listed_after(pilot, "@")
        assert rows[0] != "src/parser/lexer.py"  # by length, it comes late
        await pilot.press("escape")
        await typed(pilot, " about @src/parser/lexer.py")
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: "Done." in "\n".join(screen_rows(app)), "answered")
    async with app_factory([], db=db) as (app, _server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = await listed_after(pilot, "@")
        assert rows[0] == "src/parser/lexer.py", rows


async def listed_after(pilot: Any, text: str) -> list[str]:
    """Type ``text`` and wait until the popup lists files; its rows."""
    await typed(pilot, text)
    await until(pilot, lambda: "app.py" in "\n".join(popup_rows(pilot.app)), "files listed")
    return popup_rows(pilot.app)


async def test_the_arrows_move_the_highlight_while_the_picker_is_open(
    app_factory: Callable[..., Any],
) -> None:
    async with app_factory([]) as (app, _server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen.query_one(PromptInput)
        await typed(pilot, "@src/")
        rows = await listed(pilot, "src/config.py")
        await pilot.press("down")
        await pilot.press("down")
        await pilot.press("up")
        await pilot.press("tab")
        await pilot.pause()
        assert prompt.text in (f"@{rows[1]}", f"@{rows[1]} ")  # the second row, as painted


async def test_keys_typed_ahead_of_the_picker_complete_what_was_typed(
    app_factory: Callable[..., Any],
) -> None:
    """A burst of keys (a terminal delivers typed-ahead keys at once) is handled before the
    edits' Changed messages: Tab must take the best match for all the letters typed, not the
    first entry listed for the bare @. Every key is queued here before any is handled."""
    async with app_factory([]) as (app, _server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen.query_one(PromptInput)
        await typed(pilot, "see @")
        rows = await listed(pilot, "app.py")
        assert not rows[0].startswith("src/parser/lexer.py"), rows  # else the test tells nothing
        assert popup_title(app) == "Files · Tab inserts · @dir/ narrows"
        for char in "lexer":
            prompt.post_message(events.Key(char, char))
        prompt.post_message(events.Key("tab", "\t"))
        await until(pilot, lambda: prompt.text != "see @", "the burst handled")
        await pilot.pause()
        assert prompt.text == "see @src/parser/lexer.py "
        assert popup_rows(app) == []
