"""Snapshots of the screen states a user sees (pytest-textual-snapshot; SVGs under __snapshots__).

The project lives at a fixed path and the model is scripted inside the app, so every run draws
the same screen.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import ToolCall, Turn

PROJECT = Path("/tmp/assistant-tui-snapshots/project")
ANSWER = """## The parser

It is a **recursive descent** parser:

```python
def parse(tokens):
    return expression(tokens)
```

| rule | function |
|---|---|
| expression | `expression()` |
| term | `term()` |
"""
TURNS = [
    Turn(
        match="parser",
        tools=[
            ToolCall("Read", {"file_path": "app.py"}),
            ToolCall("Bash", {"command": "rm -rf /"}),
            ToolCall("Read", {"file_path": "missing.py"}),
        ],
    ),
    Turn(match="", text=ANSWER),
]


@pytest.fixture
def make_app(isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Tool durations depend on the machine's load; the snapshot pins them.
    monkeypatch.setattr("tui.widgets.tool_log.format_duration", lambda seconds: "0.1s")
    # Input boxes are created with a steady cursor: turning the blink off later raced with a blink
    # already on its way, which sometimes left the cursor hidden in the picture.
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    shutil.rmtree(PROJECT.parent, ignore_errors=True)
    PROJECT.mkdir(parents=True)
    (PROJECT / "app.py").write_text("def parse(tokens):\n    return expression(tokens)\n")

    def make() -> AssistantApp:
        settings = Settings.build(project=PROJECT, db=str(tmp_path / "h.db"), model="scripted")
        return AssistantApp(settings, script=TURNS)

    return make


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query("TextArea, Input"):
        widget.cursor_blink = False  # a blinking cursor would make two runs differ
    await pilot.pause()


async def asked(pilot: Any) -> None:
    await settle(pilot)
    for char in "How does the parser work?":
        await pilot.press(char if char != " " else "space")
    await pilot.press("enter")
    await settle(pilot)


def test_empty_first_launch(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=settle)


def test_conversation_with_code_table_and_tool_rows(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=asked)


def test_filter_in_use(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await asked(pilot)
        await pilot.press("ctrl+f", "p", "a", "r")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)


def test_delete_confirmation(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await asked(pilot)
        await pilot.press("f8")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)


def test_help_screen(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 48), run_before=run_before)


def test_narrow_terminal(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=asked)


def test_backlog_pane(snap_compare: Any, make_app: Any) -> None:
    from tests.backlog_db import make_backlog
    from tests.tui.test_backlog_pane import FEATURES

    make_backlog(PROJECT / "features.db", FEATURES)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)
