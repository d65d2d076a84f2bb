"""Upstream's three layouts through the real server: which file is used, and a refused first
candidate stopping the search (REFERENCE.md 2.1: .autoforge/, .autocoder/, root)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.mcp import backlog_client, call, fail

FEATURE = {"category": "C", "name": "New", "description": "D", "steps": ["s"]}
LAYOUTS = [".autoforge/features.db", ".autocoder/features.db", "features.db"]


@pytest.mark.parametrize("used", LAYOUTS)
async def test_each_layout_is_found_and_named_in_stats(project: Path, used: str) -> None:
    """The first existing location wins over every later one, and stats say which it is."""
    later = LAYOUTS[LAYOUTS.index(used) + 1 :]
    for place in later:
        make_backlog(project / place, [{"name": f"shadowed {place}"}])
    make_backlog(project / used, [{"name": "A"}, {"name": "B", "passes": 1}])
    before = {place: dump(project / place) for place in later}
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
        created = await call(client, "feature_create", **FEATURE)
        again = await call(client, "feature_get_by_id", feature_id=created["id"])
    assert stats["path"] == used and stats["total"] == 2 and stats["passing"] == 1
    assert again["name"] == "New" and created["id"] == 3
    assert {place: dump(project / place) for place in later} == before


async def test_a_new_backlog_is_created_at_the_root_and_named(project: Path) -> None:
    """Not in .autoforge/ as upstream would: that would add a folder and a .gitignore too."""
    async with backlog_client(project) as client:
        before = await call(client, "feature_get_stats")
        await call(client, "feature_create", **FEATURE)
        after = await call(client, "feature_get_stats")
    assert before["path"] is None and after["path"] == "features.db"
    made = sorted(p.name for p in project.iterdir() if not p.name.startswith("features.db-"))
    assert made == ["README.md", "app.py", "features.db"]


async def test_a_symlinked_autoforge_file_stops_the_search(project: Path, tmp_path: Path) -> None:
    elsewhere = make_backlog(tmp_path / "elsewhere.db", [{"name": "Theirs"}])
    (project / ".autoforge").mkdir()
    (project / ".autoforge" / "features.db").symlink_to(elsewhere)
    behind = make_backlog(project / ".autocoder" / "features.db", [{"name": "Behind"}])
    before = dump(behind)
    async with backlog_client(project) as client:
        read = await fail(client, "feature_get_stats", {})
        write = await fail(client, "feature_create", FEATURE)
    assert ".autoforge/features.db is a symbolic link" in read and write == read
    assert dump(behind) == before and not (project / "features.db").exists()


async def test_a_hardlinked_autoforge_file_stops_the_search(project: Path, tmp_path: Path) -> None:
    other = make_backlog(tmp_path / "other.db", [{"name": "Theirs"}])
    (project / ".autoforge").mkdir()
    os.link(other, project / ".autoforge" / "features.db")
    root = make_backlog(project / "features.db", [{"name": "Root"}])
    before = dump(root)
    async with backlog_client(project) as client:
        read = await fail(client, "feature_get_stats", {})
        write = await fail(client, "feature_skip", {"feature_id": 1})
    assert ".autoforge/features.db is a hardlink (2 names)" in read and write == read
    assert dump(root) == before


async def test_an_autoforge_file_where_a_folder_belongs_stops_the_search(project: Path) -> None:
    (project / ".autoforge").write_text("not a folder")
    root = make_backlog(project / "features.db", [{"name": "Root"}])
    before = dump(root)
    async with backlog_client(project) as client:
        read = await fail(client, "feature_get_stats", {})
        write = await fail(client, "feature_create", FEATURE)
    assert f"{project / '.autoforge'} is not a directory" in read and write == read
    assert dump(root) == before
