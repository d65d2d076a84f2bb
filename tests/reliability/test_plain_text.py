"""Text from outside is never markup: stored titles, messages, backlog rows, names and paths.

An imported history file or a backlog written by another program can hold "[b red]ALERT[/]",
"[@click=app.quit]x[/]" or a lone "[/]". Parsed as Textual markup they would restyle the app, put
a live quit action under the user's mouse, or raise a MarkupError that ends the app in the middle
of a change the store has already made. These tests open the real app on a real history file and
a real backlog file holding such text, drive every place that shows it (sidebar, chat, tool log,
title bar, status bar, toasts, dialogs, search, backlog pane and details, export, branching), and
read the painted screen: the text is there as typed, nothing raised, no click action is live, the
app still runs, and no escape sequence from the text reaches the terminal.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Input
from textual.widgets._toast import Toast

from tests.helpers.backlog_db import make_backlog
from tests.helpers.figures import Figures
from tests.helpers.pilot import settle, until
from tests.helpers.processes import children_of
from tests.helpers.screen import (
    OWN_SEQUENCES,
    RAW_CONTROL,
    frame,
    painted,
    plain,
    shows,
    toasts_show,
)
from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import ModelServer
from tui.models import MessageStatus, Role, ToolStatus
from tui.screens.dialogs import CodePicker, ConfirmDialog, RenameDialog
from tui.screens.export_dialog import ExportDialog
from tui.screens.feature_details import FeatureDetails
from tui.screens.search import SearchScreen
from tui.storage import Store
from tui.storage.rows import make_title
from tui.text import inert
from tui.widgets.backlog_pane import BacklogPane
from tui.widgets.conversation_list import ConversationList
from tui.widgets.search_results import SearchResults
from tui.widgets.status_bar import StatusBar
from tui.widgets.title_bar import TitleBar
from tui.widgets.tool_log import ToolLog

HOSTILE = [
    "[b red]ALERT[/] [@click=app.quit]x[/]",
    "[/]",
    "[",
    "[@click=app.quit]",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J",
]
LONGEST = max(len(text) for text in HOSTILE)  # a longer title is cut by dialogs
SIZE = (240, 50)  # wide: the title bar holds the project's (long, temporary) path
_runs = itertools.count()


def title_bar_shows(app: Any, start: str) -> bool:
    """The title bar starts with ``start`` (inert), or shows the start of it when it is too long
    (a line that does not fit is cut at a word: the rest goes to a second line, not shown)."""
    bar = app.screen.query_one(TitleBar)
    row = painted(app, bar).strip()
    wanted = inert(start)
    width = bar.content_region.width
    if len(wanted) < width:
        return row.startswith(wanted)
    return len(row) > width // 2 and wanted.startswith(row.removesuffix("…"))


async def toast_seen(pilot: Any, text: str, seconds: float = 15.0) -> bool:
    """Whether a toast painting ``text`` appears: looked for at once, not after every worker
    is done (a session's pre-warm can outlast a toast's few seconds on a busy machine)."""
    deadline = time.monotonic() + seconds
    while not toasts_show(pilot.app, text):
        if time.monotonic() > deadline:
            return False
        await pilot.pause()
    return True


def assert_plain_frame(app: Any, hostile: str) -> None:
    """Alive, no error toast, no live click action, and no escape of the text on the wire."""
    assert app.is_running and app._exception is None
    errors = [n.message for n in app._notifications if n.severity == "error"]
    assert not errors, errors
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    for line in update.strips:
        for segment in (segment for strip in line for segment in strip):
            meta = segment.style.meta if segment.style is not None else {}
            assert "quit" not in str(meta.get("@click", "")), segment
    visible, wire = frame(app)
    assert not RAW_CONTROL.search(visible), RAW_CONTROL.findall(visible)
    if RAW_CONTROL.search(hostile):
        assert hostile not in wire
    leftover = OWN_SEQUENCES.sub("", wire)
    assert not RAW_CONTROL.search(leftover), sorted({hex(ord(c)) for c in leftover if c < " "})


def as_markdown(text: str) -> str:
    """What Markdown draws of a text: a backslash before punctuation only escapes it."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def folder_name(hostile: str) -> str:
    """A file or folder name as close to the text as Linux allows (no "/")."""
    return hostile.replace("/", "∕") or "empty"


