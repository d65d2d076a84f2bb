"""The export dialog in the real app: Ctrl+S, a path filled in, Enter writes, refusals explained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, ask
from tests.helpers.processes import tree_hash
from tests.helpers.screen import screen_rows
from tui.demo.model_server import ToolCall, Turn
from tui.screens.export_dialog import ExportDialog
from tui.widgets.conversation_list import ConversationList

TURNS = [
    Turn(match="what is in app", tools=[ToolCall("Read", {"file_path": "app.py"})]),
    Turn(match="return 42", text="`main` returns **42**:\n\n```python\nreturn 42\n```"),
]


async def open_dialog(pilot: Any) -> ExportDialog:
    await pilot.press("ctrl+s")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def submit(pilot: Any, path: str) -> None:
    """Replace the path in the box and press Enter, then wait for the write to finish."""
    await pilot.press("ctrl+u")  # clear to the start (the cursor is at the end)
    pilot.app.screen.query_one("#export-path").insert_text_at_cursor(path)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def error_shown(app: Any) -> str:
    label = app.screen.query_one("#export-error")
    return "" if label.has_class("-hidden") else str(label.render())


async def test_ctrl_s_writes_the_conversation_where_the_user_says(
    app_factory: Any, isolated: Path, tmp_path: Path
) -> None:
    documents = isolated / "Documents"
    documents.mkdir()
    async with app_factory(TURNS) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "what is in app.py?")
        dialog = await open_dialog(pilot)
        box = dialog.query_one("#export-path")
        assert box.value == str(documents / "what-is-in-app.py.md")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = documents / "what-is-in-app.py.md"
        text = written.read_text(encoding="utf-8")
        assert text.startswith("# what is in app.py?\n")
        assert "<details><summary>Tool: Reading file: app.py — ok, " in text
        assert "```python\nreturn 42\n```" in text
        assert not isinstance(app.screen, ExportDialog)
        assert [n.message for n in app._notifications] == [
            f"Exported the conversation to {written}."
        ]

        # Again: the suggestion avoids the file just written; a chosen path is honoured.
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#export-path").value == str(documents / "what-is-in-app.py-2.md")
        chosen = tmp_path / "chosen.md"
        await submit(pilot, str(chosen))
        assert chosen.read_text(encoding="utf-8").startswith("# what is in app.py?")


async def test_the_dialog_refuses_the_project_and_keeps_what_was_typed(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)  # as when the app is started in the project, no documents folder
    async with app_factory(TURNS) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "what is in app.py?")
        before = tree_hash(project)
        dialog = await open_dialog(pilot)
        suggested = dialog.query_one("#export-path").value
        assert suggested == str(Path.home() / "what-is-in-app.py.md")  # not the project

        inside = project / "notes.md"
        await submit(pilot, "notes.md")  # relative: the current directory, the project
        assert app.screen is dialog and dialog.query_one("#export-path").value == "notes.md"
        assert error_shown(app) == (
            f"{inside} is inside the project, and the app never writes there; choose a file "
            "outside it."
        )
        await submit(pilot, str(project / "docs" / ".." / "x.md"))
        assert "is inside the project" in error_shown(app)
        assert tree_hash(project) == before

        taken = tmp_path / "taken.md"
        taken.write_text("mine")
        await submit(pilot, str(taken))
        assert error_shown(app) == f"{taken} already exists; choose another name."
        assert taken.read_text() == "mine"
        await submit(pilot, str(tmp_path / "no-such-folder" / "a.md"))
        assert "does not exist; create it or choose another path" in error_shown(app)

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert tree_hash(project) == before and not (tmp_path / "no-such-folder").exists()


async def test_export_from_the_sidebar_palette_and_help(app_factory: Any, tmp_path: Path) -> None:
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [
            "There is nothing to export yet: ask something first."
        ]
        await ask(pilot, "first question")
        await pilot.press("ctrl+n")
        await ask(pilot, "second question")
        sidebar = app.screen.query_one(ConversationList)
        sidebar.focus()
        sidebar.highlighted = 1  # the older conversation, not the open one
        await pilot.pause()
        dialog = await open_dialog(pilot)
        assert dialog.conversation.title == "first question"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "export":
            await pilot.press(char)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Export conversation" in shown and "^s" in shown


async def test_a_refusal_wraps_and_is_shown_whole_at_80_columns(
    app_factory: Any, isolated: Path, project: Path
) -> None:
    """Issue 15 D6: the sentence for a path inside the project was cut mid-word."""
    async with app_factory(TURNS) as (app, _), app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "what is in app.py?")
        await open_dialog(pilot)
        await submit(pilot, str(project / "notes" / "a-rather-long-name-for-an-export.md"))
        sentence = error_shown(app)
        assert sentence.endswith("."), sentence
        region = app.screen.query_one("#export-error").region
        rows = screen_rows(app)[region.y : region.bottom]
        painted = "".join("".join(row[region.x : region.right] for row in rows).split())
        assert len(rows) > 1 and painted == "".join(sentence.split()), painted  # wrapped, whole
