"""The code viewer through the real app: a file reference in an answer is a stop of the block
cursor, Enter opens the file at the cited lines, `y` copies them, Esc comes back; a secret or a
link out of the project is no stop and cannot be opened. Real CLI, scripted model server."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.helpers.pilot import SIZE, ask, settle, until
from tests.helpers.screen import notes, screen_rows
from tui.demo.model_server import ToolCall, Turn
from tui.models import Role
from tui.references import Reference, resolve
from tui.screens.viewer import ViewerScreen
from tui.widgets.chat_pane import ChatPane
from tui.widgets.code_view import CodeView
from tui.widgets.tool_log import ToolLog

CALC = "".join(f"def f{n}(x):  # line {n}\n" for n in range(1, 41))
ANSWER = "The sum is in `src/calc.py:3-5`; the settings in `.env` and `out.py:1` are not shown.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a source file, a secret, and a link to a file outside it."""
    path = tmp_path / "project"
    (path / "src").mkdir(parents=True)
    (path / "src" / "calc.py").write_text(CALC)
    (path / ".env").write_text("API_KEY=hunter2\n")
    (tmp_path / "elsewhere.py").write_text("stolen = True\n")
    (path / "out.py").symlink_to(tmp_path / "elsewhere.py")
    return path


def reference_stops(chat: ChatPane) -> list[Reference]:
    return [stop.reference for stop in chat.stops() if stop.reference is not None]


async def answered(pilot: Any) -> ChatPane:
    """Ask, wait for the answer and its references (a thread), and put the cursor in the chat."""
    await ask(pilot, "where is the sum")
    chat = pilot.app.screen.query_one(ChatPane)
    await until(pilot, lambda: reference_stops(chat), "the answer's references were found")
    await pilot.press("ctrl+o")
    await settle(pilot)
    return chat


def shown(app: Any, sentence: str) -> bool:
    return any(sentence in row for row in screen_rows(app))


def viewer_rows(app: Any) -> list[str]:
    assert isinstance(app.screen, ViewerScreen)
    return screen_rows(app)


async def open_from_the_tool_log(pilot: Any, question: str, hint: str) -> None:
    """Ask, then on the tool log's last row: Enter shows ``hint``, o opens the viewer."""
    app = pilot.app
    await ask(pilot, question)
    app.screen.query_one(ToolLog).focus()
    await pilot.press("end", "enter")
    await settle(pilot)
    assert shown(app, hint)
    await pilot.press("o")
    await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
    await settle(pilot)


async def test_a_cited_range_opens_marked_copies_exactly_and_esc_returns(app_factory: Any) -> None:
    async with app_factory([Turn(text=ANSWER)]) as (app, _), app.run_test(size=SIZE) as pilot:
        chat = await answered(pilot)
        assert [r.label() for r in reference_stops(chat)] == ["src/calc.py:3-5"]
        here = chat.current()
        assert here is not None and here.reference is not None  # the lowest stop on screen
        row = next(r for r in screen_rows(app) if "src/calc.py:3-5" in r)
        assert "▌" in row  # the cursor's marker on the reference's line
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        rows = viewer_rows(app)
        assert "src/calc.py · lines 3-5 · 40 lines · read-only" in rows[0]
        marked = [r for r in rows if "▌" in r]
        assert [r.split("▌")[0].strip() for r in marked] == ["3", "4", "5"]
        assert "def f3(x):  # line 3" in marked[0]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "def f3(x):  # line 3\ndef f4(x):  # line 4\ndef f5(x):  # line 5"
        assert notes(app)[-1] == "Copied lines 3-5 of src/calc.py."
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ViewerScreen)
        assert app.focused is chat and here.same(chat.current())