def unique(base: Path, name: str) -> Path:
    path = base / f"{next(_runs)}" / name
    path.mkdir(parents=True)
    return path


async def hostile_history(db: Path, project: Path, hostile: str) -> dict[str, int]:
    """A history file whose titles, messages, errors, tool rows and project names are hostile."""
    store = await Store.open(db)
    try:
        here, _question = await store.conversation_create(project, f"needle {hostile}")
        answer = await store.message_add(
            here.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
        )
        text = f"needle answer {hostile} end\n\n```\n{hostile}\n```\n"
        await store.message_finish(
            answer.id, text, MessageStatus.ERROR, error=f"failed {hostile} here"
        )
        await store.tool_event_upsert(
            here.id,
            "tool-1",
            hostile,
            {"file_path": hostile},
            message_id=answer.id,
            status=ToolStatus.OK,
            result=hostile,
        )
        await store.state_set(f"last:{project}", str(here.id))
        away, _q = await store.conversation_create(Path("/elsewhere"), "needle elsewhere")
    finally:
        await store.close()
    # As an import or another program could have written them: exact, not cleaned by the store.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE conversations SET title = ? WHERE id = ?", (hostile, here.id))
    conn.execute(
        "UPDATE conversations SET project_name = ?, project_path = ? WHERE id = ?",
        (hostile, f"/elsewhere/{folder_name(hostile)}", away.id),
    )
    conn.commit()
    conn.close()
    return {"here": here.id, "away": away.id}


@asynccontextmanager
async def hostile_app(
    root: Path, source: Path, hostile: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[AssistantApp, dict[str, int]]]:
    """The app on a project named after the text, with its model, history and backlog hostile."""
    project = unique(root, folder_name(hostile))
    shutil.copytree(source, project, dirs_exist_ok=True)
    make_backlog(
        project / "features.db",
        [
            {
                "name": hostile,
                "category": hostile,
                "description": f"description {hostile}",
                "steps": [f"step {hostile}"],
            }
        ],
    )
    db = project.parent / "history.db"
    ids = await hostile_history(db, project, hostile)
    async with ModelServer([]) as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield AssistantApp(Settings.build(project=project, db=str(db), model=hostile)), ids


