"""The backlog file obeys the boundary: links, hardlinks and special files refuse the backlog.

Each attack is a file layout a cloned repository (or another process) can leave in a project;
the real server answers a real MCP client, and afterwards the files it aimed at are unchanged
and nothing was created outside the project.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from boundary import Refused, sqlite_file
from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.mcp import backlog_client, call, fail

FEATURE = {"category": "C", "name": "N", "description": "ssh-ed25519 AAAA attacker", "steps": ["s"]}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "outside"
    path.mkdir()
    return path


async def refused_everywhere(project: Path) -> tuple[str, str]:
    async with backlog_client(project) as client:
        read = await fail(client, "feature_get_stats", {})
        write = await fail(client, "feature_create", FEATURE)
    return read, write


async def test_dangling_symlink_never_creates_its_target(project: Path, outside: Path) -> None:
    """features.db -> ~/.ssh/authorized_keys must not make that file (a key in a description)."""
    target = outside / ".ssh" / "authorized_keys"
    target.parent.mkdir()
    (project / "features.db").symlink_to(target)
    read, write = await refused_everywhere(project)
    assert "features.db is a symbolic link" in read and write == read
    assert read.startswith("The backlog cannot be used:")
    assert not target.exists() and os.listdir(target.parent) == []


async def test_symlink_to_another_backlog_is_neither_read_nor_written(
    project: Path, outside: Path
) -> None:
    other = make_backlog(outside / "features.db", [{"name": "Theirs"}])
    before = dump(other)
    (project / "features.db").symlink_to(other)
    read, write = await refused_everywhere(project)
    assert "symbolic link" in read and "Theirs" not in read and write == read
    assert dump(other) == before


async def test_symlinked_autoforge_folder_is_refused(project: Path, outside: Path) -> None:
    other = make_backlog(outside / ".autoforge" / "features.db", [{"name": "Theirs"}])
    before = dump(other)
    (project / ".autoforge").symlink_to(outside / ".autoforge", target_is_directory=True)
    make_backlog(project / "features.db", [{"name": "Ours"}])  # refusal does not skip to it
    read, write = await refused_everywhere(project)
    assert f"{project / '.autoforge'} is a symbolic link" in read and write == read
    assert dump(other) == before


async def test_refused_first_location_is_not_skipped(project: Path, outside: Path) -> None:
    """A refused .autocoder/features.db refuses the backlog; the root file is not used instead."""
    (project / ".autocoder").mkdir()
    (project / ".autocoder" / "features.db").symlink_to(outside / "nothing.db")
    root = make_backlog(project / "features.db", [{"name": "Root"}])
    before = dump(root)
    read, write = await refused_everywhere(project)
    assert ".autocoder/features.db is a symbolic link" in read and write == read
    assert dump(root) == before and not (outside / "nothing.db").exists()


async def test_hardlinked_backlog_is_refused(project: Path, outside: Path) -> None:
    other = make_backlog(outside / "features.db", [{"name": "Theirs"}])
    before = dump(other)
    os.link(other, project / "features.db")
    read, write = await refused_everywhere(project)
    assert "is a hardlink (2 names)" in read and write == read
    assert dump(other) == before


async def test_symlinked_wal_is_refused(project: Path, outside: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "Ours"}])
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    (project / "features.db-wal").symlink_to(outside / "captured")
    read, write = await refused_everywhere(project)
    assert "features.db-wal is a symbolic link" in read and write == read
    assert not (outside / "captured").exists()


async def test_fifo_backlog_is_refused_without_hanging(project: Path) -> None:
    os.mkfifo(project / "features.db")
    read, write = await refused_everywhere(project)
    assert "is not a regular file" in read and write == read


async def test_a_folder_named_like_the_backlog_is_refused(project: Path) -> None:
    """A folder where the backlog file belongs is refused by its name, not left to SQLite."""
    (project / ".autoforge" / "features.db").mkdir(parents=True)
    root = make_backlog(project / "features.db", [{"name": "Root"}])
    before = dump(root)
    read, write = await refused_everywhere(project)
    assert f"{project / '.autoforge' / 'features.db'} is not a regular file" in read
    assert write == read and dump(root) == before


async def test_autocoder_layout_is_found(project: Path) -> None:
    """The layout between upstream's two renames is read, not shadowed by a new root file."""
    make_backlog(project / ".autocoder" / "features.db", [{"name": "A"}, {"name": "B"}])
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
        await call(client, "feature_create", **FEATURE)
    assert stats["total"] == 2
    assert not (project / "features.db").exists()
    rows = sqlite3.connect(project / ".autocoder" / "features.db").execute(
        "SELECT COUNT(*) FROM features"
    )
    assert rows.fetchone()[0] == 3


async def test_new_backlog_is_created_in_place(project: Path) -> None:
    async with backlog_client(project) as client:
        await call(client, "feature_create", **FEATURE)
    db = project / "features.db"
    assert db.is_file() and not db.is_symlink() and os.lstat(db).st_nlink == 1
    assert sqlite3.connect(db).execute("SELECT name FROM features").fetchall() == [("N",)]


def test_a_file_swapped_after_its_check_is_refused(project: Path, outside: Path) -> None:
    """The inode SQLite opened must be the one that was checked (a rename swaps it)."""
    db = make_backlog(project / "features.db", [{"name": "Ours"}])
    checked = os.lstat(db)
    swapped = make_backlog(outside / "other.db", [{"name": "Theirs"}])
    os.replace(swapped, db)
    with pytest.raises(Refused, match="changed between its check and its opening"):
        sqlite_file.connect_checked(db, checked, timeout=1)


def test_a_symlink_swapped_in_after_its_check_is_refused(project: Path, outside: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "Ours"}])
    checked = os.lstat(db)
    make_backlog(outside / "other.db", [{"name": "Theirs"}])
    db.unlink()
    db.symlink_to(outside / "other.db")
    with pytest.raises(Refused, match="changed between its check and its opening"):
        sqlite_file.connect_checked(db, checked, timeout=1)


def test_exclusive_creation_refuses_a_dangling_link(project: Path, outside: Path) -> None:
    (project / "features.db").symlink_to(outside / "made.db")
    with pytest.raises(Refused):
        sqlite_file.create(project, project / "features.db")
    assert not (outside / "made.db").exists()
