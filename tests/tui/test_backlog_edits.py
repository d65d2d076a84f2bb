"""The user's own changes in the backlog pane, under Pilot, while another program writes the file.

Each test runs an "agent" in a subprocess that inserts features with plain sqlite3 (its own
``BEGIN IMMEDIATE`` transactions, as upstream's agents write) for as long as the test acts, so
every change from the pane races real writes. Each action is checked on the painted screen and
in the file; at the end every one of the agent's rows is there too: nothing was lost.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.message import Message

from tests.helpers.backlog_db import FEATURES, make_backlog, waiting_backlog
from tests.helpers.pilot import SIZE, until
from tests.helpers.screen import pane_flat, pane_text
from tui.screens.feature_form import FeatureForm, FeaturePicker, ReasonDialog
from tui.screens.human_input_form import HumanInputForm
from tui.screens.main import MainScreen

WRITER = r"""
import sqlite3, sys, threading, time
conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
count = 0
print("started", flush=True)
while not stop.is_set():
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO features (priority, category, name, description, steps, passes,"
        " in_progress) SELECT COALESCE(MAX(priority), 0) + 1, 'Agent', ?, 'by the agent',"
        " '[\"x\"]', 0, 0 FROM features",
        (f"agent row {count}",),
    )
    conn.execute("COMMIT")
    count += 1
    time.sleep(0.02)  # an agent's pace, not a wait for the test's work
print(count, flush=True)
"""


class Agent:
    """Another program writing the backlog for as long as it runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "started"

    def stop(self) -> int:
        """Stop writing; how many rows it wrote, every one of which must be in the file."""
        out, _ = self.process.communicate("", timeout=30)
        written = int(out.split()[-1])
        names = {r[0] for r in rows(self.path, "SELECT name FROM features WHERE category='Agent'")}
        assert names == {f"agent row {i}" for i in range(written)}  # nothing lost
        return written


@pytest.fixture
def agent_on(project: Path) -> Iterator[Any]:
    started: list[Agent] = []

    def start(path: Path) -> Agent:
        started.append(Agent(path))
        return started[-1]

    yield start
    for agent in started:
        if agent.process.poll() is None:
            agent.process.kill()
            agent.process.wait()


def rows(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def said(app: Any) -> str:
    """The pane's sentence about the last change."""
    return str(app.screen.query_one("#backlog-said").render())


async def typed(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space", "\n": "enter"}.get(char, char))


async def opened(pilot: Any, kind: type) -> Any:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), f"{kind.__name__} opened")
    await pilot.pause()
    return pilot.app.screen


async def shown_pane(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("f4")
    await until(pilot, lambda: "Ready (" in pane_text(pilot.app), "the backlog was read")


async def test_create_edit_and_skip(app_factory: Any, project: Path, agent_on: Any) -> None:
    path = make_backlog(project / "features.db", FEATURES, newer=True)
    agent = agent_on(path)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await shown_pane(pilot)
        await pilot.press("n")
        await opened(pilot, FeatureForm)
        await typed(pilot, "UI")
        await pilot.press("tab")
        await typed(pilot, "Dark mode")
        await pilot.press("tab")
        await typed(pilot, "A dark theme.")
        await pilot.press("tab")
        await typed(pilot, "open settings\npick dark")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Created feature #" in pane_flat(app), "the create was shown")
        assert "Dark mode" in pane_flat(app)
        (fid, category, steps, deps), *_ = rows(
            path,
            "SELECT id, category, steps, dependencies FROM features WHERE name = ?",
            "Dark mode",
        )
        assert (category, json.loads(steps), deps) == ("UI", ["open settings", "pick dark"], None)
        assert f"Created feature #{fid}." in pane_flat(app)

        await pilot.press("e")  # the new feature is highlighted: the form comes filled in
        form = await opened(pilot, FeatureForm)
        await until(pilot, lambda: form.query_one("#form-name").value == "Dark mode", "filled")
        await pilot.press("tab", "end")
        await typed(pilot, " theme")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: f"Saved feature #{fid}." in pane_flat(app), "the edit was shown")
        assert "Dark mode theme" in pane_flat(app)
        name, description = rows(path, "SELECT name, description FROM features WHERE id=?", fid)[0]
        assert (name, description) == ("Dark mode theme", "A dark theme.")

        await pilot.press("s")
        await until(pilot, lambda: "end of the queue" in said(app), f"the skip: {said(app)}")
        (top,) = rows(path, "SELECT MAX(priority) FROM features WHERE id != ?", fid)[0]
        (mine,) = rows(path, "SELECT priority FROM features WHERE id = ?", fid)[0]
        assert mine > rows(path, "SELECT MAX(priority) FROM features WHERE id < ?", fid)[0][0]
        assert "Dark mode theme" in pane_flat(app)  # kept in sight at the end of the queue
        assert top is not None
    assert agent.stop() > 0