async def test_a_secret_and_a_link_out_are_no_stops_and_cannot_be_opened(
    app_factory: Any,
) -> None:
    async with app_factory([Turn(text=ANSWER)]) as (app, _), app.run_test(size=SIZE) as pilot:
        chat = await answered(pilot)
        labels = [r.relative for r in reference_stops(chat)]
        assert labels == ["src/calc.py"]
        for path, why in ((".env", "may hold secrets"), ("out.py", "outside the project")):
            app.screen.viewing.open(Reference(path, 1, None, path))  # as if it had been a stop
            await settle(pilot)
            assert not isinstance(app.screen, ViewerScreen)
            assert notes(app)[-1].startswith(f"{path} cannot be opened:") and why in notes(app)[-1]


async def test_search_and_go_to_line_move_the_cursor(app_factory: Any) -> None:
    async with app_factory([Turn(text=ANSWER)]) as (app, _), app.run_test(size=SIZE) as pilot:
        await answered(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        view = app.screen.query_one(CodeView)
        await pilot.press("slash", *"line 3", "enter")
        await pilot.pause()
        assert view.cursor == 2 and len(view.matches) == 11  # 3, 30-39
        assert shown(app, "Match 1 of 11 for 'line 3' (n / N: next / previous).")
        await pilot.press("n")
        await pilot.pause()
        assert view.cursor == 29
        await pilot.press("N", "N")
        await pilot.pause()
        assert view.cursor == 38  # wrapped round to the last match
        await pilot.press("g", *"12", "enter")
        await pilot.pause()
        assert view.cursor == 11
        await pilot.press("g", *"400", "enter")
        await pilot.pause()
        assert view.cursor == 11 and shown(app, "Type a line number from 1 to 40.")
        for typed in ("²", "9" * 5000):  # a digit to str.isdigit, not to int(); an endless one
            await pilot.press("g")
            app.screen.query_one("#viewer-input", Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running and view.cursor == 11
            assert shown(app, "Type a line number from 1 to 40.")
        await pilot.press("slash", "escape")  # Esc closes the input line first
        await pilot.pause()
        assert isinstance(app.screen, ViewerScreen) and app.focused is view


async def test_the_gutter_marks_what_was_read_and_brackets_go_through_the_answer(
    app_factory: Any, project: Path
) -> None:
    (project / "src" / "util.py").write_text("one = 1\ntwo = 2\n")
    read = ToolCall("Read", {"file_path": "src/calc.py", "offset": 10, "limit": 3})
    turns = [
        Turn(match="where is the sum", tools=[read], times=1),
        Turn(text="See `src/calc.py:3-5` and then src/util.py#L2 for the rest.\n"),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        chat = await answered(pilot)
        assert [r.label() for r in reference_stops(chat)] == ["src/calc.py:3-5", "src/util.py:2"]
        await pilot.press("up")  # from the last reference to the first
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        rows = viewer_rows(app)
        assert "reference 1 of 2" in rows[0]
        gutter = dict(m.groups() for r in rows[1:] if (m := re.match(r"\s*(\d+)(.)", r)))
        assert [n for n, mark in gutter.items() if mark == "│"] == ["10", "11", "12"]
        assert [n for n, mark in gutter.items() if mark == "▌"] == ["3", "4", "5"]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        title = "src/util.py · line 2 · 2 lines · read-only · reference 2 of 2"
        assert title in screen_rows(app)[0]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert shown(app, "This is its last one.")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "src/calc.py · lines 3-5" in screen_rows(app)[0]
        await pilot.press("escape")
        await settle(pilot)
        here = chat.current()
        assert here is not None and here.reference is not None
        assert here.reference.label() == "src/calc.py:3-5"


async def test_a_click_on_a_reference_opens_it(app_factory: Any) -> None:
    async with app_factory([Turn(text=ANSWER)]) as (app, _), app.run_test(size=SIZE) as pilot:
        chat = await answered(pilot)
        await pilot.press("up")  # the cursor off the reference: the click alone must open it
        await pilot.pause()
        stop = next(s for s in chat.stops() if s.reference is not None)
        line, column, width = stop.block.place(stop.part)  # type: ignore[union-attr]
        region = stop.block.content_region  # type: ignore[union-attr]
        assert width == len("src/calc.py:3-5")
        await pilot.click(offset=(region.x + column + 2, region.y + line))
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")


async def test_a_read_row_of_the_tool_log_opens_at_the_lines_it_read(app_factory: Any) -> None:
    read = ToolCall("Read", {"file_path": "src/calc.py", "offset": 10, "limit": 3})
    turns = [Turn(match="where is the sum", tools=[read], times=1), Turn(text="Done.")]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await open_from_the_tool_log(pilot, "where is the sum", "o: open it in the viewer")
        assert "src/calc.py · lines 10-12" in screen_rows(app)[0]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.splitlines() == [f"def f{n}(x):  # line {n}" for n in (10, 11, 12)]
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is app.screen.query_one(ToolLog)


async def test_e_opens_the_editor_at_the_cursor_line_and_shows_the_file_after(
    app_factory: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's editor (a script here) gets +LINE and the path while the app is suspended
    (the headless terminal cannot be handed over, so only that hand-over is stood in for)."""
    said = tmp_path / "editor-args"
    editor = tmp_path / "editor"
    editor.write_text(
        f'#!/bin/sh\necho "$@" > {said}\nfor last; do :; done\necho "# edited" >> "$last"\n'
    )
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", f"{editor} --wait")
    async with app_factory([Turn(text=ANSWER)]) as (app, _), app.run_test(size=SIZE) as pilot:
        await answered(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        await pilot.press("e")  # the headless terminal cannot be suspended: one sentence
        await pilot.pause()
        assert shown(app, "This terminal cannot be handed to an editor from here.")
        suspended = []

        @contextlib.contextmanager
        def suspend() -> Iterator[None]:
            suspended.append(True)
            yield

        monkeypatch.setattr(app, "suspend", suspend)
        await pilot.press("e")
        await settle(pilot)
        assert suspended and said.read_text().split() == [
            "--wait",
            "+3",
            str(project / "src" / "calc.py"),
        ]
        view = app.screen.query_one(CodeView)
        assert view.raw[-1] == "# edited" and view.marked == (2, 4)  # read again, still marked


async def test_a_stored_answer_reopened_has_its_references_as_stops(
    app_factory: Any, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []

    def counted(text: str, guard: Any) -> list[Reference]:
        looked_up.append(text)
        return resolve(text, guard)

    monkeypatch.setattr("tui.screens.viewing.resolve", counted)
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        conv, _first = await app.store.conversation_create(project, "where")
        await app.store.message_add(conv.id, Role.ASSISTANT, "It is `src/calc.py:7` and .env.")
        await app.screen.open_conversation(await app.store.conversation_get(conv.id))
        await settle(pilot)
        chat = app.screen.query_one(ChatPane)
        assert [r.label() for r in reference_stops(chat)] == ["src/calc.py:7"]
        assert len(looked_up) == 1
        await app.screen.open_conversation(await app.store.conversation_get(conv.id))
        await settle(pilot)  # shown again: from the cache, no new look-up
        assert [r.label() for r in reference_stops(chat)] == ["src/calc.py:7"]
        assert len(looked_up) == 1


async def test_a_grep_row_opens_its_matches_one_after_the_other(app_factory: Any) -> None:
    grep = ToolCall("Grep", {"pattern": "line 1[12]$", "output_mode": "content", "-n": True})
    turns = [Turn(match="where is the sum", tools=[grep], times=1), Turn(text="Done.")]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        await open_from_the_tool_log(
            pilot, "where is the sum", "o: open the files found in the viewer"
        )
        assert (
            "src/calc.py · line 11 · 40 lines · read-only · reference 1 of 2"
            in (screen_rows(app)[0])
        )
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "src/calc.py · line 12" in screen_rows(app)[0]


async def test_a_path_cited_through_a_symlinked_project_path_opens(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    """Issue 19: users copy paths from their prompt, which keeps symlinks (a Mac's /tmp): an
    absolute path under the project's symlinked spelling counted as outside the project."""
    link = tmp_path / "linked"
    link.symlink_to(project)
    answer = f"The sum is in `{link}/src/calc.py:3-5`.\n"
    async with app_factory([Turn(text=answer)]) as (app, _), app.run_test(size=SIZE) as pilot:
        app.settings.spellings = (link,)  # as Settings.build gives it for --project <link>
        chat = await answered(pilot)
        assert [r.relative for r in reference_stops(chat)] == ["src/calc.py"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        rows = viewer_rows(app)
        assert "src/calc.py · lines 3-5 · 40 lines · read-only" in rows[0]
        assert [r.split("▌")[0].strip() for r in rows if "▌" in r] == ["3", "4", "5"]


async def test_a_spelling_swapped_to_another_folder_never_opens_that_folder(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    """The attack on the spellings: the link is swapped to a folder outside once the viewer's
    guard has taken it. A path under the link is still walked from the real root, so the
    viewer shows the project's own file, never the other folder's."""
    link, outside = tmp_path / "linked", tmp_path / "outside"
    link.symlink_to(project)
    (outside / "src").mkdir(parents=True)
    (outside / "src" / "calc.py").write_text("stolen = True\n" * 40)
    turns = [
        Turn(match="first", text="See `src/calc.py:1`.\n"),
        Turn(match="where is the sum", text=f"The sum is in `{link}/src/calc.py:3-5`.\n"),
    ]
    async with app_factory(turns) as (app, _), app.run_test(size=SIZE) as pilot:
        app.settings.spellings = (link,)
        await ask(pilot, "first")
        chat = pilot.app.screen.query_one(ChatPane)
        await until(pilot, lambda: reference_stops(chat), "the guard took the spelling")
        link.unlink()
        link.symlink_to(outside)
        chat = await answered(pilot)
        await until(pilot, lambda: len(reference_stops(chat)) == 2, "both references found")
        await pilot.press("enter")  # the lowest stop: the path under the swapped link
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        rows = viewer_rows(app)
        assert "src/calc.py · lines 3-5" in rows[0]
        assert any("def f3(x):  # line 3" in r for r in rows)
        assert not any("stolen" in r for r in rows)


async def test_the_palette_lists_the_viewer_keys_and_runs_them(app_factory: Any) -> None:
    """Ctrl+P in the viewer lists the viewer's own actions with their keys (not the main
    screen's), and an entry does what its key does: "Copy lines" copies the cited lines."""
    async with app_factory([Turn(text=ANSWER)]) as (app, _), app.run_test(size=SIZE) as pilot:
        await answered(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ViewerScreen), "the viewer opened")
        await settle(pilot)
        await pilot.press("ctrl+p")
        for char in "copy":
            await pilot.press(char)
        await until(pilot, lambda: shown(app, "Copy lines"), "the palette lists Copy lines")
        palette = "\n".join(screen_rows(app))
        assert "New conversation" not in palette  # the main screen's actions are not offered
        await pilot.press("enter")
        await until(pilot, lambda: app.clipboard.startswith("def f3"), "the lines were copied")
        assert app.clipboard == "def f3(x):  # line 3\ndef f4(x):  # line 4\ndef f5(x):  # line 5"
        assert isinstance(app.screen, ViewerScreen)  # the palette closed onto the viewer
        await pilot.press("ctrl+p")
        for char in "go to":
            await pilot.press("space" if char == " " else char)
        await until(pilot, lambda: shown(app, "Go to line"), "the palette lists Go to line")
        rows = [row.strip() for row in screen_rows(app)]
        at = rows.index("Go to line")  # the palette's entry (the key bar's row holds more)
        assert rows[at + 1] == "g"  # its key, under it
