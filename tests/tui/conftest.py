"""Fixtures only the Pilot tests use: the one app every snapshot draws."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tests.helpers.snapshots import PROJECT, TURNS
from tui.app import AssistantApp
from tui.config import Settings


@pytest.fixture
def make_app(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], AssistantApp]]:
    """Make the snapshot app: a fresh project at the fixed path, the scripted model inside.

    The path is fixed (the title bar shows it), so two test runs on one machine share it: each
    holds a lock on it while its test runs, or one run's fresh project deletes the other's
    backlog mid-test."""
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield _make_app(tmp_path, monkeypatch)


LOCK = PROJECT.parent.with_name(PROJECT.parent.name + ".lock")


def _make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], AssistantApp]:
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
