"""The backlog pane names the file it shows (upstream's layouts put it in one of three places)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers.backlog_db import FEATURES, make_backlog
from tests.helpers.pilot import SIZE, until
from tests.helpers.screen import pane_text


async def test_the_pane_names_the_backlog_file_in_use(app_factory: Any, project: Path) -> None:
    make_backlog(project / "features.db", [{"name": "Shadowed root feature"}])
    make_backlog(project / ".autocoder" / "features.db", FEATURES)
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f4")
        await until(pilot, lambda: "passing" in pane_text(app), "the backlog was read")
        shown = pane_text(app)
    assert "1/5 passing" in shown and "from .autocoder/features.db" in shown
    assert "Shadowed root feature" not in shown
