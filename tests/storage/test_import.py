"""Importing an AutoCoder/AutoForge assistant.db, built with plain SQL in upstream's shape."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.assistant_db import add_upstream_message, history_counts, make_upstream
from tui.models import Role
from tui.storage import Store, StoreError
from tui.storage.importer import import_autocoder


async def test_import_copies_conversations_once(store: Store, project: Path) -> None:
    source = make_upstream(project / "assistant.db")
    before = source.read_bytes()
    first = await import_autocoder(store, project)
    second = await import_autocoder(store, project)
    assert (first.imported, first.messages, first.skipped) == (2, 4, 0)
    assert (second.imported, second.skipped) == (0, 2)
    assert source.read_bytes() == before
    convs = await store.conversation_list(project)
    assert [c.title for c in convs] == [
        "What does the importer module in this package do…",
        "Explain the build",
    ]
    build = convs[1]
    assert build.message_count == 2 and build.created_at.isoformat().startswith("2025-03-01T09:00")
    assert build.created_at.utcoffset() is not None
    messages = await store.message_page(build.id)
    assert [(m.role, m.content) for m in messages] == [
        (Role.USER, "Explain the build"),
        (Role.ASSISTANT, "It uses **make**."),
    ]
    odd = await store.message_page(convs[0].id)
    assert [m.role for m in odd] == [Role.USER, Role.SYSTEM]
    assert [h.conversation_id for h in await store.search("make")] == [build.id]


async def test_autoforge_layout_is_found(store: Store, project: Path) -> None:
    make_upstream(project / ".autoforge" / "assistant.db")
    report = await import_autocoder(store, project)
    assert report.imported == 2 and report.file == project / ".autoforge" / "assistant.db"


async def test_missing_or_foreign_file_is_one_sentence(store: Store, project: Path) -> None:
    with pytest.raises(StoreError, match=r"No AutoCoder/AutoForge assistant\.db found in"):
        await import_autocoder(store, project)
    sqlite3.connect(project / "assistant.db").execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(StoreError, match="could not be read as an AutoCoder assistant database"):
        await import_autocoder(store, project)


def test_import_command(project: Path, tmp_path: Path) -> None:
    make_upstream(project / "assistant.db")
    db = tmp_path / "h.db"
    argv = [sys.executable, "-m", "tui", "import-autocoder", str(project), "--db", str(db)]
    first = subprocess.run(argv, capture_output=True, text=True, check=True)
    again = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert first.stdout.startswith("Imported 2 conversation(s) with 4 message(s) from ")
    assert again.stdout.startswith("Imported 0 conversation(s)")
    assert again.stdout.rstrip().endswith("2 already imported.")
    missing = subprocess.run(
        [*argv[:4], str(tmp_path), "--db", str(db)], capture_output=True, text=True
    )
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("assistant-tui: No AutoCoder/AutoForge assistant.db found")
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize("how", ["symlink", "hardlink", "symlinked folder"])
async def test_a_linked_assistant_db_is_refused(
    store: Store, project: Path, tmp_path: Path, how: str
) -> None:
    """Another project's conversations behind a link are not imported (nor read)."""
    other = make_upstream(tmp_path / "other" / ".autoforge" / "assistant.db")
    if how == "symlink":
        (project / "assistant.db").symlink_to(other)
    elif how == "hardlink":
        os.link(other, project / "assistant.db")
    else:
        (project / ".autoforge").symlink_to(other.parent, target_is_directory=True)
    with pytest.raises(StoreError, match="so nothing is imported and no other") as refused:
        await import_autocoder(store, project)
    assert ("symbolic link" if how != "hardlink" else "hardlink (2 names)") in str(refused.value)
    assert await store.conversation_list(project.resolve()) == []


@pytest.mark.parametrize("how", ["moved", "copied"])
async def test_the_file_moved_into_autoforge_adds_nothing(
    store: Store, project: Path, db_path: Path, how: str
) -> None:
    """Upstream moves a root assistant.db into .autoforge/ when an agent starts."""
    root = make_upstream(project / "assistant.db")
    first = await import_autocoder(store, project)
    (project / ".autoforge").mkdir()
    if how == "moved":
        root.rename(project / ".autoforge" / "assistant.db")
    else:
        (project / ".autoforge" / "assistant.db").write_bytes(root.read_bytes())
    again = await import_autocoder(store, project)
    assert first.file == root and again.file == project / ".autoforge" / "assistant.db"
    assert (again.imported, again.messages, again.skipped) == (0, 0, 2)
    assert history_counts(db_path) == (2, 4)