async def test_fail_delete_and_dependencies(app_factory: Any, project: Path, agent_on: Any) -> None:
    path = make_backlog(project / "features.db", FEATURES, newer=True)
    agent = agent_on(path)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await shown_pane(pilot)
        await pilot.press("end")  # the last section: passing, where #1 is alone
        await pilot.press("f")
        await opened(pilot, ReasonDialog)
        await typed(pilot, "logout broke")
        await pilot.press("enter")
        await until(pilot, lambda: "#1 is pending again" in pane_flat(app), "the reopen was shown")
        passes, description = rows(path, "SELECT passes, description FROM features WHERE id=1")[0]
        assert not passes and "logout broke" in description
        assert "Passing 0" in pane_flat(app)

        await pilot.press("delete")  # #1 is still highlighted; #3 depends on it
        await until(
            pilot,
            lambda: (
                "Delete feature #1" in " ".join(str(w.render()) for w in app.screen.query("Label"))
            ),
            "asked to confirm",
        )
        await pilot.press("y")
        await until(pilot, lambda: "Deleted feature #1" in pane_flat(app), "the delete was shown")
        assert "#3 no longer waits on it" in said(app), said(app)
        assert "Login form" not in pane_flat(app)
        assert rows(path, "SELECT id FROM features WHERE id = 1") == []
        assert rows(path, "SELECT dependencies FROM features WHERE id = 3")[0][0] in (None, "[]")

        await pilot.press("home")  # #3 leads the ready queue now
        await pilot.press("a")
        await opened(pilot, FeaturePicker)
        await typed(pilot, "Password")
        await pilot.press("enter")
        await until(pilot, lambda: "#3 now waits on #5" in pane_flat(app), "the link was shown")
        assert json.loads(rows(path, "SELECT dependencies FROM features WHERE id=3")[0][0]) == [5]
        assert "waits on #5" in pane_flat(app)  # in the blocked section now

        await pilot.press("x")
        await opened(pilot, FeaturePicker)
        await pilot.press("enter")
        await until(
            pilot, lambda: "no longer waits on #5" in pane_flat(app), "the unlink was shown"
        )
        assert rows(path, "SELECT dependencies FROM features WHERE id = 3")[0][0] in (None, "[]")
    assert agent.stop() > 0


async def test_a_refused_change_is_one_sentence(app_factory: Any, project: Path) -> None:
    """#4 depends on #3: making #3 depend on #4 would be a cycle; nothing is written."""
    path = make_backlog(project / "features.db", FEATURES, newer=True)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await shown_pane(pilot)
        await pilot.press("home")  # #3, first ready
        await pilot.press("a")
        await opened(pilot, FeaturePicker)
        await typed(pilot, "Remember")
        await pilot.press("enter")
        await until(pilot, lambda: "cycle" in pane_flat(app).lower(), "the refusal was shown")
        assert "3 -> 4 -> 3" in pane_flat(app)
        assert rows(path, "SELECT dependencies FROM features WHERE id = 3")[0][0] == "[1]"


async def test_a_refused_form_stays_up_with_what_was_typed(app_factory: Any, project: Path) -> None:
    """The form waits for its save: a refusal is shown in it and the user's edits are kept to
    mend (before, the form closed first and the refusal took the typed text with it)."""
    path = make_backlog(project / "features.db", FEATURES, newer=True)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await shown_pane(pilot)
        await pilot.press("home")  # #3, first ready; #4 depends on it
        await pilot.press("e")
        form = await opened(pilot, FeatureForm)
        await until(pilot, lambda: form.query_one("#form-name").value != "", "filled")
        before = form.query_one("#form-name").value
        await pilot.press("tab", "end")
        await typed(pilot, " v2")
        await pilot.press("tab", "tab", "tab")  # past the description and steps: the filter
        await typed(pilot, "Remember")
        await pilot.press("tab", "down", "down", "space")  # past #1, chosen already, to #4
        assert form.chosen == [1, 4]  # #3 would wait on #4, which waits on #3
        await pilot.press("ctrl+s")
        error = form.query_one("#form-error")
        await until(pilot, lambda: "3 -> 4 -> 3" in str(error.render()), "refused in the form")
        assert app.screen is form and "Nothing was saved" in str(error.render())
        assert form.query_one("#form-name").value == f"{before} v2"  # kept, to mend
        assert rows(path, "SELECT name FROM features WHERE id = 3")[0][0] == before

        await pilot.press("space")  # not #4 after all
        assert form.chosen == [1]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Saved feature #3." in pane_flat(app), "the mended save")
        assert app.screen is not form and f"{before} v2" in pane_flat(app)
        assert rows(path, "SELECT name FROM features WHERE id = 3")[0][0] == f"{before} v2"


