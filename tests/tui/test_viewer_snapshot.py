"""A snapshot of the code viewer opened from an answer's reference, cited lines marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers.pilot import until
from tests.helpers.snapshots import PROJECT, settle_still
from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import Turn
from tui.screens.viewer import ViewerScreen
from tui.widgets.code_view import CodeView

CALC = '''"""A tiny calculator."""


def add(a: int, b: int) -> int:
    """The sum of two numbers."""
    return a + b


def mul(a: int, b: int) -> int:
    return a * b
'''


def test_viewer_at_a_cited_range(snap_compare: Any, make_app: Any, tmp_path: Path) -> None:
    (PROJECT / "src").mkdir()
    (PROJECT / "src" / "calc.py").write_text(CALC)
    settings = Settings.build(project=PROJECT, db=str(tmp_path / "v.db"), model="scripted")
    app = AssistantApp(settings, script=[Turn(text="`add` is in `src/calc.py:4-6`.")])

    async def run_before(pilot: Any) -> None:
        await settle_still(pilot)
        for char in "Where is add?":
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")
        await settle_still(pilot)
        await pilot.press("ctrl+o", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ViewerScreen), "viewer open")
        view = pilot.app.screen.query_one(CodeView)
        await until(pilot, lambda: len(view.exact) == len(view.raw), "the file coloured")
        await settle_still(pilot)

    assert snap_compare(app, terminal_size=(100, 20), run_before=run_before)