async def drive_every_surface(pilot: Any, hostile: str, ids: dict[str, int], exports: Path) -> int:
    """Open each place that shows the text; check it after each step. Returns places checked."""
    app = pilot.app
    checked = 0

    def check(where: str, found: bool) -> None:
        nonlocal checked
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert found, f"{where}: {inert(hostile)!r} not on the screen:\n{painted(app)}\n{toasts}"
        assert_plain_frame(app, hostile)
        checked += 1

    await settle(pilot)
    await until(pilot, lambda: app.screen.conversation is not None, "the last chat reopened")
    await settle(pilot)
    screen = app.screen
    check("sidebar", shows(app, hostile, screen.query_one(ConversationList)))
    check("chat", shows(app, f"needle {hostile}", screen.query_one("#chat")))
    answer = f"needle answer {as_markdown(hostile)} end"
    check("answer", shows(app, answer, screen.query_one("#chat")))
    check("answer's error", shows(app, f"failed {hostile} here", screen.query_one("#chat")))
    check("tool log", shows(app, hostile, screen.query_one(ToolLog)))
    project = app.settings.project
    top = f"assistant-tui · {folder_name(hostile)} — {project} · {hostile} · "
    check("title bar", title_bar_shows(app, top))
    check("status bar", shows(app, "ready", screen.query_one(StatusBar)))

    # The code picker lists the answer's code block.
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(app.screen, CodePicker)
    check("code picker", shows(app, hostile, app.screen))
    await pilot.press("escape")
    await settle(pilot)

    # Pin (F7): the star and the title in the sidebar.
    await pilot.press("f7")
    await settle(pilot)
    check("pinned", shows(app, f"★ {hostile}", screen.query_one(ConversationList)))

    # Rename (F2): the dialog shows the stored title; a hostile new one is saved and listed.
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, RenameDialog)
    field = app.screen.query_one(Input)
    assert field.value == inert(hostile)
    box = painted(app, field).strip()  # a long title scrolls: the box shows its end
    check("rename dialog", shows(app, hostile, field) or (len(box) > 20 and box in field.value))
    await pilot.press("ctrl+u")
    app.post_message(events.Paste(f"renamed {hostile}"))
    await pilot.press("enter")
    await settle(pilot)
    stored = await app.store.conversation_get(ids["here"])
    title = stored.title
    assert title == plain(f"renamed {inert(hostile)}")
    check("renamed", shows(app, title, screen.query_one(ConversationList)))

    # Export (Ctrl+S): the dialog quotes the title, the toast names the file written.
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, ExportDialog)
    # A long title pushes the end of the line ("as Markdown to:") past the dialog's edge.
    check("export dialog", shows(app, f'Export "{title}"', app.screen))
    target = exports / f"{inert(folder_name(hostile))}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    await pilot.press("ctrl+u")
    app.post_message(events.Paste(str(target)))
    await pilot.pause()
    await pilot.press("enter")
    written = await toast_seen(pilot, f"Exported the conversation to {target}.")
    check("export toast", written)
    await settle(pilot)
    assert target.is_file() and not isinstance(app.screen, ExportDialog)

    # Delete (F8): the confirmation quotes the title, the toast too; F9 brings it back.
    await pilot.press("f8")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmDialog)
    check("confirm dialog", shows(app, f'Delete "{title}"?', app.screen))
    await pilot.press("y")
    check("delete toast", await toast_seen(pilot, f'Moved "{title}" to the trash;'))
    await settle(pilot)
    stored = await app.store.conversation_get(ids["here"])
    assert stored is not None and stored.trashed
    await pilot.press("f9")
    await settle(pilot)
    stored = await app.store.conversation_get(ids["here"])
    assert stored is not None and not stored.trashed
    assert app.screen.conversation is not None and app.screen.conversation.id == ids["here"]
    check("restored", shows(app, title, screen.query_one(ConversationList)))

    # Branch (Alt+B) from the last message: the toast names the branch (its first question).
    await pilot.press("alt+b")
    check("branch toast", await toast_seen(pilot, f'Branched "{make_title(f"needle {hostile}")}"'))
    await settle(pilot)
    branch = app.screen.conversation
    assert branch is not None and branch.parent_id == ids["here"]
    app.clear_notifications()

    # Search (Ctrl+G): titles and snippets; F3 for every project, then open the other one's hit.
    await pilot.press("ctrl+g")
    await settle(pilot)
    search = app.screen
    assert isinstance(search, SearchScreen)
    app.post_message(events.Paste("needle"))
    results = search.query_one(SearchResults)
    await until(pilot, lambda: results.count > 0, "search answered")
    await settle(pilot)
    check("search title", shows(app, title, results))
    check("search snippet", shows(app, f"needle answer {hostile} end", results))
    await pilot.press("f3")
    await until(
        pilot,
        lambda: ids["away"] in {h.conversation_id for h in results.hits if h},
        "every project searched",
    )
    await settle(pilot)
    check("search project", shows(app, f"· {folder_name(hostile)}", results))
    results.highlighted = next(
        i for i, h in enumerate(results.hits) if h is not None and h.conversation_id == ids["away"]
    )
    await pilot.press("enter")
    check("all projects toast", await toast_seen(pilot, f"this conversation is from {hostile}."))
    await settle(pilot)
    assert app.screen.conversation is not None and app.screen.conversation.id == ids["away"]
    check("sidebar project", shows(app, f"{hostile} ·", screen.query_one(ConversationList)))
    app.clear_notifications()

    # Branching another project's conversation is refused with a toast naming its folder.
    await pilot.press("alt+b")
    away_path = f"/elsewhere/{folder_name(hostile)}"
    refused = await toast_seen(pilot, f"This conversation belongs to {away_path};")
    check("refused branch toast", refused)
    await settle(pilot)

    # The backlog pane (F4) and a feature's details.
    await pilot.press("f4")
    pane = screen.query_one(BacklogPane)
    await until(pilot, lambda: "passing" in painted(app, pane), "the backlog was read")
    check("backlog pane", shows(app, f"#1 {hostile} {hostile}", pane))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, FeatureDetails), "details opened")
    await until(pilot, lambda: "priority" in painted(app, app.screen), "the feature was read")
    details = app.screen
    check("details name", shows(app, f"#1 {hostile}", details))
    check("details category", shows(app, f"· {hostile} ·", details))
    check("details description", shows(app, f"description {hostile}", details))
    check("details steps", shows(app, f"1. step {hostile}", details))
    await pilot.press("escape")
    await settle(pilot)

    # The help screen opens and closes: the keys still work.
    await pilot.press("f1")
    await settle(pilot)
    assert type(app.screen).__name__ == "HelpScreen"
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is screen
    assert_plain_frame(app, hostile)
    return checked