async def test_autocoder_layout_is_found(store: Store, project: Path) -> None:
    """The layout between upstream's two renames: checked after .autoforge/, before the root."""
    make_upstream(project / ".autocoder" / "assistant.db")
    report = await import_autocoder(store, project)
    assert report.file == project / ".autocoder" / "assistant.db"
    assert (report.imported, report.messages) == (2, 4)


async def test_only_the_first_layout_is_imported(
    store: Store, project: Path, db_path: Path
) -> None:
    """Upstream's assistant uses the first file in its order; the others are stale copies."""
    make_upstream(project / ".autocoder" / "assistant.db")
    stale = make_upstream(project / "assistant.db")
    add_upstream_message(stale, 1, "user", "only in the stale root copy")
    report = await import_autocoder(store, project)
    assert report.file == project / ".autocoder" / "assistant.db"
    assert history_counts(db_path) == (2, 4)


@pytest.mark.parametrize("how", ["symlink", "hardlink", "fifo"])
async def test_a_refused_candidate_stops_the_search(
    store: Store, project: Path, tmp_path: Path, db_path: Path, how: str
) -> None:
    """A refused .autocoder/assistant.db is not skipped for the root file behind it."""
    make_upstream(project / "assistant.db")
    other = make_upstream(tmp_path / "other" / "assistant.db")
    candidate = project / ".autocoder" / "assistant.db"
    candidate.parent.mkdir()
    if how == "symlink":
        candidate.symlink_to(other)
    elif how == "hardlink":
        os.link(other, candidate)
    else:
        os.mkfifo(candidate)
    with pytest.raises(StoreError) as refused:
        await import_autocoder(store, project)
    message = str(refused.value)
    assert message.startswith(f"{candidate} is ")
    assert "so nothing is imported and no other assistant.db is looked for" in message
    assert message.endswith("replace it with a regular file in the project.")
    assert history_counts(db_path) == (0, 0)


async def test_a_conversation_continued_upstream_gets_its_new_messages(
    store: Store, project: Path, db_path: Path
) -> None:
    source = make_upstream(project / "assistant.db")
    await import_autocoder(store, project)
    add_upstream_message(source, 1, "user", "and the tests?")
    add_upstream_message(source, 1, "assistant", "They run with pytest.")
    (project / ".autoforge").mkdir()
    source.rename(project / ".autoforge" / "assistant.db")
    report = await import_autocoder(store, project)
    assert (report.imported, report.extended, report.appended, report.skipped) == (0, 1, 2, 1)
    assert history_counts(db_path) == (2, 6)
    build = next(c for c in await store.conversation_list(project) if c.title.startswith("Expl"))
    messages = await store.message_page(build.id)
    assert [m.content for m in messages][-2:] == ["and the tests?", "They run with pytest."]
    assert build.message_count == 4 and build.updated_at.isoformat().startswith("2025-03-05T12")
    assert [h.conversation_id for h in await store.search("pytest")] == [build.id]
    again = await import_autocoder(store, project)
    assert (again.extended, again.skipped) == (0, 2) and history_counts(db_path) == (2, 6)


async def test_a_conversation_continued_here_and_upstream_is_left_alone(
    store: Store, project: Path, db_path: Path
) -> None:
    """Upstream's new messages cannot follow ours without mixing two transcripts."""
    source = make_upstream(project / "assistant.db")
    await import_autocoder(store, project)
    build = next(c for c in await store.conversation_list(project) if c.title.startswith("Expl"))
    await store.message_add(build.id, Role.USER, "asked here")
    same = await import_autocoder(store, project)
    add_upstream_message(source, 1, "user", "asked upstream")
    both = await import_autocoder(store, project)
    assert (same.skipped, same.diverged) == (2, 0)
    assert (both.skipped, both.diverged, both.extended) == (1, 1, 0)
    assert history_counts(db_path) == (2, 5)
    assert [m.content for m in await store.message_page(build.id)][-1] == "asked here"


async def test_an_empty_conversation_imported_early_gets_its_title(
    store: Store, project: Path
) -> None:
    """Upstream makes the row before the first message and titles it from that message."""
    source = make_upstream(project / "assistant.db")
    conn = sqlite3.connect(source)
    conn.execute(
        "INSERT INTO conversations VALUES (3, 'proj', 'dev', NULL, '2025-03-04 08:00:00.123456',"
        " '2025-03-04 08:00:00.123456')"
    )
    conn.commit()
    conn.close()
    await import_autocoder(store, project)
    conn = sqlite3.connect(source)
    conn.execute("UPDATE conversations SET title = 'Where is main?' WHERE id = 3")
    conn.commit()
    conn.close()
    add_upstream_message(source, 3, "user", "Where is main?")
    report = await import_autocoder(store, project)
    assert (report.extended, report.appended) == (1, 1)
    titles = [c.title for c in await store.conversation_list(project)]
    assert "Where is main?" in titles and "Untitled" not in titles
