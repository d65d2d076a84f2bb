"""Importing an AutoCoder/AutoForge assistant.db, built here with plain SQL in its shape."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.models import Role
from tui.storage import Store, StoreError
from tui.storage.importer import import_autocoder

UPSTREAM = """
CREATE TABLE conversations (
    id INTEGER NOT NULL PRIMARY KEY,
    project_name VARCHAR(100) NOT NULL,
    mode VARCHAR(10) NOT NULL DEFAULT 'dev',
    title VARCHAR(200),
    created_at DATETIME,
    updated_at DATETIME
);
CREATE TABLE conversation_messages (
    id INTEGER NOT NULL PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    role VARCHAR(20) NOT NULL,
    content TEXT NOT NULL,
    timestamp DATETIME
);
"""


def make_upstream(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(UPSTREAM)
    conn.executemany(
        "INSERT INTO conversations VALUES (?, 'proj', 'dev', ?, ?, ?)",
        [
            (1, "Explain the build", "2025-03-01 09:00:00.000000", "2025-03-01 09:01:00.000000"),
            (2, None, "2025-03-02 10:00:00", "2025-03-02 10:00:00"),
        ],
    )
    conn.executemany(
        "INSERT INTO conversation_messages VALUES (?, ?, ?, ?, ?)",
        [
            (1, 1, "user", "Explain the build", "2025-03-01 09:00:00.000000"),
            (2, 1, "assistant", "It uses **make**.", "2025-03-01 09:01:00.000000"),
            (3, 2, "user", "What does the importer module in this package do exactly?", None),
            (4, 2, "tool", "odd role", "2025-03-02 10:00:01"),
        ],
    )
    conn.commit()
    conn.close()
    return path


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
    assert report.imported == 2 and report.files == [project / ".autoforge" / "assistant.db"]


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
    with pytest.raises(StoreError, match="so it is not imported") as refused:
        await import_autocoder(store, project)
    assert ("symbolic link" if how != "hardlink" else "hardlink (2 names)") in str(refused.value)
    assert await store.conversation_list(project.resolve()) == []