async def test_f4_at_launch_shows_a_request_waiting_for_you(
    app_factory: Any, project: Path
) -> None:
    """F4 pressed while the app starts (before the main screen is composed): the pane comes up
    focused with the request waiting, and Enter on it opens its form."""
    waiting_backlog(project)
    async with app_factory([]) as (app, _):
        sent: list[Message] = []

        def press_f4_while_composing(message: Message) -> None:
            composing = isinstance(message, events.Compose)
            if composing and isinstance(message._sender, MainScreen) and not sent:
                sent.append(message)
                app.post_message(events.Key("f4", None))

        async with app.run_test(size=SIZE, message_hook=press_f4_while_composing) as pilot:
            await until(
                pilot, lambda: "Waiting for you (1)" in pane_flat(app), "the request listed"
            )
            assert sent and "1 waiting for you" in pane_flat(app)
            assert app.focused is not None and app.focused.id == "backlog-list"
            listing = app.screen.query_one("#backlog-list")
            while listing.get_option_at_index(listing.highlighted).id != "5":
                await pilot.press("down")
            await pilot.press("enter")
            form = await opened(pilot, HumanInputForm)
            assert "Which payment provider?" in " ".join(
                str(w.render()) for w in form.query("Static, Label")
            )


async def test_answer_a_request_for_human_input(
    app_factory: Any, project: Path, agent_on: Any
) -> None:
    path = waiting_backlog(project)
    agent = agent_on(path)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await shown_pane(pilot)
        assert "Waiting for you 1" in pane_flat(app) and "1 waiting for you" in pane_flat(app)
        listing = app.screen.query_one("#backlog-list")
        while listing.get_option_at_index(listing.highlighted).id != "5":
            await pilot.press("down")
        await pilot.press("enter")
        form = await opened(pilot, HumanInputForm)
        painted = " ".join(str(w.render()) for w in form.query("Static, Label"))
        assert "␛]0;pwned^G" in painted and "[red]not markup[/red]" in painted  # inert
        await pilot.press("ctrl+s")  # nothing filled in: the required fields are named
        await until(
            pilot,
            lambda: "Provider" in str(form.query_one("#answer-error").render()),
            "required fields enforced",
        )
        assert "Env var name" in str(form.query_one("#answer-error").render())
        assert isinstance(app.screen, HumanInputForm)
        await pilot.press("enter", "down", "enter")  # the select: open, Stripe, choose
        await pilot.press("tab")
        await typed(pilot, "STRIPE_KEY")
        await pilot.press("tab", "tab", "space")  # past the notes: sandbox on
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, HumanInputForm), form.query_one("#answer-error").render()
        await until(pilot, lambda: "Answered feature #5" in pane_flat(app), "the answer was shown")
        assert "Waiting for you 0" in pane_flat(app)
        waiting, response = rows(
            path, "SELECT needs_human_input, human_input_response FROM features WHERE id=5"
        )[0]
        answer = json.loads(response)
        assert not waiting and "responded_at" in answer
        assert answer["fields"] == {"provider": "stripe", "key_name": "STRIPE_KEY", "sandbox": True}
    assert agent.stop() > 0


async def test_stored_text_is_inert_and_keys_are_shown(app_factory: Any, project: Path) -> None:
    hostile = [{"name": "Evil \x1b[2J [b]bold?[/b]", "category": "\x1b]52;c;eA==\x07"}]
    make_backlog(project / "features.db", hostile)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await shown_pane(pilot)
        assert "Evil ␛[2J [b]bold?[/b]" in pane_flat(app) and "␛]52;c;eA==^G" in pane_flat(app)
        bar = str(app.screen.query_one("#keys").render())
        assert all(word in bar for word in ("New", "Edit", "Skip", "Mark failing"))
        await pilot.press("e")
        form = await opened(pilot, FeatureForm)
        await until(pilot, lambda: form.query_one("#form-name").value != "", "filled")
        assert form.query_one("#form-name").value == "Evil ␛[2J [b]bold?[/b]"
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        helped = [b.description for b in app.screen.groups["In the backlog (F4)"]]
        for words in ("Add dependency", "Remove dependency", "Mark failing", "Save the form"):
            assert words in helped