async def scenario(hostile: str, root: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    made = hostile_app(root, source, hostile, monkeypatch)
    async with made as (app, ids), app.run_test(size=SIZE, notifications=True) as pilot:
        checked = await drive_every_surface(pilot, hostile, ids, root / "exports")
        assert app.is_running
    assert app.return_code in (None, 0) and app._exception is None
    assert children_of(os.getpid()) == set()
    return checked


@pytest.mark.parametrize("hostile", HOSTILE, ids=repr)
def test_hostile_text_is_shown_as_plain_text_everywhere(
    hostile: str,
    isolated: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    checked = asyncio.run(scenario(hostile, tmp_path / "runs", project, monkeypatch))
    figures.record("hostile input", "places showing stored text as plain text", checked)


# Pieces of markup and escapes mixed with any character: tags, closings, actions, variables.
MARKUP_PIECES = [
    "[",
    "]",
    "[/]",
    "[/b]",
    "[b red]",
    "[@click=app.quit]",
    "[@click=screen.delete]",
    "[link='http://evil']",
    "[$accent]",
    "$accent",
    "\\[",
    "\\",
    "=",
    "\x1b",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x9b",
    "\x07",
    " ",
]
TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(MARKUP_PIECES),
            # Latin letters and punctuation: one cell each, so painted rows can be cut by column.
            st.characters(min_codepoint=0x21, max_codepoint=0x2FF, exclude_categories=["Cc", "Z"]),
        ),
        min_size=1,
        max_size=12,
    )
    .map(lambda pieces: "".join(pieces)[:LONGEST])
    .filter(lambda text: text.strip() == text and text.strip(".") != "")
)


# As long as the longest fixed sample: a dialog's one-line label cuts a longer title.
EVERY_KIND = "[@click=screen.delete]y[/] \\[ [$a]z\x9b"


def test_drawn_markup_and_escapes_are_shown_as_plain_text(
    isolated: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    """Hypothesis mixes markup fragments and escapes; each drawn text goes through every place."""
    counted: list[int] = []

    @settings(
        max_examples=3,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # shrinking would restart the app per step
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(TEXT)
    @example(EVERY_KIND)
    def check(hostile: str) -> None:
        counted.append(asyncio.run(scenario(hostile, tmp_path / "runs", project, monkeypatch)))

    check()
    figures.record("hostile input", "drawn texts shown as plain text", len(counted))


def test_every_toast_goes_through_the_plain_text_helper() -> None:
    """Textual's notify reads markup unless told not to: the app calls it in one place only."""
    root = Path(__file__).resolve().parents[2] / "tui"
    callers = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "toast.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ".notify(" in line
    ]
    assert callers == [], "use tui.toast.toast() instead of notify(): " + ", ".join(callers)
