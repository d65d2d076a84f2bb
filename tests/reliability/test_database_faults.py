"""The history file misbehaves under the running app: locked, full, read-only or damaged.

Each test drives the real app under Pilot against the scripted model and checks what the user
sees (one sentence naming the cause and the fix), that the question is never lost (saved, or back
in the input box), that the history stays browsable where the file is readable, and that sending
works again once the cause is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.figures import Figures
from tests.helpers.files import set_read_only
from tests.helpers.pilot import SIZE, paste, settle
from tests.helpers.screen import answer_texts, notes
from tui.demo.model_server import Turn
from tui.models import Role
from tui.widgets.prompt_input import PromptInput

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(10)
conn.execute("ROLLBACK")
"""


async def stored(app: Any) -> list[tuple[Role, str]]:
    """Every message of every conversation, oldest conversation first."""
    found = []
    for conversation in reversed(await app.store.conversation_list(app.settings.project)):
        for message in await app.store.message_page(conversation.id):
            found.append((message.role, message.content))
    return found


@pytest.mark.slow
async def test_locked_for_ten_seconds_keeps_the_question_and_browsing(
    app_factory: Any, tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "h.db"
    async with (
        app_factory([Turn(text="Answer.")], db=db) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await paste(pilot, "first question")
        await pilot.press("ctrl+n")
        locker = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLD_LOCK, str(db), stdout=subprocess.PIPE
        )
        assert locker.stdout is not None and await locker.stdout.readline() == b"locked\n"
        await paste(pilot, "asked while locked")
        sentence = notes(app)[-1]
        assert "is locked by another program" in sentence and "back in the input box" in sentence
        assert app.screen.query_one(PromptInput).text == "asked while locked"
        await pilot.press("alt+down")  # browsing only reads, which the lock does not block
        await settle(pilot)
        assert app.screen.conversation.title == "first question"
        assert answer_texts(app) == ["Answer."]
        await pilot.press("ctrl+n")  # back: the new chat's draft is the unsaved question
        await settle(pilot)
        assert app.screen.query_one(PromptInput).text == "asked while locked"
        assert locker.returncode is None, "the lock ended before the checks; they proved nothing"
        await locker.wait()
        await paste(pilot)
        assert await stored(app) == [
            (Role.USER, "first question"),
            (Role.ASSISTANT, "Answer."),
            (Role.USER, "asked while locked"),
            (Role.ASSISTANT, "Answer."),
        ]
        assert not any("Unexpected" in n for n in notes(app))
    figures.record("faults", "history locked 10 s by another process", 1, of=1)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs: a real disk that fills up (the suite runs as root, as CI does)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.fail(f"mounting a small tmpfs needs root: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def fill(disk: Path) -> Path:
    """Write a file until the disk refuses another byte."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as file:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    file.write(b"\0" * size)
    try:
        (disk / "probe").write_bytes(b"x" * 8192)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    else:
        raise AssertionError("the disk still took bytes")
    return filler


async def test_full_disk_keeps_the_question_and_browsing(
    app_factory: Any, small_disk: Path, figures: Figures
) -> None:
    db = small_disk / "h.db"
    big = "Why is this so long? " + "lorem ipsum " * 25_000  # 300 KB: the journal must grow
    async with (
        app_factory([Turn(text="Answer.")], db=db) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await paste(pilot, "first question")
        filler = fill(small_disk)
        await paste(pilot, big)
        sentence = notes(app)[-1]
        assert "is full; free some space" in sentence and "back in the input box" in sentence
        assert app.screen.query_one(PromptInput).text == big
        assert answer_texts(app)[0] == "Answer."
        filler.unlink()
        await paste(pilot)
        assert [m for _, m in await stored(app)] == ["first question", "Answer.", big, "Answer."]
    figures.record("faults", "history disk full", 1, of=1)


async def test_read_only_history_is_browsable_and_says_why_it_cannot_save(
    app_factory: Any, tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "h.db"
    async with (
        app_factory([Turn(text="Answer.")], db=db) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await paste(pilot, "first question")
    set_read_only(db, True)
    try:
        async with (
            app_factory([Turn(text="Answer.")], db=db) as (app, _),
            app.run_test(size=SIZE) as pilot,
        ):
            await settle(pilot)
            assert any("is read-only: you can browse it" in n for n in notes(app))
            assert answer_texts(app) == ["Answer."]
            await paste(pilot, "second question")
            sentence = notes(app)[-1]
            assert "is read-only" in sentence and "make it writable" in sentence
            assert "back in the input box" in sentence
            assert app.screen.query_one(PromptInput).text == "second question"
    finally:
        set_read_only(db, False)
    figures.record("faults", "history read-only", 1, of=1)


async def test_damaged_history_is_one_sentence_and_keeps_the_question(
    app_factory: Any, tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "h.db"
    db.write_bytes(b"SQLite format 3\0" + b"\xff" * 8000)
    before = db.read_bytes()
    async with (
        app_factory([Turn(text="Answer.")], db=db) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await settle(pilot)
        await paste(pilot, "hello")
        sentences = notes(app)
        assert sentences and all(str(db) in n for n in sentences), sentences
        assert "move it aside" in sentences[-1] and "back in the input box" in sentences[-1]
        assert app.screen.query_one(PromptInput).text == "hello"
    assert db.read_bytes() == before, "a damaged history file must be left as it was"
    figures.record("faults", "history file damaged", 1, of=1)
