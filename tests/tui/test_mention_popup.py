"""The @ popup's rows as painted: a path longer than the popup is cut on its own row with "…",
and the rows below still start with their own entries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, settle
from tests.helpers.popup import listed, popup_rows, typed
from tests.helpers.screen import screen_rows
from tui.demo.model_server import Turn

DEEP = "/".join(f"deeply_nested_folder_{n}" for n in range(6))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    (path / DEEP).mkdir(parents=True)
    (path / DEEP / "zeta_notes.md").write_text("# far down\n")
    (path / "zeta.py").write_text("Z = 1\n")
    (path / "zeta_dir").mkdir()
    (path / "zeta_dir" / "a.txt").write_text("a\n")
    return path


async def test_a_path_wider_than_the_popup_is_cut_on_its_own_row(
    app_factory: Callable[..., Any],
) -> None:
    """Drawn as one Rich text of ten rows, a long path wrapped over three rows (no mark), so
    the rows below began with the rest of the path instead of their own entries."""
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await typed(pilot, "@zeta")
        rows = await listed(pilot, "zeta.py")
        assert rows[:2] == ["zeta.py", "zeta_dir/"]
        assert rows[2].startswith("deeply_nested_folder_0/") and rows[2].endswith("…")
        assert rows[3:] == ["zeta_dir/a.txt"]


async def test_hostile_file_names_are_listed_as_plain_text(
    app_factory: Callable[..., Any], project: Path
) -> None:
    """The one popup draws what a repository named its files: markup stays text (no style, no
    action); a name holding an escape sequence is not listed at all (the guard refuses control
    characters in names), so it never reaches the terminal."""
    (project / "zeta[b red]ALERT.md").write_text("x\n")
    (project / "zeta[@click=app.quit]q.md").write_text("x\n")
    (project / "zeta\x1b[2Jwipe.md").write_text("x\n")
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await typed(pilot, "@zeta")
        rows = await listed(pilot, "zeta[b red]ALERT.md")
        assert "zeta[@click=app.quit]q.md" in rows, rows
        assert not any("wipe" in row for row in rows), rows
        assert not any("\x1b" in row for row in screen_rows(app))
        await pilot.press("down")  # moving the highlight over them redraws the rows
        await pilot.pause()
        assert app.is_running and "zeta[b red]ALERT.md" in popup_rows(app)
